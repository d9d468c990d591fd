import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createSqliteStore } from '../../../server/store/sqlite'
import type { Store } from '../../../server/store/types'
import { startServer, type TestServer } from './testServer'

/**
 * A real server on SQLite — the default store, writing in its own thread as production does — for
 * the tests of one file: started before them, closed and its folder removed after.
 */
export function sqliteServerForFile(prefix: string): { readonly url: string } {
  let server: TestServer | null = null
  let store: Store | null = null
  let dir = ''
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    store = createSqliteStore({ dataDir: dir })
    server = await startServer({ store })
  })
  afterAll(async () => {
    await server?.close()
    await store?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  return {
    get url() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server.url
    },
  }
}

/** One reader's export of a review, as a browser's download would fetch it. */
export async function exportOf(url: string, reviewId: string, token: string, ext: 'md' | 'html') {
  const res = await fetch(`${url}/api/reviews/${reviewId}/export.${ext}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: res.status, text: await res.text() }
}
