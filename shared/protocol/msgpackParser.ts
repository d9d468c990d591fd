import { Emitter } from '@socket.io/component-emitter'
import { decode, Encoder as MsgpackEncoder, ExtensionCodec } from '@msgpack/msgpack'

/**
 * A Socket.IO parser with the wire of `socket.io-msgpack-parser` (each packet is one msgpack map
 * `{type, data, nsp, id}`, binary as msgpack `bin`) that keeps every byte exact, on both sides.
 *
 * Why not the published package (TOOLCHAIN.md, msgpack trap): it encodes a Uint8Array view with
 * its whole backing buffer (a data leak with pooled buffers), sends non-Buffer binary as ext 0,
 * and cannot encode a browser Uint8Array at all. Here every ArrayBufferView goes out as exactly
 * its bytes, an ArrayBuffer as its bytes, and every `bin` arrives as a Uint8Array copied out of
 * the frame, so the frame is never retained. Pure: no Buffer or DOM globals.
 *
 * Interop: frames from `socket.io-msgpack-parser` (notepack.io) decode too. notepack writes
 * `undefined` as fixext 1 of type 0 and ArrayBuffers as ext 0; both are understood.
 */

export const protocol = 5

export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
} as const

export interface Packet {
  type: number
  nsp: string
  data?: unknown
  id?: number
}

/** Deep enough for any payload of ours; a hostile frame nested deeper is refused. */
const MAX_DEPTH = 100

/** A plain Uint8Array copy. Never `.slice()`: on a Node Buffer it returns a view, not a copy. */
function copyBytes(view: Uint8Array): Uint8Array {
  const out = new Uint8Array(view.byteLength)
  out.set(view)
  return out
}

const extensionCodec = new ExtensionCodec()
// notepack.io: fixext 1 type 0 is `undefined`, other ext 0 payloads are ArrayBuffers.
extensionCodec.register({
  type: 0,
  encode: () => null,
  decode: (data: Uint8Array) => (data.byteLength === 1 && data[0] === 0 ? undefined : copyBytes(data)),
})

const encoder = new MsgpackEncoder({ ignoreUndefined: true, extensionCodec })

/**
 * Replaces ArrayBuffers (which msgpack would write as an empty map) by byte views, copying
 * only the containers on the way to one. Views are left alone: the encoder writes exactly
 * their `byteOffset`/`byteLength` window.
 */
function prepare(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > MAX_DEPTH) throw new Error('Packet too deeply nested')
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (ArrayBuffer.isView(value)) return value
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const next = prepare(value[i], depth + 1)
      if (next !== value[i]) (out ??= value.slice())[i] = next
    }
    return out ?? value
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return prepare((value as { toJSON: () => unknown }).toJSON(), depth + 1)
  }
  let out: Record<string, unknown> | undefined
  for (const [key, item] of Object.entries(value)) {
    const next = prepare(item, depth + 1)
    if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = next
  }
  return out ?? value
}

/** Copies every decoded `bin` out of the frame, so keeping a payload never keeps the frame. */
function detach(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > MAX_DEPTH) throw new Error('Packet too deeply nested')
  if (value instanceof Uint8Array) return copyBytes(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detach(value[i], depth + 1)
    return value
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) record[key] = detach(record[key], depth + 1)
  return value
}

export class Encoder {
  /** One frame per packet, binary included; the returned bytes own their buffer exactly. */
  encode(packet: Packet): Uint8Array[] {
    return [encoder.encode(prepare(packet))]
  }
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const isObject = (v: unknown): boolean => Object.prototype.toString.call(v) === '[object Object]'

function isDataValid(packet: Packet): boolean {
  switch (packet.type) {
    case PacketType.CONNECT:
      return packet.data === undefined || isObject(packet.data)
    case PacketType.DISCONNECT:
      return packet.data === undefined
    case PacketType.CONNECT_ERROR:
      return typeof packet.data === 'string' || isObject(packet.data)
    default:
      return Array.isArray(packet.data)
  }
}

/** Throws on anything that is not a well-formed packet; Socket.IO then closes that connection. */
function checkPacket(decoded: unknown): Packet {
  if (!isObject(decoded)) throw new Error('invalid packet')
  const packet = decoded as Packet
  if (!isInteger(packet.type) || packet.type < PacketType.CONNECT || packet.type > PacketType.CONNECT_ERROR)
    throw new Error('invalid packet type')
  if (typeof packet.nsp !== 'string') throw new Error('invalid namespace')
  if (!isDataValid(packet)) throw new Error('invalid payload')
  if (packet.id !== undefined && packet.id !== null && !isInteger(packet.id))
    throw new Error('invalid packet id')
  // notepack-free senders may write a missing id as nil.
  if (packet.id === null) delete packet.id
  return packet
}

export class Decoder extends Emitter<
  Record<string, never>,
  Record<string, never>,
  { decoded: (p: Packet) => void }
> {
  add(frame: unknown): void {
    if (typeof frame === 'string') throw new Error('invalid packet: text frame')
    const bytes = frame instanceof ArrayBuffer || ArrayBuffer.isView(frame) ? frame : null
    if (!bytes) throw new Error('invalid packet: not binary')
    const packet = checkPacket(decode(bytes, { extensionCodec }))
    detach(packet.data)
    this.emitReserved('decoded', packet)
  }

  destroy(): void {}
}
