import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createApp } from '../../server/app'
import { testConfig, type ConfigOverrides } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { faultyStore } from '../faults/helpers/faultyStore'
import { deniedReason, rawDoor } from './helpers/rawDoor'
import { BoardClient } from './helpers/reviewFlow'
import { SyncClient, until } from './helpers/syncClient'
import { createReview, join, type CreatedReview } from './helpers/testServer'
import {
  reconnectsWithin,
  shortestGapMs,
  webSocketWithOrigin,
  ywsClient,
  type YwsClient,
  type YwsVersion,
} from './helpers/ywsClient'

/**
 * Refusals at the y-websocket door (SCALEOUT §4.4, TARGETS Y2 Y3): read-only roles are served
 * live and their writes dropped, a writer refused by the reading lock is told and closed 4423,
 * bad tokens and unknown reviews are told and closed 4401/4403/4404 after a hold, oversized
 * changes 4413, failed saves 1013; nothing refused is stored or relayed, and neither y-websocket
 * 3.0.0 nor 3.1.0 reconnects in a loop. The token in the URL never reaches a log line.
 */
const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Stage {
  url: string
  store: Store
  logLines: string[]
  close: () => Promise<void>
}

async function stage(opts: { store?: Store; config?: ConfigOverrides } = {}): Promise<Stage> {
  const store = opts.store ?? createMemoryStore()
  const logLines: string[] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) })
  const app = createApp({ store, config: testConfig({ clientDir: '/nonexistent', ...opts.config }), logger })
  const url = await app.listen()
  const s = {
    url,
    store,
    logLines,
    close: async () => {
      await app.close()
      await store.close()
    },
  }
  cleanup.push(() => s.close())
  return s
}

function yws(...args: Parameters<typeof ywsClient>): YwsClient {
  const c = ywsClient(...args)
  cleanup.push(() => c.destroy())
  return c
}

async function board(url: string, person: { participantId: string; token: string }): Promise<BoardClient> {
  const c = await new BoardClient(url, person).ready()
  cleanup.push(() => c.close())
  return c
}

async function storedText(store: Store, reviewId: string): Promise<string> {
  const doc = new Y.Doc()
  for (const p of await store.loadDocument(reviewId)) Y.applyUpdate(doc, p)
  return doc.getText('t').toString()
}

describe('y-websocket door: read-only roles and the reading lock [Y2]', () => {
  it('[Y2] reviewers, observers and deciders are served live; their writes are dropped, never stored or relayed, and they stay connected', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const fac = await board(s.url, review)
    const people = await Promise.all(
      (['reviewer', 'observer', 'decider'] as const).map((role) => join(s.url, review.invites[role], role)),
    )
    const readers = [
      ...people.map((p) => yws(s.url, review.reviewId, p.token)),
      yws(s.url, review.reviewId, people[0]!.token, { version: '3.0.0' }),
    ]
    await until(() => readers.every((r) => r.synced()))
    const storedBefore = (await s.store.loadDocument(review.reviewId)).length
    readers.forEach((r, i) => r.doc.getText('t').insert(0, `reader ${i} was here. `))
    readers.forEach((r) => r.doc.getText('t').insert(0, 'Again. '))
    await sleep(3_000)
    expect(fac.text()).toBe('')
    expect(await storedText(s.store, review.reviewId)).toBe('')
    expect((await s.store.loadDocument(review.reviewId)).length).toBe(storedBefore)
    for (const r of readers) {
      expect(r.denied.filter((d) => d.startsWith('read-only'))).toHaveLength(1)
      expect(r.closes).toEqual([])
      expect(r.provider.wsconnected).toBe(true)
    }
    // Still served live: the author's edit reaches every reader.
    fac.doc.getText('t').insert(0, 'Author: ')
    await until(() => readers.every((r) => r.doc.getText('t').toString().includes('Author: ')))
  })

  it('[Y2] a writer refused by the reading lock is told and closed 4423; 3.1.0 stops, 3.0.0 retries at most once per hold', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const fac = await board(s.url, review)
    const author = await join(s.url, review.invites.author, 'Bot')
    const clients: Record<YwsVersion, YwsClient> = {
      '3.1.0': yws(s.url, review.reviewId, author.token),
      '3.0.0': yws(s.url, review.reviewId, author.token, { version: '3.0.0' }),
    }
    await until(() => Object.values(clients).every((c) => c.synced()))
    await fac.advance('reading')
    // A bot that writes again on every (re)connection: the worst case for a reconnect loop.
    for (const [v, c] of Object.entries(clients)) {
      c.provider.on('status', ({ status }) => {
        if (status === 'connected') c.doc.getText('t').insert(0, `${v} again. `)
      })
      c.doc.getText('t').insert(0, `${v} in reading. `)
    }
    await until(() => Object.values(clients).every((c) => c.closes.length > 0), 5_000)
    await sleep(10_500)
    const reconnects = {
      '3.1.0': reconnectsWithin(clients['3.1.0'], 10_000),
      '3.0.0': reconnectsWithin(clients['3.0.0'], 10_000),
    }
    const gap = Math.round(shortestGapMs(clients['3.0.0']))
    console.log(
      `[yws] Y2 reading lock, reconnects in 10 s after the refusal: ${JSON.stringify(reconnects)}; 3.0.0 shortest gap between connections ${gap} ms`,
    )
    for (const c of Object.values(clients)) {
      expect(c.closes[0]).toBe(4423)
      expect(c.denied[0]).toMatch(/^PHASE_LOCKED/)
    }
    expect(clients['3.1.0'].stopped).toBe(1)
    expect(reconnects['3.1.0']).toBe(0)
    // At most one attempt per 2.5 s (TARGETS Y2): 10 s / (2.5 s hold + 0.1 s) → at most 4.
    expect(reconnects['3.0.0']).toBeGreaterThanOrEqual(1)
    expect(reconnects['3.0.0']).toBeLessThanOrEqual(4)
    expect(gap).toBeGreaterThanOrEqual(2_500)
    expect(clients['3.0.0'].closes.every((code) => code === 4423)).toBe(true)
    expect(fac.text()).toBe('')
    expect(await storedText(s.store, review.reviewId)).toBe('')
  }, 30_000)

  it('[Y2] a refused document copy stays refused when editing opens again; a fresh one writes', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const fac = await board(s.url, review)
    const stale = yws(s.url, review.reviewId, review.token, { version: '3.0.0' })
    await until(() => stale.synced())
    await fac.advance('reading')
    stale.doc.getText('t').insert(0, 'written while everyone reads. ')
    await until(() => stale.closes.includes(4423), 5_000)
    stale.provider.disconnect()
    await fac.advance('critique', 'discussion', 'triage', 'revision')
    stale.provider.connect()
    // Its step 2 answering our step 1 carries the refused change: refused again.
    await until(() => stale.closes.filter((c) => c === 4423).length >= 2, 8_000)
    const fresh = yws(s.url, review.reviewId, review.token)
    await until(() => fresh.synced())
    fresh.doc.getText('t').insert(0, 'revised. ')
    await until(() => fac.text() === 'revised. ')
    expect(await storedText(s.store, review.reviewId)).toBe('revised. ')
  }, 30_000)
})

describe('y-websocket door: size limits and failed saves', () => {
  it('[Y2] [M2] an update over the size limit is closed 4413 and 3.1.0 stops; nothing is stored', async () => {
    const s = await stage({ config: { limits: { updateBytes: 4_096 } } })
    const review = await createReview(s.url)
    const y = yws(s.url, review.reviewId, review.token)
    await until(() => y.synced())
    y.doc.getText('t').insert(0, 'x'.repeat(10_000))
    await until(() => y.closes.length > 0, 5_000)
    expect(y.closes).toEqual([4413])
    expect(y.denied[0]).toMatch(/^TOO_LARGE/)
    expect(y.stopped).toBe(1)
    expect(await storedText(s.store, review.reviewId)).toBe('')
  })

  it('[Y2] [M2] a change over the frame limit (ws closes 1009 unread) is answered 4413 on the next connection: no reconnect loop; nothing stored', async () => {
    const s = await stage({ config: { limits: { frameBytes: 32_768, updateBytes: 16_384 } } })
    const review = await createReview(s.url)
    const peer = new SyncClient(s.url, review.token)
    cleanup.push(() => peer.close())
    await peer.synced
    const clients: Record<YwsVersion, YwsClient> = {
      '3.1.0': yws(s.url, review.reviewId, review.token),
      '3.0.0': yws(s.url, review.reviewId, review.token, { version: '3.0.0' }),
    }
    await until(() => Object.values(clients).every((c) => c.synced()))
    for (const c of Object.values(clients)) c.doc.getText('t').insert(0, 'x'.repeat(100_000))
    await until(() => clients['3.1.0'].stopped === 1 && clients['3.0.0'].opens >= 4, 12_000)
    const old = clients['3.0.0']
    const gaps = old.openedAt.slice(2).map((t, i) => Math.round(t - old.openedAt[i + 1]!))
    console.log(
      `[yws] frame over the limit: 3.1.0 closes ${JSON.stringify(clients['3.1.0'].closes)}; 3.0.0 closes ${JSON.stringify(old.closes)}, gaps between its refused connections ${JSON.stringify(gaps)} ms`,
    )
    expect(clients['3.1.0'].closes).toEqual([1009, 4413])
    expect(clients['3.1.0'].denied[0]).toMatch(/^TOO_LARGE/)
    expect(clients['3.1.0'].opens).toBe(2)
    expect(old.closes[0]).toBe(1009)
    expect(old.closes.slice(1).every((code) => code === 4413)).toBe(true)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2_500)
    expect(peer.text()).toBe('')
    expect(await storedText(s.store, review.reviewId)).toBe('')
    // The refusal is about those document copies only: a fresh one writes.
    const fresh = yws(s.url, review.reviewId, review.token)
    await until(() => fresh.synced())
    fresh.doc.getText('t').insert(0, 'small. ')
    await until(() => peer.text() === 'small. ')
  }, 30_000)

  it('[Y2] [R4] a failed save is not relayed and closes 1013; once the store is back the change is saved and relayed', async () => {
    const store = faultyStore(createMemoryStore())
    const s = await stage({ store })
    const review = await createReview(s.url)
    const peer = new SyncClient(s.url, review.token)
    cleanup.push(() => peer.close())
    await peer.synced
    const y = yws(s.url, review.reviewId, review.token)
    await until(() => y.synced())
    store.fault = 'throw'
    y.doc.getText('t').insert(0, 'kept')
    await until(() => y.closes.includes(1013), 5_000)
    expect(peer.text()).toBe('')
    store.fault = 'none'
    // The client comes back by itself (1013 is transient); its step 2 gets the change saved.
    await until(() => peer.text() === 'kept', 10_000)
    expect(await storedText(store, review.reviewId)).toBe('kept')
  }, 20_000)
})

describe('y-websocket door: who may enter [Y3]', () => {
  it('[Y3] bad, missing and revoked tokens, unknown reviews, other reviews and foreign origins: told, held, closed; nothing served; no token logged', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const other: CreatedReview = await createReview(s.url)
    const fac = await board(s.url, review)
    const gone = await join(s.url, review.invites.reviewer, 'Gone')
    await fac.ok('participant.remove', { participantId: gone.participantId })
    const cases: Array<{ name: string; path: string; origin?: string; code: number }> = [
      { name: 'missing token', path: review.reviewId, code: 4401 },
      { name: 'bad token', path: `${review.reviewId}?token=${'A'.repeat(43)}`, code: 4401 },
      { name: 'revoked token', path: `${review.reviewId}?token=${gone.token}`, code: 4401 },
      { name: 'token of another review', path: `${review.reviewId}?token=${other.token}`, code: 4403 },
      { name: 'unknown review', path: `AAAAAAAAAAAAAAAA?token=${review.token}`, code: 4404 },
      { name: 'not a review id', path: `a/b?token=${review.token}`, code: 4404 },
      {
        name: 'foreign origin',
        path: `${review.reviewId}?token=${review.token}`,
        origin: 'https://evil.example',
        code: 4403,
      },
    ]
    const results = await Promise.all(
      cases.map(async (c) => {
        const door = rawDoor(s.url, c.path, { origin: c.origin })
        await door.opened
        const closed = await door.closed
        return { ...c, ...closed, frames: door.frames }
      }),
    )
    for (const r of results) {
      expect(r.code, r.name).toBe(r.code)
      expect(r.frames.length, `${r.name}: only the refusal is sent`).toBe(1)
      expect(deniedReason(r.frames[0]!), r.name).toBeTruthy()
      expect(r.afterMs, `${r.name}: held`).toBeGreaterThan(2_300)
    }
    expect(results.map((r) => [r.name, r.code])).toEqual(cases.map((c) => [c.name, c.code]))
    // The logs say who was refused, never with the token.
    const logs = s.logLines.join('')
    expect(logs).toContain('y-websocket refused')
    for (const token of [review.token, other.token, gone.token, 'A'.repeat(43)])
      expect(logs).not.toContain(token)
  }, 20_000)

  it('[Y3] a participant removed while connected is told and closed 4403 at once; 3.1.0 stops', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const fac = await board(s.url, review)
    const who = await join(s.url, review.invites.author, 'Soon gone')
    const y = yws(s.url, review.reviewId, who.token)
    await until(() => y.synced())
    await fac.ok('participant.remove', { participantId: who.participantId })
    await until(() => y.closes.length > 0, 2_000)
    expect(y.closes).toEqual([4403])
    expect(y.denied).toHaveLength(1)
    await sleep(3_000)
    expect(y.stopped).toBe(1)
    expect(y.opens).toBe(1)
  }, 10_000)

  it('[Y2] [Y3] a bad token: 3.1.0 stops after one attempt, 3.0.0 retries at most once per hold (10 s counted)', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const clients: Record<YwsVersion, YwsClient> = {
      '3.1.0': yws(s.url, review.reviewId, 'not-a-token'),
      '3.0.0': yws(s.url, review.reviewId, 'not-a-token', { version: '3.0.0' }),
    }
    await until(() => Object.values(clients).every((c) => c.closes.length > 0), 5_000)
    await sleep(10_500)
    const reconnects = {
      '3.1.0': reconnectsWithin(clients['3.1.0'], 10_000),
      '3.0.0': reconnectsWithin(clients['3.0.0'], 10_000),
    }
    const gap = Math.round(shortestGapMs(clients['3.0.0']))
    console.log(
      `[yws] Y3 bad token, reconnects in 10 s after the refusal: ${JSON.stringify(reconnects)}; 3.0.0 shortest gap between connections ${gap} ms`,
    )
    expect(reconnects['3.1.0']).toBe(0)
    expect(clients['3.1.0'].stopped).toBe(1)
    expect(reconnects['3.0.0']).toBeGreaterThanOrEqual(2)
    expect(reconnects['3.0.0']).toBeLessThanOrEqual(4)
    expect(gap).toBeGreaterThanOrEqual(2_500)
    expect(clients['3.0.0'].closes.every((c) => c === 4401)).toBe(true)
    // Nothing of the document ever reached them.
    for (const c of Object.values(clients)) expect(c.doc.getXmlFragment('prfaq').length).toBe(0)
  }, 30_000)

  it('[Y3] a browser provider from a foreign origin is refused 4403 and stops', async () => {
    const s = await stage()
    const review = await createReview(s.url)
    const y = yws(s.url, review.reviewId, review.token, {
      WebSocketPolyfill: webSocketWithOrigin('https://evil.example'),
    })
    await until(() => y.closes.length > 0, 5_000)
    expect(y.closes).toEqual([4403])
    expect(y.stopped).toBe(1)
    expect(y.doc.getXmlFragment('prfaq').length).toBe(0)
  })
})
