import type Database from 'better-sqlite3'
import type pg from 'pg'

/**
 * Versioned schema migrations for both adapters: numbered SQL steps, each applied once, in
 * order, in a transaction that also records it in `schema_migrations`. Written here rather than
 * taken from node-pg-migrate because it must run the same steps on SQLite (synchronously, inside
 * the better-sqlite3 connection the store opens) and on PostgreSQL, and it is two dozen lines;
 * steps live in code, not .sql files, because the server also runs bundled into one file.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** The database was written by a newer server: refusing beats guessing at its tables. */
export class SchemaTooNewError extends Error {}

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at bigint NOT NULL
)`

export const latestVersion = (steps: readonly Migration[]): number => steps.at(-1)?.version ?? 0

function tooNew(found: number, steps: readonly Migration[]): SchemaTooNewError {
  return new SchemaTooNewError(
    `The database is at schema version ${found}, newer than this server knows (${latestVersion(steps)}). ` +
      'Run the newer server, or restore a backup made by this version.',
  )
}

/** Applies the missing steps (up to `upTo`, default all); returns the version reached. */
export function migrateSqlite(db: Database.Database, steps: readonly Migration[], upTo = Infinity): number {
  db.exec(VERSION_TABLE)
  // IMMEDIATE: a second process opening the same file waits instead of applying a step twice.
  return db
    .transaction(() => {
      const current =
        (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0
      if (current > latestVersion(steps)) throw tooNew(current, steps)
      const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      let reached = current
      for (const step of steps) {
        if (step.version <= current || step.version > upTo) continue
        db.exec(step.sql)
        record.run(step.version, step.name, Date.now())
        reached = step.version
      }
      return reached
    })
    .immediate()
}

/** An arbitrary constant key: every process migrating the same database takes the same lock. */
const MIGRATION_LOCK = 7_201_485_113

/** Applies the missing steps (up to `upTo`, default all) in one transaction; returns the version reached. */
export async function migratePostgres(
  client: pg.ClientBase,
  steps: readonly Migration[],
  upTo = Infinity,
): Promise<number> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query(VERSION_TABLE)
    const found = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')
    const current = found.rows[0]?.v ?? 0
    if (current > latestVersion(steps)) throw tooNew(current, steps)
    let reached = current
    for (const step of steps) {
      if (step.version <= current || step.version > upTo) continue
      await client.query(step.sql)
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        Date.now(),
      ])
      reached = step.version
    }
    await client.query('COMMIT')
    return reached
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  }
}
