import { startServer } from '../lib/servers'
import { createRoom, pool } from '../lib/access'
import { fixture } from '../lib/fixtures'
import { checkConvergence, closeAll, openFull, openLoop, seed } from '../lib/harness'
import { checkpoint, clusterWriteBytes, walPosition } from '../lib/postgres'
import { writeBytes } from '../lib/proc'
import { round, sleep } from '../lib/stats'
import type { Scenario } from '../lib/scenario'

/**
 * P9: bytes the server process wrote to disk (/proc/<pid>/io write_bytes, which counts pages
 * dirtied by its writes) ÷ bytes of the Yjs updates it was sent, for a small and a 160 KB
 * document: 10 writers × 5 edits/s. The baseline persists with y-leveldb (YPERSISTENCE) here.
 * On PostgreSQL (`--store postgres`) the bytes every process of the benchmark's own cluster wrote
 * (WAL, data pages) are added to the server's, counted from a CHECKPOINT (what set-up dirtied is
 * written before the window opens). There it also gives the WAL PostgreSQL generated ÷ update
 * bytes: what its log holds, whatever the kernel counts for rewriting a WAL page (docs/performance.md).
 */

export const writeAmplification: Scenario = {
  id: 'P9',
  title: 'bytes written ÷ update bytes',
  reps: () => 1,
  async run(kind, ctx) {
    const server = await startServer(kind, { label: 'P9', persist: true })
    try {
      const metrics: Record<string, number> = {}
      const conv = []
      for (const [name, fx] of [
        ['small', fixture(17, 4000)],
        ['large', fixture(18, 160_000)],
      ] as const) {
        const room = await createRoom(server, `p9-${name}`)
        await seed(room.owner, fx)
        const writers = await openFull(await pool(Array.from({ length: 10 }), 5, () => room.writer()), null)
        await sleep(1500) // let seeding's own writes land before counting
        const before = writers.reduce((n, w) => n + w.updateBytes, 0)
        const disk = async () =>
          writeBytes(server.pid) + (server.store === 'postgres' ? await clusterWriteBytes() : 0)
        const pg = server.store === 'postgres'
        if (pg) await checkpoint()
        const wal0 = pg ? await walPosition() : 0
        const w0 = await disk()
        await openLoop(writers, 5, ctx.quick ? 2000 : 10_000)
        await Promise.all(writers.map((w) => w.flush()))
        await sleep(1500) // the baseline writes asynchronously after its echo
        const written = (await disk()) - w0
        const wal = pg ? (await walPosition()) - wal0 : Number.NaN
        const sent = writers.reduce((n, w) => n + w.updateBytes, 0) - before
        metrics[`ratio_${name}`] = round(written / sent, 1)
        if (pg) metrics[`wal_ratio_${name}`] = round(wal / sent, 1)
        metrics[`update_kb_${name}`] = round(sent / 1024, 1)
        conv.push(await checkConvergence(room.owner, writers))
        closeAll(writers)
      }
      return { metrics, convergence: conv }
    } finally {
      await server.stop()
    }
  },
  rows: [
    {
      label: 'P9 disk bytes ÷ update bytes, small doc',
      key: 'ratio_small',
      unit: '×',
      target: '≤ 10×',
      met: (v) => v <= 10,
      baselineNote: 'y-leveldb, no ack',
    },
    {
      label: 'P9 disk bytes ÷ update bytes, 160 KB doc',
      key: 'ratio_large',
      unit: '×',
      target: '≤ 10×',
      met: (v) => v <= 10,
      baselineNote: 'y-leveldb, no ack',
    },
    {
      label: 'P9 WAL bytes ÷ update bytes, small doc (PostgreSQL only)',
      key: 'wal_ratio_small',
      unit: '×',
      target: '≤ 10×',
      met: (v) => v <= 10,
    },
    {
      label: 'P9 WAL bytes ÷ update bytes, 160 KB doc (PostgreSQL only)',
      key: 'wal_ratio_large',
      unit: '×',
      target: '≤ 10×',
      met: (v) => v <= 10,
    },
  ],
}
