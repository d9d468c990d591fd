import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createReview, join } from '../integration/helpers/testServer'
import { BACKENDS, createBackend, sized, type Backend } from './helpers/backends'
import { FaultClient } from './helpers/faultClient'
import { freePort, restartProcess, type ServerProcess } from './helpers/processes'
import { report, sleep } from './helpers/seed'

const backends: Backend[] = []
const live = new Set<ServerProcess>()
afterAll(async () => {
  for (const s of live) await s.kill('SIGKILL')
  for (const b of backends) await b.cleanup()
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

/** What the store holds, read with no server running. */
async function stored(b: Backend, reviewId: string) {
  const store = await b.open()
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

describe.each(BACKENDS)('restarts on %s', (backend) => {
  const restarts = sized(backend, 10, 4)
  it(`[R5] ${restarts} restarts with clients connected: template once, no growth of the store`, async () => {
    const dir = await createBackend(backend)
    backends.push(dir)
    const port = await freePort()
    let server = await restartProcess(dir.dataDir, port, dir.env)
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

    for (let i = 0; i < restarts; i++) {
      server = await restartProcess(dir.dataDir, port, dir.env)
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
      backend,
      restarts,
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
