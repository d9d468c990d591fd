import type { WireError } from './errors'
import type { BoardEvent, BoardState } from './board'

/**
 * The Socket.IO wire (DESIGN §4), in one place. Public: outside clients rely on it, so it only
 * grows. Binary payloads are bare y-protocols messages (sync: step 1 = 0, step 2 = 1, update = 2).
 */
export const PROTOCOL_VERSION = 1

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError }

export interface ClientToServerEvents {
  'yjs:sync': (msg: Uint8Array, ack: (r: Ack) => void) => void
  'yjs:awareness': (msg: Uint8Array) => void
  /** Untrusted until `parseCommand` accepted it. */
  command: (cmd: unknown, ack: (r: Ack<{ seq: number; cardId?: string }>) => void) => void
}

export interface ServerToClientEvents {
  'yjs:sync': (msg: Uint8Array) => void
  'yjs:awareness': (msg: Uint8Array) => void
  'board:state': (state: BoardState) => void
  'board:event': (event: BoardEvent) => void
  /** Sent before the server closes a socket on purpose (removed, rotated, flooding). */
  'board:closed': (reason: WireError) => void
}

export interface SocketData {
  reviewId: string
  participantId: string
}
