import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import * as msgpackParser from '../../../shared/protocol/msgpackParser'

/**
 * A bare Socket.IO client on our wire (msgpack, WebSocket only, a connection of its own, no
 * reconnection unless asked): what every test client and raw probe starts from. A token of
 * `undefined` sends none.
 */
export function wireSocket(
  url: string,
  token: unknown,
  opts: Partial<ManagerOptions & SocketOptions> = {},
): Socket {
  return io(url, {
    parser: msgpackParser,
    transports: ['websocket'],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
    ...opts,
  })
}

/** The socket once connected; rejects with the connect error. */
export function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

/** How a handshake ends: 'connected', or the connect error's message. The socket is closed after. */
export function handshake(url: string, token: unknown, origin?: string): Promise<string> {
  const socket = wireSocket(url, token, { extraHeaders: origin ? { origin } : {} })
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'))
    socket.once('connect_error', (e) => resolve(e.message))
  }).finally(() => socket.close())
}
