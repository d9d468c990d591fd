import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { io, type Socket } from 'socket.io-client'
import * as Y from 'yjs'
import * as parser from '../../shared/protocol/msgpackParser'
import { createRoom, pool } from '../lib/access'
import { fixture } from '../lib/fixtures'
import { seed } from '../lib/harness'
import type { Address } from '../lib/wire'
import { startServer } from '../lib/servers'
import { round, sleep } from '../lib/stats'
import type { Outcome, Scenario } from '../lib/scenario'

/**
 * P13: N clients in one room (10 writing 5 edits/s, the rest observing), the server killed with
 * SIGKILL in the middle of the editing and started again on the same port and data. Clients
 * reconnect on their own (Socket.IO reconnection, 100 ms – 1 s back-off) and resync with the
 * y-protocols handshake. Figures: kill → listening again, listening → every client resynced
 * (writers: state equal to the server's; observers: a full state received), and edits the
 * server acknowledged before the kill but missing after it (must be 0).
 *
 * Ours only: the reference acknowledges nothing, so "acknowledged and lost" has no meaning there.
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

/** A reconnecting Yjs peer (writer) or a reconnecting observer that only needs the full state (also `--cluster`'s). */
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

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const t = performance.now()
  while (!check()) {
    if (performance.now() - t > ms) return false
    await sleep(20)
  }
  return true
}

export const killRestart: Scenario = {
  id: 'P13',
  title: 'clients after a server kill -9 and restart',
  reps: () => 1,
  async run(kind, ctx): Promise<Outcome> {
    if (kind !== 'ours') return { metrics: {}, convergence: [], notes: ['the reference acks nothing'] }
    const n = Number(process.env.BENCH_P13_N) || (ctx.quick ? 30 : 500)
    const writersN = 10
    const server = await startServer(kind, { label: 'P13' })
    let second: Awaited<ReturnType<typeof startServer>> | null = null
    const peers: Peer[] = []
    try {
      const room = await createRoom(server, 'p13')
      await seed(room.owner, fixture(13, 8000))
      const wAddrs = await pool(Array.from({ length: writersN }), 8, () => room.writer())
      const oAddrs = await pool(Array.from({ length: n - writersN }), 8, () => room.observer())
      peers.push(...wAddrs.map((a) => new Peer(a, true)), ...oAddrs.map((a) => new Peer(a, false)))
      if (!(await waitFor(() => peers.every((p) => p.synced), 60_000)))
        throw new Error('P13: clients did not sync before the kill')
      ctx.log(`  ${n} clients synced`)
      const writers = peers.filter((p) => p.writer)
      let editing = true
      let i = 0
      const typing = (async () => {
        while (editing) {
          for (const w of writers) w.edit(i)
          i++
          await sleep(200) // 10 writers × 5 edits/s
        }
      })()
      await sleep(1000 + Math.random() * 1000)
      const tKill = performance.now()
      await server.kill9()
      // Resynced = a step 2 on a connection made after the kill. Not "after the bench saw the new
      // server answer /healthz": clients reconnect on their own and can be synced before that poll
      // returns on the busy generator core (a run once counted 65 such clients as not resynced).
      const before = peers.map((p) => p.connections)
      const resynced = (p: Peer, i: number) => p.synced && p.connections > (before[i] ?? 0)
      second = await startServer(kind, { label: 'P13', dataDir: server.dataDir, port: server.port })
      const tReady = performance.now()
      await sleep(1000) // edits keep coming across the restart
      editing = false
      await typing
      const all = await waitFor(
        () =>
          peers.every(resynced) &&
          writers.every((w) => w.ackedClock === Y.getState(w.doc.store, w.doc.clientID)),
        30_000,
      )
      const resyncMs = Math.max(0, ...peers.map((p) => p.syncedAt - tReady))
      // A fresh joiner after everything settled: holds every acknowledged edit, and equals the writers.
      const fresh = new Peer(room.owner, true)
      await waitFor(() => fresh.synced, 10_000)
      await sleep(300)
      const lost = writers.reduce(
        (sum, w) => sum + Math.max(0, w.ackedClock - Y.getState(fresh.doc.store, w.doc.clientID)),
        0,
      )
      const text = fresh.doc.getText('p13').toString()
      const same = writers.every((w) => w.doc.getText('p13').toString() === text)
      fresh.close()
      return {
        metrics: {
          clients: n,
          restart_ms: round(tReady - tKill),
          resync_ms: all ? round(resyncMs) : Number.NaN,
          acked_lost: lost,
          // Resynced before the bench's /healthz poll returned (see `resynced`).
          resynced_before_ready: peers.filter((p, i) => resynced(p, i) && p.syncedAt < tReady).length,
        },
        convergence: [
          {
            ok: all && same && lost === 0,
            detail: all
              ? same
                ? lost === 0
                  ? 'every client resynced, nothing acknowledged lost'
                  : `${lost} acknowledged clock ticks missing after the restart`
                : 'writers and a fresh joiner differ after the restart'
              : `not every client resynced within 30 s: ${peers.filter((p, i) => !resynced(p, i)).length} not resynced (${peers.filter((p) => !p.socket.connected).length} disconnected), ${writers.filter((w) => w.ackedClock !== Y.getState(w.doc.store, w.doc.clientID)).length} writers with edits unacknowledged`,
          },
        ],
        notes: ctx.quick ? [`quick: ${n} clients`] : [],
      }
    } finally {
      for (const p of peers) p.close()
      await second?.stop()
      await server.stop()
    }
  },
  rows: [
    {
      label: 'P13 all clients resynced after kill -9 + restart (N = 500)',
      key: 'resync_ms',
      unit: 'ms',
      target: '≤ 5,000 ms',
      met: (v) => v <= 5000,
      baselineNote: 'no acks: not run',
    },
    {
      label: 'P13 acknowledged edits lost',
      key: 'acked_lost',
      unit: '',
      target: '0',
      met: (v) => v === 0,
      baselineNote: 'no acks: not run',
    },
  ],
}
