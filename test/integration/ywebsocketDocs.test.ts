import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createApp } from '../../server/app'
import { testConfig } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { BoardClient } from './helpers/reviewFlow'
import { createReview, join } from './helpers/testServer'
import { doorUrl } from './helpers/ywsClient'

/**
 * The ten-line Node example of docs/protocol.md ("A Node script in ten lines"), run as written in
 * a child process with the unmodified y-websocket 3.1.0: it appends a paragraph to a review in
 * draft (saved, and seen by a Socket.IO client), and in reading it is told, closed 4423 and
 * exits 1 with nothing stored. Every log line of the server is captured: none holds the token.
 */
const root = path.resolve(import.meta.dirname, '../..')
const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** The first js block after the example's heading, written where Node finds node_modules. */
function exampleScript(): string {
  const doc = fs.readFileSync(path.join(root, 'docs/protocol.md'), 'utf8')
  const at = doc.indexOf('### A Node script in ten lines')
  expect(at, 'the example heading in docs/protocol.md').toBeGreaterThan(0)
  const code = /```js\n([\s\S]*?)```/.exec(doc.slice(at))![1]!
  const dir = path.join(root, '.tmp')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `yws-example-${process.pid}-${Date.now()}.mjs`)
  fs.writeFileSync(file, code)
  cleanup.push(() => fs.rmSync(file, { force: true }))
  return file
}

function run(file: string, args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const started = performance.now()
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout: 20_000 }, (error, _stdout, stderr) =>
      resolve({
        code: error ? ((error as { code?: number }).code ?? -1) : 0,
        stderr,
        ms: performance.now() - started,
      }),
    )
  })
}

async function stage(): Promise<{ url: string; store: Store; logs: string[] }> {
  const store = createMemoryStore()
  const logs: string[] = []
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logs.push(line) })
  const app = createApp({ store, config: testConfig({ clientDir: '/nonexistent' }), logger })
  const url = await app.listen()
  cleanup.push(async () => {
    await app.close()
    await store.close()
  })
  return { url, store, logs }
}

async function storedDoc(store: Store, reviewId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const p of await store.loadDocument(reviewId)) Y.applyUpdate(doc, p)
  return doc
}

describe('the y-websocket example in docs/protocol.md', () => {
  it('[Y1] appends a paragraph to a review in draft: saved, seen over Socket.IO; no log line holds the token', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const author = await join(s.url, review.invites.author, 'Bot')
    const fac = await new BoardClient(s.url, review).ready()
    cleanup.push(() => fac.close())
    const blocksBefore = fac.doc.getXmlFragment('prfaq').length

    const result = await run(exampleScript(), [doorUrl(s.url), review.reviewId, author.token])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const last = (doc: Y.Doc) => {
      const fragment = doc.getXmlFragment('prfaq')
      return { blocks: fragment.length, last: fragment.get(fragment.length - 1)?.toString() }
    }
    const appended = { blocks: blocksBefore + 1, last: '<paragraph>Appended by a bot.</paragraph>' }
    expect(last(fac.doc)).toEqual(appended)
    expect(last(await storedDoc(s.store, review.reviewId))).toEqual(appended)
    // The server logged the connection's life, its URL with the token taken out, never the token.
    expect(s.logs.join('\n')).toContain(`/yjs/${review.reviewId}?token=redacted`)
    expect(s.logs.join('\n')).toContain('y-websocket closed')
    for (const token of [author.token, review.token, encodeURIComponent(author.token)])
      expect(s.logs.join('\n')).not.toContain(token)
  }, 30_000)

  it('[Y2] in reading the same script is told PHASE_LOCKED, closed 4423 and exits 1; nothing stored or relayed', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const author = await join(s.url, review.invites.author, 'Bot')
    const fac = await new BoardClient(s.url, review).ready()
    cleanup.push(() => fac.close())
    await fac.advance('reading')
    const before = fac.doc.getXmlFragment('prfaq').toString()

    const result = await run(exampleScript(), [doorUrl(s.url), review.reviewId, author.token])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/4423 PHASE_LOCKED/)
    expect(fac.doc.getXmlFragment('prfaq').toString()).toBe(before)
    expect((await storedDoc(s.store, review.reviewId)).getXmlFragment('prfaq').toString()).toBe(before)
    const logs = s.logs.join('\n')
    expect(logs).toContain('y-websocket refused')
    expect(logs).not.toContain(author.token)
  }, 30_000)
})
