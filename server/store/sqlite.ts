import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'
import { SQLITE_MIGRATIONS } from './migrations/sqlite'
import { migrateSqlite } from './migrations/runner'
import { SQLITE_WORKER_SOURCE } from './sqliteWorkerSource'
import {
  DEFAULT_COMPACTION,
  StoreError,
  type CompactionPolicy,
  type Store,
  type StoreErrorCode,
  type StoreMetrics,
  type WriteSet,
} from './types'

export interface SqliteOptions {
  dataDir: string
  /** `FULL` (default) survives power loss; `NORMAL` in WAL mode survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL'
  compaction?: CompactionPolicy
  /** Page size of a new database (default 1024); ignored for an existing one. */
  pageSize?: number
  /**
   * Fold logs longer than 200 rows (left by a crash, or written with compaction held off) into
   * their snapshots in the writer thread right after opening, shortest first, so their rooms
   * load as one row when someone asks (default true).
   */
  foldOnOpen?: boolean
}

/** Thrown when DATA_DIR cannot hold the database; main prints it and stops. */
export class DataDirError extends Error {}

/** Thrown when the database file is not a database or is damaged; main prints it and stops [DB1]. */
export class DamagedDatabaseError extends DataDirError {}

/** The section of docs/operations.md that says what to do next; named in every refusal. */
const RESTORE_STEP =
  'Stop here and restore the last backup: see "Restoring a damaged database" in docs/operations.md ' +
  '(move prfaq.sqlite, prfaq.sqlite-wal and prfaq.sqlite-shm aside, copy the backup in its place, start again).'

/**
 * Opens the database for real and runs `PRAGMA quick_check` before anything else touches it: a
 * file that is not a database, or whose pages are damaged, stops the start with its path and the
 * restore step, rather than starting and failing every read later [DB1]. quick_check reads every
 * page once (linear in the file) but skips the index-versus-table comparison of integrity_check.
 */
function checkDatabase(db: Database.Database, file: string): void {
  let problems: string[]
  try {
    db.pragma('journal_mode = WAL')
    problems = (db.pragma('quick_check(5)', { simple: false }) as Array<{ quick_check: string }>).map(
      (r) => r.quick_check,
    )
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    if (!/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw e
    problems = [(e as Error).message]
  }
  if (problems.length === 1 && problems[0] === 'ok') return
  db.close()
  throw new DamagedDatabaseError(
    `The database file ${file} cannot be read: ${problems.join('; ').replace(/\n/g, '; ')}. ${RESTORE_STEP}`,
  )
}

/** Page size of a new database: small commits write small WAL frames (P9). */
const PAGE_SIZE = 1024
/** A log longer than this is folded into its snapshot (in the writer thread) before a room loads it. */
const LOAD_FOLD_ROWS = 200

function openDatabase(file: string): Database.Database {
  const dir = path.dirname(file)
  try {
    fs.mkdirSync(dir, { recursive: true })
    fs.accessSync(dir, fs.constants.W_OK)
    return new Database(file)
  } catch (e) {
    throw new DataDirError(
      `DATA_DIR ${dir} cannot be written (${(e as Error).message}). Set DATA_DIR to a writable folder.`,
    )
  }
}

const toBytes = (b: Uint8Array): Uint8Array =>
  b instanceof Buffer ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice() : b

type Failure = { code: StoreErrorCode; message: string }
type WriteMsg = { kind: 'write'; reviewId: string; set: WriteSet }
interface Pending {
  msg: WriteMsg
  resolve: () => void
  reject: (e: unknown) => void
}
type FromWorker =
  | { type: 'done'; id: number; results?: Array<Failure | null>; commits?: number; failed?: Failure }
  | { type: 'compacted'; commits: number }
  | { type: 'loaded'; id: number; parts?: Uint8Array[]; commits: number; failed?: Failure }
  | { type: 'closed' }

/**
 * SQLite (better-sqlite3, WAL) in DATA_DIR: the embedded default (DESIGN §5).
 *
 * Writes go to a worker thread that owns the writing connection, so the event loop never waits
 * on a commit's fsync: it keeps relaying while the disk works. Group commit: writes queued while
 * a batch is being committed are sent together as the next batch, ONE transaction with each
 * write in its own savepoint (a refused write does not sink the others). A write's promise
 * settles only after its transaction committed — the server acknowledges after that.
 * Reads use a second connection on the main thread (WAL: they see every committed write).
 */
export function createSqliteStore(options: SqliteOptions): Store {
  const policy = options.compaction ?? DEFAULT_COMPACTION
  const file = path.join(path.resolve(options.dataDir), 'prfaq.sqlite')
  const db = openDatabase(file)
  db.pragma('busy_timeout = 5000')
  db.pragma(`page_size = ${options.pageSize ?? PAGE_SIZE}`) // only takes effect on a new, empty database
  checkDatabase(db, file) // also switches it to WAL
  migrateSqlite(db, SQLITE_MIGRATIONS)

  const q = {
    getReview: db.prepare('SELECT id, title, created_at AS createdAt FROM reviews WHERE id = ?'),
    loadEvents: db.prepare('SELECT body FROM events WHERE review_id = ? ORDER BY seq').pluck(),
    findToken: db.prepare(
      'SELECT review_id AS reviewId, participant_id AS participantId FROM tokens WHERE hash = ?',
    ),
    findInvite: db.prepare('SELECT review_id AS reviewId, role FROM invites WHERE hash = ?'),
    listSealedInvites: db.prepare('SELECT role, sealed FROM sealed_invites WHERE review_id = ?'),
    findReturnLink: db.prepare(
      'SELECT review_id AS reviewId, participant_id AS participantId FROM return_links WHERE hash = ?',
    ),
    getReturnLink: db.prepare('SELECT sealed FROM return_links WHERE review_id = ? AND participant_id = ?'),
    getRound: db.prepare('SELECT data FROM round_snapshots WHERE review_id = ? AND round = ?').pluck(),
  }

  const require = createRequire(import.meta.url)
  const workerData = {
    sqlitePath: require.resolve('better-sqlite3'),
    yjsPath: require.resolve('yjs'),
    file,
    synchronous: options.synchronous ?? 'FULL',
    policy,
    loadFoldRows: LOAD_FOLD_ROWS,
  }

  const metrics: StoreMetrics = { commits: 0 }
  let queue: Pending[] = []
  let inFlight: { id: number; batch: Pending[] } | null = null
  let scheduled = false
  let closing: Promise<void> | null = null
  let nextId = 1
  const loads = new Map<number, { resolve: (parts: Uint8Array[]) => void; reject: (e: unknown) => void }>()
  let onClosed: (() => void) | null = null
  /** Called whenever a batch settled (close waits on them). */
  let settled: Array<() => void> = []
  const wake = () => {
    const w = settled
    settled = []
    for (const f of w) f()
  }

  let worker: Worker | null = null
  const busy = () => inFlight !== null || loads.size > 0
  /** The worker keeps the process alive only while it owes an answer. */
  const refresh = () => (busy() || closing ? worker?.ref() : worker?.unref())

  const startWorker = (): Worker => {
    const w = new Worker(SQLITE_WORKER_SOURCE, { eval: true, workerData })
    w.on('message', (m: FromWorker) => onMessage(m))
    w.on('error', (e) => lost(w, e))
    w.on('exit', (code) => lost(w, new Error(`the SQLite writer stopped (exit ${code})`)))
    return w
  }

  /** The writer thread died: everything it owed fails (never a false ack); the next write starts a new one. */
  const lost = (w: Worker, e: unknown) => {
    if (worker !== w) return
    worker = null
    const error = new StoreError('UNAVAILABLE', `The write was not saved: ${(e as Error).message}`)
    if (inFlight) for (const p of inFlight.batch) p.reject(error)
    inFlight = null
    for (const l of loads.values()) l.reject(error)
    loads.clear()
    onClosed?.()
    wake()
    if (queue.length > 0) schedule()
  }

  const onMessage = (m: FromWorker): void => {
    if (m.type === 'compacted') metrics.commits += m.commits
    else if (m.type === 'closed') onClosed?.()
    else if (m.type === 'loaded') {
      const l = loads.get(m.id)
      loads.delete(m.id)
      metrics.commits += m.commits
      if (m.failed) l?.reject(new StoreError(m.failed.code, m.failed.message))
      else l?.resolve((m.parts ?? []).map(toBytes))
    } else if (m.type === 'done' && inFlight?.id === m.id) {
      const { batch } = inFlight
      inFlight = null
      if (m.failed) {
        const error = new StoreError(m.failed.code, m.failed.message)
        for (const p of batch) p.reject(error)
      } else {
        metrics.commits += m.commits ?? 1
        batch.forEach((p, i) => {
          const f = m.results?.[i]
          if (f) p.reject(new StoreError(f.code, f.message))
          else p.resolve()
        })
      }
      // What arrived during that commit is the next batch, sent at once.
      if (queue.length > 0) send()
      wake()
    }
    refresh()
  }

  const send = () => {
    scheduled = false
    if (inFlight || queue.length === 0) return
    worker ??= startWorker()
    const batch = queue
    queue = []
    inFlight = { id: nextId++, batch }
    try {
      worker.postMessage({ type: 'batch', id: inFlight.id, writes: batch.map((p) => p.msg) })
    } catch (e) {
      inFlight = null
      const error = new StoreError('UNAVAILABLE', `The write was not saved: ${(e as Error).message}`)
      for (const p of batch) p.reject(error)
    }
    refresh()
  }

  /**
   * Writes issued in the same task go out together, in a microtask right after it; writes that
   * come while a batch commits go out together when it answers (group commit). Not on the next
   * turn of the event loop: in P3 that turn let broadcasts run first and cost up to ~1.5 ms at
   * p99 of an edit's save (and so of its fan-out, SV2).
   */
  const schedule = () => {
    if (scheduled || inFlight) return
    scheduled = true
    queueMicrotask(send)
  }

  const enqueue = (msg: WriteMsg): Promise<void> => {
    if (closing) return Promise.reject(new StoreError('UNAVAILABLE', 'The store is closed.'))
    return new Promise((resolve, reject) => {
      queue.push({ msg, resolve, reject })
      schedule()
    })
  }

  if (options.foldOnOpen !== false) {
    const reviewIds = db
      .prepare('SELECT review_id FROM doc_updates GROUP BY review_id HAVING count(*) > ? ORDER BY count(*)')
      .pluck()
      .all(LOAD_FOLD_ROWS) as string[]
    if (reviewIds.length > 0) {
      worker = startWorker()
      worker.postMessage({ type: 'fold', reviewIds })
      refresh()
    }
  }

  const loadDocument = (reviewId: string): Promise<Uint8Array[]> => {
    if (closing) return Promise.reject(new StoreError('UNAVAILABLE', 'The store is closed.'))
    worker ??= startWorker()
    const id = nextId++
    const w = worker
    return new Promise((resolve, reject) => {
      loads.set(id, { resolve, reject })
      w.postMessage({ type: 'load', id, reviewId })
      refresh()
    })
  }

  const close = async (): Promise<void> => {
    // Everything queued is committed first; later writes reject.
    closing ??= (async () => {
      while (queue.length > 0 || inFlight) {
        if (!inFlight) send()
        if (inFlight) await new Promise<void>((r) => settled.push(r))
      }
      const w = worker
      if (w) {
        await new Promise<void>((resolve) => {
          onClosed = resolve
          w.ref() // the answer must keep the process alive
          w.postMessage({ type: 'close' })
        })
        worker = null
        await w.terminate()
      }
      db.close()
    })()
    return closing
  }

  return {
    metrics,
    write: (reviewId, set) => enqueue({ kind: 'write', reviewId, set }),
    getReview: async (id) =>
      (q.getReview.get(id) as { id: string; title: string; createdAt: number } | undefined) ?? null,
    findToken: async (hash) =>
      (q.findToken.get(hash) as { reviewId: string; participantId: string } | undefined) ?? null,
    findInvite: async (hash) =>
      (q.findInvite.get(hash) as { reviewId: string; role: InviteRole } | undefined) ?? null,
    listSealedInvites: async (id) =>
      q.listSealedInvites.all(id) as Array<{ role: InviteRole; sealed: string }>,
    findReturnLink: async (hash) =>
      (q.findReturnLink.get(hash) as { reviewId: string; participantId: string } | undefined) ?? null,
    getReturnLink: async (id, participantId) =>
      (q.getReturnLink.get(id, participantId) as { sealed: string } | undefined) ?? null,
    loadEvents: async (id) =>
      (q.loadEvents.all(id) as string[]).map((body) => JSON.parse(body) as StoredEvent),
    loadDocument,
    loadRoundSnapshot: async (id, round) => {
      const data = q.getRound.get(id, round) as Buffer | undefined
      return data ? toBytes(data) : null
    },
    close,
  }
}
