import * as base from '../../shared/protocol/msgpackParser'

/**
 * The shared msgpack wire, with one addition on the server: a large binary event sent to many
 * sockets one by one — the cached full state every fresh joiner gets (P1, P2) — is encoded once.
 * Socket.IO encodes each `socket.emit` separately (only room broadcasts share an encoding);
 * for a 1.4 MB document and 200 joiners that was 200 copies into the encoder and out of it.
 * Keyed by the payload's identity: the room hands out one Uint8Array until the document changes.
 */
export const protocol = base.protocol
export const PacketType = base.PacketType
export const Decoder = base.Decoder
export type Packet = base.Packet

const LARGE = 64 * 1024
const frames = new WeakMap<Uint8Array, { event: unknown; nsp: string; frame: Uint8Array[] }>()

export class Encoder extends base.Encoder {
  override encode(packet: base.Packet): Uint8Array[] {
    const data = packet.data
    const cacheable =
      packet.type === base.PacketType.EVENT &&
      packet.id === undefined &&
      Array.isArray(data) &&
      data.length === 2 &&
      data[1] instanceof Uint8Array &&
      data[1].byteLength >= LARGE
    if (!cacheable) return super.encode(packet)
    const bytes = (data as [unknown, Uint8Array])[1]
    const hit = frames.get(bytes)
    if (hit && hit.event === data[0] && hit.nsp === packet.nsp) return hit.frame
    const frame = super.encode(packet)
    frames.set(bytes, { event: data[0], nsp: packet.nsp, frame })
    return frame
  }
}
