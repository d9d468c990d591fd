import { io, type Socket } from 'socket.io-client'
import { markRaw } from 'vue'
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/events'
import * as parser from '../../../shared/protocol/msgpackParser'
import { useConnectionStore } from '../stores/connection'

export type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Pauses before asking again after the server refused a handshake for a passing reason. */
const REFUSED_RETRY_FIRST_MS = 1000
const REFUSED_RETRY_MAX_MS = 8000

/**
 * Opens the board's socket: the msgpack wire with a parser that keeps bytes exact (TOOLCHAIN.md,
 * msgpack trap), the participant's token in the handshake. The socket is markRaw'd: it must never
 * become reactive. Connection changes are mirrored into the connection store.
 *
 * `review` in the query is only a routing hint for a proxy that hashes on the review id when
 * several processes run (docs/operations.md); the token alone decides what the socket may do.
 */
export function openSocket(token: string, reviewId: string): BoardSocket {
  const connection = useConnectionStore()
  connection.status = 'connecting'
  connection.fatal = null
  const socket: BoardSocket = markRaw(
    io({
      parser,
      auth: { token },
      query: { review: reviewId },
      transports: ['websocket'],
      reconnectionDelayMax: 4000,
    }),
  )
  let retryMs = REFUSED_RETRY_FIRST_MS
  let retry: ReturnType<typeof setTimeout> | null = null
  const disconnect = socket.disconnect.bind(socket)
  // Closing the board stops a pending retry too.
  socket.disconnect = () => {
    if (retry) clearTimeout(retry)
    retry = null
    return disconnect()
  }
  socket.on('connect', () => {
    connection.status = 'connected'
    retryMs = REFUSED_RETRY_FIRST_MS
  })
  socket.on('disconnect', (reason) => {
    // A server-side close is on purpose (removed, rotated): socket.io will not retry it.
    connection.status = reason === 'io server disconnect' ? 'offline' : 'reconnecting'
  })
  socket.on('connect_error', (e) => {
    if (e.message === 'unauthorized') {
      connection.fatal = 'This link or session is no longer valid.'
      connection.status = 'offline'
      socket.disconnect()
      return
    }
    connection.status = navigator.onLine ? 'reconnecting' : 'offline'
    // A handshake the server refused (its store unavailable, the process draining) is not retried
    // by socket.io itself: ask again after a pause that doubles, with jitter so a room's clients
    // do not all come back at once.
    if (socket.active || retry) return
    const wait = retryMs * (0.5 + Math.random())
    retryMs = Math.min(retryMs * 2, REFUSED_RETRY_MAX_MS)
    retry = setTimeout(() => {
      retry = null
      if (!socket.connected) socket.connect()
    }, wait)
  })
  return socket
}
