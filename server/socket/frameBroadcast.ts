import { Encoder, PacketType } from './cachingParser'
import type { AppNamespace, AppSocket } from './types'

/**
 * A binary event to every socket of a room, written as ONE pre-built WebSocket frame (P4, P14).
 *
 * Why not `to(room).emit` for document updates: Socket.IO encodes the packet once, but then runs,
 * per recipient, Engine.IO's packet machinery (a packet object, `packetCreate` / `flush` / `drain`
 * events, the write buffer and its callbacks) and `ws`'s framing (a header and a two-buffer
 * `writev`) — about 1.4× the server CPU per delivery of plain `ws` at N = 500. Engine.IO already
 * skips the framing for text broadcasts (`wsPreEncodedFrame`), not for binary ones. Here the
 * Socket.IO packet is msgpack-encoded once (the same bytes `emit` would send), framed once, and
 * each recipient gets one `write` of that shared buffer on its WebSocket.
 *
 * Order is kept: a socket takes the direct write only when Engine.IO holds nothing for it
 * (its write buffer is empty: everything sent before was handed to the socket already) on an
 * open WebSocket transport without compression; otherwise — polling, an upgrade under way,
 * packets queued — the frame goes through Engine.IO like any other packet, behind them.
 * Membership is the adapter's room, exactly who `to(room)` reaches.
 */

const encoder = new Encoder()

/** What this module reads of Engine.IO's and ws's internals (socket.io 4.8 / engine.io 6 / ws 8). */
interface EngineConn {
  readyState: string
  upgrading: boolean
  writeBuffer: unknown[]
  transport: {
    name: string
    perMessageDeflate?: unknown
    socket?: { readyState: number; _sender?: { sendFrame?: (list: Uint8Array[], cb?: () => void) => void } }
  }
  write(data: Uint8Array, opts: object): void
}

/** One unmasked, final, binary WebSocket frame (RFC 6455 §5.2) around `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const len = payload.byteLength
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + len)
  frame[0] = 0x82
  if (len < 126) frame[1] = len
  else if (len < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(len, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(len / 2 ** 32), 2)
    frame.writeUInt32BE(len >>> 0, 6)
  }
  frame.set(payload, head)
  return frame
}

/** Counters for tests: deliveries written directly and through Engine.IO. */
export const fanoutCounts = { direct: 0, queued: 0 }

export function broadcastBinary(
  nsp: AppNamespace,
  room: string,
  except: AppSocket | null,
  event: string,
  bytes: Uint8Array,
): void {
  const ids = nsp.adapter.rooms.get(room)
  if (!ids || ids.size === 0) return
  const [packet] = encoder.encode({ type: PacketType.EVENT, data: [event, bytes], nsp: nsp.name })
  if (!packet) return
  let frame: Buffer | null = null
  for (const id of ids) {
    if (except && id === except.id) continue
    const socket = nsp.sockets.get(id)
    if (!socket) continue
    const conn = socket.conn as unknown as EngineConn
    if (conn.readyState !== 'open') continue
    const sender = conn.transport.socket?._sender
    if (
      conn.transport.name === 'websocket' &&
      conn.transport.socket?.readyState === 1 &&
      !conn.upgrading &&
      conn.writeBuffer.length === 0 &&
      !conn.transport.perMessageDeflate &&
      typeof sender?.sendFrame === 'function'
    ) {
      frame ??= binaryFrame(packet)
      sender.sendFrame([frame])
      fanoutCounts.direct++
    } else {
      conn.write(packet, { preEncoded: true })
      fanoutCounts.queued++
    }
  }
}
