import WebSocket from 'ws'
import { io, type Socket } from 'socket.io-client'
import * as parser from '../../shared/protocol/msgpackParser'
import type { Kind } from './servers'
import { connectLight } from './lightWire'

/**
 * One connection to a room, the same shape for both servers, so the Yjs client logic above it is
 * identical: bare y-protocols sync messages in and out.
 * - ours: Socket.IO with the msgpack wire, events `yjs:sync` (acked after the write committed)
 *   and `yjs:awareness`;
 * - baseline: plain `ws`, y-websocket framing (an outer varuint: 0 = sync, 1 = awareness).
 */
export interface Wire {
  kind: Kind
  /** `onAck` runs when the server acknowledged (ours); the baseline has no acks. */
  sendSync(msg: Uint8Array, onAck?: (ok: boolean) => void): void
  sendAwareness(msg: Uint8Array): void
  /** Sets the handler for incoming sync messages; messages that arrived before it are replayed. */
  listen(fn: (msg: Uint8Array) => void): void
  onClose: () => void
  close(): void
}

export interface Address {
  kind: Kind
  url: string
  /** Baseline: the document name (URL path). Ours: unused, the token says which review. */
  room: string
  token?: string
}

const noop = () => {}

/** Buffers sync messages until a handler is set: the first can arrive before `connect` resolves. */
export function inbox(): {
  push: (msg: Uint8Array) => void
  listen: (fn: (msg: Uint8Array) => void) => void
} {
  let queue: Uint8Array[] | null = []
  let handler: ((msg: Uint8Array) => void) | null = null
  return {
    push: (msg) => (handler ? handler(msg) : queue?.push(msg)),
    listen(fn) {
      handler = fn
      const pending = queue ?? []
      queue = null
      for (const msg of pending) fn(msg)
    },
  }
}

/** `socket.io-client` as the product's board uses it (checks the light client, and `BENCH_*=full`). */
export const connectFull = (addr: Address, timeoutMs = 30_000): Promise<Wire> =>
  addr.kind === 'ours' ? connectSocketIo(addr, timeoutMs) : connectWs(addr, timeoutMs)

/** To ours the light client over raw `ws` (bench/lib/lightWire.ts) unless `setting` is "full". */
const lightUnlessFull =
  (setting: 'BENCH_WRITER' | 'BENCH_OBSERVER') =>
  (addr: Address, timeoutMs = 30_000): Promise<Wire> =>
    addr.kind === 'ours' && process.env[setting] !== 'full'
      ? connectLight(addr, timeoutMs, inbox())
      : connectFull(addr, timeoutMs)

/**
 * A full client's connection (a writer): to ours the light client, acks included, as the
 * reference's writers are on raw `ws`; `BENCH_WRITER=full` uses `socket.io-client` instead.
 */
export const connect = lightUnlessFull('BENCH_WRITER')

/**
 * An observer's connection: to ours the light reader, so an observer costs the generator about
 * what the reference's does (P15); `BENCH_OBSERVER=full` uses `socket.io-client` instead.
 */
export const connectObserver = lightUnlessFull('BENCH_OBSERVER')

function connectWs(addr: Address, timeoutMs: number): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${addr.url.replace(/^http/, 'ws')}/${addr.room}`, { perMessageDeflate: false })
    ws.binaryType = 'nodebuffer'
    const box = inbox()
    const wire: Wire = {
      kind: 'baseline',
      listen: box.listen,
      onClose: noop,
      sendSync(msg) {
        const framed = new Uint8Array(msg.byteLength + 1)
        framed[0] = 0
        framed.set(msg, 1)
        if (ws.readyState === WebSocket.OPEN) ws.send(framed)
      },
      sendAwareness(msg) {
        const framed = new Uint8Array(msg.byteLength + 1)
        framed[0] = 1
        framed.set(msg, 1)
        if (ws.readyState === WebSocket.OPEN) ws.send(framed)
      },
      close: () => ws.close(),
    }
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error('ws connect timeout'))
    }, timeoutMs)
    // Messages may arrive before `open` resolves the promise; the handler is read per message.
    ws.on('message', (data: Buffer) => {
      // Outer type 0 (sync) and 1 (awareness) are one-byte varuints.
      if (data[0] === 0) box.push(new Uint8Array(data.buffer, data.byteOffset + 1, data.byteLength - 1))
    })
    ws.once('open', () => {
      clearTimeout(timer)
      resolve(wire)
    })
    ws.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    ws.once('close', () => wire.onClose())
  })
}

function connectSocketIo(addr: Address, timeoutMs: number): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(addr.url, {
      parser,
      auth: { token: addr.token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: timeoutMs,
    })
    const box = inbox()
    const wire: Wire = {
      kind: 'ours',
      listen: box.listen,
      onClose: noop,
      sendSync(msg, onAck) {
        if (onAck) socket.emit('yjs:sync', msg, (r: { ok: boolean }) => onAck(r?.ok === true))
        else socket.emit('yjs:sync', msg, noop)
      },
      sendAwareness(msg) {
        socket.emit('yjs:awareness', msg)
      },
      close: () => socket.disconnect(),
    }
    socket.on('yjs:sync', (msg: Uint8Array) => box.push(msg))
    socket.once('connect', () => resolve(wire))
    socket.once('connect_error', (err) => {
      socket.disconnect()
      reject(err)
    })
    socket.on('disconnect', () => wire.onClose())
  })
}
