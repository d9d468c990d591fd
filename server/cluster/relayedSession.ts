import { project } from '../../shared/domain/projection'
import type { BoardState } from '../../shared/protocol/board'
import { diffBoard } from '../../shared/protocol/patch'
import type { Logger } from '../logger'
import { authenticate } from '../reviews/reviewService'
import { runCommand } from '../rooms/commands'
import { handleSync, toBytes } from '../rooms/docSync'
import type { RoomPeer } from '../rooms/peer'
import type { Room } from '../rooms/room'
import type { RoomRegistry } from '../rooms/roomRegistry'
import type { AppSocket } from '../socket/types'
import type { Store } from '../store/types'
import type { RelayLink } from './relay'

export interface RelayedSessionDeps {
  rooms: RoomRegistry
  store: Store
  logger: Logger
}

/** Frames a landing may send before the owner has checked the token (as the y-websocket door). */
const EARLY_FRAMES = 64
const UNAVAILABLE = { code: 'UNAVAILABLE', message: 'The server could not handle this; try again.' } as const

/**
 * A Socket.IO client of another process, run here at the review's owner (SCALEOUT §2.3). The
 * owner checks the token itself — never the landing's word — and the session is a peer of the
 * room like a y-websocket connection: the room's rules (reading lock, roles, blind critique) run
 * here, in the one authority. It is sent its own projection only: `board:state`, then patches of
 * what changed in it (diffed here), command and sync acks, document updates and awareness.
 * The landing replays those as Socket.IO events on the client's socket (server/cluster/landing.ts).
 */
export class RelayedSocketSession implements RoomPeer {
  readonly kind = 'peer'
  readonly id: string
  participantId = ''
  private room: Room | null = null
  private view: BoardState | null = null
  private online = ''
  private open = false
  /** Frames that arrived while the token was being checked, answered once the session is open. */
  private early: Array<[string, unknown, number | undefined]> | null = []

  constructor(
    private readonly deps: RelayedSessionDeps,
    private readonly link: RelayLink,
    private readonly token: string,
  ) {
    this.id = `relay:${link.sid}`
    link.onFrame = (ev, data, ack) => this.receive(ev, data, ack)
    link.onClose = () => this.leave()
    link.onLost = () => this.leave()
  }

  async start(): Promise<void> {
    const { store, rooms, logger } = this.deps
    try {
      const who = this.token.length <= 200 ? await authenticate(store, this.token) : null
      if (!who) return this.link.close(4401, 'unauthorized', true)
      const room = await rooms.get(who.reviewId)
      const me = room?.state.participants[who.participantId]
      if (!room || !me || me.removed) return this.link.close(4401, 'unauthorized', true)
      if (this.link.done) return // the landing gave up meanwhile
      this.room = room
      this.participantId = who.participantId
      this.data.participantId = who.participantId
      this.data.reviewId = room.id
      this.open = true
      room.attachPeer(this)
      this.sendState()
      room.presence.sendAll(this)
      this.link.send('ready')
      const early = this.early ?? []
      this.early = null
      for (const [ev, data, ack] of early) this.receive(ev, data, ack)
    } catch (e) {
      // Not the owner any more (or the store failed): the client reconnects and is routed again.
      logger.info({ err: (e as Error).message }, 'relayed session refused')
      this.link.close(1013, 'try again')
    }
  }

  private receive(ev: string, data: unknown, ack: number | undefined): void {
    if (this.early) {
      if (this.early.length >= EARLY_FRAMES)
        return this.link.lost('too many frames before the session opened')
      this.early.push([ev, data, ack])
      return
    }
    const room = this.room
    if (!room || !this.open) return
    const reply = (r: unknown) => {
      if (ack !== undefined) this.link.send('$ack', r, ack)
    }
    if (ev === 'sync') {
      // handleSync reads `data.participantId` and `emit('yjs:sync', …)` of its member; `kind:
      // 'peer'` makes the room save this session's changes before fanning them out.
      handleSync(room, this.asMember(), data, reply).catch((e: unknown) => {
        this.deps.logger.error({ err: e, review: room.id }, 'relayed sync failed')
        reply({ ok: false, error: UNAVAILABLE })
      })
    } else if (ev === 'cmd') {
      runCommand(room, this.participantId, data, reply).catch((e: unknown) => {
        this.deps.logger.error({ err: e, review: room.id }, 'relayed command failed')
        reply({ ok: false, error: UNAVAILABLE })
      })
    } else if (ev === 'aware') {
      const bytes = toBytes(data)
      if (bytes) room.presence.receive(this, bytes)
    }
  }

  /** What docSync reads of a socket: who it is, and `emit('yjs:sync', …)` to answer it. */
  readonly data = { participantId: '', reviewId: '' }
  emit(event: string, payload: unknown): boolean {
    if (this.open) this.link.send('emit', [event, payload])
    return true
  }

  private asMember(): AppSocket {
    return this as unknown as AppSocket
  }

  private project(): BoardState | null {
    const room = this.room
    if (!room) return null
    const online = room.online()
    this.online = [...online].sort().join(',')
    return project(room.state, this.participantId, online)
  }

  private sendState(): void {
    this.view = this.project()
    if (this.view) this.emit('board:state', this.view)
  }

  // RoomPeer: what the room fans out.
  sendSync(message: Uint8Array): void {
    this.emit('yjs:sync', message)
  }

  sendAwareness(update: Uint8Array): void {
    this.emit('yjs:awareness', update)
  }

  stateChanged(type = 'events'): void {
    const room = this.room
    if (!room || !this.open) return
    const me = room.state.participants[this.participantId]
    if (!me || me.removed) {
      this.emit('board:closed', {
        code: 'UNAUTHORIZED',
        message: 'The facilitator removed you from this review.',
      })
      this.link.close(4403, 'removed', true)
      return this.leave()
    }
    const before = this.view
    const next = this.project()
    if (!before || !next) return this.sendState()
    this.view = next
    const patch = diffBoard(before, next)
    if (Object.keys(patch).length > 0)
      this.emit('board:event', { seq: room.state.seq, type, at: room.deps.clock(), patch })
  }

  /** Called once a second (with the relay heartbeat): who is online, when it changed. */
  refreshPresence(): void {
    const room = this.room
    if (!room || !this.open) return
    if ([...room.online()].sort().join(',') !== this.online) this.stateChanged('presence.changed')
  }

  shutdown(code: number, reason: string): void {
    this.link.close(code, reason)
    this.leave()
  }

  private leave(): void {
    if (!this.open) return
    this.open = false
    const room = this.room
    if (!room) return
    room.detachPeer(this)
    room.presence.leave(this)
    if (room.connections() === 0) this.deps.rooms.scheduleUnload(room)
  }
}
