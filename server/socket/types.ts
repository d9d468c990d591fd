import type { Namespace, Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../shared/protocol/events'
import type { Room } from '../rooms/room'

/** Server-side data of a socket: who it is, and the room its middleware pinned. */
export interface ServerSocketData extends SocketData {
  room?: Room
}

export type AppServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  ServerSocketData
>
export type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  ServerSocketData
>
export type AppNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  ServerSocketData
>
