import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestDatabase, type TestDatabase } from '../../integration/helpers/postgres'
import { freePort, restartProcess, type ServerProcess } from '../../faults/helpers/processes'

/**
 * Several real server processes on loopback sharing one fresh PostgreSQL database and a real
 * redis-server started here on a free port (no persistence), as docs/operations.md runs them.
 * Everything started is stopped by `stop()`, by pid.
 */
export interface RedisServer {
  port: number
  url: string
  proc: ChildProcess
  stop: () => Promise<void>
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort())
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(p),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      // DEBUG SLEEP stalls Redis in the relay tests (off by default since Redis 7).
      '--enable-debug-command',
      'local',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 5_000)
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(t)
        resolve()
      }
    })
    proc.once('error', (e) => {
      clearTimeout(t)
      reject(new Error(`redis-server is required by this test and could not be started: ${e.message}`))
    })
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGKILL')
    })
  return { port: p, url: `redis://127.0.0.1:${p}`, proc, stop }
}

export interface TestCluster {
  db: TestDatabase
  /** Replaced when a test restarts Redis. */
  redis: RedisServer
  nodes: ServerProcess[]
  ports: number[]
  env: Record<string, string>
  /** Starts (again) the process at `index` on its port. */
  start: (index: number) => Promise<ServerProcess>
  /** The incarnation that owns a review now (null if none). */
  ownerOf: (reviewId: string) => Promise<{ incarnation: string; address: string | null } | null>
  /** The index of the process listening at an address. */
  indexOf: (address: string | null) => number
  stop: () => Promise<void>
}

export async function startCluster(n = 3, extraEnv: Record<string, string> = {}): Promise<TestCluster> {
  const db = await createTestDatabase()
  const redis = await startRedis()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-cluster-'))
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    SECRET_KEY: 'cluster-test-secret-key-0123456789',
    LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'silent',
    ...extraEnv,
  }
  const ports: number[] = []
  for (let i = 0; i < n; i++) ports.push(await freePort())
  const nodes: ServerProcess[] = []
  const start = async (i: number) => {
    const s = await restartProcess(dataDir, ports[i]!, { ...env, NODE_NAME: `node${i + 1}` })
    if (process.env.CLUSTER_LOG_LEVEL)
      s.proc.stdout!.on('data', (c: Buffer) => process.stdout.write(`[n${i + 1}] ${c}`))
    nodes[i] = s
    return s
  }
  // One after the other: the first runs the migrations, the others find them applied.
  for (let i = 0; i < n; i++) await start(i)
  const c: TestCluster = {
    db,
    redis,
    nodes,
    ports,
    env,
    start,
    ownerOf: async (reviewId) => {
      const rows = await db.query<{ incarnation: string; address: string | null }>(
        `SELECT o.incarnation::text, l.address FROM review_owner o JOIN node_lease l USING (incarnation)
          WHERE o.review_id = $1 AND NOT l.dead`,
        [reviewId],
      )
      return rows[0] ?? null
    },
    indexOf: (address) => nodes.findIndex((s) => s.url === address),
    stop: async () => {
      for (const s of nodes) await s?.kill('SIGKILL')
      await c.redis.stop()
      await db.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return c
}
