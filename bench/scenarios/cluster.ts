import { createRoom, pool, type Room } from '../lib/access'
import { startBenchCluster, type BenchCluster } from '../lib/cluster'
import { withTimeout } from '../lib/clients'
import { EditLog } from '../lib/editlog'
import { fixture } from '../lib/fixtures'
import { checkConvergence, closeAll, openFull, openLoop, openObservers, seed } from '../lib/harness'
import { CpuMeter } from '../lib/proc'
import { percentile, Recorder, round, sleep } from '../lib/stats'
import type { Address } from '../lib/wire'
import { cpuCheck, type Ctx, type Outcome, type Scenario } from '../lib/scenario'
import { allAcked, checkAgainst, keepTyping, Peer, sinceKill } from '../lib/peer'
import { RATE } from './fanout'

/**
 * `npm run bench -- --cluster`: three processes of ours on one PostgreSQL database and one
 * redis-server (bench/lib/cluster.ts), one review, clients on the review's owner and on the
 * other processes (relayed over Redis). Never part of the default set or of `--quick`.
 * - X5: the cross-process penalty — owner-local and relayed clients in the same run.
 * - X3: the owner killed (SIGKILL) while writers edit: ownership moved, writers acked again.
 * - X4: the owner paused (SIGSTOP ~8 s): ownership moved, rows it committed after it was declared dead.
 * - P13 across processes: as many clients as the machine takes, the owner killed, all resynced.
 * The killed or paused process is started again at once, as its supervisor would: its own
 * clients have no other address (no proxy here).
 */

const notOurs = (): Outcome => ({ metrics: {}, convergence: [], notes: ['one process only: not run'] })

const at = (a: Address, c: BenchCluster, i: number): Address => ({ ...a, url: c.nodes[i]!.url })

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const t = performance.now()
  while (!(await check())) {
    if (performance.now() - t > ms) throw new Error(`timed out after ${ms} ms: ${what}`)
    await sleep(20)
  }
  return performance.now() - t
}

/** Waits until process `index` owns the review (the first connection there loads and claims it). */
async function ownedBy(c: BenchCluster, reviewId: string, index: number) {
  let owner: Awaited<ReturnType<BenchCluster['ownerOf']>> = null
  await until(
    async () => (owner = await c.ownerOf(reviewId)) !== null && owner.index === index,
    10_000,
    `process ${index + 1} owns the review`,
  ).catch((e: unknown) => {
    throw new Error(`${(e as Error).message} (owner: ${JSON.stringify(owner)})`)
  })
  return owner!
}

// ---------------------------------------------------------------------------------------------
// X5

async function penalty(ctx: Ctx): Promise<Outcome> {
  const c = await startBenchCluster(3, 'X5')
  try {
    const room = await createRoom(c.nodes[0]!, 'x5')
    await seed(room.owner, fixture(3, 4000))
    const perSide = { writers: 5, observers: ctx.quick ? 5 : 20 }
    const wAddrs = await pool(Array.from({ length: 2 * perSide.writers }), 8, () => room.writer())
    const oAddrs = await pool(Array.from({ length: 2 * perSide.observers }), 8, () => room.observer())
    const log = new EditLog()
    const local = { log, visible: new Recorder(), ack: new Recorder() }
    const relayed = { log, visible: new Recorder(), ack: new Recorder() }
    // Owner-local clients first: the first connection loads the review on process 1 and claims it.
    const localObs = await openObservers(
      oAddrs.slice(0, perSide.observers).map((a) => at(a, c, 0)),
      local,
    )
    await ownedBy(c, room.reviewId, 0)
    const localW = await openFull(
      wAddrs.slice(0, perSide.writers).map((a) => at(a, c, 0)),
      local,
      1,
    )
    const relayedW = await openFull(
      wAddrs.slice(perSide.writers).map((a) => at(a, c, 1)),
      relayed,
      101,
    )
    const relayedObs = await openObservers(
      oAddrs.slice(perSide.observers).map((a) => at(a, c, 1)),
      relayed,
    )
    if ((await c.ownerOf(room.reviewId))?.index !== 0) throw new Error('X5: ownership moved during set-up')
    ctx.log(
      `  ${localW.length} + ${localObs.length} clients on the owner, ${relayedW.length} + ${relayedObs.length} relayed`,
    )
    const warmMs = ctx.quick ? 500 : 2000
    const windowMs = ctx.quick ? 3000 : 15_000
    const t0 = performance.now() + 5
    for (const r of [local.visible, local.ack, relayed.visible, relayed.ack])
      r.openWindow(t0 + warmMs, t0 + warmMs + windowMs)
    const writers = [...localW, ...relayedW]
    const loop = openLoop(writers, RATE, warmMs + windowMs)
    await sleep(warmMs)
    const cpu = new CpuMeter()
    await loop
    const genCpu = cpu.fraction()
    await sleep(1000) // drain
    const conv = await checkConvergence(at(room.owner, c, 0), writers)
    const ownerAfter = await c.ownerOf(room.reviewId)
    const v = { local: local.visible.summary(), relayed: relayed.visible.summary() }
    const a = { local: local.ack.summary(), relayed: relayed.ack.summary() }
    closeAll([...localObs, ...relayedObs])
    closeAll(writers)
    // Every edit of the window should reach every other client.
    const edits = writers.length * RATE * (windowMs / 1000)
    const expected = edits * (writers.length + localObs.length + relayedObs.length - 1)
    return {
      metrics: {
        visible_p50_local: round(v.local.p50),
        visible_p99_local: round(v.local.p99),
        visible_p50_relayed: round(v.relayed.p50),
        visible_p99_relayed: round(v.relayed.p99),
        ack_p50_local: round(a.local.p50),
        ack_p99_local: round(a.local.p99),
        ack_p50_relayed: round(a.relayed.p50),
        ack_p99_relayed: round(a.relayed.p99),
        visible_p50_penalty: round(v.relayed.p50 - v.local.p50),
        visible_p99_penalty: round(v.relayed.p99 - v.local.p99),
        ack_p50_penalty: round(a.relayed.p50 - a.local.p50),
        ack_p99_penalty: round(a.relayed.p99 - a.local.p99),
        acks_local: a.local.n,
        acks_relayed: a.relayed.n,
        delivered: round((v.local.n + v.relayed.n) / expected, 4),
        gen_cpu: round(genCpu, 3),
      },
      invalid: cpuCheck(genCpu),
      notes:
        ownerAfter?.index === 0 ? [] : [`ownership moved during the window (${JSON.stringify(ownerAfter)})`],
      convergence: [conv],
    }
  } finally {
    await c.stop()
  }
}

// ---------------------------------------------------------------------------------------------
// X3, X4: reconnecting writers spread over the three processes

interface Editing {
  room: Room
  writers: Peer[]
  /** Connections each writer had made when `mark()` was last called. */
  mark: () => void
  /** ms from `since` to each writer's first ack on a connection made after the last `mark()`. */
  firstAckAfter: (since: number, ms: number) => Promise<number[]>
  stopTyping: () => Promise<void>
  /** Waits until every writer's edits are acknowledged, then counts acked clock ticks a fresh joiner lacks. */
  settle: (c: BenchCluster, via: number) => Promise<{ lost: number; same: boolean }>
}

async function editing(c: BenchCluster, label: string, n: number, owner: number): Promise<Editing> {
  const room = await createRoom(c.nodes[0]!, label)
  await seed(room.owner, fixture(3, 4000))
  const addrs = await pool(Array.from({ length: n }), 8, () => room.writer())
  // Writer i on process (owner + i) % 3; the first one claims the review for `owner`.
  const writers = [new Peer(at(addrs[0]!, c, owner), true)]
  await until(() => writers[0]!.synced, 10_000, 'first writer synced')
  await ownedBy(c, room.reviewId, owner)
  writers.push(...addrs.slice(1).map((a, i) => new Peer(at(a, c, (owner + 1 + i) % 3), true)))
  await until(() => writers.every((w) => w.synced), 30_000, 'writers synced')
  const acks = writers.map(() => [] as { at: number; connection: number }[])
  writers.forEach((w, i) => (w.onAck = (t) => acks[i]!.push({ at: t, connection: w.connections })))
  let marked = writers.map((w) => w.connections)
  const stopTyping = keepTyping(writers, RATE)
  return {
    room,
    writers,
    mark: () => (marked = writers.map((w) => w.connections)),
    firstAckAfter: async (since, ms) => {
      // On a new connection (the dead owner's clients and relayed ones are closed), or late enough
      // that it cannot be the dead owner's last ack still in flight.
      const first = (i: number) =>
        acks[i]!.find((x) => x.at > since && (x.connection > marked[i]! || x.at - since > 250))
      await until(
        () => writers.every((_w, i) => first(i) !== undefined),
        ms,
        `every writer acknowledged again (${writers.filter((_w, i) => first(i) === undefined).length} not)`,
      )
      return writers.map((_w, i) => first(i)!.at - since)
    },
    stopTyping,
    settle: async (cl, via) => {
      await until(() => writers.every(allAcked), 30_000, 'every writer’s edits acknowledged')
      const fresh = new Peer(at(room.owner, cl, via), true)
      await until(() => fresh.synced, 10_000, 'fresh joiner synced').catch((e: unknown) => {
        fresh.close()
        throw e
      })
      return checkAgainst(fresh, writers)
    },
  }
}

const lostCheck = (lost: number, same: boolean, what: string) => ({
  ok: lost === 0 && same,
  detail:
    lost > 0
      ? `${what}: ${lost} acknowledged clock ticks missing`
      : same
        ? `${what}: nothing acknowledged lost, writers and a fresh joiner equal`
        : `${what}: writers and a fresh joiner differ`,
})

const WRITERS = 12

async function failover(ctx: Ctx): Promise<Outcome> {
  const c = await startBenchCluster(3, 'X3')
  let e: Editing | null = null
  try {
    e = await editing(c, 'x3', WRITERS, 0)
    const before = await c.ownerOf(e.room.reviewId)
    await sleep(1000 + Math.random() * 1000)
    e.mark()
    const tKill = performance.now()
    const killed = c.nodes[0]!.kill9()
    // The supervisor starts it again at once; meanwhile a relayed client's process takes over.
    const restarted = killed.then(() => c.restart(0))
    let newOwner = -1
    const transferMs = await until(
      async () => {
        const o = await c.ownerOf(e!.room.reviewId)
        newOwner = o?.index ?? -1
        return o !== null && o.incarnation !== before!.incarnation
      },
      15_000,
      'another process owns the review',
    )
    await restarted
    const restartMs = performance.now() - tKill
    const again = await e.firstAckAfter(tKill, 20_000)
    const survivors = again.filter((_t, i) => i % 3 !== 0)
    await sleep(1000)
    await e.stopTyping()
    const { lost, same } = await e.settle(c, 1)
    ctx.log(`  ownership moved to process ${newOwner + 1} after ${Math.round(transferMs)} ms`)
    return {
      metrics: {
        transfer_ms: round(transferMs),
        restart_ms: round(restartMs),
        ack_again_p50: round(percentile(again, 50)),
        ack_again_p99: round(percentile(again, 99)),
        ack_again_survivors_p99: round(percentile(survivors, 99)),
        acked_lost: lost,
      },
      convergence: [lostCheck(lost, same, 'X3')],
    }
  } finally {
    if (e) {
      await e.stopTyping()
      for (const w of e.writers) w.close()
    }
    await c.stop()
  }
}

async function paused(ctx: Ctx): Promise<Outcome> {
  const c = await startBenchCluster(3, 'X4')
  let e: Editing | null = null
  const PAUSE_MS = 8000
  try {
    e = await editing(c, 'x4', WRITERS, 0)
    const before = (await c.ownerOf(e.room.reviewId))!
    const zombie = c.nodes[0]!
    const own = e.writers.filter((_w, i) => i % 3 === 0)
    const dropped = own.map(() => false)
    own.forEach((w, i) => w.socket.on('disconnect', () => (dropped[i] = true)))
    await sleep(1000)
    const tStop = performance.now()
    process.kill(zombie.pid, 'SIGSTOP')
    const movedMs = await until(
      async () => {
        const o = await c.ownerOf(e!.room.reviewId)
        return o !== null && o.incarnation !== before.incarnation
      },
      20_000,
      'ownership moves away from the paused process',
    )
    // It is still stopped: whatever it committed so far it committed before it was declared dead.
    // Anything of its above today's high-water mark was committed after (compaction by the new
    // owner may delete its older rows, so a plain count could hide new ones).
    const rowsBefore = await c.rowsOf(before.incarnation)
    const mark = await c.highWater()
    await sleep(Math.max(0, PAUSE_MS - (performance.now() - tStop)))
    const tCont = performance.now()
    process.kill(zombie.pid, 'SIGCONT')
    const code = await withTimeout(zombie.exit, 20_000, 'the resumed process exits')
    const exitMs = performance.now() - tCont
    const after = await c.rowsAbove(before.incarnation, mark)
    ctx.log(
      `  moved after ${Math.round(movedMs)} ms; resumed process exited ${code} after ${Math.round(exitMs)} ms`,
    )
    await c.restart(0)
    await sleep(1000)
    await e.stopTyping()
    const { lost, same } = await e.settle(c, 1)
    return {
      metrics: {
        pause_ms: round(tCont - tStop),
        moved_ms: round(movedMs),
        committed_after_dead: after,
        committed_before_pause: rowsBefore,
        exit_after_resume_ms: round(exitMs),
        exit_code: typeof code === 'number' ? code : Number.NaN,
        own_sockets_closed: round(dropped.filter(Boolean).length / dropped.length, 3),
        acked_lost: lost,
      },
      notes: code === 75 ? [] : [`the resumed process exited with ${code}, not 75`],
      convergence: [
        lostCheck(lost, same, 'X4'),
        {
          ok: after === 0,
          detail: `X4: ${after} rows committed by the paused incarnation after it was declared dead (${rowsBefore} before)`,
        },
      ],
    }
  } finally {
    if (e) {
      await e.stopTyping()
      for (const w of e.writers) w.close()
    }
    await c.stop()
  }
}

// ---------------------------------------------------------------------------------------------
// P13 across processes

class TooMany extends Error {}

async function killAcross(
  n: number,
  ctx: Ctx,
): Promise<{ metrics: Outcome['metrics']; ok: boolean; detail: string }> {
  const c = await startBenchCluster(3, 'P13x')
  const peers: Peer[] = []
  try {
    const room = await createRoom(c.nodes[0]!, 'p13x')
    await seed(room.owner, fixture(13, 8000))
    const writersN = 10
    const wAddrs = await pool(Array.from({ length: writersN }), 8, () => room.writer())
    const oAddrs = await pool(Array.from({ length: n - writersN }), 8, () => room.observer())
    // Client i on process i % 3; the first (a writer on process 1) claims the review there.
    const addrs = [...wAddrs, ...oAddrs].map((a, i) => ({ addr: at(a, c, i % 3), writer: i < writersN }))
    peers.push(new Peer(addrs[0]!.addr, true))
    await until(() => peers[0]!.synced, 10_000, 'first writer synced')
    await ownedBy(c, room.reviewId, 0)
    for (const a of addrs.slice(1)) peers.push(new Peer(a.addr, a.writer))
    try {
      await until(() => peers.every((p) => p.synced), 60_000, `${n} clients synced`)
    } catch (e) {
      throw new TooMany(`${(e as Error).message}: ${peers.filter((p) => !p.synced).length} not synced`)
    }
    ctx.log(`  ${n} clients synced (${peers.filter((_p, i) => i % 3 !== 0).length} relayed)`)
    const writers = peers.filter((p) => p.writer)
    const stopTyping = keepTyping(writers, RATE)
    await sleep(1000 + Math.random() * 1000)
    const since = sinceKill(peers)
    const tKill = performance.now()
    await c.nodes[0]!.kill9()
    await c.restart(0)
    const tReady = performance.now()
    await sleep(1000) // edits keep coming across the restart
    await stopTyping()
    let all = true
    await until(since.settled, 30_000, 'every client resynced').catch(() => (all = false))
    const last = Math.max(...peers.map((p) => p.syncedAt))
    const fresh = new Peer(at(room.owner, c, 1), true)
    await until(() => fresh.synced, 10_000, 'fresh joiner synced')
    const { lost, same } = await checkAgainst(fresh, writers)
    const check = lostCheck(lost, same, 'P13 across processes')
    return {
      metrics: {
        clients: n,
        restart_ms: round(tReady - tKill),
        resync_from_kill_ms: all ? round(last - tKill) : Number.NaN,
        resync_from_ready_ms: all ? round(Math.max(0, last - tReady)) : Number.NaN,
        acked_lost: lost,
      },
      ok: all && check.ok,
      detail: all ? check.detail : `not every client resynced within 30 s: ${since.unsettled()} not resynced`,
    }
  } finally {
    for (const p of peers) p.close()
    await c.stop()
  }
}

async function killAcrossScaled(ctx: Ctx): Promise<Outcome> {
  const wanted = Number(process.env.BENCH_CLUSTER_N) || (ctx.quick ? 30 : 300)
  const sizes = [wanted, Math.round(wanted / 2), Math.round(wanted / 5)].filter((s) => s > 10)
  const notes: string[] = []
  for (const n of sizes) {
    try {
      const { ok, detail, metrics } = await killAcross(n, ctx)
      if (n !== wanted) notes.push(`${n} clients (${wanted} did not all sync on this machine)`)
      return { metrics, notes, convergence: [{ ok, detail }] }
    } catch (e) {
      if (!(e instanceof TooMany)) throw e
      ctx.log(`  ${e.message}: trying fewer`)
      notes.push(`${n} clients: ${e.message}`)
    }
  }
  throw new Error(`P13 across processes: no size synced (${notes.join('; ')})`)
}

// ---------------------------------------------------------------------------------------------

export const clusterPenalty: Scenario = {
  id: 'X5',
  title: 'relayed vs owner-local clients, one review on 3 processes (X5)',
  reps: () => 1,
  run: (kind, ctx) => (kind === 'ours' ? penalty(ctx) : Promise.resolve(notOurs())),
  rows: [
    { label: 'X5 edit → visible p50, owner-local', key: 'visible_p50_local', unit: 'ms', target: '—' },
    { label: 'X5 edit → visible p50, relayed', key: 'visible_p50_relayed', unit: 'ms', target: '—' },
    { label: 'X5 edit → visible p99, owner-local', key: 'visible_p99_local', unit: 'ms', target: '—' },
    { label: 'X5 edit → visible p99, relayed', key: 'visible_p99_relayed', unit: 'ms', target: '—' },
    { label: 'X5 edit → ack p50, owner-local', key: 'ack_p50_local', unit: 'ms', target: '—' },
    { label: 'X5 edit → ack p50, relayed', key: 'ack_p50_relayed', unit: 'ms', target: '—' },
    { label: 'X5 edit → ack p99, owner-local', key: 'ack_p99_local', unit: 'ms', target: '—' },
    { label: 'X5 edit → ack p99, relayed', key: 'ack_p99_relayed', unit: 'ms', target: '—' },
    {
      label: 'X5 relayed penalty, edit → visible p50',
      key: 'visible_p50_penalty',
      unit: 'ms',
      target: '≤ +2 ms',
      met: (v) => v <= 2,
    },
    {
      label: 'X5 relayed penalty, edit → visible p99',
      key: 'visible_p99_penalty',
      unit: 'ms',
      target: '≤ +10 ms',
      met: (v) => v <= 10,
    },
    {
      label: 'X5 relayed penalty, edit → ack p50',
      key: 'ack_p50_penalty',
      unit: 'ms',
      target: '≤ +2 ms',
      met: (v) => v <= 2,
    },
    {
      label: 'X5 relayed penalty, edit → ack p99',
      key: 'ack_p99_penalty',
      unit: 'ms',
      target: '≤ +10 ms',
      met: (v) => v <= 10,
    },
  ],
}

export const clusterFailover: Scenario = {
  id: 'X3',
  title: 'the owner killed (SIGKILL) while writers edit (X3)',
  reps: () => 1,
  run: (kind, ctx) => (kind === 'ours' ? failover(ctx) : Promise.resolve(notOurs())),
  rows: [
    {
      label: 'X3 kill → another process owns the review',
      key: 'transfer_ms',
      unit: 'ms',
      target: '≤ 1,000 ms',
      met: (v) => v <= 1000,
    },
    { label: 'X3 kill → each writer acked again, p50', key: 'ack_again_p50', unit: 'ms', target: '—' },
    {
      label: 'X3 kill → each writer acked again, p99',
      key: 'ack_again_p99',
      unit: 'ms',
      target: '≤ 3,000 ms',
      met: (v) => v <= 3000,
    },
    {
      label: 'X3 kill → writers on the other processes acked again, p99',
      key: 'ack_again_survivors_p99',
      unit: 'ms',
      target: '—',
    },
    { label: 'X3 kill → killed process listening again', key: 'restart_ms', unit: 'ms', target: '—' },
    { label: 'X3 acknowledged edits lost', key: 'acked_lost', unit: '', target: '0', met: (v) => v === 0 },
  ],
}

export const clusterPause: Scenario = {
  id: 'X4',
  title: 'the owner paused (SIGSTOP ~8 s) then resumed (X4)',
  reps: () => 1,
  run: (kind, ctx) => (kind === 'ours' ? paused(ctx) : Promise.resolve(notOurs())),
  rows: [
    {
      label: 'X4 pause → ownership moved',
      key: 'moved_ms',
      unit: 'ms',
      target: '≤ 6,000 ms',
      met: (v) => v <= 6000,
    },
    {
      label: 'X4 rows committed by the paused process after it was declared dead',
      key: 'committed_after_dead',
      unit: '',
      target: '0',
      met: (v) => v === 0,
    },
    {
      label: 'X4 resume → the paused process exited',
      key: 'exit_after_resume_ms',
      unit: 'ms',
      target: '—',
    },
    {
      label: "X4 share of the paused process's own sockets closed",
      key: 'own_sockets_closed',
      unit: '',
      target: '1',
      met: (v) => v === 1,
    },
    { label: 'X4 acknowledged edits lost', key: 'acked_lost', unit: '', target: '0', met: (v) => v === 0 },
  ],
}

export const clusterKill: Scenario = {
  id: 'P13x',
  title: 'clients on 3 processes after the owner is killed (P13 across processes)',
  reps: () => 1,
  run: (kind, ctx) => (kind === 'ours' ? killAcrossScaled(ctx) : Promise.resolve(notOurs())),
  rows: [
    { label: 'P13 across processes: clients', key: 'clients', unit: '', target: '500' },
    {
      label: 'P13 across processes: restart → all resynced',
      key: 'resync_from_ready_ms',
      unit: 'ms',
      target: '≤ 5,000 ms',
      met: (v) => v <= 5000,
    },
    {
      label: 'P13 across processes: kill → all resynced',
      key: 'resync_from_kill_ms',
      unit: 'ms',
      target: '—',
    },
    {
      label: 'P13 across processes: acknowledged edits lost',
      key: 'acked_lost',
      unit: '',
      target: '0',
      met: (v) => v === 0,
    },
  ],
}

/** `--cluster` only, in this order (never in the default set nor in `--quick`'s). */
export const clusterScenarios: Scenario[] = [clusterPenalty, clusterFailover, clusterPause, clusterKill]
