import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { throwawayCluster, type ThrowawayCluster } from '../../test/faults/helpers/throwawayPostgres'
import { hasTaskset, writeBytes } from './proc'

/**
 * `--store postgres`: our server on PostgreSQL 15, in a cluster of the benchmark's own (initdb in
 * a temporary folder, a free port, default durability: fsync on, synchronous_commit on), pinned
 * to core 0 with the server under test so "the server side" gets the same one core as with
 * SQLite. Each data directory a scenario uses maps to a database of its own, so a restart
 * (same data directory) finds the same data. Another cluster would share its disk and WAL with
 * whatever else runs on the machine; this one measures only the benchmark.
 */
let cluster: Promise<ThrowawayCluster> | undefined
const databases = new Map<string, string>()

function benchCluster(): Promise<ThrowawayCluster> {
  return (cluster ??= throwawayCluster({
    cpus: hasTaskset() ? '0' : undefined,
    settings: ['shared_buffers=128MB', 'max_connections=100'],
  }).then((c) => {
    process.once('exit', () => c.destroy())
    return c
  }))
}

/** The DATABASE_URL of the database that belongs to this data directory (created on first use). */
export async function databaseFor(dataDir: string): Promise<string> {
  const known = databases.get(dataDir)
  if (known) return known
  const c = await benchCluster()
  const name = `bench_${databases.size + 1}_${process.pid}`
  const admin = new pg.Client({ connectionString: c.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = c.url.replace(/\/prfaq$/, `/${name}`)
  databases.set(dataDir, url)
  return url
}

/**
 * Writes every dirty page out now (P9 starts counting after it): what creating the database and
 * seeding the room dirtied would otherwise be flushed by the checkpointer inside the window.
 */
export async function checkpoint(): Promise<void> {
  const c = await benchCluster()
  const admin = new pg.Client({ connectionString: c.url })
  await admin.connect()
  try {
    await admin.query('CHECKPOINT')
  } finally {
    await admin.end()
  }
}

/** How far the cluster's WAL has grown, in bytes since its start (P9's second PostgreSQL figure). */
export async function walPosition(): Promise<number> {
  const c = await benchCluster()
  const admin = new pg.Client({ connectionString: c.url })
  await admin.connect()
  try {
    const res = await admin.query<{ at: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS at")
    return Number(res.rows[0]!.at)
  } finally {
    await admin.end()
  }
}

/** Bytes every process of the cluster has written to disk so far (P9: PostgreSQL's share). */
export async function clusterWriteBytes(): Promise<number> {
  const c = await benchCluster()
  const postmaster = Number(readFileSync(join(c.data, 'postmaster.pid'), 'utf8').split('\n')[0])
  let total = writeBytes(postmaster)
  for (const pid of childrenOf(postmaster)) {
    try {
      total += writeBytes(pid)
    } catch {
      /* exited meanwhile */
    }
  }
  return total
}

function childrenOf(parent: number): number[] {
  const out: number[] = []
  for (const task of readdirSync(`/proc/${parent}/task`)) {
    const list = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim()
    if (list) out.push(...list.split(' ').map(Number))
  }
  return out
}

/** Stops and removes the cluster (also done at exit). */
export async function stopCluster(): Promise<void> {
  if (!cluster) return
  const c = await cluster
  cluster = undefined
  databases.clear()
  c.destroy()
}
