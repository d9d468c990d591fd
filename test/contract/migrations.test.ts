import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { StoredEvent } from '../../shared/domain/events'
import { POSTGRES_MIGRATIONS } from '../../server/store/migrations/postgres'
import { latestVersion, migratePostgres, migrateSqlite } from '../../server/store/migrations/runner'
import { SQLITE_MIGRATIONS } from '../../server/store/migrations/sqlite'
import { createPostgresStore } from '../../server/store/postgres'
import { createSqliteStore } from '../../server/store/sqlite'
import { ExportError, openSqliteExport } from '../../server/store/sqliteExport'
import type { Store } from '../../server/store/types'
import { createTestDatabase, type TestDatabase } from '../integration/helpers/postgres'

/**
 * A database written by the first schema version, with a review in it, opened by the current
 * store: every step runs, and the review reads the same (document, log, tokens, invites, round
 * snapshot). A database from a newer server is refused.
 */
const events: StoredEvent[] = [
  {
    type: 'participant.joined',
    participant: { id: 'p1', name: 'Ada', function: 'product', roles: ['facilitator'], joinedAt: 1 },
    seq: 1,
    at: 1001,
    actorId: 'p1',
  },
  {
    type: 'note.saved',
    note: { id: 'n1', authorId: 'p1', body: 'old note', updatedAt: 2 },
    seq: 2,
    at: 1002,
    actorId: 'p1',
  },
] as unknown as StoredEvent[]

/** Three small Yjs updates and the text they make, plus a round snapshot of the first. */
function history(): { updates: Uint8Array[]; text: string; round: Uint8Array } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (const part of ['Launch ', 'the ', 'board']) doc.getText('t').insert(doc.getText('t').length, part)
  const round = updates[0]!
  return { updates, text: doc.getText('t').toString(), round }
}

async function textOf(store: Store, id: string): Promise<string> {
  const doc = new Y.Doc()
  const parts = await store.loadDocument(id)
  doc.transact(() => parts.forEach((p) => Y.applyUpdate(doc, p)))
  return doc.getText('t').toString()
}

/** What every adapter must read back from the old database once migrated. */
async function readsTheOldReview(store: Store, old: ReturnType<typeof history>): Promise<void> {
  const { text, round } = old
  expect(await store.getReview('old')).toEqual({ id: 'old', title: 'Old review', createdAt: 1000 })
  expect(await store.loadEvents('old')).toEqual(events)
  expect(await textOf(store, 'old')).toBe(text)
  expect(await store.findToken('token-hash')).toEqual({ reviewId: 'old', participantId: 'p1' })
  expect(await store.findInvite('invite-hash')).toEqual({ reviewId: 'old', role: 'author' })
  expect(await store.loadRoundSnapshot('old', 1)).toEqual(round)
  // What later versions added works on the migrated database.
  await store.write('old', {
    sealedInvites: [{ role: 'author', sealed: 'sealed-author' }],
    returnLinks: [{ hash: 'return-hash', participantId: 'p1', sealed: 'sealed-return' }],
    updates: [edit(old.updates)],
  })
  expect(await store.listSealedInvites('old')).toEqual([{ role: 'author', sealed: 'sealed-author' }])
  expect(await store.findReturnLink('return-hash')).toEqual({ reviewId: 'old', participantId: 'p1' })
  expect(await textOf(store, 'old')).toBe(`${text}!`)
}

/** An update that appends '!' to the document those updates make. */
function edit(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  const text = doc.getText('t').toString()
  const before = Y.encodeStateVector(doc)
  doc.getText('t').insert(text.length, '!')
  return Y.encodeStateAsUpdate(doc, before)
}

describe('schema migrations: sqlite', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
  const freshDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-migrate-'))
    dirs.push(d)
    return d
  }

  it('[STO2] [X1] a version 1 database with a review in it is migrated at start and reads the same', async () => {
    const dir = freshDir()
    const old = history()
    const { updates, text, round } = old
    const db = new Database(path.join(dir, 'prfaq.sqlite'))
    expect(migrateSqlite(db, SQLITE_MIGRATIONS, 1)).toBe(1)
    db.prepare('INSERT INTO reviews VALUES (?, ?, ?)').run('old', 'Old review', 1000)
    for (const e of events)
      db.prepare('INSERT INTO events VALUES (?, ?, ?)').run('old', e.seq, JSON.stringify(e))
    // Version 1 kept the document log in `updates` (a rowid table); version 2 moved it.
    for (const u of updates) db.prepare('INSERT INTO updates (review_id, data) VALUES (?, ?)').run('old', u)
    db.prepare('INSERT INTO tokens VALUES (?, ?, ?)').run('token-hash', 'old', 'p1')
    db.prepare('INSERT INTO invites VALUES (?, ?, ?)').run('invite-hash', 'old', 'author')
    db.prepare('INSERT INTO round_snapshots VALUES (?, ?, ?)').run('old', 1, round)
    db.close()
    // npm run migrate-store reads only the current version, and says how to get there [STO1].
    expect(() => openSqliteExport(dir)).toThrow(ExportError)
    expect(() => openSqliteExport(dir)).toThrow(/schema version 1, .*Start the current server once on it/)

    const store = createSqliteStore({ dataDir: dir })
    try {
      await readsTheOldReview(store, old)
    } finally {
      await store.close()
    }
    const check = new Database(path.join(dir, 'prfaq.sqlite'), { readonly: true })
    try {
      expect(check.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(
        latestVersion(SQLITE_MIGRATIONS),
      )
      expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'updates'").pluck().get()).toBe(0)
    } finally {
      check.close()
    }
    // Opening again applies nothing twice.
    const again = createSqliteStore({ dataDir: dir })
    expect(await textOf(again, 'old')).toBe(`${text}!`)
    await again.close()
  })

  it('[STO2] refuses a database written by a newer server, naming both versions', () => {
    const dir = freshDir()
    const db = new Database(path.join(dir, 'prfaq.sqlite'))
    migrateSqlite(db, SQLITE_MIGRATIONS)
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(99, 'from the future', 1)
    db.close()
    expect(() => createSqliteStore({ dataDir: dir })).toThrow(
      `schema version 99, newer than this server knows (${latestVersion(SQLITE_MIGRATIONS)})`,
    )
  })
})

describe('schema migrations: postgres', () => {
  let database: Promise<TestDatabase> | undefined
  afterAll(async () => {
    if (database) await (await database).drop()
  })

  it('[STO2] [X1] a version 1 database with a review in it is migrated at start and reads the same', async () => {
    const db = await (database ??= createTestDatabase())
    const old = history()
    const { updates, text, round } = old
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      expect(await migratePostgres(client, POSTGRES_MIGRATIONS, 1)).toBe(1)
      await client.query('INSERT INTO reviews VALUES ($1, $2, $3)', ['old', 'Old review', 1000])
      for (const e of events)
        await client.query('INSERT INTO events VALUES ($1, $2, $3)', ['old', e.seq, JSON.stringify(e)])
      for (const u of updates)
        await client.query('INSERT INTO doc_updates (review_id, data) VALUES ($1, $2)', [
          'old',
          Buffer.from(u),
        ])
      await client.query('INSERT INTO tokens VALUES ($1, $2, $3)', ['token-hash', 'old', 'p1'])
      await client.query('INSERT INTO invites VALUES ($1, $2, $3)', ['invite-hash', 'old', 'author'])
      await client.query('INSERT INTO round_snapshots VALUES ($1, $2, $3)', ['old', 1, Buffer.from(round)])
    } finally {
      await client.end()
    }

    const store = await createPostgresStore({ url: db.url })
    try {
      await readsTheOldReview(store, old)
    } finally {
      await store.close()
    }
    const [row] = await db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations')
    expect(row?.v).toBe(latestVersion(POSTGRES_MIGRATIONS))
    const again = await createPostgresStore({ url: db.url })
    expect(await textOf(again, 'old')).toBe(`${text}!`)
    await again.close()
  })

  it('[STO2] refuses a database written by a newer server, naming both versions', async () => {
    const db = await (database ??= createTestDatabase())
    await createPostgresStore({ url: db.url }).then((s) => s.close())
    await db.query("INSERT INTO schema_migrations VALUES (99, 'from the future', 1)")
    try {
      await expect(createPostgresStore({ url: db.url })).rejects.toThrow(
        `schema version 99, newer than this server knows (${latestVersion(POSTGRES_MIGRATIONS)})`,
      )
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 99')
    }
  })
})
