import * as encoding from 'lib0/encoding'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createApp, type App } from '../../server/app'
import { testConfig } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { rawDoor, type RawDoor } from '../integration/helpers/rawDoor'
import { createReview, join } from '../integration/helpers/testServer'
import { until } from '../integration/helpers/syncClient'
import { ywsClient } from '../integration/helpers/ywsClient'
import { FaultClient } from './helpers/faultClient'
import { malformed, seeds } from './helpers/malformed'
import { LONG, percentile, pick, report, rng, seedFor, sleep } from './helpers/seed'

/**
 * Y4: the M1 malformed-bytes fuzz over the y-websocket door. y-websocket has no acks, so each
 * window of frames ends with a step 1 whose step 2 answer marks that the server read the window
 * (a connection's frames are read in order). Nothing crashes, nothing a reader sends changes the
 * log or the document, the connection is never dropped for it, and the room notices nothing.
 */
const CASES = LONG ? 50_000 : 10_000
const AUTHOR_CASES = LONG ? 10_000 : 2_000
const WINDOW = 200
const UNLIMITED = {
  updatesPerSec: 1e9,
  updateBurst: 1e9,
  awarenessPerSec: 1e9,
  awarenessBurst: 1e9,
  refusalBurst: 1e9,
  refusalsPerSec: 1e9,
}

let app: App
let url: string
let store: Store
const errors: string[] = []
beforeAll(async () => {
  store = createMemoryStore()
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void (JSON.parse(line).level >= 50 && errors.push(line)) },
  )
  app = createApp({
    store,
    config: testConfig({ clientDir: '/nonexistent', limits: { rates: UNLIMITED } }),
    logger,
  })
  url = await app.listen()
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const frameOf = (outer: number, body: Uint8Array): Uint8Array => Uint8Array.from([outer, ...body])

/** One malformed y-websocket frame: M1's sync messages behind the sync byte, and worse. */
function malformedFrame(rand: () => number, valid: Uint8Array[]): { kind: string; bytes: Uint8Array } {
  const r = rand()
  const bytesOf = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256))
  if (r < 0.6) {
    const m = malformed(rand, valid)
    return { kind: `sync-${m.kind}`, bytes: frameOf(0, m.bytes) }
  }
  if (r < 0.75) {
    // Awareness: random bytes, a huge count, or a state that is not JSON.
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, 1)
    const inner = pick(rand, [
      bytesOf(Math.floor(rand() * 100)),
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
      Uint8Array.from([1, 7, 1, 3, 0x7b, 0x7b, 0x7b]), // {{{
    ])
    encoding.writeVarUint8Array(enc, inner)
    return { kind: 'awareness', bytes: encoding.toUint8Array(enc) }
  }
  if (r < 0.85) return { kind: 'badOuterType', bytes: frameOf(4 + Math.floor(rand() * 250), bytesOf(20)) }
  if (r < 0.95) return { kind: 'random', bytes: bytesOf(Math.floor(rand() * 300)) }
  return {
    kind: 'emptyish',
    bytes: pick(rand, [new Uint8Array(0), Uint8Array.from([0]), Uint8Array.from([2])]),
  }
}

/** Sends the frames in windows; after each, a step 1 whose answer says the window was read. */
async function sendAll(door: RawDoor, frames: Uint8Array[]): Promise<number[]> {
  const rtts: number[] = []
  const step1 = Uint8Array.from([0, 0, 1, 0]) // sync, step 1, an empty state vector
  for (let i = 0; i < frames.length; i += WINDOW) {
    const t = performance.now()
    const seen = door.frames.length
    for (const f of frames.slice(i, i + WINDOW)) door.send(f)
    door.send(step1)
    await until(() => door.frames.slice(seen).some((f) => f[0] === 0 && f[1] === 1), 10_000)
    rtts.push(performance.now() - t)
  }
  return rtts
}

describe('fuzzing the y-websocket door', () => {
  it(`[Y4] [M1] ${CASES} malformed frames from a reviewer: no crash, no state change, still connected, others unaffected`, async () => {
    const seed = seedFor('Y4-reader')
    const rand = rng(seed)
    const review = await createReview(url)
    const reviewer = await join(url, review.invites.reviewer, 'Fuzzer')
    const witness = new FaultClient(url, review.token)
    while (witness.synced === 0) await sleep(10)
    const door = rawDoor(url, `${review.reviewId}?token=${reviewer.token}`)
    await door.opened
    const room = app.rooms.peek(review.reviewId)!
    const before = {
      events: (await store.loadEvents(review.reviewId)).length,
      doc: Y.encodeStateAsUpdate(room.doc),
      stored: (await store.loadDocument(review.reviewId)).length,
    }
    const valid = seeds(rand)
    const cases = Array.from({ length: CASES }, () => malformedFrame(rand, valid))
    const kinds: Record<string, number> = {}
    for (const c of cases) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1
    const started = performance.now()
    const rtts = await sendAll(
      door,
      cases.map((c) => c.bytes),
    )
    const elapsed = performance.now() - started
    const session = [...app.yjs.sessions].find((x) => x.participantId === reviewer.participantId)!
    const after = {
      events: (await store.loadEvents(review.reviewId)).length,
      doc: Y.encodeStateAsUpdate(room.doc),
      stored: (await store.loadDocument(review.reviewId)).length,
    }
    // Log, document and stored updates: each one that moved counts as a state change.
    const stateChanges =
      Number(after.events !== before.events) +
      Number(Buffer.compare(after.doc, before.doc) !== 0) +
      Number(after.stored !== before.stored)
    const healthz = (await fetch(`${url}/healthz`)).status
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before.doc)
    witness.insert('<after>')
    while (!witness.acked.has('<after>')) await sleep(10)
    report('Y4-reader', {
      seed,
      cases: CASES,
      kinds,
      droppedUnreadable: session.dropped,
      refusedWrites: session.refusedWrites,
      serverErrors: errors.length,
      healthz,
      stillConnected: door.ws.readyState === door.ws.OPEN,
      stateChanges,
      windowRttMaxMs: Math.round(Math.max(...rtts)),
      windowRttP50Ms: Math.round(percentile(rtts, 50)),
      totalMs: Math.round(elapsed),
    })
    expect(errors).toEqual([])
    expect(stateChanges).toBe(0)
    expect(healthz).toBe(200)
    expect(door.ws.readyState).toBe(door.ws.OPEN)
    expect(await store.loadEvents(review.reviewId)).toHaveLength(before.events)
    expect((await store.loadDocument(review.reviewId)).length).toBe(before.stored + 1) // the witness's edit
    expect(room.doc.getText('t').toString()).toBe('<after>')
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    door.ws.close()
    witness.close()
  }, 180_000)

  it(`[Y4] [M1] ${AUTHOR_CASES} malformed frames from an author in draft: no crash; room, store and a fresh y-websocket client agree`, async () => {
    const seed = seedFor('Y4-author')
    const rand = rng(seed)
    const review = await createReview(url)
    const author = await join(url, review.invites.author, 'Fuzzing author')
    const door = rawDoor(url, `${review.reviewId}?token=${author.token}`)
    await door.opened
    const valid = seeds(rand)
    const frames = Array.from({ length: AUTHOR_CASES }, () => malformedFrame(rand, valid).bytes)
    const rtts = await sendAll(door, frames)
    const room = app.rooms.peek(review.reviewId)!
    await room.flush()
    const stored = new Y.Doc()
    for (const p of await store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
    const fresh = ywsClient(url, review.reviewId, review.token)
    await until(() => fresh.synced())
    const pendingLeft = room.hasPending()
    const session = [...app.yjs.sessions].find((x) => x.participantId === author.participantId)
    report('Y4-author', {
      seed,
      cases: AUTHOR_CASES,
      droppedUnreadable: session?.dropped,
      connectionOpen: door.ws.readyState === door.ws.OPEN,
      pendingLeft,
      serverErrors: errors.length,
      windowRttMaxMs: Math.round(Math.max(...rtts)),
    })
    expect(errors).toEqual([])
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    // As in M1: bytes whose dependencies never arrive stay pending and may read differently.
    if (!pendingLeft) {
      expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(room.doc))
      expect(fresh.doc.getText('t').toString()).toBe(room.doc.getText('t').toString())
      expect(stored.getText('t').toString()).toBe(room.doc.getText('t').toString())
    }
    stored.destroy()
    fresh.destroy()
    door.ws.close()
  }, 180_000)
})
