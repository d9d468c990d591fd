import { createRoom, pool } from '../lib/access'
import { fixture } from '../lib/fixtures'
import { seed } from '../lib/harness'
import { allAcked, checkAgainst, keepTyping, Peer, sinceKill } from '../lib/peer'
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
      const stopTyping = keepTyping(writers, 5) // 10 writers × 5 edits/s
      await sleep(1000 + Math.random() * 1000)
      const tKill = performance.now()
      await server.kill9()
      // Resynced = a step 2 on a connection made after the kill. Not "after the bench saw the new
      // server answer /healthz": clients reconnect on their own and can be synced before that poll
      // returns on the busy generator core (a run once counted 65 such clients as not resynced).
      const since = sinceKill(peers)
      second = await startServer(kind, { label: 'P13', dataDir: server.dataDir, port: server.port })
      const tReady = performance.now()
      await sleep(1000) // edits keep coming across the restart
      await stopTyping()
      const all = await waitFor(since.settled, 30_000)
      const resyncMs = Math.max(0, ...peers.map((p) => p.syncedAt - tReady))
      // A fresh joiner after everything settled: holds every acknowledged edit, and equals the writers.
      const fresh = new Peer(room.owner, true)
      await waitFor(() => fresh.synced, 10_000)
      const { lost, same } = await checkAgainst(fresh, writers)
      return {
        metrics: {
          clients: n,
          restart_ms: round(tReady - tKill),
          resync_ms: all ? round(resyncMs) : Number.NaN,
          acked_lost: lost,
          // Resynced before the bench's /healthz poll returned (see `sinceKill`).
          resynced_before_ready: peers.filter((p, i) => since.resynced(p, i) && p.syncedAt < tReady).length,
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
              : `not every client resynced within 30 s: ${since.unsettled()} not resynced (${peers.filter((p) => !p.socket.connected).length} disconnected), ${writers.filter((w) => !allAcked(w)).length} writers with edits unacknowledged`,
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
