import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadConfig } from '../../server/config'
import { createPostgresStore } from '../../server/store/postgres'
import { StoreError } from '../../server/store/types'
import { createTestDatabase, type TestDatabase } from '../integration/helpers/postgres'

/**
 * The pool's size and timeouts are what the operator set (PG_POOL_MAX, PG_QUERY_TIMEOUT_MS…):
 * seen from PostgreSQL's side (pg_stat_activity) and from a write stuck behind a lock.
 */
let database: Promise<TestDatabase> | undefined
afterAll(async () => {
  if (database) await (await database).drop()
})

const backends = async (db: TestDatabase): Promise<number> => {
  const [row] = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'prfaq-board'",
    [db.name],
  )
  return Number(row?.n)
}

describe('postgres pool settings', () => {
  it('reads PG_POOL_MAX and the PG_*_TIMEOUT_MS variables, and refuses a value that is not a positive whole number', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://board@db.example:5433/prfaq',
      PG_POOL_MAX: '4',
      PG_CONNECT_TIMEOUT_MS: '1500',
      PG_QUERY_TIMEOUT_MS: '2500',
      PG_IDLE_TIMEOUT_MS: '60000',
    })
    expect(config.databaseUrl).toBe('postgres://board@db.example:5433/prfaq')
    expect(config.postgresPool).toEqual({
      max: 4,
      connectTimeoutMs: 1500,
      queryTimeoutMs: 2500,
      idleTimeoutMs: 60000,
    })
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', PG_POOL_MAX: 'lots' })).toThrow(
      /PG_POOL_MAX must be a positive whole number/,
    )
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL must start with postgres:\/\//,
    )
  })

  it('opens no more connections than the pool size allows', async () => {
    const db = await (database ??= createTestDatabase())
    for (const max of [2, 6]) {
      const store = await createPostgresStore({ url: db.url, pool: { max } })
      try {
        await Promise.all(Array.from({ length: 40 }, (_, i) => store.getReview(`r${i}`)))
        expect(await backends(db)).toBe(max)
      } finally {
        await store.close()
      }
      // The closed pool's backends leave pg_stat_activity a moment after their sockets close.
      for (let t = Date.now(); (await backends(db)) > 0 && Date.now() - t < 5_000;)
        await new Promise((r) => setTimeout(r, 20))
    }
  })

  it('[X8] a write stuck behind a lock is refused as not saved after the query timeout, and saved once the lock goes', async () => {
    const db = await (database ??= createTestDatabase())
    const store = await createPostgresStore({ url: db.url, pool: { queryTimeoutMs: 400 } })
    const locker = new pg.Client({ connectionString: db.url })
    await locker.connect()
    try {
      await store.write('r', { review: { id: 'r', title: 'R', createdAt: 1 } })
      const doc = new Y.Doc()
      let update: Uint8Array | undefined
      doc.on('update', (u: Uint8Array) => (update = u))
      doc.getText('t').insert(0, 'kept')
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE doc_updates IN ACCESS EXCLUSIVE MODE')
      const started = Date.now()
      const refused = await store.write('r', { updates: [update!] }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(refused).toBeInstanceOf(StoreError)
      expect((refused as StoreError).code).toBe('UNAVAILABLE')
      expect(Date.now() - started).toBeGreaterThanOrEqual(350)
      await locker.query('ROLLBACK')
      await store.write('r', { updates: [update!] })
      const loaded = new Y.Doc()
      for (const p of await store.loadDocument('r')) Y.applyUpdate(loaded, p)
      expect(loaded.getText('t').toString()).toBe('kept')
    } finally {
      await locker.end()
      await store.close()
    }
  })
})
