import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createSqliteStore } from '../../server/store/sqlite'
import { createReview, join } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { freePort, restartProcess, type ServerProcess } from './helpers/processes'
import { report, sleep } from './helpers/seed'

const dirs: string[] = []
const live = new Set<ServerProcess>()
afterAll(async () => {
  for (const s of live) await s.kill('SIGKILL')
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${what}`)
    await sleep(10)
  }
}

const headings = (doc: Y.Doc): string[] =>
  doc
    .getXmlFragment('prfaq')
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'heading')
    .map((h) => h.toString())

/** What the file holds, read with no server running. */
async function stored(dir: string, reviewId: string) {
  const store = createSqliteStore({ dataDir: dir })
  try {
    const parts = await store.loadDocument(reviewId)
    const doc = new Y.Doc()
    for (const p of parts) Y.applyUpdate(doc, p)
    const out = {
      events: (await store.loadEvents(reviewId)).length,
      docBytes: Y.encodeStateAsUpdate(doc).byteLength,
      headings: headings(doc),
    }
    doc.destroy()
    return out
  } finally {
    await store.close()
  }
}

describe('restarts', () => {
  it('[R5] 10 restarts with clients connected: template once, no growth of the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-r5-'))
    dirs.push(dir)
    const port = await freePort()
    let server = await restartProcess(dir, port)
    live.add(server)
    const review = await createReview(server.url)
    const author = await join(server.url, review.invites.author, 'Author')
    const clients = [review.token, author.token].map(
      (t) => new FaultClient(server.url, t, { reconnect: true }),
    )
    await until(() => clients.every((c) => c.synced > 0), 10_000, 'sync')
    const template = headings(clients[0]!.doc)
    await sleep(100)
    await server.kill('SIGTERM')
    live.delete(server)
    const first = await stored(dir, review.reviewId)
    const sizes: number[] = []

    for (let i = 0; i < 10; i++) {
      server = await restartProcess(dir, port)
      live.add(server)
      const handshakes = clients.map((c) => c.synced)
      await until(() => clients.every((c, k) => c.synced > handshakes[k]!), 10_000, `reconnect ${i}`)
      await sleep(50)
      for (const c of clients) expect(headings(c.doc), `restart ${i}`).toEqual(template)
      await (i % 2 === 0 ? server.kill('SIGTERM') : server.kill('SIGKILL'))
      live.delete(server)
      sizes.push((await stored(dir, review.reviewId)).docBytes)
    }
    const last = await stored(dir, review.reviewId)
    for (const c of clients) c.close()
    report('R5', {
      restarts: 10,
      templateHeadings: template.length,
      docBytes: sizes,
      eventsBefore: first.events,
      eventsAfter: last.events,
    })
    expect(template.length).toBeGreaterThan(5)
    expect(last.headings).toEqual(template)
    expect(new Set(last.headings).size).toBe(last.headings.length)
    expect(sizes.every((s) => s === first.docBytes)).toBe(true)
    expect(last.events).toBe(first.events)
  }, 120_000)
})
