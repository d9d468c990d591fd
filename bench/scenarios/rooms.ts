import { startServer, type ServerHandle } from '../lib/servers'
import { createRoom, pool, type Room } from '../lib/access'
import { EditLog } from '../lib/editlog'
import { fixture } from '../lib/fixtures'
import { FullClient, Observer, withTimeout, type Meters } from '../lib/clients'
import { checkConvergence, closeAll, collectGeneratorGarbage, openLoop } from '../lib/harness'
import { CpuMeter, cpuSeconds, rssBytes, microsPer } from '../lib/proc'
import { heapAfterGc } from '../lib/inspector'
import { Recorder, round, sleep } from '../lib/stats'
import { cpuCheck, type Scenario } from '../lib/scenario'

/**
 * P6: many small rooms at once (1,000 × 5 clients, 2 edits/s per room).
 * P8: the leak/unload cycle — rooms opened, edited and left, ten times over.
 * Ours: the 5 sockets of a room share the creator's token (one participant, several tabs):
 * 4,000 extra joins would only lengthen the set-up.
 */

const SMALL = () => fixture(14, 2000)

async function createRooms(server: ServerHandle, count: number, label: string): Promise<Room[]> {
  return pool(Array.from({ length: count }), 16, () => createRoom(server, label))
}

/** A writer that makes sure its room has text blocks (the baseline's rooms start empty). */
async function openWriter(room: Room, meters: Meters | null, seed: number): Promise<FullClient> {
  const w = await FullClient.open(room.shared(), meters, seed)
  await withTimeout(w.synced, 30_000, 'writer sync')
  if (w.doc.getXmlFragment('prfaq').length === 0 || w.wire.kind === 'baseline') {
    for (const u of SMALL().updates) w.applyLocal(u)
    await w.flush()
  }
  return w
}

export const manyRooms: Scenario = {
  id: 'P6',
  title: '1,000 rooms × 5 clients, 2 edits/s per room',
  // One window's p99 is one server collection more or less (18–726 ms over 25 runs of ours):
  // the median of three.
  reps: (quick) => (quick ? 1 : 3),
  async run(kind, ctx) {
    const rooms = ctx.quick ? 20 : 1000
    const server = await startServer(kind, { label: 'P6', inspect: true })
    try {
      const list = await createRooms(server, rooms, 'p6')
      const meters = { log: new EditLog(), visible: new Recorder() }
      const writers = await pool(list, 20, (r, i) => openWriter(r, meters, i + 1))
      const observers = await pool(
        list.flatMap((r) => [r, r, r, r]),
        50,
        async (r) => {
          const o = await Observer.open(r.shared(), meters)
          await withTimeout(o.synced, 60_000, 'observer sync')
          return o
        },
      )
      ctx.log(`  ${kind}: ${rooms} rooms, ${writers.length + observers.length} sockets`)
      // The set-up (5,000 joins at once) is not the workload: its garbage is collected in both
      // processes first, or the first major collection of either lands in the window.
      await heapAfterGc(server)
      collectGeneratorGarbage()
      const warm = ctx.quick ? 500 : 2000
      const windowMs = ctx.quick ? 2000 : 10_000
      const t0 = performance.now() + 5
      meters.visible.openWindow(t0 + warm, t0 + warm + windowMs)
      const loop = openLoop(writers, 2, warm + windowMs)
      await sleep(warm)
      const cpu = new CpuMeter()
      const s0 = cpuSeconds(server.pid)
      const w0 = performance.now()
      await loop
      const genCpu = cpu.fraction()
      const srvSeconds = cpuSeconds(server.pid) - s0
      const srvCpu = srvSeconds / ((performance.now() - w0) / 1000)
      await sleep(1000)
      const rss = rssBytes(server.pid)
      const v = meters.visible.summary()
      const expected = rooms * 2 * (windowMs / 1000) * 4
      // Convergence on a sample of rooms: each writer against a fresh joiner.
      const sample = list
        .map((r, i) => ({ r, w: writers[i] as FullClient }))
        .filter((_, i) => i % Math.ceil(rooms / 10) === 0)
      const conv = await Promise.all(sample.map(({ r, w }) => checkConvergence(r.shared(), [w])))
      closeAll(observers)
      closeAll(writers)
      return {
        metrics: {
          p50: round(v.p50),
          p99: round(v.p99),
          delivered: round(v.n / expected, 4),
          rss_mb: round(rss / 2 ** 20, 1),
          gen_cpu: round(genCpu, 3),
          server_cpu: round(srvCpu, 3),
          server_us_per_delivery: round(microsPer(srvSeconds, v.n), 2),
        },
        invalid: cpuCheck(genCpu),
        notes: ctx.quick ? [`quick: ${rooms} rooms`] : [],
        convergence: conv,
      }
    } finally {
      await server.stop()
    }
  },
  rows: [
    { label: 'P6 1,000 rooms × 5, p99', key: 'p99', unit: 'ms', target: '≤ 50 ms', met: (v) => v <= 50 },
    {
      label: 'P6 1,000 rooms × 5, server RSS',
      key: 'rss_mb',
      unit: 'MB',
      target: '≤ 600 MB',
      met: (v) => v <= 600,
    },
    {
      label: 'P14 server CPU per delivered update, 1,000 rooms × 5',
      key: 'server_us_per_delivery',
      unit: 'µs',
      target: 'ratio ≤ 1.0',
      met: (_v, r) => r <= 1,
    },
  ],
}

const mb = (v: number | undefined) => round((v ?? Number.NaN) / 2 ** 20, 1)

export const unloadCycles: Scenario = {
  id: 'P8',
  title: 'rooms opened, edited and left, 10 cycles',
  reps: () => 1,
  async run(kind, ctx) {
    const rooms = ctx.quick ? 10 : 1000
    const cycles = ctx.quick ? 2 : 10
    const server = await startServer(kind, { label: 'P8', inspect: true })
    try {
      const list = await createRooms(server, rooms, 'p8')
      const rss: number[] = []
      const heap: number[] = []
      let conv = { ok: true, detail: 'no cycle ran' }
      const base = await heapAfterGc(server)
      for (let c = 0; c < cycles; c++) {
        const writers = await pool(list, 50, async (r, i) => {
          const w = await openWriter(r, null, c * rooms + i + 1)
          w.edit(performance.now())
          await w.flush()
          return w
        })
        if (c === cycles - 1) conv = await checkConvergence(list[0]!.shared(), [writers[0]!])
        closeAll(writers)
        await sleep(500)
        heap.push(await heapAfterGc(server))
        rss.push(rssBytes(server.pid))
        ctx.log(`  ${kind} cycle ${c + 1}: heap ${mb(heap[c])} MB, RSS ${mb(rss[c])} MB`)
      }
      // Unloading: how long after the last cycle the heap falls back near its level before any
      // room was opened (rooms left empty should be dropped, listeners and all).
      const limitS = ctx.quick ? 0 : 60
      const t = performance.now()
      let unloadS = Number.NaN
      let idleHeap = Number.NaN
      while ((performance.now() - t) / 1000 <= limitS) {
        idleHeap = await heapAfterGc(server)
        if (idleHeap <= base + 0.1 * ((heap[0] as number) - base)) {
          unloadS = (performance.now() - t) / 1000
          break
        }
        await sleep(2000)
      }
      const first = heap[0] as number
      const last = heap[heap.length - 1] as number
      return {
        metrics: {
          heap_base_mb: mb(base),
          heap_first_mb: mb(first),
          heap_last_mb: mb(last),
          growth_pct: round((last / first - 1) * 100, 1),
          rss_first_mb: mb(rss[0]),
          rss_last_mb: mb(rss[rss.length - 1]),
          heap_idle_mb: mb(idleHeap),
          unload_s: round(unloadS, 1),
        },
        notes: [
          `heap read after a forced GC (inspector); unload = heap back within 10 % of the rooms' footprint above the pre-room level, polled up to ${limitS} s`,
        ],
        convergence: [conv],
      }
    } finally {
      await server.stop()
    }
  },
  rows: [
    {
      label: 'P8 10 cycles × 1,000 rooms, heap growth cycle 1 → 10',
      key: 'growth_pct',
      unit: '%',
      target: '≤ +10 %',
      met: (v) => v <= 10,
    },
    {
      label: 'P8 empty rooms unloaded after',
      key: 'unload_s',
      unit: 's',
      target: '≤ 60 s',
      met: (v) => v <= 60,
    },
  ],
}
