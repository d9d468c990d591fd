import type { AppSocket } from '../socket/types'

/**
 * A connection in a room that is not a Socket.IO socket: a y-websocket client through the second
 * door (server/ywebsocket), later a session relayed from another process. The room fans document
 * changes and awareness out to it as to its sockets, and counts it online for presence.
 */
export interface RoomPeer {
  readonly kind: 'peer'
  readonly id: string
  readonly participantId: string
  /** A y-protocols sync message (step 2 or update), the bytes Socket.IO clients get as `yjs:sync`. */
  sendSync(message: Uint8Array): void
  /** A y-protocols awareness update, the bytes Socket.IO clients get as `yjs:awareness`. */
  sendAwareness(update: Uint8Array): void
  /** Events were folded into the review state: roles, removal and phase may have changed. */
  stateChanged(): void
  /** Ends the connection now (WebSocket close code): the room is going away (server/cluster). */
  shutdown?(code: number, reason: string): void
}

/** Who sent something into a room. */
export type RoomMember = AppSocket | RoomPeer

export const isPeer = (member: unknown): member is RoomPeer =>
  typeof member === 'object' && member !== null && (member as { kind?: unknown }).kind === 'peer'
