import WebSocket from 'ws'
import { Encoder, PacketType } from '../../shared/protocol/msgpackParser'
import type { Address, Wire } from './wire'

/**
 * Hand-written on purpose (`socket.io-client` is the kept library, used by the product and by
 * the bench's reconnecting peers): a minimal Engine.IO v4 / Socket.IO v5 client over raw `ws`
 * for the bench's clients of our server, so that their cost per message is close to the
 * reference's clients (raw `ws` and one byte read). With `socket.io-client` the generator spent
 * ~1.6× the reference's CPU per delivery and saturated its core at N = 500 and in P5 (P15).
 *
 * What it does per incoming binary frame: walks the msgpack map `{type, data, nsp, id}` without
 * building objects; for an EVENT whose `data` is `['yjs:sync', <bin>]` it hands on a VIEW of
 * the `bin` inside the frame (no copy, no decode of anything else), and for an ACK it reads its
 * id and whether `data[0].ok` is true. Everything else (review state, presence) is skipped
 * unread. Text frames: the Engine.IO open packet (then the Socket.IO CONNECT with the token is
 * sent), pings (answered with a pong) and close. What it sends is
 * encoded with the project's msgpack parser, exactly as `socket.io-client` would send it.
 * Checked against `socket.io-client` (same events, same bytes) by test/integration/lightWire.test.ts.
 * Only the WebSocket transport, only the default namespace; no reconnection.
 */

const encoder = new Encoder()

/** A cursor over one msgpack frame; each read throws past the end (a malformed frame). */
class Reader {
  pos = 0
  constructor(readonly b: Uint8Array) {}

  private need(n: number): void {
    if (this.pos + n > this.b.byteLength) throw new Error('msgpack: truncated frame')
  }
  private u8(): number {
    this.need(1)
    return this.b[this.pos++] as number
  }
  private uint(bytes: number): number {
    this.need(bytes)
    let v = 0
    for (let i = 0; i < bytes; i++) v = v * 256 + (this.b[this.pos++] as number)
    return v
  }

  /** Length of a map header at the cursor, or -1 if it is not a map. */
  mapLength(): number {
    const t = this.u8()
    if (t >= 0x80 && t <= 0x8f) return t & 0x0f
    if (t === 0xde) return this.uint(2)
    if (t === 0xdf) return this.uint(4)
    this.pos--
    return -1
  }

  arrayLength(): number {
    const t = this.u8()
    if (t >= 0x90 && t <= 0x9f) return t & 0x0f
    if (t === 0xdc) return this.uint(2)
    if (t === 0xdd) return this.uint(4)
    this.pos--
    return -1
  }

  /** A string's byte range at the cursor (advancing past it), or null if it is not a string. */
  strRange(): [number, number] | null {
    const t = this.u8()
    let len: number
    if (t >= 0xa0 && t <= 0xbf) len = t & 0x1f
    else if (t === 0xd9) len = this.uint(1)
    else if (t === 0xda) len = this.uint(2)
    else if (t === 0xdb) len = this.uint(4)
    else {
      this.pos--
      return null
    }
    this.need(len)
    const start = this.pos
    this.pos += len
    return [start, len]
  }

  /** Whether the string at `range` is exactly `ascii`. */
  equals(range: [number, number] | null, ascii: string): boolean {
    if (!range || range[1] !== ascii.length) return false
    for (let i = 0; i < ascii.length; i++) if (this.b[range[0] + i] !== ascii.charCodeAt(i)) return false
    return true
  }

  /** A small non-negative or negative integer at the cursor, or NaN for anything else (skipped). */
  int(): number {
    const t = this.u8()
    if (t <= 0x7f) return t
    if (t >= 0xe0) return t - 0x100
    if (t === 0xcc) return this.uint(1)
    if (t === 0xcd) return this.uint(2)
    if (t === 0xce) return this.uint(4)
    this.pos--
    this.skip()
    return Number.NaN
  }

  /** A `bin` at the cursor as a view into the frame, or null if it is not a bin. */
  bin(): Uint8Array | null {
    const t = this.u8()
    let len: number
    if (t === 0xc4) len = this.uint(1)
    else if (t === 0xc5) len = this.uint(2)
    else if (t === 0xc6) len = this.uint(4)
    else {
      this.pos--
      return null
    }
    this.need(len)
    const view = this.b.subarray(this.pos, this.pos + len)
    this.pos += len
    return view
  }

  /** Whether the value at the cursor is a map whose `ok` is `true` (the value is consumed). */
  okField(): boolean {
    const n = this.mapLength()
    if (n < 0) {
      this.skip()
      return false
    }
    let ok = false
    for (let i = 0; i < n; i++) {
      const key = this.strRange()
      if (this.equals(key, 'ok') && this.b[this.pos] === 0xc3) ok = true
      this.skip()
    }
    return ok
  }

  /** Skips one value of any type. */
  skip(): void {
    const t = this.u8()
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return
    if (t >= 0x80 && t <= 0x8f) return this.skipN((t & 0x0f) * 2)
    if (t >= 0x90 && t <= 0x9f) return this.skipN(t & 0x0f)
    if (t >= 0xa0 && t <= 0xbf) return this.advance(t & 0x1f)
    switch (t) {
      case 0xc4:
      case 0xd9:
        return this.advance(this.uint(1))
      case 0xc5:
      case 0xda:
        return this.advance(this.uint(2))
      case 0xc6:
      case 0xdb:
        return this.advance(this.uint(4))
      case 0xc7:
        return this.advance(this.uint(1) + 1)
      case 0xc8:
        return this.advance(this.uint(2) + 1)
      case 0xc9:
        return this.advance(this.uint(4) + 1)
      case 0xcc:
      case 0xd0:
        return this.advance(1)
      case 0xcd:
      case 0xd1:
        return this.advance(2)
      case 0xce:
      case 0xd2:
      case 0xca:
        return this.advance(4)
      case 0xcf:
      case 0xd3:
      case 0xcb:
        return this.advance(8)
      case 0xd4:
        return this.advance(2)
      case 0xd5:
        return this.advance(3)
      case 0xd6:
        return this.advance(5)
      case 0xd7:
        return this.advance(9)
      case 0xd8:
        return this.advance(17)
      case 0xdc:
        return this.skipN(this.uint(2))
      case 0xdd:
        return this.skipN(this.uint(4))
      case 0xde:
        return this.skipN(this.uint(2) * 2)
      case 0xdf:
        return this.skipN(this.uint(4) * 2)
      default:
        throw new Error(`msgpack: unknown type 0x${t.toString(16)}`)
    }
  }
  private advance(n: number): void {
    this.need(n)
    this.pos += n
  }
  private skipN(n: number): void {
    for (let i = 0; i < n; i++) this.skip()
  }
}

/** What one Socket.IO frame from the server carries, as far as an observer cares. */
export type Incoming =
  | { kind: 'sync'; bytes: Uint8Array }
  | { kind: 'ack'; id: number; ok: boolean }
  | { kind: 'connect' }
  | { kind: 'connect_error' }
  | { kind: 'disconnect' }
  | { kind: 'other' }

/** Reads one binary Socket.IO packet (msgpack wire) without building it. */
export function readPacket(frame: Uint8Array): Incoming {
  const r = new Reader(frame)
  const n = r.mapLength()
  if (n < 0) throw new Error('msgpack: a packet must be a map')
  let type = Number.NaN
  let dataAt = -1
  let id = Number.NaN
  for (let i = 0; i < n; i++) {
    const key = r.strRange()
    if (!key) throw new Error('msgpack: packet keys are strings')
    if (r.equals(key, 'type')) type = r.int()
    else if (r.equals(key, 'id')) id = r.int()
    else {
      if (r.equals(key, 'data')) dataAt = r.pos
      r.skip()
    }
  }
  switch (type) {
    case PacketType.CONNECT:
      return { kind: 'connect' }
    case PacketType.CONNECT_ERROR:
      return { kind: 'connect_error' }
    case PacketType.DISCONNECT:
      return { kind: 'disconnect' }
    case PacketType.EVENT: {
      if (dataAt < 0) return { kind: 'other' }
      r.pos = dataAt
      if (r.arrayLength() < 2 || !r.equals(r.strRange(), 'yjs:sync')) return { kind: 'other' }
      const bytes = r.bin()
      return bytes ? { kind: 'sync', bytes } : { kind: 'other' }
    }
    case PacketType.ACK: {
      if (dataAt < 0 || Number.isNaN(id)) return { kind: 'other' }
      r.pos = dataAt
      return { kind: 'ack', id, ok: r.arrayLength() >= 1 && r.okField() }
    }
    default:
      return { kind: 'other' }
  }
}

/**
 * One connection to our server over raw `ws`, the same `Wire` shape as `socket.io-client`'s.
 * Sync messages are sent with an ack id (as `emit(…, callback)`); an ack runs the sender's
 * `onAck` with whether it said ok.
 */
export function connectLight(
  addr: Address,
  timeoutMs: number,
  inbox: { push: (msg: Uint8Array) => void; listen: (fn: (msg: Uint8Array) => void) => void },
): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const url = `${addr.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`
    const ws = new WebSocket(url, { perMessageDeflate: false })
    ws.binaryType = 'nodebuffer'
    let nextId = 0
    let settled = false
    const acks = new Map<number, (ok: boolean) => void>()
    const send = (event: string, msg: Uint8Array, withAck: boolean, onAck?: (ok: boolean) => void) => {
      if (ws.readyState !== WebSocket.OPEN) return
      const id = withAck ? nextId++ : -1
      if (onAck) acks.set(id, onAck)
      const packet = {
        type: PacketType.EVENT,
        nsp: '/',
        data: [event, msg],
        ...(withAck ? { id } : {}),
      }
      for (const frame of encoder.encode(packet)) ws.send(frame)
    }
    const wire: Wire = {
      kind: 'ours',
      listen: inbox.listen,
      onClose: () => {},
      sendSync: (msg, onAck) => send('yjs:sync', msg, true, onAck),
      sendAwareness: (msg) => send('yjs:awareness', msg, false),
      close: () => ws.close(),
    }
    const fail = (err: Error) => {
      clearTimeout(timer)
      if (settled) return
      settled = true
      ws.terminate()
      reject(err)
    }
    const timer = setTimeout(() => fail(new Error('light wire: connect timeout')), timeoutMs)
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        const text = data.toString()
        if (text === '2') ws.send('3')
        else if (text.startsWith('0')) {
          for (const frame of encoder.encode({
            type: PacketType.CONNECT,
            nsp: '/',
            data: { token: addr.token },
          }))
            ws.send(frame)
        } else if (text === '1') ws.close()
        return
      }
      const packet = readPacket(data)
      if (packet.kind === 'sync') inbox.push(packet.bytes)
      else if (packet.kind === 'ack') {
        const onAck = acks.get(packet.id)
        acks.delete(packet.id)
        onAck?.(packet.ok)
      } else if (packet.kind === 'connect' && !settled) {
        settled = true
        clearTimeout(timer)
        resolve(wire)
      } else if (packet.kind === 'connect_error') fail(new Error('light wire: connect_error'))
      else if (packet.kind === 'disconnect') ws.close()
    })
    ws.once('error', (err) => fail(err))
    ws.once('close', () => {
      if (!settled) fail(new Error('light wire: closed before connecting'))
      else wire.onClose()
    })
  })
}
