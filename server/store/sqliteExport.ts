import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'
import type { ReviewDump, StoreExporter } from './dump'
import { SQLITE_MIGRATIONS } from './migrations/sqlite'
import { latestVersion } from './migrations/runner'

/** The SQLite file cannot be exported as it is; the message says what to do. */
export class ExportError extends Error {}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()

/**
 * Reads a SQLite store (the file `prfaq.sqlite`, or the DATA_DIR holding it) READ-ONLY, one
 * review at a time, each in one read transaction (a consistent view even if a server still
 * writes). Nothing is folded or migrated: the source stays exactly as it was. A file at an older
 * schema version is refused — the current server migrates it when it starts on it.
 */
export function openSqliteExport(fileOrDir: string): StoreExporter {
  const file =
    fs.existsSync(fileOrDir) && fs.statSync(fileOrDir).isDirectory()
      ? path.join(fileOrDir, 'prfaq.sqlite')
      : fileOrDir
  if (!fs.existsSync(file)) throw new ExportError(`${file} does not exist.`)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const hasVersions = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .pluck()
      .get()
    const version = hasVersions
      ? ((db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0)
      : 0
    if (version !== latestVersion(SQLITE_MIGRATIONS))
      throw new ExportError(
        `${file} is at schema version ${version}, this tool reads version ${latestVersion(SQLITE_MIGRATIONS)}. ` +
          'Start the current server once on it (it migrates the file at start), stop it, and run this again.',
      )
  } catch (e) {
    db.close()
    throw e
  }

  const q = {
    ids: db.prepare('SELECT id FROM reviews ORDER BY created_at, id').pluck(),
    review: db.prepare('SELECT id, title, created_at AS createdAt FROM reviews WHERE id = ?'),
    events: db.prepare('SELECT body FROM events WHERE review_id = ? ORDER BY seq').pluck(),
    snapshot: db.prepare('SELECT data FROM snapshots WHERE review_id = ?').pluck(),
    updates: db.prepare('SELECT data FROM doc_updates WHERE review_id = ? ORDER BY seq').pluck(),
    rounds: db.prepare('SELECT round, data FROM round_snapshots WHERE review_id = ? ORDER BY round'),
    tokens: db.prepare(
      'SELECT hash, participant_id AS participantId FROM tokens WHERE review_id = ? ORDER BY hash',
    ),
    invites: db.prepare('SELECT hash, role FROM invites WHERE review_id = ? ORDER BY role'),
    sealed: db.prepare('SELECT role, sealed FROM sealed_invites WHERE review_id = ? ORDER BY role'),
    returns: db.prepare(
      'SELECT hash, participant_id AS participantId, sealed FROM return_links WHERE review_id = ? ORDER BY participant_id',
    ),
  }

  const dump = db.transaction((id: string): ReviewDump => {
    const review = q.review.get(id) as ReviewDump['review'] | undefined
    if (!review) throw new ExportError(`There is no review ${id} in ${file}.`)
    const snapshot = q.snapshot.get(id) as Buffer | undefined
    return {
      review,
      events: (q.events.all(id) as string[]).map((b) => JSON.parse(b) as StoredEvent),
      document: [...(snapshot ? [snapshot] : []), ...(q.updates.all(id) as Buffer[])].map(bytes),
      rounds: (q.rounds.all(id) as Array<{ round: number; data: Buffer }>).map((r) => ({
        round: r.round,
        state: bytes(r.data),
      })),
      tokens: q.tokens.all(id) as ReviewDump['tokens'],
      invites: q.invites.all(id) as Array<{ hash: string; role: InviteRole }>,
      sealedInvites: q.sealed.all(id) as ReviewDump['sealedInvites'],
      returnLinks: q.returns.all(id) as ReviewDump['returnLinks'],
    }
  })

  return {
    reviewIds: () => q.ids.all() as string[],
    dump: (id) => dump(id),
    close: () => db.close(),
  }
}
