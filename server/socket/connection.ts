import type { ExtendedError } from 'socket.io'
import { authenticate } from '../reviews/reviewService'
import { handleSync } from '../rooms/docSync'
import { runCommand } from '../rooms/commands'
import type { Room } from '../rooms/room'
import type { RoomRegistry } from '../rooms/roomRegistry'
import type { RoomDeps } from '../rooms/deps'
import { originAllowed } from './origin'
import type { AppServer, AppSocket } from './types'
import { toBytes } from '../rooms/docSync'

const unauthorized = (): ExtendedError => new Error('unauthorized')

/** Several processes (server/cluster/remote.ts): sockets whose review another process owns. */
export interface SocketRelay {
  /** The owning process when `error` (loading the room) says another one owns the review. */
  ownerIn(error: unknown): string | null
  /**
   * True when `error` says this process serves no review now (draining, fenced): the socket is
   * accepted and its transport closed at once, so the client retries by itself — a handshake
   * error would leave a Socket.IO client disconnected for good.
   */
  bounces(error: unknown): boolean
  relaySocket(socket: AppSocket, owner: string, token: string): void
}

/**
 * The Socket.IO side: a handshake middleware (origin, then token → participant, loading the
 * room), then one review room per socket with `yjs:sync`, `yjs:awareness` and `command`.
 */
export function setupSockets(io: AppServer, deps: RoomDeps, rooms: RoomRegistry, relay?: SocketRelay): void {
  const pins = new Map<string, () => void>()
  const relayed = new Map<string, { owner: string; token: string }>()
  io.use(async (socket, next) => {
    try {
      if (!originAllowed(socket.handshake.headers.origin, deps.publicUrl()))
        return next(new Error('origin not allowed'))
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
      if (typeof token !== 'string' || token.length > 200) return next(unauthorized())
      const who = await authenticate(deps.store, token)
      if (!who) return next(unauthorized())
      let room: Room | null
      try {
        room = await rooms.get(who.reviewId)
      } catch (e) {
        const owner = relay?.ownerIn(e) ?? (relay?.bounces(e) ? '' : null)
        if (owner === null) throw e
        // Another process owns the review: this socket becomes a session relayed there; the
        // owner checks the token again and applies every rule (server/cluster). No owner: bounced.
        const id = socket.id
        relayed.set(id, { owner, token })
        setTimeout(() => relayed.delete(id), 10_000).unref()
        socket.data.reviewId = who.reviewId
        socket.data.participantId = who.participantId
        return next()
      }
      const me = room?.state.participants[who.participantId]
      if (!room || !me || me.removed) return next(unauthorized())
      // Pins the room until the connection is attached; released by a timer if it never is.
      room.pendingConnects++
      let released = false
      const release = () => {
        if (!released) room.pendingConnects--
        released = true
      }
      // The timer holds the id, not the socket: a socket gone meanwhile is not kept alive (P8).
      const id = socket.id
      const timer = setTimeout(() => {
        release()
        pins.delete(id)
      }, 10_000)
      timer.unref()
      pins.set(id, () => {
        clearTimeout(timer)
        release()
      })
      socket.data.reviewId = who.reviewId
      socket.data.participantId = who.participantId
      socket.data.room = room
      next()
    } catch (e) {
      deps.logger.error({ err: e }, 'handshake failed')
      next(new Error('unavailable'))
    }
  })

  io.on('connection', (socket) => {
    // The handshake's headers and address are copied already; the first HTTP request (and what
    // hangs off it) is not needed for the life of the connection (memory per connection, P7).
    ;(socket.conn as unknown as { request: unknown }).request = null
    const remote = relayed.get(socket.id)
    if (remote && relay) {
      relayed.delete(socket.id)
      if (!remote.owner) return void socket.conn.close()
      return relay.relaySocket(socket, remote.owner, remote.token)
    }
    const room = socket.data.room!
    pins.get(socket.id)?.()
    pins.delete(socket.id)
    attach(room, socket, rooms)
  })
}

function attach(room: Room, socket: AppSocket, rooms: RoomRegistry): void {
  const ackOf = (ack: unknown) => (typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {})

  socket.on('yjs:sync', (msg, ack) => {
    const reply = ackOf(ack)
    handleSync(room, socket, msg, reply).catch((e: unknown) => {
      room.deps.logger.error({ err: e, review: room.id }, 'sync failed')
      reply({
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'The server could not handle this change.' },
      })
    })
  })

  socket.on('yjs:awareness', (msg) => {
    const bytes = toBytes(msg)
    if (bytes) room.presence.receive(socket, bytes)
  })

  socket.on('command', (cmd, ack) => {
    const reply = ackOf(ack)
    runCommand(room, socket.data.participantId, cmd, reply).catch((e: unknown) => {
      room.deps.logger.error({ err: e, review: room.id }, 'command failed')
      reply({
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'The server could not handle this command.' },
      })
    })
  })

  socket.on('disconnect', () => {
    room.presence.leave(socket)
    room.detach(socket)
    if (room.connections() === 0) rooms.scheduleUnload(room)
  })

  room.attach(socket)
  room.presence.sendAll(socket)
}
