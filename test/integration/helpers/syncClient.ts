import type { Socket } from 'socket.io-client'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { Ack } from '../../../shared/protocol/events'
import type { BoardEvent, BoardState } from '../../../shared/protocol/board'
import { wireSocket } from './wireSocket'

const REMOTE = Symbol('remote')

export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, type)
  encoding.writeVarUint8Array(enc, payload)
  return encoding.toUint8Array(enc)
}

/**
 * A minimal real client: a Y.Doc synced over `yjs:sync` the way DESIGN §4 describes, with every
 * ack recorded. A refused change makes it rebuild its document from the state sent next.
 */
export class SyncClient {
  doc = new Y.Doc()
  readonly socket: Socket
  readonly acks: Ack[] = []
  readonly pending = new Set<Promise<Ack>>()
  board: BoardState | null = null
  readonly events: BoardEvent[] = []
  private rebuildNext = false
  private syncedResolve!: () => void
  readonly synced = new Promise<void>((r) => (this.syncedResolve = r))

  constructor(url: string, token: string | undefined, opts: { autoConnect?: boolean } = {}) {
    this.socket = wireSocket(url, token, { autoConnect: opts.autoConnect ?? true })
    this.socket.on('connect', () => void this.send(syncMessage(0, Y.encodeStateVector(this.doc))))
    this.socket.on('yjs:sync', (raw: Uint8Array) => this.receive(raw))
    this.socket.on('board:state', (s: BoardState) => (this.board = s))
    this.socket.on('board:event', (e: BoardEvent) => this.events.push(e))
    this.listen()
  }

  private listen(): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) void this.send(syncMessage(2, update))
    })
  }

  private receive(raw: Uint8Array): void {
    const dec = decoding.createDecoder(raw)
    const type = decoding.readVarUint(dec)
    const payload = decoding.readVarUint8Array(dec)
    if (type === 0) {
      void this.send(syncMessage(1, Y.encodeStateAsUpdate(this.doc, payload)))
    } else {
      if (type === 1 && this.rebuildNext) {
        this.rebuildNext = false
        this.doc.destroy()
        this.doc = new Y.Doc()
        this.listen()
      }
      Y.applyUpdate(this.doc, payload, REMOTE)
      if (type === 1) this.syncedResolve()
    }
  }

  send(msg: Uint8Array): Promise<Ack> {
    // A callback, not emitWithAck: the refusal must be seen before the state frame right behind it.
    const p = new Promise<Ack>((resolve, reject) => {
      this.socket.timeout(20_000).emit('yjs:sync', msg, (e: Error | null, ack: Ack) => {
        if (e) return reject(e)
        this.acks.push(ack)
        if (!ack.ok) this.rebuildNext = true
        resolve(ack)
      })
    })
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p)).catch(() => undefined)
    return p
  }

  /** Waits until every sent message was acknowledged. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  text(name = 't'): string {
    return this.doc.getText(name).toString()
  }

  command(cmd: unknown): Promise<Ack<{ seq: number; cardId?: string }>> {
    return this.socket.timeout(20_000).emitWithAck('command', cmd)
  }

  close(): void {
    this.socket.close()
    this.doc.destroy()
  }
}

/** Resolves with the connect error message, or 'connected'. */
export function connectOutcome(client: SyncClient): Promise<string> {
  return new Promise((resolve) => {
    client.socket.once('connect', () => resolve('connected'))
    client.socket.once('connect_error', (e) => resolve(e.message))
  })
}

export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}
