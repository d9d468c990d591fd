import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { io, type Socket } from 'socket.io-client'
import * as Y from 'yjs'
import * as parser from '../../shared/protocol/msgpackParser'
import { sleep } from './stats'
import type { Address } from './wire'

/**
 * Reconnecting clients for the kill-and-restart scenarios (P13 on one process, X3 / X4 / P13
 * across processes), and what they share: the writers' typing, "resynced since the kill", and
 * the fresh joiner that checks nothing acknowledged was lost.
 */

const STEP1 = 0
const STEP2 = 1
const UPDATE = 2

const message = (type: number, payload: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

/** A reconnecting Yjs peer (writer) or a reconnecting observer that only needs the full state. */
export class Peer {
  readonly doc = new Y.Doc()
  readonly socket: Socket
  /** Highest own clock the server acknowledged (saved). */
  ackedClock = 0
  /** Called with the time of every ok ack (`--cluster`: a writer's first ack after a kill). */
  onAck: ((at: number) => void) | null = null
  /** Connections so far, and the one the server's step 2 last arrived on (with its time). */
  connections = 0
  syncedOn = -1
  syncedAt = 0
  /** True once the server's step 2 arrived on the current connection. */
  get synced(): boolean {
    return this.syncedOn === this.connections
  }

  constructor(
    addr: Address,
    readonly writer: boolean,
  ) {
    this.socket = io(addr.url, {
      parser,
      auth: { token: addr.token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
    })
    this.socket.on('connect', () => {
      this.connections++
      // Observers keep no document: each connection asks for everything.
      const sv = this.writer ? Y.encodeStateVector(this.doc) : new Uint8Array([0])
      this.socket.emit('yjs:sync', message(STEP1, sv), () => {})
    })
    this.socket.on('yjs:sync', (raw: Uint8Array) => this.receive(raw))
    if (writer)
      this.doc.on('update', (u: Uint8Array, origin: unknown) => {
        if (origin === this) return
        const clock = Y.getState(this.doc.store, this.doc.clientID)
        this.socket.emit('yjs:sync', message(UPDATE, u), (r: { ok?: boolean } | undefined) => {
          if (r?.ok) this.acked(clock)
        })
      })
  }

  private acked(clock: number): void {
    this.ackedClock = Math.max(this.ackedClock, clock)
    this.onAck?.(performance.now())
  }

  private receive(raw: Uint8Array): void {
    const d = decoding.createDecoder(raw)
    const type = decoding.readVarUint(d)
    const payload = decoding.readVarUint8Array(d)
    if (type === STEP1) {
      if (this.writer) {
        const update = Y.encodeStateAsUpdate(this.doc, payload)
        const clock = Y.getState(this.doc.store, this.doc.clientID)
        this.socket.emit('yjs:sync', message(STEP2, update), (r: { ok?: boolean } | undefined) => {
          if (r?.ok) this.acked(clock)
        })
      }
      return
    }
    if (this.writer) Y.applyUpdate(this.doc, payload, this)
    if (type === STEP2 && !this.synced) {
      this.syncedOn = this.connections
      this.syncedAt = performance.now()
    }
  }

  edit(i: number): void {
    const t = this.doc.getText('p13')
    t.insert(t.length, `${this.doc.clientID}.${i} `)
  }

  close(): void {
    this.socket.disconnect()
    this.doc.destroy()
  }
}

/** Every writer types one edit per `1000 / rate` ms until the returned stop is awaited. */
export function keepTyping(writers: readonly Peer[], rate: number): () => Promise<void> {
  let typing = true
  let k = 0
  const loop = (async () => {
    while (typing) {
      for (const w of writers) w.edit(k)
      k++
      await sleep(1000 / rate)
    }
  })()
  return async () => {
    typing = false
    await loop
  }
}

/** Whether a writer's every edit so far is acknowledged (saved). */
export const allAcked = (w: Peer): boolean => w.ackedClock === Y.getState(w.doc.store, w.doc.clientID)

/**
 * Taken right before a kill: which peers have since had a full step 2 on a connection made
 * after it, and whether everything settled (all of them resynced, every writer's edits acked).
 */
export function sinceKill(peers: readonly Peer[]) {
  const before = peers.map((p) => p.connections)
  const resynced = (p: Peer, i: number) => p.synced && p.connections > (before[i] ?? 0)
  return {
    resynced,
    settled: () => peers.every(resynced) && peers.every((p) => !p.writer || allAcked(p)),
    unsettled: () => peers.filter((p, i) => !resynced(p, i)).length,
  }
}

/**
 * Once a fresh joiner synced: the acknowledged clock ticks it lacks (must be 0) and whether it
 * holds the same text as every writer. Closes the joiner.
 */
export async function checkAgainst(
  fresh: Peer,
  writers: readonly Peer[],
): Promise<{ lost: number; same: boolean }> {
  try {
    await sleep(300)
    const lost = writers.reduce(
      (sum, w) => sum + Math.max(0, w.ackedClock - Y.getState(fresh.doc.store, w.doc.clientID)),
      0,
    )
    const text = fresh.doc.getText('p13').toString()
    return { lost, same: writers.every((w) => w.doc.getText('p13').toString() === text) }
  } finally {
    fresh.close()
  }
}
