import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'
import { foldUpdates } from './compaction'
import { GroupCommit } from './groupCommit'
import { SCHEMA } from './sqliteSchema'
import {
  DEFAULT_COMPACTION,
  StoreError,
  type CompactionPolicy,
  type Store,
  type StoreMetrics,
  type WriteSet,
} from './types'

export interface SqliteOptions {
  dataDir: string
  /** `FULL` (default) survives power loss; `NORMAL` in WAL mode survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL'
  compaction?: CompactionPolicy
}

/** Thrown when DATA_DIR cannot hold the database; main prints it and stops. */
export class DataDirError extends Error {}

function openDatabase(dataDir: string): Database.Database {
  const dir = path.resolve(dataDir)
  try {
    fs.mkdirSync(dir, { recursive: true })
    fs.accessSync(dir, fs.constants.W_OK)
    return new Database(path.join(dir, 'prfaq.sqlite'))
  } catch (e) {
    throw new DataDirError(
      `DATA_DIR ${dir} cannot be written (${(e as Error).message}). Set DATA_DIR to a writable folder.`,
    )
  }
}

const toBytes = (b: Buffer): Uint8Array => {
  const out = new Uint8Array(b.byteLength)
  out.set(b)
  return out
}

/** SQLite (better-sqlite3, WAL) in DATA_DIR: the embedded default (DESIGN §5). */
export function createSqliteStore(options: SqliteOptions): Store {
  const policy = options.compaction ?? DEFAULT_COMPACTION
  const db = openDatabase(options.dataDir)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`)
  db.exec(SCHEMA)

  const q = {
    insertReview: db.prepare('INSERT INTO reviews (id, title, created_at) VALUES (?, ?, ?)'),
    reviewExists: db.prepare('SELECT 1 FROM reviews WHERE id = ?').pluck(),
    getReview: db.prepare('SELECT id, title, created_at AS createdAt FROM reviews WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO events (review_id, seq, body) VALUES (?, ?, ?)'),
    loadEvents: db.prepare('SELECT body FROM events WHERE review_id = ? ORDER BY seq').pluck(),
    insertUpdate: db.prepare('INSERT INTO updates (review_id, data) VALUES (?, ?)'),
    loadUpdates: db.prepare('SELECT id, data FROM updates WHERE review_id = ? ORDER BY id'),
    updateStats: db.prepare(
      'SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM updates WHERE review_id = ?',
    ),
    deleteUpdates: db.prepare('DELETE FROM updates WHERE review_id = ? AND id <= ?'),
    getSnapshot: db.prepare('SELECT data FROM snapshots WHERE review_id = ?').pluck(),
    putSnapshot: db.prepare(
      'INSERT INTO snapshots (review_id, data) VALUES (?, ?) ON CONFLICT(review_id) DO UPDATE SET data = excluded.data',
    ),
    insertToken: db.prepare('INSERT INTO tokens (hash, review_id, participant_id) VALUES (?, ?, ?)'),
    revokeTokens: db.prepare('DELETE FROM tokens WHERE review_id = ? AND participant_id = ?'),
    findToken: db.prepare(
      'SELECT review_id AS reviewId, participant_id AS participantId FROM tokens WHERE hash = ?',
    ),
    deleteInvite: db.prepare('DELETE FROM invites WHERE review_id = ? AND role = ?'),
    insertInvite: db.prepare('INSERT INTO invites (hash, review_id, role) VALUES (?, ?, ?)'),
    findInvite: db.prepare('SELECT review_id AS reviewId, role FROM invites WHERE hash = ?'),
    putRound: db.prepare(
      'INSERT INTO round_snapshots (review_id, round, data) VALUES (?, ?, ?) ON CONFLICT(review_id, round) DO UPDATE SET data = excluded.data',
    ),
    getRound: db.prepare('SELECT data FROM round_snapshots WHERE review_id = ? AND round = ?').pluck(),
  }

  /** Update rows and bytes per review since its last compaction, counted from the first write. */
  const logSize = new Map<string, { rows: number; bytes: number }>()
  const dirty = new Set<string>()
  const sizeOf = (id: string) => {
    let s = logSize.get(id)
    if (!s) {
      const row = q.updateStats.get(id) as { n: number; bytes: number }
      s = { rows: row.n, bytes: row.bytes }
      logSize.set(id, s)
    }
    return s
  }

  /** Loads the snapshot and the log into one Y.Doc, writes one snapshot, deletes those rows. */
  const compactNow = (id: string): void => {
    const rows = q.loadUpdates.all(id) as { id: number; data: Buffer }[]
    if (rows.length === 0) return
    const snapshot = q.getSnapshot.get(id) as Buffer | undefined
    const parts = [...(snapshot ? [snapshot] : []), ...rows.map((r) => r.data)]
    q.putSnapshot.run(id, foldUpdates(parts))
    q.deleteUpdates.run(id, rows[rows.length - 1]!.id)
    logSize.set(id, { rows: 0, bytes: 0 })
  }

  const apply = (reviewId: string, set: WriteSet): void => {
    if (set.review) q.insertReview.run(reviewId, set.review.title, set.review.createdAt)
    else if (!q.reviewExists.get(reviewId))
      throw new StoreError('NOT_FOUND', `Review ${reviewId} does not exist.`)
    for (const e of set.events ?? []) q.insertEvent.run(reviewId, e.seq, JSON.stringify(e))
    if (set.updates?.length) {
      const size = sizeOf(reviewId)
      for (const u of set.updates) {
        q.insertUpdate.run(reviewId, u)
        size.rows++
        size.bytes += u.byteLength
      }
      dirty.add(reviewId)
    }
    for (const p of set.revokeTokensOf ?? []) q.revokeTokens.run(reviewId, p)
    for (const t of set.tokens ?? []) q.insertToken.run(t.hash, reviewId, t.participantId)
    for (const i of set.invites ?? []) {
      q.deleteInvite.run(reviewId, i.role)
      q.insertInvite.run(i.hash, reviewId, i.role)
    }
    if (set.roundSnapshot) q.putRound.run(reviewId, set.roundSnapshot.round, set.roundSnapshot.state)
  }

  const asStoreError = (e: unknown): StoreError => {
    if (e instanceof StoreError) return e
    const code = (e as { code?: string }).code ?? ''
    if (code.startsWith('SQLITE_CONSTRAINT'))
      return new StoreError('CONFLICT', `The write conflicts with stored data: ${(e as Error).message}`)
    return new StoreError('UNAVAILABLE', `The write was not saved: ${(e as Error).message}`)
  }

  const savepoint = db.transaction((op: () => void) => op())
  const group = new GroupCommit(
    (body) => db.transaction(body)(),
    (op) => {
      try {
        savepoint(op)
      } catch (e) {
        throw asStoreError(e)
      }
    },
    () => {
      // Compaction by size, after the acks: a failure here loses nothing (the log stays).
      const due = [...dirty].filter((id) => {
        const s = sizeOf(id)
        return s.bytes > policy.maxBytes || s.rows > policy.maxRows
      })
      dirty.clear()
      for (const id of due) {
        try {
          db.transaction(() => compactNow(id))()
          group.commits++
        } catch (e) {
          logSize.delete(id)
          console.error(`compaction of review ${id} failed: ${(e as Error).message}`)
        }
      }
    },
  )

  const metrics: StoreMetrics = {
    get commits() {
      return group.commits
    },
  }
  let closed = false

  return {
    metrics,
    write: (reviewId, set) => group.enqueue(() => apply(reviewId, set)),
    appendUpdate: (reviewId, update) => group.enqueue(() => apply(reviewId, { updates: [update] })),
    appendEvents: (reviewId, events) => group.enqueue(() => apply(reviewId, { events })),
    getReview: async (id) =>
      (q.getReview.get(id) as { id: string; title: string; createdAt: number } | undefined) ?? null,
    findToken: async (hash) =>
      (q.findToken.get(hash) as { reviewId: string; participantId: string } | undefined) ?? null,
    findInvite: async (hash) =>
      (q.findInvite.get(hash) as { reviewId: string; role: InviteRole } | undefined) ?? null,
    loadEvents: async (id) =>
      (q.loadEvents.all(id) as string[]).map((body) => JSON.parse(body) as StoredEvent),
    loadDocument: async (id) =>
      db.transaction(() => {
        const snapshot = q.getSnapshot.get(id) as Buffer | undefined
        const rows = q.loadUpdates.all(id) as { data: Buffer }[]
        return [...(snapshot ? [snapshot] : []), ...rows.map((r) => r.data)].map(toBytes)
      })(),
    loadRoundSnapshot: async (id, round) => {
      const data = q.getRound.get(id, round) as Buffer | undefined
      return data ? toBytes(data) : null
    },
    compact: (id) => group.enqueue(() => compactNow(id)),
    close: async () => {
      if (closed) return
      closed = true
      group.close()
      db.close()
    },
  }
}
