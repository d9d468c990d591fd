import { Writable } from 'node:stream'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createApp } from '../../server/app'
import { testConfig } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import { createReview, join } from '../integration/helpers/testServer'
import { SyncClient, until } from '../integration/helpers/syncClient'
import { faultyStore, type FaultyStore } from './helpers/faultyStore'
import { sleep } from './helpers/seed'

/**
 * An edit answered "UNAVAILABLE: … it is kept and saved with the next one" must really be kept:
 * the room retries it on its own, stays loaded however long the store is down, and a shutdown
 * names what it could not save [SV1]. Nobody else sees it before it is saved [SV2].
 */
const IDLE_MS = 80

interface Started {
  url: string
  store: FaultyStore
  app: ReturnType<typeof createApp>
  logs: string[]
}
const started: Started[] = []
const clients: SyncClient[] = []

async function start(): Promise<Started> {
  const store = faultyStore(createMemoryStore())
  const logs: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString())
      done()
    },
  })
  const app = createApp({
    store,
    config: testConfig({ clientDir: '/nonexistent', limits: { roomIdleMs: IDLE_MS } }),
    logger: pino({ level: 'error' }, sink),
  })
  const s = { url: await app.listen(), store, app, logs }
  started.push(s)
  return s
}

function client(url: string, token: string): SyncClient {
  const c = new SyncClient(url, token)
  clients.push(c)
  return c
}

async function storedText(store: FaultyStore, reviewId: string): Promise<string> {
  const doc = new Y.Doc()
  for (const part of await store.loadDocument(reviewId)) Y.applyUpdate(doc, part)
  const text = doc.getText('t').toString()
  doc.destroy()
  return text
}

/** A server, a review, and two authors synced to it: one writes, the other watches. */
async function writerAndWatcher() {
  const s = await start()
  const review = await createReview(s.url)
  const other = await join(s.url, review.invites.author, 'Bo')
  const writer = client(s.url, review.token)
  const watcher = client(s.url, other.token)
  await Promise.all([writer.synced, watcher.synced])
  return { s, review, writer, watcher }
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  for (const s of started.splice(0)) {
    s.store.fault = 'none'
    await s.app.close()
    await s.store.close()
  }
})

describe('an edit kept while the store fails', () => {
  it('[SV1] [SV2] survives its client leaving: the room stays loaded, retries, and the edit is stored once the store recovers', async () => {
    const { s, review, writer, watcher } = await writerAndWatcher()

    s.store.fault = 'full'
    writer.doc.getText('t').insert(0, 'kept')
    await until(() => writer.acks.some((a) => !a.ok))
    const refused = writer.acks.find((a) => !a.ok)
    expect(refused && !refused.ok && refused.error.code).toBe('UNAVAILABLE')
    // Not saved, so not shown to anyone else [SV2].
    await sleep(50)
    expect(watcher.text()).toBe('')

    writer.close()
    watcher.close()
    const failedBefore = s.store.failed
    // Many idle times pass: a room holding an unsaved change is not unloaded, and it keeps retrying.
    await sleep(IDLE_MS * 12)
    expect(s.app.rooms.peek(review.reviewId), 'room unloaded with an unsaved change').toBeDefined()
    expect(s.store.failed).toBeGreaterThan(failedBefore)
    expect(await storedText(s.store, review.reviewId)).toBe('')

    // Space returns: the retry stores the edit without any client sending anything.
    s.store.fault = 'none'
    await until(() => s.app.rooms.peek(review.reviewId) === undefined, 10_000)
    expect(await storedText(s.store, review.reviewId)).toBe('kept')
    const fresh = client(s.url, review.token)
    await fresh.synced
    expect(fresh.text()).toBe('kept')
  })

  it('[SV2] the others get a kept change from the retry that saves it, with nobody editing again', async () => {
    const { s, review, writer, watcher } = await writerAndWatcher()
    s.store.fault = 'busy'
    writer.doc.getText('t').insert(0, 'late but saved')
    await until(() => writer.acks.some((a) => !a.ok))
    await sleep(IDLE_MS * 3)
    expect(watcher.text()).toBe('')
    s.store.fault = 'none'
    await until(() => watcher.text() === 'late but saved', 10_000)
    expect(await storedText(s.store, review.reviewId)).toBe('late but saved')
  })

  it('[SV1] a shutdown while the store fails names the review and the bytes it could not save', async () => {
    const s = await start()
    const review = await createReview(s.url)
    const writer = client(s.url, review.token)
    await writer.synced
    s.store.fault = 'throw'
    writer.doc.getText('t').insert(0, 'lost at shutdown')
    await until(() => writer.acks.some((a) => !a.ok))
    await s.app.close()
    const line = s.logs.find((l) => l.includes('shutdown'))
    expect(line, s.logs.join('\n')).toBeDefined()
    const entry = JSON.parse(line!) as { review: string; bytes: number; msg: string }
    expect(entry.review).toBe(review.reviewId)
    expect(entry.bytes).toBeGreaterThan('lost at shutdown'.length)
    expect(entry.msg).toContain(review.reviewId)
  })
})
