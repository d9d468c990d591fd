import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { startRedis, type RedisServer } from '../../test/cluster/helpers/cluster'
import { databaseFor } from './postgres'
import { freePort, hasTaskset } from './proc'
import { freshDataDir, removeDataDir, startServer, type ServerHandle } from './servers'
import { sleep } from './stats'

/**
 * `--cluster`: three of our server processes on loopback, as docs/operations.md "Several
 * processes" runs them — the same DATABASE_URL (a fresh database in the bench's own PostgreSQL
 * cluster, bench/lib/postgres.ts), the same REDIS_URL (a redis-server started here on a free
 * port, `--save "" --appendonly no`, killed by pid at the end; the cluster tests' helper), the
 * same PUBLIC_URL and SECRET_KEY, each its own PORT. Servers, PostgreSQL and Redis share core 0;
 * the generator keeps core 1.
 */
export interface BenchCluster {
  nodes: ServerHandle[]
  redis: RedisServer
  /** The incarnation owning a review now (null if none), and the index of its process (-1: none of ours). */
  ownerOf: (reviewId: string) => Promise<{ incarnation: string; index: number } | null>
  /** Rows (doc_updates + events) an incarnation committed. */
  rowsOf: (incarnation: string) => Promise<number>
  /** The highest document-log id and event seq now (the database holds one review). */
  highWater: () => Promise<{ id: string; seq: number }>
  /** Rows an incarnation committed above a high-water mark (compaction cannot hide them). */
  rowsAbove: (incarnation: string, mark: { id: string; seq: number }) => Promise<number>
  /** Starts the process at `index` again on its port (a supervisor's restart: a new incarnation). */
  restart: (index: number) => Promise<ServerHandle>
  stop: () => Promise<void>
}

export async function startBenchCluster(n = 3, label = 'cluster'): Promise<BenchCluster> {
  const redis = await startRedis()
  // Redis is "the server side" too: pinned with the servers and PostgreSQL.
  if (hasTaskset() && redis.proc.pid)
    execFileSync('taskset', ['-pc', '0', String(redis.proc.pid)], { stdio: 'ignore' })
  const dataDir = freshDataDir()
  const ports: number[] = []
  for (let i = 0; i < n; i++) ports.push(await freePort())
  const env = {
    REDIS_URL: redis.url,
    SECRET_KEY: 'bench-cluster-secret-key-0123456789',
    PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
  }
  const nodes: ServerHandle[] = []
  const start = async (i: number) => {
    for (let attempt = 0; ; attempt++) {
      try {
        nodes[i] = await startServer('ours', {
          store: 'postgres',
          dataDir,
          port: ports[i],
          label: `${label}-n${i + 1}`,
          env: { ...env, NODE_NAME: `node${i + 1}` },
        })
        return nodes[i]!
      } catch (e) {
        // The killed process's port can be held a moment longer.
        if (attempt >= 20) throw e
        await sleep(100)
      }
    }
  }
  // A run stopped part-way (a scenario's timeout, Ctrl-C) leaves no server or redis-server behind.
  const reap = () => {
    for (const s of nodes) {
      try {
        if (s && !s.exited) process.kill(s.pid, 'SIGKILL')
      } catch {
        /* gone meanwhile */
      }
    }
    redis.proc.kill('SIGKILL')
  }
  process.once('exit', reap)
  const db = new pg.Client({ connectionString: await databaseFor(dataDir) })
  try {
    // One after the other: the first runs the migrations, the others find them applied.
    for (let i = 0; i < n; i++) await start(i)
    await db.connect()
  } catch (e) {
    for (const s of nodes) await s?.kill9()
    await redis.stop()
    throw e
  }
  return {
    nodes,
    redis,
    ownerOf: async (reviewId) => {
      const res = await db.query<{ incarnation: string; address: string | null }>(
        `SELECT o.incarnation::text, l.address FROM review_owner o JOIN node_lease l USING (incarnation)
          WHERE o.review_id = $1 AND NOT l.dead`,
        [reviewId],
      )
      const row = res.rows[0]
      return row
        ? { incarnation: row.incarnation, index: nodes.findIndex((s) => s.url === row.address) }
        : null
    },
    rowsOf: async (incarnation) => {
      const res = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM doc_updates WHERE incarnation = $1::bigint)::int
              + (SELECT count(*) FROM events WHERE incarnation = $1::bigint)::int AS n`,
        [incarnation],
      )
      return res.rows[0]?.n ?? Number.NaN
    },
    highWater: async () => {
      const res = await db.query<{ id: string; seq: number }>(
        `SELECT (SELECT coalesce(max(id), 0) FROM doc_updates)::text AS id,
                (SELECT coalesce(max(seq), 0) FROM events)::int AS seq`,
      )
      return res.rows[0]!
    },
    rowsAbove: async (incarnation, mark) => {
      const res = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM doc_updates WHERE incarnation = $1::bigint AND id > $2::bigint)::int
              + (SELECT count(*) FROM events WHERE incarnation = $1::bigint AND seq > $3)::int AS n`,
        [incarnation, mark.id, mark.seq],
      )
      return res.rows[0]?.n ?? Number.NaN
    },
    restart: start,
    stop: async () => {
      await db.end().catch(() => undefined)
      // SIGKILL ends a stopped (SIGSTOP) process too.
      for (const s of nodes) await s?.kill9()
      await redis.stop()
      process.removeListener('exit', reap)
      removeDataDir(dataDir)
    },
  }
}
