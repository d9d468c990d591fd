import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../server/store/memory'
import { createSqliteStore } from '../../server/store/sqlite'
import { storeContract } from './store.contract'

const policy = { maxBytes: 1_000_000, maxRows: 500 }

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

describe('sqlite store', () => {
  it('stops with a clear message when DATA_DIR cannot be written', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-ro-')), 'a-file')
    fs.writeFileSync(file, 'x')
    expect(() => createSqliteStore({ dataDir: path.join(file, 'sub') })).toThrow(
      /DATA_DIR .* cannot be written/,
    )
  })
})
