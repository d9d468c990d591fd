import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { StoredEvent } from '../../shared/domain/events'
import type { Store } from '../../server/store/types'

export interface StoreHarness {
  store: Store
  /** Opens the same data again (a restart); memory adapters return the same instance. */
  reopen?: () => Promise<Store>
  cleanup: () => Promise<void>
}

const review = (id: string) => ({ id, title: `Review ${id}`, createdAt: 1000 })
const joined = (seq: number, id: string): StoredEvent => ({
  type: 'participant.joined',
  participant: { id, name: id, function: 'engineering', roles: ['author'], joinedAt: 1 },
  seq,
  at: 1000 + seq,
  actorId: id,
})

function edit(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | undefined
  const grab = (u: Uint8Array) => (update = u)
  doc.on('update', grab)
  doc.getText('t').insert(doc.getText('t').length, text)
  doc.off('update', grab)
  return update!
}

async function docOf(store: Store, id: string): Promise<string> {
  const doc = new Y.Doc()
  const parts = await store.loadDocument(id)
  doc.transact(() => parts.forEach((p) => Y.applyUpdate(doc, p)))
  const text = doc.getText('t').toString()
  doc.destroy()
  return text
}

/** One contract for every storage adapter (CONVENTIONS §5). */
export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, () => {
    const withStore = (fn: (h: StoreHarness) => Promise<void>) => async () => {
      const h = await open()
      try {
        await fn(h)
      } finally {
        await h.cleanup()
      }
    }

    it(
      'creates a review with its first events, updates, tokens and invites atomically',
      withStore(async ({ store }) => {
        const doc = new Y.Doc()
        await store.write('r1', {
          review: review('r1'),
          events: [joined(1, 'p1')],
          updates: [edit(doc, 'hello')],
          tokens: [{ hash: 'tok1', participantId: 'p1' }],
          invites: [{ hash: 'inv-author', role: 'author' }],
        })
        expect(await store.getReview('r1')).toEqual(review('r1'))
        expect(await store.loadEvents('r1')).toEqual([joined(1, 'p1')])
        expect(await docOf(store, 'r1')).toBe('hello')
        expect(await store.findToken('tok1')).toEqual({ reviewId: 'r1', participantId: 'p1' })
        expect(await store.findInvite('inv-author')).toEqual({ reviewId: 'r1', role: 'author' })
        expect(await store.getReview('nope')).toBeNull()
        expect(await store.findToken('nope')).toBeNull()
      }),
    )

    it(
      'refuses an event seq that exists with CONFLICT and changes nothing of that write',
      withStore(async ({ store }) => {
        await store.write('r1', { review: review('r1'), events: [joined(1, 'p1')] })
        const doc = new Y.Doc()
        await expect(
          store.write('r1', { events: [joined(2, 'p2'), joined(1, 'p3')], updates: [edit(doc, 'x')] }),
        ).rejects.toMatchObject({
          code: 'CONFLICT',
        })
        expect((await store.loadEvents('r1')).map((e) => e.seq)).toEqual([1])
        expect(await docOf(store, 'r1')).toBe('')
        await store.appendEvents('r1', [joined(2, 'p2')])
        expect((await store.loadEvents('r1')).map((e) => e.seq)).toEqual([1, 2])
      }),
    )

    it(
      'commits writes issued together in one transaction, each settling on its own',
      withStore(async ({ store }) => {
        await store.write('a', { review: review('a'), events: [joined(1, 'p')] })
        await store.write('b', { review: review('b') })
        const before = store.metrics.commits
        const doc = new Y.Doc()
        const writes = Array.from({ length: 50 }, (_, i) =>
          store.appendUpdate(i % 2 ? 'a' : 'b', edit(doc, 'x')),
        )
        const conflict = store.appendEvents('a', [joined(1, 'again')])
        await Promise.all(writes)
        await expect(conflict).rejects.toMatchObject({ code: 'CONFLICT' })
        expect(store.metrics.commits - before).toBe(1)
      }),
    )

    it(
      'keeps content through compaction into one snapshot, and later updates after it',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        const doc = new Y.Doc()
        for (let i = 0; i < 200; i++) await store.appendUpdate('r', edit(doc, `${i % 10}`))
        await store.compact('r')
        expect(await store.loadDocument('r')).toHaveLength(1)
        await store.appendUpdate('r', edit(doc, '!'))
        expect(await store.loadDocument('r')).toHaveLength(2)
        expect(await docOf(store, 'r')).toBe(doc.getText('t').toString())
      }),
    )

    it(
      'compacts by itself once the log passes its size limit',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        const doc = new Y.Doc()
        const big = 'y'.repeat(2000)
        await Promise.all(Array.from({ length: 700 }, () => store.appendUpdate('r', edit(doc, big))))
        await new Promise((r) => setImmediate(r))
        expect((await store.loadDocument('r')).length).toBeLessThan(10)
        expect((await docOf(store, 'r')).length).toBe(700 * 2000)
      }),
    )

    it(
      'revokes every token of a participant and replaces an invite by role',
      withStore(async ({ store }) => {
        await store.write('r', {
          review: review('r'),
          tokens: [
            { hash: 't1', participantId: 'p1' },
            { hash: 't2', participantId: 'p1' },
            { hash: 't3', participantId: 'p2' },
          ],
          invites: [{ hash: 'old', role: 'reviewer' }],
        })
        await store.write('r', { revokeTokensOf: ['p1'], invites: [{ hash: 'new', role: 'reviewer' }] })
        expect(await store.findToken('t1')).toBeNull()
        expect(await store.findToken('t2')).toBeNull()
        expect(await store.findToken('t3')).toEqual({ reviewId: 'r', participantId: 'p2' })
        expect(await store.findInvite('old')).toBeNull()
        expect(await store.findInvite('new')).toEqual({ reviewId: 'r', role: 'reviewer' })
      }),
    )

    it(
      '[PA11][PA12] keeps sealed invites per role and one return link per participant, gone with their tokens',
      withStore(async ({ store }) => {
        await store.write('r', {
          review: review('r'),
          sealedInvites: [{ role: 'reviewer', sealed: 's-old' }],
          returnLinks: [
            { hash: 'b1', participantId: 'p1', sealed: 'x1' },
            { hash: 'b2', participantId: 'p2', sealed: 'x2' },
          ],
        })
        await store.write('r', {
          sealedInvites: [
            { role: 'reviewer', sealed: 's-new' },
            { role: 'author', sealed: 's-a' },
          ],
          returnLinks: [{ hash: 'b1-new', participantId: 'p1', sealed: 'x1-new' }],
        })
        const invites = await store.listSealedInvites('r')
        expect(invites.sort((a, b) => a.role.localeCompare(b.role))).toEqual([
          { role: 'author', sealed: 's-a' },
          { role: 'reviewer', sealed: 's-new' },
        ])
        expect(await store.listSealedInvites('other')).toEqual([])
        expect(await store.findReturnLink('b1')).toBeNull()
        expect(await store.findReturnLink('b1-new')).toEqual({ reviewId: 'r', participantId: 'p1' })
        expect(await store.getReturnLink('r', 'p1')).toEqual({ sealed: 'x1-new' })
        await store.write('r', { revokeTokensOf: ['p2'] })
        expect(await store.findReturnLink('b2')).toBeNull()
        expect(await store.getReturnLink('r', 'p2')).toBeNull()
        expect(await store.getReturnLink('r', 'p1')).toEqual({ sealed: 'x1-new' })
      }),
    )

    it(
      'stores round snapshots per review and round, as exact bytes',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        const bytes = new Uint8Array([9, 9, 1, 2, 3, 9]).subarray(2, 5)
        await store.write('r', { roundSnapshot: { round: 1, state: bytes } })
        expect(await store.loadRoundSnapshot('r', 1)).toEqual(new Uint8Array([1, 2, 3]))
        expect(await store.loadRoundSnapshot('r', 2)).toBeNull()
      }),
    )

    it(
      'refuses writes to a review that does not exist',
      withStore(async ({ store }) => {
        await expect(store.appendUpdate('ghost', new Uint8Array([0, 0]))).rejects.toMatchObject({
          code: 'NOT_FOUND',
        })
      }),
    )

    it(
      'refuses writes after close with UNAVAILABLE',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        await store.close()
        await expect(store.appendUpdate('r', new Uint8Array([0, 0]))).rejects.toMatchObject({
          code: 'UNAVAILABLE',
        })
      }),
    )

    it(
      'commits pending writes on close and keeps them on reopen',
      withStore(async (h) => {
        if (!h.reopen) return
        await h.store.write('r', { review: review('r'), events: [joined(1, 'p')] })
        const doc = new Y.Doc()
        const pending = h.store.appendUpdate('r', edit(doc, 'kept'))
        await h.store.close()
        await pending
        const again = await h.reopen()
        expect(await docOf(again, 'r')).toBe('kept')
        expect(await again.loadEvents('r')).toHaveLength(1)
        await again.close()
      }),
    )
  })
}
