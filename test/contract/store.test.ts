import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMemoryStore } from '../../server/store/memory'
import { createPostgresStore } from '../../server/store/postgres'
import { createSqliteStore } from '../../server/store/sqlite'
import type { Store } from '../../server/store/types'
import { createTestDatabase, type TestDatabase } from '../integration/helpers/postgres'
import { CONTRACT_POLICY as policy, storeContract } from './store.contract'

storeContract('memory', async () => {
  const store = createMemoryStore(policy)
  return { store, cleanup: () => store.close() }
})

storeContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-store-'))
  const store = createSqliteStore({ dataDir: dir, compaction: policy })
  const opened = [store]
  return {
    store,
    reopen: async () => {
      const again = createSqliteStore({ dataDir: dir, compaction: policy })
      opened.push(again)
      return again
    },
    cleanup: async () => {
      for (const s of opened) await s.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
})

// One fresh database for this file, emptied before each test, dropped at the end (X1).
let database: Promise<TestDatabase> | undefined
afterAll(async () => {
  if (database) await (await database).drop()
})
storeContract('postgres', async () => {
  const db = await (database ??= createTestDatabase())
  const open = () => createPostgresStore({ url: db.url, compaction: policy })
  const first = await open() // migrates a new database
  await db.query(
    'TRUNCATE reviews, tokens, invites, events, doc_updates, snapshots, round_snapshots, sealed_invites, return_links',
  )
  const opened: Store[] = [first]
  return {
    store: first,
    reopen: async () => {
      const again = await open()
      opened.push(again)
      return again
    },
    cleanup: async () => {
      for (const s of opened) await s.close()
    },
  }
})

describe('sqlite store', () => {
  it('stops with a clear message when DATA_DIR cannot be written', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-ro-')), 'a-file')
    fs.writeFileSync(file, 'x')
    expect(() => createSqliteStore({ dataDir: path.join(file, 'sub') })).toThrow(
      /DATA_DIR .* cannot be written/,
    )
  })

  it('folds a long log left on disk right after opening, so the room loads as one row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-fold-'))
    const held = { maxBytes: Number.POSITIVE_INFINITY, maxRows: Number.POSITIVE_INFINITY }
    const doc = new Y.Doc()
    const writer = createSqliteStore({ dataDir: dir, compaction: held, foldOnOpen: false })
    await writer.write('r', { review: { id: 'r', title: 'R', createdAt: 1 } })
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 4500; i++) doc.getText('t').insert(0, `${i % 10}`)
    await Promise.all(updates.map((u) => writer.write('r', { updates: [u] })))
    await writer.close()
    const rows = () => {
      const db = new Database(path.join(dir, 'prfaq.sqlite'), { readonly: true })
      try {
        return db.prepare("SELECT count(*) FROM doc_updates WHERE review_id = 'r'").pluck().get()
      } finally {
        db.close()
      }
    }
    expect(rows()).toBe(4500)

    // Opened without the fold, the log stays as it is.
    const unfolded = createSqliteStore({ dataDir: dir, foldOnOpen: false })
    await new Promise((r) => setTimeout(r, 200))
    expect(rows()).toBe(4500)
    await unfolded.close()

    // Folded in slices: a write and a load arriving meanwhile are answered, the load with the fold.
    const store = createSqliteStore({ dataDir: dir })
    try {
      doc.getText('t').insert(0, 'late ')
      await store.write('r', { updates: [updates[updates.length - 1] as Uint8Array] })
      const parts = await store.loadDocument('r')
      expect(parts.length).toBeLessThanOrEqual(2)
      expect(rows()).toBeLessThanOrEqual(1)
      const loaded = new Y.Doc()
      for (const p of parts) Y.applyUpdate(loaded, p)
      expect(loaded.getText('t').toString()).toBe(doc.getText('t').toString())
    } finally {
      await store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
