import pg from 'pg'
import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'
import { fenceBatch, type StoreFence } from '../cluster/fence'
import { createFolder } from './foldWorker'
import { POSTGRES_MIGRATIONS } from './migrations/postgres'
import { migratePostgres } from './migrations/runner'
import {
  DEFAULT_COMPACTION,
  StoreError,
  type CompactionPolicy,
  type Store,
  type StoreMetrics,
  type WriteSet,
} from './types'

export interface PostgresPoolOptions {
  /** Connections in the pool (default 10): one writes at a time, the rest read and compact. */
  max?: number
  /** Opening a connection gives up after this long (default 5 s): the write is "not saved". */
  connectTimeoutMs?: number
  /** A statement without an answer fails after this long (default 10 s), so a write never hangs. */
  queryTimeoutMs?: number
  /** An idle connection is closed after this long (default 30 s). */
  idleTimeoutMs?: number
}

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (node-postgres connection string). */
  url: string
  compaction?: CompactionPolicy
  pool?: PostgresPoolOptions
  /** Fold logs longer than 200 rows found on opening into their snapshots, in the background (default true). */
  foldOnOpen?: boolean
  /** Where compaction failures are reported (default console.error): they lose nothing. */
  log?: (message: string) => void
  /** Several processes (server/cluster): every batch is checked against this process's ownership. */
  fence?: StoreFence
}

/** PostgreSQL could not be reached at start; main prints it and stops. */
export class StoreUnreachableError extends Error {}

/** A log longer than this is folded (on the fold thread) when a room loads it, and on opening. */
const LOAD_FOLD_ROWS = 200

/** host:port of a connection string, as node-postgres resolves it (environment defaults included). */
export function postgresAddress(url: string): string {
  const c = new pg.Client({ connectionString: url })
  return `${c.host}:${c.port}`
}

const toBytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()
const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

/** SQLSTATE class 23: integrity constraint violation (a key exists). */
const isConstraint = (e: unknown): boolean =>
  typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('23')

const unavailable = (e: unknown) =>
  e instanceof StoreError
    ? e
    : new StoreError('UNAVAILABLE', `The write was not saved: ${(e as Error)?.message ?? String(e)}`)

interface Pending {
  reviewId: string
  set: WriteSet
  resolve: () => void
  reject: (e: unknown) => void
}

interface LogStats {
  rows: number
  bytes: number
  snapshot: number
}

/**
 * PostgreSQL (node-postgres pool), chosen with DATABASE_URL (DESIGN §5, SCALEOUT §2.1).
 *
 * Group commit as in the SQLite adapter: writes queued while a batch is being committed go
 * together as the next batch, ONE transaction. The common batch (document changes and events)
 * is a handful of statements whatever its size (multi-row `unnest` inserts); if any write in it
 * hits a key that exists, the transaction is rolled back and the batch runs again with each
 * write in its own savepoint, so only that write is refused (CONFLICT). A write's promise
 * settles only after COMMIT answered: the server acknowledges after that ("saved" means what
 * the server's `synchronous_commit` says, docs/operations.md). A lost connection rejects the
 * whole batch with UNAVAILABLE: never a false acknowledgement.
 *
 * Compaction by size runs after the commit, off the acknowledgement's path: read the snapshot
 * and the log in one statement, fold them on a worker thread, then in one transaction delete
 * exactly the rows folded (refusing if another fold took them) and write the snapshot.
 */
export async function createPostgresStore(options: PostgresOptions): Promise<Store> {
  const policy = options.compaction ?? DEFAULT_COMPACTION
  const log = options.log ?? ((m: string) => console.error(m))
  const address = postgresAddress(options.url)
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.pool?.max ?? 10,
    connectionTimeoutMillis: options.pool?.connectTimeoutMs ?? 5_000,
    query_timeout: options.pool?.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: options.pool?.idleTimeoutMs ?? 30_000,
    keepAlive: true,
    application_name: 'prfaq-board',
    // Fenced writers never hold a row lock long enough to stall a takeover (SCALEOUT §2.2).
    ...(options.fence ? { options: '-c idle_in_transaction_session_timeout=5000' } : {}),
  })
  // A connection that drops (PostgreSQL restarted) emits 'error': idle ones on the pool, busy
  // ones on the client. Its query fails on its own; the next one opens a new connection.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))

  let client: pg.PoolClient
  try {
    client = await pool.connect()
  } catch (e) {
    await pool.end().catch(() => undefined)
    throw new StoreUnreachableError(
      `PostgreSQL at ${address} cannot be reached (${(e as Error).message}). ` +
        'Check DATABASE_URL and that PostgreSQL is running.',
    )
  }
  try {
    await migratePostgres(client, POSTGRES_MIGRATIONS)
    client.release()
  } catch (e) {
    client.release(e as Error)
    await pool.end().catch(() => undefined)
    throw e
  }

  const folder = createFolder()
  const metrics: StoreMetrics = { commits: 0 }
  /** Reviews known to exist (reviews are never deleted): a write to one needs no lookup. */
  const known = new Set<string>()
  const logs = new Map<string, LogStats>()
  /** The one fold running per review; a load waits for it, then reads the short log. */
  const compacting = new Map<string, Promise<void>>()
  let queue: Pending[] = []
  let inFlight: Promise<void> | null = null
  let scheduled = false
  let closing: Promise<void> | null = null

  async function applyWrites(client: pg.PoolClient, writes: readonly Pending[]): Promise<void> {
    const created = writes.filter((p) => p.set.review)
    if (created.length > 0)
      await client.query(
        'INSERT INTO reviews (id, title, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])',
        [
          created.map((p) => p.reviewId),
          created.map((p) => p.set.review!.title),
          created.map((p) => p.set.review!.createdAt),
        ],
      )
    // Rare kinds, in the order of the writes (a revoke then a grant stays in that order).
    for (const { reviewId, set } of writes) {
      if (set.revokeTokensOf?.length) {
        await client.query('DELETE FROM tokens WHERE review_id = $1 AND participant_id = ANY($2::text[])', [
          reviewId,
          set.revokeTokensOf,
        ])
        await client.query(
          'DELETE FROM return_links WHERE review_id = $1 AND participant_id = ANY($2::text[])',
          [reviewId, set.revokeTokensOf],
        )
      }
      if (set.tokens?.length)
        await client.query(
          'INSERT INTO tokens (hash, review_id, participant_id) SELECT h, $2, p FROM unnest($1::text[], $3::text[]) AS t(h, p)',
          [set.tokens.map((t) => t.hash), reviewId, set.tokens.map((t) => t.participantId)],
        )
      for (const i of set.invites ?? []) {
        await client.query('DELETE FROM invites WHERE review_id = $1 AND role = $2', [reviewId, i.role])
        await client.query('INSERT INTO invites (hash, review_id, role) VALUES ($1, $2, $3)', [
          i.hash,
          reviewId,
          i.role,
        ])
      }
      for (const i of set.sealedInvites ?? [])
        await client.query(
          `INSERT INTO sealed_invites (review_id, role, sealed) VALUES ($1, $2, $3)
           ON CONFLICT (review_id, role) DO UPDATE SET sealed = excluded.sealed`,
          [reviewId, i.role, i.sealed],
        )
      for (const r of set.returnLinks ?? []) {
        await client.query('DELETE FROM return_links WHERE review_id = $1 AND participant_id = $2', [
          reviewId,
          r.participantId,
        ])
        await client.query(
          'INSERT INTO return_links (hash, review_id, participant_id, sealed) VALUES ($1, $2, $3, $4)',
          [r.hash, reviewId, r.participantId, r.sealed],
        )
      }
      if (set.roundSnapshot)
        await client.query(
          `INSERT INTO round_snapshots (review_id, round, data) VALUES ($1, $2, $3)
           ON CONFLICT (review_id, round) DO UPDATE SET data = excluded.data`,
          [reviewId, set.roundSnapshot.round, asBuffer(set.roundSnapshot.state)],
        )
    }
    // The writer's incarnation on each row (null for a single process): the fencing audit.
    const incarnation = options.fence?.incarnation ?? null
    const events = writes.flatMap((p) => (p.set.events ?? []).map((e) => [p.reviewId, e] as const))
    if (events.length > 0)
      await client.query(
        `INSERT INTO events (review_id, seq, body, incarnation)
         SELECT e.*, $4::bigint FROM unnest($1::text[], $2::int[], $3::text[]) AS e`,
        [
          events.map(([id]) => id),
          events.map(([, e]) => e.seq),
          events.map(([, e]) => JSON.stringify(e)),
          incarnation,
        ],
      )
    const updates = writes.flatMap((p) => (p.set.updates ?? []).map((u) => [p.reviewId, u] as const))
    if (updates.length > 0)
      await client.query(
        `INSERT INTO doc_updates (review_id, data, incarnation)
         SELECT u.*, $3::bigint FROM unnest($1::text[], $2::bytea[]) AS u`,
        [updates.map(([id]) => id), updates.map(([, u]) => asBuffer(u)), incarnation],
      )
  }

  /** Commits one batch; settles every write in it. Never throws. */
  async function commitBatch(batch: Pending[]): Promise<void> {
    const refused = new Map<Pending, StoreError>()
    let client: pg.PoolClient | null = null
    let broken: Error | undefined
    let committed: Pending[] = []
    try {
      client = await pool.connect()
      const unknown = [
        ...new Set(batch.filter((p) => !p.set.review && !known.has(p.reviewId)).map((p) => p.reviewId)),
      ]
      const found = new Set(known)
      if (unknown.length > 0) {
        const res = await client.query<{ id: string }>('SELECT id FROM reviews WHERE id = ANY($1::text[])', [
          unknown,
        ])
        for (const r of res.rows) found.add(r.id)
      }
      const creating = new Set<string>()
      let live: Pending[] = []
      for (const p of batch) {
        if (p.set.review) {
          if (found.has(p.reviewId) || creating.has(p.reviewId))
            refused.set(p, new StoreError('CONFLICT', `Review ${p.reviewId} exists already.`))
          else {
            creating.add(p.reviewId)
            live.push(p)
          }
        } else if (found.has(p.reviewId) || creating.has(p.reviewId)) live.push(p)
        else refused.set(p, new StoreError('NOT_FOUND', `Review ${p.reviewId} does not exist.`))
      }
      /** Several processes: drops (refused) the writes to reviews this process does not own. */
      const fenced = async (writes: Pending[]): Promise<Pending[]> => {
        if (!options.fence) return writes
        const owned = await fenceBatch(client!, options.fence, [
          ...new Set(writes.filter((p) => !p.set.review).map((p) => p.reviewId)),
        ])
        const lost = new Set<string>()
        const kept = writes.filter((p) => {
          if (p.set.review || owned.has(p.reviewId)) return true
          lost.add(p.reviewId)
          refused.set(p, new StoreError('UNAVAILABLE', 'Another server owns this review now; reconnect.'))
          return false
        })
        if (lost.size > 0) options.fence.ownershipLost([...lost])
        return kept
      }
      if (live.length > 0) {
        let done = false
        await client.query('BEGIN')
        try {
          live = await fenced(live)
          await applyWrites(client, live)
          await client.query('COMMIT')
          done = true
        } catch (e) {
          if (!isConstraint(e)) throw e
          await client.query('ROLLBACK')
        }
        if (!done) {
          // A key exists: again, each write in its own savepoint, so only that write is refused.
          await client.query('BEGIN')
          live = await fenced(live)
          const failedCreations = new Set<string>()
          for (const p of live) {
            if (!p.set.review && failedCreations.has(p.reviewId)) {
              refused.set(p, new StoreError('NOT_FOUND', `Review ${p.reviewId} does not exist.`))
              continue
            }
            await client.query('SAVEPOINT w')
            try {
              await applyWrites(client, [p])
              await client.query('RELEASE SAVEPOINT w')
            } catch (e) {
              if (!isConstraint(e)) throw e
              await client.query('ROLLBACK TO SAVEPOINT w')
              refused.set(
                p,
                new StoreError('CONFLICT', `The write conflicts with stored data: ${(e as Error).message}`),
              )
              if (p.set.review) failedCreations.add(p.reviewId)
            }
          }
          await client.query('COMMIT')
        }
        metrics.commits++
        committed = live.filter((p) => !refused.has(p))
      }
    } catch (e) {
      broken = e instanceof Error ? e : new Error(String(e))
      if (client) await client.query('ROLLBACK').catch(() => undefined)
    } finally {
      // A connection that failed is closed, not reused.
      client?.release(broken)
    }
    if (broken) {
      const error = unavailable(broken)
      for (const p of batch) p.reject(refused.get(p) ?? error)
      return
    }
    for (const p of batch) {
      const r = refused.get(p)
      if (r) p.reject(r)
      else p.resolve()
    }
    const dirty = new Set<string>()
    for (const p of committed) {
      known.add(p.reviewId)
      if (!p.set.updates?.length) continue
      const s = logs.get(p.reviewId)
      if (s) {
        s.rows += p.set.updates.length
        for (const u of p.set.updates) s.bytes += u.byteLength
      }
      dirty.add(p.reviewId)
    }
    for (const id of dirty) compactIfDue(id)
  }

  const send = () => {
    scheduled = false
    if (inFlight || queue.length === 0) return
    const batch = queue
    queue = []
    inFlight = commitBatch(batch).finally(() => {
      inFlight = null
      // What arrived during that commit is the next batch, sent at once.
      if (queue.length > 0) send()
    })
  }

  /**
   * Writes issued in the same task go out together, in a microtask right after it, as in the
   * SQLite store; writes that come while a batch commits go out together when it answers.
   */
  const schedule = () => {
    if (scheduled || inFlight) return
    scheduled = true
    queueMicrotask(send)
  }

  // By size, as SQLite: past maxBytes of log; past maxRows once the log is a quarter of the
  // snapshot (a large document is not rewritten for every few small edits); a hard cap on rows.
  const compactionDue = (s: LogStats) =>
    s.bytes > policy.maxBytes ||
    s.rows > policy.maxRows * 25 ||
    (s.rows > policy.maxRows && s.bytes * 4 >= s.snapshot)

  async function readStats(id: string): Promise<LogStats> {
    const res = await pool.query<{ rows: string; bytes: string; snapshot: number | null }>(
      `SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes,
              (SELECT length(data) FROM snapshots WHERE review_id = $1) AS snapshot
         FROM doc_updates WHERE review_id = $1`,
      [id],
    )
    const row = res.rows[0]!
    return { rows: Number(row.rows), bytes: Number(row.bytes), snapshot: row.snapshot ?? 0 }
  }

  /** The snapshot (if any) and the log after it, read in one statement (one consistent view). */
  async function readDocument(
    id: string,
  ): Promise<{ snapshot: Buffer | null; rows: Array<{ id: string; data: Buffer }> }> {
    const res = await pool.query<{ id: string | null; data: Buffer }>(
      `SELECT id, data FROM (
         SELECT NULL::bigint AS id, data FROM snapshots WHERE review_id = $1
         UNION ALL
         SELECT id, data FROM doc_updates WHERE review_id = $1
       ) AS doc ORDER BY id NULLS FIRST`,
      [id],
    )
    let snapshot: Buffer | null = null
    const rows: Array<{ id: string; data: Buffer }> = []
    for (const r of res.rows) {
      if (r.id === null) snapshot = r.data
      else rows.push({ id: r.id, data: r.data })
    }
    return { snapshot, rows }
  }

  /**
   * Writes a fold of the snapshot and `rows`: deletes exactly those rows (if any of them is
   * gone, another fold got there first and this one is dropped) and replaces the snapshot.
   */
  async function persistFold(
    id: string,
    folded: Uint8Array,
    rows: ReadonlyArray<{ id: string; data: Buffer }>,
  ) {
    const last = rows.at(-1)
    if (!last) return
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const del = await client.query('DELETE FROM doc_updates WHERE review_id = $1 AND id <= $2', [
        id,
        last.id,
      ])
      if (del.rowCount !== rows.length) {
        await client.query('ROLLBACK')
        logs.delete(id)
        return
      }
      await client.query(
        `INSERT INTO snapshots (review_id, data) VALUES ($1, $2)
         ON CONFLICT (review_id) DO UPDATE SET data = excluded.data`,
        [id, asBuffer(folded)],
      )
      await client.query('COMMIT')
      metrics.commits++
    } catch (e) {
      broken = e as Error
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    } finally {
      client.release(broken)
    }
    const s = logs.get(id)
    if (s) {
      s.rows = Math.max(0, s.rows - rows.length)
      s.bytes = Math.max(0, s.bytes - rows.reduce((n, r) => n + r.data.byteLength, 0))
      s.snapshot = folded.byteLength
    }
  }

  async function compactNow(id: string): Promise<void> {
    const { snapshot, rows } = await readDocument(id)
    if (rows.length === 0) return
    const folded = await folder.fold([...(snapshot ? [snapshot] : []), ...rows.map((r) => r.data)])
    await persistFold(id, folded, rows)
  }

  /** Runs `job` as the review's one fold; a failure loses nothing (the log stays) and is reported. */
  function exclusive(id: string, job: () => Promise<void>): Promise<void> {
    const running = compacting.get(id)
    if (running) return running
    const run = job()
      .catch((e: unknown) => {
        logs.delete(id) // counts may be off: read them again next time
        if (!closing) log(`compaction of review ${id} failed: ${(e as Error).message}`)
      })
      .finally(() => compacting.delete(id))
    compacting.set(id, run)
    return run
  }

  function compactIfDue(id: string): void {
    if (closing || compacting.has(id)) return
    void exclusive(id, async () => {
      let s = logs.get(id)
      if (!s) {
        s = await readStats(id)
        logs.set(id, s)
      }
      if (compactionDue(s)) await compactNow(id)
    })
  }

  const read = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (closing) throw new StoreError('UNAVAILABLE', 'The store is closed.')
    try {
      return await run()
    } catch (e) {
      throw new StoreError('UNAVAILABLE', `${what} could not be read: ${(e as Error).message}`)
    }
  }

  const loadDocument = (id: string): Promise<Uint8Array[]> =>
    read('The document', async () => {
      await compacting.get(id) // a fold under way: read after it, one row instead of many
      const { snapshot, rows } = await readDocument(id)
      const parts = [...(snapshot ? [snapshot] : []), ...rows.map((r) => r.data)]
      if (rows.length <= LOAD_FOLD_ROWS) return parts.map(toBytes)
      // A long log (a crash, compaction held off): folded off the event loop, the room loads one
      // update, and the fold is written in the background for the next load (P11).
      const folded = await folder.fold(parts)
      if (!compacting.has(id)) void exclusive(id, () => persistFold(id, folded, rows))
      return [folded]
    })

  // Long logs found on opening, shortest first, folded one at a time in the background.
  if (options.foldOnOpen !== false) {
    void (async () => {
      const res = await pool.query<{ review_id: string }>(
        'SELECT review_id FROM doc_updates GROUP BY review_id HAVING count(*) > $1 ORDER BY count(*)',
        [LOAD_FOLD_ROWS],
      )
      for (const { review_id: id } of res.rows) {
        if (closing) return
        await exclusive(id, () => compactNow(id))
      }
    })().catch((e: unknown) => {
      if (!closing) log(`folding long logs on opening failed: ${(e as Error).message}`)
    })
  }

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Everything queued is committed first; later writes reject.
      while (queue.length > 0 || inFlight) {
        if (!inFlight) send()
        await inFlight
      }
      await Promise.allSettled([...compacting.values()])
      await folder.close()
      await pool.end()
    })())

  return {
    metrics,
    write: (reviewId, set) => {
      if (closing) return Promise.reject(new StoreError('UNAVAILABLE', 'The store is closed.'))
      return new Promise((resolve, reject) => {
        queue.push({ reviewId, set, resolve, reject })
        schedule()
      })
    },
    getReview: (id) =>
      read('The review', async () => {
        const res = await pool.query<{ id: string; title: string; created_at: string }>(
          'SELECT id, title, created_at FROM reviews WHERE id = $1',
          [id],
        )
        const r = res.rows[0]
        if (!r) return null
        known.add(r.id)
        return { id: r.id, title: r.title, createdAt: Number(r.created_at) }
      }),
    findToken: (hash) =>
      read('The token', async () => {
        const res = await pool.query<{ reviewId: string; participantId: string }>(
          'SELECT review_id AS "reviewId", participant_id AS "participantId" FROM tokens WHERE hash = $1',
          [hash],
        )
        return res.rows[0] ?? null
      }),
    findInvite: (hash) =>
      read('The invite', async () => {
        const res = await pool.query<{ reviewId: string; role: InviteRole }>(
          'SELECT review_id AS "reviewId", role FROM invites WHERE hash = $1',
          [hash],
        )
        return res.rows[0] ?? null
      }),
    listSealedInvites: (id) =>
      read('The invite links', async () => {
        const res = await pool.query<{ role: InviteRole; sealed: string }>(
          'SELECT role, sealed FROM sealed_invites WHERE review_id = $1',
          [id],
        )
        return res.rows
      }),
    findReturnLink: (hash) =>
      read('The return link', async () => {
        const res = await pool.query<{ reviewId: string; participantId: string }>(
          'SELECT review_id AS "reviewId", participant_id AS "participantId" FROM return_links WHERE hash = $1',
          [hash],
        )
        return res.rows[0] ?? null
      }),
    getReturnLink: (id, participantId) =>
      read('The return link', async () => {
        const res = await pool.query<{ sealed: string }>(
          'SELECT sealed FROM return_links WHERE review_id = $1 AND participant_id = $2',
          [id, participantId],
        )
        return res.rows[0] ?? null
      }),
    loadEvents: (id) =>
      read('The events', async () => {
        const res = await pool.query<{ body: string }>(
          'SELECT body FROM events WHERE review_id = $1 ORDER BY seq',
          [id],
        )
        return res.rows.map((r) => JSON.parse(r.body) as StoredEvent)
      }),
    loadDocument,
    loadRoundSnapshot: (id, round) =>
      read('The round snapshot', async () => {
        const res = await pool.query<{ data: Buffer }>(
          'SELECT data FROM round_snapshots WHERE review_id = $1 AND round = $2',
          [id, round],
        )
        const r = res.rows[0]
        return r ? toBytes(r.data) : null
      }),
    close,
  }
}
