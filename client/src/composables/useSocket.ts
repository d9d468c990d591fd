import { io, type Socket } from 'socket.io-client'
import { markRaw } from 'vue'
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/events'
import * as parser from '../../../shared/protocol/msgpackParser'
import { useConnectionStore } from '../stores/connection'

export type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * Opens the board's socket: the msgpack wire with a parser that keeps bytes exact (TOOLCHAIN.md,
 * msgpack trap), the participant's token in the handshake. The socket is markRaw'd: it must never
 * become reactive. Connection changes are mirrored into the connection store.
 */
export function openSocket(token: string): BoardSocket {
  const connection = useConnectionStore()
  connection.status = 'connecting'
  connection.fatal = null
  const socket: BoardSocket = markRaw(
    io({
      parser,
      auth: { token },
      transports: ['websocket'],
      reconnectionDelayMax: 4000,
    }),
  )
  socket.on('connect', () => {
    connection.status = 'connected'
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
  })
  return socket
}
