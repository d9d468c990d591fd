import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Fresh PostgreSQL databases for tests: one per run (or per test file), created with a random
 * name and dropped afterwards. TEST_DATABASE_URL names a database the tests may connect to in
 * order to create others (default: the local server's socket as the current user, which is how
 * .ci/run sets PostgreSQL up). A test that cannot reach it fails saying so; it never skips.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@%2Fvar%2Frun%2Fpostgresql/postgres'

export interface TestDatabase {
  name: string
  url: string
  /** Runs one statement in this database (test set-up and checks). */
  query: <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>
  drop: () => Promise<void>
}

export function urlFor(base: string, database: string): string {
  const u = new URL(base)
  u.pathname = `/${database}`
  return u.toString()
}

async function admin<T>(base: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5_000 })
  try {
    await client.connect()
  } catch (e) {
    throw new Error(
      `PostgreSQL is required by this test and cannot be reached at ${base} (${(e as Error).message}). ` +
        'Start it (see docs/operations.md; .ci/run does) or set TEST_DATABASE_URL.',
      { cause: e },
    )
  }
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

export async function createTestDatabase(base = ADMIN_URL): Promise<TestDatabase> {
  const name = `t_prfaq_${randomBytes(6).toString('hex')}`
  await admin(base, (c) => c.query(`CREATE DATABASE ${name}`))
  const url = urlFor(base, name)
  return {
    name,
    url,
    query: async (sql, params) => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      try {
        return (await c.query(sql, params)).rows
      } finally {
        await c.end()
      }
    },
    drop: () =>
      admin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  }
}
