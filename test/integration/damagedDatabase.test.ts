import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../server/store/memory'
import { createSqliteStore } from '../../server/store/sqlite'
import type { Store } from '../../server/store/types'
import { spawnServer } from './helpers/childServer'
import { createReview, startServer } from './helpers/testServer'

/**
 * A damaged database stops the start with its path and the restore step [DB1]; a store that
 * cannot read makes /healthz answer 503 with the reason [DB2].
 */
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})
function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-damaged-'))
  dirs.push(d)
  return d
}

/** Starts server/main.ts on `dir` and returns what it printed when it refused (or fails if it started). */
async function refusal(dir: string): Promise<string> {
  try {
    const child = await spawnServer(dir)
    await child.kill('SIGTERM')
    throw new Error('the server started on a damaged database')
  } catch (e) {
    return (e as Error).message
  }
}

function expectRestoreStep(message: string, file: string): void {
  expect(message).toContain('Cannot start')
  expect(message).toContain(file)
  expect(message).toContain('docs/operations.md')
  expect(message).toContain('restore the last backup')
  expect(message).toMatch(/server exited \(1\)/)
}

describe('a damaged database', () => {
  it('[DB1] a file that is not a database: the start refuses, naming the file and the next step', async () => {
    const dir = dataDir()
    const file = path.join(dir, 'prfaq.sqlite')
    fs.writeFileSync(file, Buffer.alloc(16 * 1024, 'not a database! '))
    const message = await refusal(dir)
    expectRestoreStep(message, file)
    expect(message).toContain('file is not a database')
    expect(fs.readFileSync(file).subarray(0, 16).toString()).toBe('not a database! ') // untouched
  })

  it('[DB1] a real database with pages overwritten: quick_check finds it, the start refuses with the path', async () => {
    const dir = dataDir()
    const store = createSqliteStore({ dataDir: dir })
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        store.write(`r${i}`, {
          review: { id: `r${i}`, title: `Review ${i} `.repeat(8), createdAt: i },
          updates: [new Uint8Array(400).fill(i)],
        }),
      ),
    )
    await store.close()
    const file = path.join(dir, 'prfaq.sqlite')
    const pages = fs.statSync(file).size / 1024
    expect(pages).toBeGreaterThan(40)
    // Four pages a third of the way in, the header page left intact: it opens, but reads break.
    const fd = fs.openSync(file, 'r+')
    const from = Math.floor(pages / 3)
    for (let p = from; p < from + 4; p++) fs.writeSync(fd, Buffer.alloc(1024, 0xa5), 0, 1024, p * 1024)
    fs.closeSync(fd)
    const message = await refusal(dir)
    expectRestoreStep(message, file)
  })

  it('[DB2] /healthz reads the store: ok while it can, 503 with the reason once its reads fail', async () => {
    const inner = createMemoryStore()
    let failing = false
    const store: Store = {
      ...inner,
      getReview: (id) =>
        failing ? Promise.reject(new Error('database disk image is malformed')) : inner.getReview(id),
    }
    const server = await startServer({ store })
    try {
      await createReview(server.url)
      const ok = await fetch(`${server.url}/healthz`)
      expect([ok.status, await ok.json()]).toEqual([200, { ok: true }])
      failing = true
      const down = await fetch(`${server.url}/healthz`)
      const body = (await down.json()) as { ok: boolean; reason: string }
      expect(down.status).toBe(503)
      expect(body.ok).toBe(false)
      expect(body.reason).toContain('database disk image is malformed')
      failing = false
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    } finally {
      await server.close()
      await inner.close()
    }
  })
})
