import { startServer } from '../lib/servers'
import { createRoom, pool } from '../lib/access'
import { EditLog } from '../lib/editlog'
import { fixture } from '../lib/fixtures'
import { Observer, withTimeout } from '../lib/clients'
import { checkConvergence, closeAll, openFull, openLoop, openObservers, seed } from '../lib/harness'
import { connectObserver } from '../lib/wire'
import { CpuMeter } from '../lib/proc'
import { Recorder, round, sleep, summarize } from '../lib/stats'
import { cpuCheck, type Scenario } from '../lib/scenario'

/**
 * P1: first sync of a 160 KB document, one joiner at a time (connect → the server's full state
 * has arrived). P2: 200 joiners at once on a 1.4 MB document while another room keeps typing.
 */

export const firstSync: Scenario = {
  id: 'P1',
  title: 'first sync of a 160 KB document',
  reps: (quick) => (quick ? 1 : 2),
  async run(kind, ctx) {
    const server = await startServer(kind, { label: 'P1' })
    try {
      const room = await createRoom(server, 'p1')
      const fx = fixture(11, 160_000)
      await seed(room.owner, fx)
      const joiners = ctx.quick ? 5 : 30
      const addrs = await pool(Array.from({ length: joiners }), 8, () => room.observer())
      const samples: number[] = []
      let bytes = 0
      for (const addr of addrs) {
        const t0 = performance.now()
        const o = new Observer(await connectObserver(addr), null)
        samples.push((await withTimeout(o.synced, 10_000, 'joiner sync')) - t0)
        bytes = o.syncBytes
        o.close()
        await sleep(20)
      }
      const s = summarize(samples)
      const conv = await checkConvergence(room.owner, [])
      return {
        metrics: { p50: round(s.p50), p99: round(s.p99), state_kb: round(bytes / 1024, 1) },
        convergence: [conv],
      }
    } finally {
      await server.stop()
    }
  },
  rows: [
    { label: 'P1 first sync, 160 KB, p50', key: 'p50', unit: 'ms', target: '≤ 60 ms', met: (v) => v <= 60 },
    { label: 'P1 first sync, 160 KB, p99', key: 'p99', unit: 'ms', target: '≤ 120 ms', met: (v) => v <= 120 },
  ],
}

export const joinStorm: Scenario = {
  id: 'P2',
  title: '200 joiners at once on a 1.4 MB document',
  reps: (quick) => (quick ? 1 : 2),
  async run(kind, ctx) {
    const server = await startServer(kind, { label: 'P2' })
    try {
      const big = await createRoom(server, 'p2-big')
      const other = await createRoom(server, 'p2-other')
      // Quick: a smaller document, so the smoke run stays short.
      await seed(big.owner, ctx.quick ? fixture(11, 160_000) : fixture(12, 1_400_000))
      await seed(other.owner, fixture(13, 4000))
      const n = ctx.quick ? 10 : 200
      const addrs = await pool(Array.from({ length: n }), 8, () => big.observer())
      const meters = { log: new EditLog(), visible: new Recorder() }
      const writers = await openFull(await pool(Array.from({ length: 5 }), 5, () => other.writer()), meters)
      const watchers = await openObservers(
        await pool(Array.from({ length: 5 }), 5, () => other.observer()),
        meters,
      )
      // The other room types from a second before the storm until the storm is over.
      const stop = { stopped: false }
      const loop = openLoop(writers, 5, 120_000, stop)
      await sleep(1000)
      const cpu = new CpuMeter()
      const start = performance.now()
      meters.visible.openWindow(start, Number.POSITIVE_INFINITY)
      // A storm that does not finish is a figure (the time limit), not a crash.
      const limit = 90_000
      const arrivals: number[] = []
      const joiners: Observer[] = []
      await withTimeout(
        Promise.all(
          addrs.map(async (a) => {
            const o = new Observer(await connectObserver(a, limit), null)
            joiners.push(o)
            arrivals.push((await o.synced) - start)
            o.close()
          }),
        ),
        limit,
        'join storm',
      ).catch(() => undefined)
      closeAll(joiners)
      const finished = arrivals.length === n
      const genCpu = cpu.fraction()
      meters.visible.to = performance.now()
      stop.stopped = true
      await loop
      await sleep(500)
      const s = finished ? summarize(arrivals) : { max: limit, p50: Number.NaN }
      const v = meters.visible.summary()
      const conv = [await checkConvergence(big.owner, []), await checkConvergence(other.owner, writers)]
      closeAll(watchers)
      closeAll(writers)
      return {
        metrics: {
          all_synced_ms: round(s.max),
          joiner_p50: round(s.p50),
          other_p99: round(v.p99),
          gen_cpu: round(genCpu, 3),
        },
        invalid: cpuCheck(genCpu),
        notes: finished ? [] : [`only ${arrivals.length} of ${n} joiners synced within ${limit / 1000} s`],
        convergence: conv,
      }
    } finally {
      await server.stop()
    }
  },
  rows: [
    {
      label: 'P2 200 joiners on 1.4 MB, all synced',
      key: 'all_synced_ms',
      unit: 'ms',
      target: '≤ 1,000 ms',
      met: (v) => v <= 1000,
    },
    {
      label: 'P2 other room p99 during the storm',
      key: 'other_p99',
      unit: 'ms',
      target: '≤ 100 ms',
      met: (v) => v <= 100,
    },
  ],
}
