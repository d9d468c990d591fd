import type { WebSocket } from 'ws'
import type { Logger } from '../logger'
import { authenticate } from '../reviews/reviewService'
import { toBytes } from '../rooms/docSync'
import type { RoomRegistry } from '../rooms/roomRegistry'
import type { AppSocket } from '../socket/types'
import type { Store } from '../store/types'
import { KEEP_ALIVE } from '../ywebsocket/messages'
import { YjsSession, type SessionDeps, type SessionRequest } from '../ywebsocket/session'
import { NotOwnerError, NotServingError, type ClusterNode } from './cluster'
import { RELAY_HEARTBEAT_MS, type Relay, type RelayLink } from './relay'
import { RelayedSocketSession } from './relayedSession'

/** A quiet relayed y-websocket connection gets a frame this often (server/ywebsocket/door.ts). */
const KEEP_ALIVE_MS = 10_000
/** The owner has this long to answer an `open` before the landing gives up. */
const OPEN_TIMEOUT_MS = 3_000

/**
 * Both ends of relayed sessions (SCALEOUT §2.3), on top of the Redis relay (relay.ts):
 *
 * - landing: a Socket.IO socket or y-websocket connection for a review another live process
 *   owns is relayed there; its client's frames go to the owner, the owner's come back and are
 *   replayed on the socket. A lost relay closes the client's transport (Socket.IO: a transport
 *   close, so it reconnects by itself; y-websocket: 1012) and the client resyncs.
 * - owner: an `open` from a landing becomes a session in the room — RelayedSocketSession for
 *   Socket.IO, the y-websocket door's own YjsSession for y-websocket — after its token is
 *   checked here.
 */
export class RemoteSessions {
  private readonly relayed = new Set<RelayedSocketSession>()
  private readonly timer: NodeJS.Timeout
  private owner: { rooms: RoomRegistry; store: Store; sessionDeps: SessionDeps } | null = null

  constructor(
    readonly relay: Relay,
    private readonly cluster: ClusterNode,
    private readonly logger: Logger,
  ) {
    relay.onOpen = (frame, link) => {
      const o = this.owner
      if (!o || cluster.fenced) return link.close(1013, 'not serving')
      if (frame.transport === 'sio') {
        const session = new RelayedSocketSession(
          { rooms: o.rooms, store: o.store, logger },
          link,
          frame.token,
        )
        this.relayed.add(session)
        const drop = () => this.relayed.delete(session)
        const { onClose, onLost } = link
        link.onClose = (...a) => (drop(), onClose(...a))
        link.onLost = (r) => (drop(), onLost(r))
        void session.start()
        return
      }
      this.runYjs(o.sessionDeps, frame, link)
    }
    this.timer = setInterval(() => {
      for (const s of this.relayed) s.refreshPresence()
    }, RELAY_HEARTBEAT_MS)
    this.timer.unref()
  }

  bind(owner: { rooms: RoomRegistry; store: Store; sessionDeps: SessionDeps }): void {
    this.owner = owner
  }

  /** The owner to relay to, if `error` (from loading a room) says another process owns it. */
  ownerIn(error: unknown): string | null {
    return error instanceof NotOwnerError && !this.cluster.fenced ? error.owner : null
  }

  bounces(error: unknown): boolean {
    return error instanceof NotServingError || (error instanceof NotOwnerError && this.cluster.fenced)
  }

  /**
   * For the y-websocket door, before the upgrade: the owner to relay to, or null to serve here
   * (this process owns it, or claims it now; unknown tokens are refused here, as ever).
   */
  async ownerFor(request: SessionRequest): Promise<string | null> {
    const o = this.owner
    if (!o || !request.token || !request.reviewId || !request.originAllowed || request.token.length > 200)
      return null
    try {
      const who = await authenticate(o.store, request.token)
      if (!who || who.reviewId !== request.reviewId) return null
      const claim = await this.cluster.owners.claim(who.reviewId)
      return claim.mine ? null : claim.owner
    } catch {
      return null // served here: the session answers a store failure itself
    }
  }

  // ── landing ─────────────────────────────────────────────────────────────────────────────────

  /** Runs a Socket.IO socket whose review `owner` owns as a relayed session. */
  relaySocket(socket: AppSocket, owner: string, token: string): void {
    const link = this.relay.open(owner, {
      transport: 'sio',
      token,
      reviewId: socket.data.reviewId ?? '',
      address: socket.handshake.address,
      originAllowed: true,
    })
    const acks = new Map<number, (r: unknown) => void>()
    let nextAck = 0
    let ready = false
    const opening = setTimeout(() => !ready && link.lost('the owner did not answer'), OPEN_TIMEOUT_MS)
    opening.unref()
    const bounce = (reason: string) => {
      clearTimeout(opening)
      this.logger.warn(
        { review: socket.data.reviewId, owner, reason },
        'relay lost: closing the client socket',
      )
      socket.conn.close()
    }
    link.onLost = bounce
    link.onClose = (code, reason, final) => {
      clearTimeout(opening)
      if (final) socket.disconnect(true)
      else bounce(reason ?? `closed (${code})`)
    }
    link.onFrame = (ev, data, ack) => {
      if (ev === 'ready') {
        ready = true
        clearTimeout(opening)
      } else if (ev === '$ack' && ack !== undefined) {
        acks.get(ack)?.(data)
        acks.delete(ack)
      } else if (ev === 'emit' && Array.isArray(data) && typeof data[0] === 'string') {
        ;(socket.emit as (e: string, p: unknown) => void)(data[0], data[1])
      }
    }
    const forward =
      (ev: string) =>
      (payload: unknown, ack?: unknown): void => {
        let id: number | undefined
        if (typeof ack === 'function') acks.set((id = ++nextAck), ack as (r: unknown) => void)
        const bytes = ev === 'cmd' ? null : toBytes(payload)
        link.send(ev, bytes ?? payload, id)
      }
    socket.on('yjs:sync', forward('sync'))
    socket.on('command', forward('cmd'))
    socket.on('yjs:awareness', forward('aware'))
    socket.on('disconnect', () => {
      clearTimeout(opening)
      link.close()
    })
  }

  /** Runs an accepted y-websocket connection whose review `owner` owns as a relayed session. */
  relayYjs(ws: WebSocket, request: SessionRequest, owner: string): void {
    const link = this.relay.open(owner, {
      transport: 'yws',
      token: request.token ?? '',
      reviewId: request.reviewId ?? '',
      address: request.address,
      originAllowed: request.originAllowed,
    })
    const end = (code: number, reason: string) => {
      if (ws.readyState === ws.OPEN) ws.close(code, reason.slice(0, 120))
      else ws.terminate()
    }
    link.onLost = (reason) => {
      this.logger.warn(
        { review: request.reviewId, owner, reason },
        'relay lost: closing the y-websocket client',
      )
      end(1012, 'The connection to the review moved; reconnect.')
    }
    link.onClose = (code, reason) => end(code ?? 1012, reason ?? '')
    let lastSent = Date.now()
    // y-websocket closes a connection that heard nothing for 30 s: the door's keep-alive, here.
    const keepAlive = setInterval(() => {
      if (Date.now() - lastSent < KEEP_ALIVE_MS || ws.readyState !== ws.OPEN) return
      lastSent = Date.now()
      ws.send(KEEP_ALIVE)
    }, KEEP_ALIVE_MS / 4)
    keepAlive.unref()
    link.onFrame = (ev, data) => {
      const bytes = toBytes(data)
      if (ev !== 'yws' || !bytes || ws.readyState !== ws.OPEN) return
      lastSent = Date.now()
      ws.send(bytes)
    }
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data
      link.send('yws', bytes)
    })
    ws.on('close', () => {
      clearInterval(keepAlive)
      link.close()
    })
    ws.on('error', () => undefined)
  }

  // ── owner ───────────────────────────────────────────────────────────────────────────────────

  private runYjs(
    deps: SessionDeps,
    frame: { token: string; reviewId: string; address: string; originAllowed: boolean },
    link: RelayLink,
  ): void {
    const session = new YjsSession(
      deps,
      {
        send: (f) => link.send('yws', f),
        close: (code, reason) => link.close(code, reason),
      },
      {
        reviewId: frame.reviewId,
        token: frame.token,
        address: frame.address,
        originAllowed: frame.originAllowed,
      },
    )
    link.onFrame = (ev, data) => {
      const bytes = toBytes(data)
      if (ev === 'yws' && bytes) session.receive(bytes)
    }
    link.onClose = () => session.closed()
    link.onLost = () => session.closed()
    void session.start()
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.relay.close()
  }
}
