import * as decoding from 'lib0/decoding'
import type { Socket } from 'socket.io-client'
import * as Y from 'yjs'
import type { BoardState } from '../../../shared/protocol/board'
import type { WireError } from '../../../shared/protocol/errors'
import type { Ack } from '../../../shared/protocol/events'
import { wireSocket } from '../../integration/helpers/wireSocket'
import { syncMessage } from '../../integration/helpers/syncClient'

const REMOTE = Symbol('remote')
const RESET_CODES = new Set(['FORBIDDEN', 'PHASE_LOCKED', 'TOO_LARGE', 'INVALID', 'NOT_FOUND'])

/** Faults on the path between this client and the server (C1); all decided by `rand`. */
export interface NetworkFaults {
  rand: () => number
  drop: number
  duplicate: number
  /** Held messages go out later, shuffled: reordering. */
  hold: number
}

/**
 * A real client that behaves like the app's provider (client/src/lib/socketYjsProvider.ts):
 * step 1 on connect, step 2 in answer to the server's step 1 (carrying offline edits), one
 * update per local change while connected, and a rebuild from the server state after a refusal.
 * It also remembers which of its markers a `{ok: true}` ack confirmed as saved, and can put
 * faults on its own network path.
 */
export class FaultClient {
  doc = new Y.Doc()
  readonly socket: Socket
  board: BoardState | null = null
  readonly refusals: WireError[] = []
  readonly closedWith: WireError[] = []
  /** Markers confirmed saved by an ok ack. */
  readonly acked = new Set<string>()
  /** Every marker this client inserted, in order. */
  readonly markers: string[] = []
  faults: NetworkFaults | null = null
  /** Called right after an ok ack was recorded (R2 kills the server from here). */
  onAck?: () => void
  /** ms after which a refusal that retrying can fix is retried with the same bytes; 0 = never. */
  retryRefused = 200
  private held: Array<() => void> = []
  private rebuilding: Y.Doc | null = null
  private handshakes = 0
  /** Step 2 messages received (the first one means the initial sync is done). */
  synced = 0

  /**
   * How a refusal that retrying can fix is retried: 'each' sends the same bytes again after
   * `retryRefused` ms, every refused message on its own; 'resync' does what the app's provider
   * does, one retry at a time with a growing delay (a fresh handshake whose step 2 carries
   * everything), so a long store outage does not turn into a flood of retries the server must
   * refuse and finally disconnect.
   */
  readonly retry: 'each' | 'resync'
  private resyncTimer: ReturnType<typeof setTimeout> | null = null
  private resyncDelay = 0

  constructor(url: string, token: string, opts: { reconnect?: boolean; retry?: 'each' | 'resync' } = {}) {
    this.retry = opts.retry ?? 'each'
    this.socket = wireSocket(url, token, {
      reconnection: opts.reconnect ?? false,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      randomizationFactor: 0,
    })
    this.socket.on('connect', () => this.onConnect())
    this.socket.on('yjs:sync', (raw: Uint8Array) => this.incoming(() => this.receive(raw)))
    this.socket.on('board:state', (s: BoardState) => (this.board = s))
    this.socket.on('board:closed', (e: WireError) => this.closedWith.push(e))
    this.listen(this.doc)
  }

  get handshakeCount(): number {
    return this.handshakes
  }

  private listen(doc: Y.Doc): void {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.socket.connected) return
      const inThis = this.pendingMarkers.splice(0)
      this.send(syncMessage(2, update), inThis)
    })
  }

  private pendingMarkers: string[] = []

  /**
   * Inserts a unique marker at the end of the text 't', or with `rand` between two markers (never
   * inside one, so each marker stays findable as one string). Markers end with `}` or `>`.
   */
  insert(marker: string, rand?: () => number): void {
    const t = this.doc.getText('t')
    let at = t.length
    if (rand) {
      const text = t.toString()
      const bounds = [0]
      for (let i = 0; i < text.length; i++) if (text[i] === '}' || text[i] === '>') bounds.push(i + 1)
      at = bounds[Math.floor(rand() * bounds.length)]!
    }
    this.markers.push(marker)
    this.pendingMarkers.push(marker)
    t.insert(at, marker)
    this.pendingMarkers = []
  }

  text(): string {
    return this.doc.getText('t').toString()
  }

  private onConnect(): void {
    this.handshakes++
    this.send(syncMessage(0, Y.encodeStateVector(this.rebuilding ?? this.doc)), [])
  }

  private receive(raw: Uint8Array): void {
    const dec = decoding.createDecoder(new Uint8Array(raw))
    const type = decoding.readVarUint(dec)
    const payload = decoding.readVarUint8Array(dec)
    if (type === 0) {
      // Everything inserted so far is in this answer: its ok ack confirms all of it.
      const text = this.text()
      const present = this.markers.filter((m) => text.includes(m))
      this.send(syncMessage(1, Y.encodeStateAsUpdate(this.doc, payload)), present)
      return
    }
    if (type === 1 && this.rebuilding) {
      Y.applyUpdate(this.rebuilding, payload, REMOTE)
      this.doc.destroy()
      this.doc = this.rebuilding
      this.rebuilding = null
      this.listen(this.doc)
      return
    }
    Y.applyUpdate(this.doc, payload, REMOTE)
    if (type === 1) this.synced++
  }

  private send(msg: Uint8Array, markers: string[]): void {
    const emit = () =>
      this.socket.emit('yjs:sync', Buffer.from(msg), (ack: Ack) => {
        if (ack.ok) {
          for (const m of markers) this.acked.add(m)
          if (markers.length > 0) this.resyncDelay = 0
          this.onAck?.()
        } else {
          this.refusals.push(ack.error)
          if (RESET_CODES.has(ack.error.code)) this.startRebuild()
          else if (this.retry === 'resync') this.scheduleResync()
          // UNAVAILABLE, RATE_LIMITED: the app says "not saved" and sends the same bytes again.
          else if (this.retryRefused)
            setTimeout(() => this.socket.connected && this.send(msg, markers), this.retryRefused)
        }
      })
    this.outgoing(emit)
  }

  /** One retry pending at most; its delay doubles (up to 2 s) until an ack confirms markers. */
  private scheduleResync(): void {
    if (this.resyncTimer || !this.retryRefused) return
    this.resyncDelay = Math.min(Math.max(this.retryRefused, this.resyncDelay * 2), 2_000)
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null
      if (this.socket.connected) this.resync()
    }, this.resyncDelay)
  }

  private startRebuild(): void {
    if (this.rebuilding) return
    this.rebuilding = new Y.Doc()
    this.socket.emit('yjs:sync', Buffer.from(syncMessage(0, Y.encodeStateVector(this.rebuilding))), () => {})
  }

  private outgoing(send: () => void): void {
    const f = this.faults
    if (!f) return send()
    const r = f.rand()
    if (r < f.drop) return
    if (r < f.drop + f.hold) return void this.held.push(send)
    send()
    if (f.rand() < f.duplicate) send()
  }

  private incoming(deliver: () => void): void {
    const f = this.faults
    if (!f) return deliver()
    const r = f.rand()
    if (r < f.drop) return
    if (r < f.drop + f.hold) return void this.held.push(deliver)
    deliver()
    if (f.rand() < f.duplicate) deliver()
  }

  /** Lets held messages through, in a shuffled order. */
  releaseHeld(rand: () => number): void {
    const held = this.held.splice(0)
    for (let i = held.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[held[i], held[j]] = [held[j]!, held[i]!]
    }
    for (const h of held) h()
  }

  /** A command, retried with the same commandId until it gets an answer (as the app does). */
  async command(cmd: { commandId: string } & Record<string, unknown>, tries = 50): Promise<Ack> {
    for (let i = 0; ; i++) {
      try {
        return await this.socket.timeout(2_000).emitWithAck('command', cmd)
      } catch (e) {
        if (i >= tries) throw e
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  }

  /** A fresh handshake on the current connection: what healing after faults does. */
  resync(): void {
    this.onConnect()
  }

  close(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer)
    this.socket.close()
    this.doc.destroy()
    this.rebuilding?.destroy()
  }
}
