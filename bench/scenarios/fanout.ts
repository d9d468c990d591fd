import { startServer, type Kind } from '../lib/servers'
import { createRoom, pool } from '../lib/access'
import { EditLog } from '../lib/editlog'
import { fixture } from '../lib/fixtures'
import { checkConvergence, closeAll, openFull, openLoop, openObservers, seed } from '../lib/harness'
import { CpuMeter, cpuSeconds, microsPer } from '../lib/proc'
import { Recorder, round, sleep } from '../lib/stats'
import { cpuCheck, type Ctx, type Outcome, type Scenario } from '../lib/scenario'

/**
 * P3 / P4 / P10: one room, 10 full clients typing 5 edits/s each on a fixed schedule, the rest
 * light observers. Edit → visible is measured at every other client, edit → ack at the writer
 * (ours acks after the write committed; the baseline has no acks, its echo stands in).
 */

export const WRITERS = 10
export const RATE = 5

export interface FanoutOptions {
  n: number
  warmMs: number
  windowMs: number
  rate?: number
  label: string
}

export async function fanoutRun(
  kind: Kind,
  o: FanoutOptions,
  ctx: Ctx,
): Promise<Outcome & { raw: FanoutRaw }> {
  const server = await startServer(kind, { label: o.label })
  try {
    const room = await createRoom(server, 'fanout')
    await seed(room.owner, fixture(3, 4000))
    const writers = Math.min(WRITERS, o.n)
    const wAddrs = await pool(Array.from({ length: writers }), 8, () => room.writer())
    const oAddrs = await pool(Array.from({ length: o.n - writers }), 8, () => room.observer())
    const meters = { log: new EditLog(), visible: new Recorder(), ack: new Recorder() }
    const full = await openFull(wAddrs, meters)
    const observers = await openObservers(oAddrs, meters)
    ctx.log(`  ${kind} N=${o.n}: ${full.length} writers + ${observers.length} observers connected`)
    const rate = o.rate ?? RATE
    const total = o.warmMs + o.windowMs
    const t0 = performance.now() + 5
    meters.visible.openWindow(t0 + o.warmMs, t0 + total)
    meters.ack.openWindow(t0 + o.warmMs, t0 + total)
    const loop = openLoop(full, rate, total)
    await sleep(o.warmMs)
    const cpu = new CpuMeter()
    const srv0 = cpuSeconds(server.pid)
    const main0 = cpuSeconds(server.pid, true)
    const w0 = performance.now()
    await loop
    const genCpu = cpu.fraction()
    const genSeconds = cpu.seconds()
    const srvSeconds = cpuSeconds(server.pid) - srv0
    const mainSeconds = cpuSeconds(server.pid, true) - main0
    const srvCpu = srvSeconds / ((performance.now() - w0) / 1000)
    await sleep(o.windowMs < 5000 ? 500 : 1000) // drain
    const conv = await checkConvergence(room.owner, full)
    const edits = writers * rate * (o.windowMs / 1000)
    const expected = edits * (o.n - 1)
    const v = meters.visible.summary()
    const a = meters.ack.summary()
    closeAll(observers)
    closeAll(full)
    return {
      metrics: {
        p50: round(v.p50),
        p99: round(v.p99),
        max: round(v.max),
        ack_p50: round(a.p50),
        ack_p99: round(a.p99),
        delivered: round(v.n / expected, 4),
        deliveries_per_s: round(v.n / (o.windowMs / 1000), 0),
        gen_cpu: round(genCpu, 3),
        server_cpu: round(srvCpu, 3),
        server_us_per_delivery: round(microsPer(srvSeconds, v.n), 2),
        // The main thread alone: the relay, without the SQLite worker's commits (ours) — P14's split.
        server_main_us_per_delivery: round(microsPer(mainSeconds, v.n), 2),
        gen_us_per_delivery: round(microsPer(genSeconds, v.n), 2),
      },
      invalid: cpuCheck(genCpu),
      convergence: [conv],
      raw: { visible: v.n, expected },
    }
  } finally {
    await server.stop()
  }
}

export interface FanoutRaw {
  visible: number
  expected: number
}

// BENCH_N=100 runs one size only (for profiling one case).
const sizes = (quick: boolean) =>
  process.env.BENCH_N ? [Number(process.env.BENCH_N)] : quick ? [10, 50] : [10, 100, 500]

export const fanout: Scenario = {
  id: 'P3',
  title: 'edit → visible, one room (P3, P4, P10)',
  reps: (quick) => (quick ? 1 : 2),
  async run(kind, ctx) {
    const out: Outcome = { metrics: {}, invalid: [], convergence: [] }
    for (const n of sizes(ctx.quick)) {
      const r = await fanoutRun(
        kind,
        { n, warmMs: ctx.quick ? 500 : 2000, windowMs: ctx.quick ? 2000 : 10_000, label: `P3-n${n}` },
        ctx,
      )
      for (const [k, v] of Object.entries(r.metrics)) out.metrics[`${k}_n${n}`] = v
      out.invalid?.push(...(r.invalid ?? []).map((s) => `N=${n}: ${s}`))
      out.convergence.push(...r.convergence)
    }
    return out
  },
  rows: [
    {
      label: 'P3 edit → visible p99, N = 10',
      key: 'p99_n10',
      unit: 'ms',
      target: '≤ 10 ms',
      met: (v) => v <= 10,
    },
    {
      label: 'P3 edit → visible p99, N = 100',
      key: 'p99_n100',
      unit: 'ms',
      target: '≤ 30 ms',
      met: (v) => v <= 30,
    },
    {
      label: 'P3 edit → visible p99, N = 500',
      key: 'p99_n500',
      unit: 'ms',
      target: '≤ 100 ms',
      met: (v) => v <= 100,
    },
    { label: 'P3 edit → visible p50, N = 100', key: 'p50_n100', unit: 'ms', target: '—' },
    {
      label: 'P4 p99 ratio to reference, N = 100',
      key: 'p99_n100',
      unit: 'ms',
      target: 'ratio ≤ 1.0',
      met: (_v, r) => r <= 1,
    },
    {
      label: 'P4 p99 ratio to reference, N = 500',
      key: 'p99_n500',
      unit: 'ms',
      target: 'ratio ≤ 1.0',
      met: (_v, r) => r <= 1,
    },
    {
      label: 'P10 edit → saved + acked p99, N = 10',
      key: 'ack_p99_n10',
      unit: 'ms',
      target: '≤ 10 ms',
      met: (v) => v <= 10,
      baselineNote: 'echo, not saved',
    },
    {
      label: 'P10 edit → saved + acked p99, N = 100',
      key: 'ack_p99_n100',
      unit: 'ms',
      target: '≤ 20 ms',
      met: (v) => v <= 20,
      baselineNote: 'echo, not saved',
    },
    { label: 'server CPU during P3, N = 100 (cores)', key: 'server_cpu_n100', unit: '', target: '—' },
    { label: 'server CPU during P3, N = 500 (cores)', key: 'server_cpu_n500', unit: '', target: '—' },
    {
      label: 'P14 server CPU per delivered update, N = 100',
      key: 'server_us_per_delivery_n100',
      unit: 'µs',
      target: 'ratio ≤ 1.0',
      met: (_v, r) => r <= 1,
    },
    {
      label: 'P14 server CPU per delivered update, N = 500',
      key: 'server_us_per_delivery_n500',
      unit: 'µs',
      target: 'ratio ≤ 1.0',
      met: (_v, r) => r <= 1,
    },
    {
      label: 'P15 generator CPU during P3, N = 500 (of its core)',
      key: 'gen_cpu_n500',
      unit: '',
      target: '≤ 0.85',
      met: (v) => v <= 0.85,
    },
    {
      label: 'generator CPU per delivered update, N = 500',
      key: 'gen_us_per_delivery_n500',
      unit: 'µs',
      target: '—',
    },
  ],
}
