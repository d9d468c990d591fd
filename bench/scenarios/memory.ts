import { startServer } from '../lib/servers'
import { createRoom, pool } from '../lib/access'
import { fixture } from '../lib/fixtures'
import { FullClient, Observer, withTimeout } from '../lib/clients'
import { checkConvergence, closeAll, seed } from '../lib/harness'
import { rssBytes } from '../lib/proc'
import { heapAfterGc } from '../lib/inspector'
import type { ServerHandle } from '../lib/servers'
import { round, sleep } from '../lib/stats'
import type { Scenario } from '../lib/scenario'

/**
 * P7: memory of the server process (RSS deltas from /proc/<pid>/status, read after a full GC forced
 * through the inspector; the V8 heap alongside), in three steps on one
 * server: idle connections in one room; idle small rooms with one client each (minus that
 * client's connection); rooms holding a 160 KB document with one client each (minus the same).
 */

interface Mem {
  rss: number
  heap: number
}

const settle = async (server: ServerHandle): Promise<Mem> => {
  await sleep(300)
  const heap = await heapAfterGc(server)
  return { rss: rssBytes(server.pid), heap }
}

/** Per item, in bytes: the RSS delta and the heap delta. */
const per = (a: Mem, b: Mem, n: number) => ({ rss: (b.rss - a.rss) / n, heap: (b.heap - a.heap) / n })

export const memory: Scenario = {
  id: 'P7',
  title: 'memory per idle connection, idle small room, loaded 160 KB document',
  reps: () => 1,
  async run(kind, ctx) {
    const conns = ctx.quick ? 20 : 1000
    const rooms = ctx.quick ? 10 : 200
    const docs = ctx.quick ? 1 : 10
    const server = await startServer(kind, { label: 'P7', inspect: true })
    const keep: { close(): void }[] = []
    try {
      const small = fixture(15, 2000)
      const room = await createRoom(server, 'p7')
      await seed(room.owner, small)
      const addrs = await pool(Array.from({ length: conns }), 8, () => room.observer())
      const first = await Observer.open(room.owner, null)
      await first.synced
      keep.push(first)
      const rss0 = await settle(server)
      keep.push(
        ...(await pool(addrs, 50, async (a) => {
          const o = await Observer.open(a, null)
          await withTimeout(o.synced, 30_000, 'observer sync')
          return o
        })),
      )
      const rss1 = await settle(server)
      const perConn = per(rss0, rss1, conns)

      const roomList = await pool(Array.from({ length: rooms }), 16, () => createRoom(server, 'p7-small'))
      const rss1b = await settle(server)
      const writers = await pool(roomList, 20, async (r) => {
        const w = await FullClient.open(r.owner, null)
        await withTimeout(w.synced, 30_000, 'sync')
        for (const u of small.updates) w.applyLocal(u)
        await w.flush()
        return w
      })
      keep.push(...writers)
      const rss2 = await settle(server)
      const perRoom = per(rss1b, rss2, rooms)

      const docRooms = await pool(Array.from({ length: docs }), 4, () => createRoom(server, 'p7-doc'))
      const big = fixture(16, 160_000)
      const rss2b = await settle(server)
      const loaded = await pool(docRooms, 2, async (r) => {
        await seed(r.owner, big)
        const o = await Observer.open(r.owner, null)
        await withTimeout(o.synced, 30_000, 'sync')
        return o
      })
      keep.push(...loaded)
      const rss3 = await settle(server)
      const perDoc = per(rss2b, rss3, docs)
      const conv = await checkConvergence(roomList[0]!.owner, [writers[0]!])
      return {
        metrics: {
          conn_kb: round(perConn.rss / 1024, 1),
          room_kb: round((perRoom.rss - perConn.rss) / 1024, 1),
          doc_mb: round((perDoc.rss - perConn.rss) / 2 ** 20, 2),
          conn_heap_kb: round(perConn.heap / 1024, 1),
          room_heap_kb: round((perRoom.heap - perConn.heap) / 1024, 1),
          doc_heap_mb: round((perDoc.heap - perConn.heap) / 2 ** 20, 2),
          rss_mb: round(rss3.rss / 2 ** 20, 1),
        },
        notes: ['room and document figures exclude the one connection each room holds'],
        convergence: [conv],
      }
    } finally {
      closeAll(keep)
      await server.stop()
    }
  },
  rows: [
    {
      label: 'P7 memory per idle connection',
      key: 'conn_kb',
      unit: 'KB',
      target: '≤ 40 KB',
      met: (v) => v <= 40,
    },
    {
      label: 'P7 memory per idle small room',
      key: 'room_kb',
      unit: 'KB',
      target: '≤ 150 KB',
      met: (v) => v <= 150,
    },
    {
      label: 'P7 memory per loaded 160 KB document',
      key: 'doc_mb',
      unit: 'MB',
      target: '≤ 8 MB',
      met: (v) => v <= 8,
    },
  ],
}
