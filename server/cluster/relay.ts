import { decode, encode } from '@msgpack/msgpack'
import { Redis } from 'ioredis'
import type { Logger } from '../logger'

/**
 * Sessions relayed between processes over Redis pub/sub (SCALEOUT §2.3). Each process listens on
 * its own channel, `prfaq:node:<incarnation>`. The process a client reached (the landing) opens
 * a session at the review's owner with `open {sid, token, …}`; then frames go both ways on the two
 * processes' channels, until `close`. Redis decides nothing and need not deliver: every frame of
 * a session carries the next number of its direction, and each side tells the other, once a
 * second, the last number it sent (`hb`). A gap, or 2.5 s without a heartbeat, ends the session on
 * both sides: the landing closes the client's socket, the client reconnects and resyncs, and
 * whatever it had not been acknowledged it sends again (acks come only from the owner, after
 * the commit; commands are deduplicated by commandId).
 *
 * Written here, not taken from a Socket.IO adapter: adapters fan every room's traffic out to
 * every process and offer no watched point-to-point session (SCALEOUT §1.4).
 */
export const RELAY_HEARTBEAT_MS = 1_000
/** Two heartbeats missed and a half: the client's socket is closed within 3 s of a stall (X7). */
export const RELAY_LOST_MS = 2_500
/** How often silence is checked (finer than the heartbeat, so the bound above holds). */
const WATCH_MS = 250

export type RelayFrame =
  | {
      t: 'open'
      sid: string
      from: string
      transport: 'sio' | 'yws'
      token: string
      reviewId: string
      /** The client's address (guess limits, logs) and the landing's Origin verdict. */
      address: string
      originAllowed: boolean
    }
  /** A numbered frame of a session: `ev` names what it carries. */
  | { t: 'f'; sid: string; n: number; ev: string; data?: unknown; ack?: number }
  | { t: 'close'; sid: string; code?: number; reason?: string; final?: boolean }
  | { t: 'hb'; from: string; s: Array<[string, number]> }

export const channelOf = (incarnation: string): string => `prfaq:node:${incarnation}`

/** One side of a relayed session. */
export class RelayLink {
  sent = 0
  heard = 0
  lastHeard = Date.now()
  done = false
  /** A numbered frame arrived in order. */
  onFrame: (ev: string, data: unknown, ack: number | undefined) => void = () => {}
  /** The other side closed it (`final`: the client must not reconnect, e.g. removed). */
  onClose: (code: number | undefined, reason: string | undefined, final: boolean) => void = () => {}
  /** The relay failed (gap, silence, Redis): the session is over on this side. */
  onLost: (reason: string) => void = () => {}

  constructor(
    private readonly relay: Relay,
    readonly sid: string,
    /** The other process's incarnation. */
    readonly peer: string,
  ) {}

  send(ev: string, data?: unknown, ack?: number): void {
    if (this.done) return
    this.relay.publish(this, { t: 'f', sid: this.sid, n: ++this.sent, ev, data, ack })
  }

  /** Ends the session and tells the other side. */
  close(code?: number, reason?: string, final = false): void {
    if (this.done) return
    this.relay.publish(this, { t: 'close', sid: this.sid, code, reason, final })
    this.relay.forget(this)
  }

  lost(reason: string): void {
    if (this.done) return
    this.relay.metrics.lost++
    this.relay.forget(this)
    this.relay.publish(this, { t: 'close', sid: this.sid, code: 1012, reason }, true)
    this.onLost(reason)
  }
}

export interface RelayMetrics {
  published: number
  received: number
  lost: number
}

export class Relay {
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly links = new Map<string, RelayLink>()
  private readonly timer: NodeJS.Timeout
  readonly metrics: RelayMetrics = { published: 0, received: 0, lost: 0 }
  /** A landing opened a session here (this process owns, or owned, the review). */
  onOpen: (frame: Extract<RelayFrame, { t: 'open' }>, link: RelayLink) => void = (_f, link) =>
    link.close(1013, 'not ready')
  private counter = 0

  constructor(
    url: string,
    readonly incarnation: string,
    private readonly logger: Logger,
  ) {
    const opts = {
      // Frames are never queued while Redis is away: a frame that cannot go out is a lost relay.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(times * 100, 1_000),
      lazyConnect: false,
    }
    this.pub = new Redis(url, opts)
    this.sub = new Redis(url, { ...opts, enableOfflineQueue: true })
    for (const [name, r] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      r.on('error', (e: Error) => logger.debug({ err: e.message, connection: name }, 'redis error'))
      r.on('close', () => this.redisDown(name))
    }
    void this.sub.subscribe(channelOf(incarnation)).catch(() => undefined)
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.receive(message))
    let ticks = 0
    this.timer = setInterval(() => this.tick(++ticks % (RELAY_HEARTBEAT_MS / WATCH_MS) === 0), WATCH_MS)
    this.timer.unref()
  }

  /** Redis answers (health). */
  ping(): Promise<unknown> {
    return this.pub.ping()
  }

  get sessions(): number {
    return this.links.size
  }

  /** A landing opens a session at `owner`. */
  open(owner: string, frame: Omit<Extract<RelayFrame, { t: 'open' }>, 't' | 'sid' | 'from'>): RelayLink {
    const sid = `${this.incarnation}:${++this.counter}`
    const link = new RelayLink(this, sid, owner)
    this.links.set(sid, link)
    this.publish(link, { t: 'open', sid, from: this.incarnation, ...frame })
    return link
  }

  publish(link: RelayLink, frame: RelayFrame, quiet = false): void {
    this.metrics.published++
    this.pub.publish(channelOf(link.peer), Buffer.from(encode(frame))).then(
      // Nobody listens on the other side's channel: that process is gone (its Redis connection
      // closed with it), so the session is over now, not after the heartbeat timeout.
      (listeners) => !quiet && listeners === 0 && link.lost('the other process no longer listens'),
      (e: unknown) => !quiet && link.lost(`Redis did not take a frame: ${(e as Error).message}`),
    )
  }

  forget(link: RelayLink): void {
    link.done = true
    if (this.links.get(link.sid) === link) this.links.delete(link.sid)
  }

  private redisDown(name: string): void {
    if (this.links.size === 0) return
    this.logger.warn(
      { connection: name, sessions: this.links.size },
      'redis connection lost: closing relayed sessions',
    )
    for (const link of [...this.links.values()]) link.lost('the Redis connection was lost')
  }

  private receive(message: Buffer): void {
    let frame: RelayFrame
    try {
      frame = decode(message) as RelayFrame
    } catch {
      return
    }
    if (typeof frame !== 'object' || frame === null) return
    this.metrics.received++
    const now = Date.now()
    if (frame.t === 'hb') {
      for (const [sid, n] of frame.s) {
        const link = this.links.get(sid)
        if (!link || link.peer !== frame.from) {
          // The other side holds a session this one forgot: end it there.
          this.pub
            .publish(
              channelOf(frame.from),
              Buffer.from(encode({ t: 'close', sid, code: 1012, reason: 'unknown session' })),
            )
            .catch(() => undefined)
          continue
        }
        link.lastHeard = now
        if (n > link.heard) link.lost(`relay gap: frames ${link.heard + 1}…${n} never arrived`)
      }
      return
    }
    if (frame.t === 'open') {
      const link = new RelayLink(this, frame.sid, frame.from)
      this.links.set(frame.sid, link)
      this.onOpen(frame, link)
      return
    }
    const link = this.links.get(frame.sid)
    if (!link) return
    if (frame.t === 'close') {
      this.forget(link)
      link.onClose(frame.code, frame.reason, frame.final ?? false)
      return
    }
    if (frame.n !== link.heard + 1) return link.lost(`relay gap: frame ${frame.n} after ${link.heard}`)
    link.heard = frame.n
    link.lastHeard = now
    link.onFrame(frame.ev, frame.data, frame.ack)
  }

  /** Silent sessions end; once a second, heartbeats to every process we share sessions with. */
  private tick(beat: boolean): void {
    const now = Date.now()
    const byPeer = new Map<string, Array<[string, number]>>()
    for (const link of [...this.links.values()]) {
      if (now - link.lastHeard > RELAY_LOST_MS) {
        link.lost(`no relay heartbeat for ${now - link.lastHeard} ms`)
        continue
      }
      if (!beat) continue
      let list = byPeer.get(link.peer)
      if (!list) byPeer.set(link.peer, (list = []))
      list.push([link.sid, link.sent])
    }
    for (const [peer, s] of byPeer) {
      this.metrics.published++
      this.pub.publish(channelOf(peer), Buffer.from(encode({ t: 'hb', from: this.incarnation, s }))).then(
        (listeners) => {
          if (listeners > 0) return
          for (const [sid] of s) this.links.get(sid)?.lost('the other process no longer listens')
        },
        () => undefined, // a missing heartbeat is noticed by the other side
      )
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    for (const link of [...this.links.values()]) link.close(1012, 'The server is restarting.')
    this.sub.disconnect()
    await this.pub.quit().catch(() => this.pub.disconnect())
  }
}
