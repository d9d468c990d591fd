import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { StoredEvent } from '../../shared/domain/events'
import type { CompactionPolicy, Store } from '../../server/store/types'

export interface StoreHarness {
  store: Store
  /** Opens the same data again (a restart); memory adapters return the same instance. */
  reopen?: () => Promise<Store>
  cleanup: () => Promise<void>
}

/** Every harness opens its store with this compaction policy (the suite counts on it). */
export const CONTRACT_POLICY: CompactionPolicy = { maxBytes: 1_000_000, maxRows: 500 }

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

/** Compaction may run after the commit that made it due (off the acknowledgement's path). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const t = Date.now()
  while (!(await check())) {
    if (Date.now() - t > ms) throw new Error('timed out waiting for the store')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * The server's traffic in miniature: document changes and commands on three reviews, writes
 * issued one at a time and in bursts that share a commit, then every acknowledged write is read
 * back. Exported so a mutation test can show that a store dropping writes fails it.
 */
export async function everyAcknowledgedWriteIsStored(store: Store): Promise<void> {
  const ids = ['m1', 'm2', 'm3']
  for (const id of ids) await store.write(id, { review: review(id) })
  const docs = new Map(ids.map((id) => [id, new Y.Doc()]))
  const seqs = new Map(ids.map((id) => [id, 0]))
  const markers = new Map<string, string[]>(ids.map((id) => [id, []]))
  const tokens: Array<{ hash: string; reviewId: string }> = []
  const rounds: Array<{ reviewId: string; round: number }> = []
  let n = 0
  const one = (): Promise<void> => {
    const id = ids[n % 3]!
    const k = n++
    const set: Parameters<Store['write']>[1] = {}
    if (k % 4 !== 3) {
      const marker = `<${k}>`
      markers.get(id)!.push(marker)
      set.updates = [edit(docs.get(id)!, marker)]
    }
    if (k % 3 === 0) {
      const seq = seqs.get(id)! + 1
      seqs.set(id, seq)
      set.events = [joined(seq, `p${k}`)]
    }
    if (k % 7 === 0) {
      set.tokens = [{ hash: `tok-${k}`, participantId: `p${k}` }]
      tokens.push({ hash: `tok-${k}`, reviewId: id })
    }
    if (k % 11 === 0) {
      set.roundSnapshot = { round: k, state: new Uint8Array([k % 256, 1, 2]) }
      rounds.push({ reviewId: id, round: k })
    }
    return store.write(id, set)
  }
  for (const burst of [1, 1, 5, 1, 17, 2, 1, 40, 3, 1, 1, 25, 1, 9])
    await Promise.all(Array.from({ length: burst }, one))

  for (const id of ids) {
    const text = await docOf(store, id)
    const missing = markers.get(id)!.filter((m) => !text.includes(m))
    expect(missing, `document changes of ${id} acknowledged but not stored`).toEqual([])
    const stored = (await store.loadEvents(id)).map((e) => e.seq)
    expect(stored, `events of ${id}`).toEqual(Array.from({ length: seqs.get(id)! }, (_, i) => i + 1))
  }
  for (const t of tokens)
    expect((await store.findToken(t.hash))?.reviewId, `token ${t.hash}`).toBe(t.reviewId)
  for (const r of rounds)
    expect(await store.loadRoundSnapshot(r.reviewId, r.round), `round ${r.round}`).toEqual(
      new Uint8Array([r.round % 256, 1, 2]),
    )
}

/** One contract for every storage adapter (CONVENTIONS §5), driven through `write` as the server does. */
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
        expect(await store.findInvite('nope')).toBeNull()
        expect(await store.loadEvents('nope')).toEqual([])
        expect(await store.loadDocument('nope')).toEqual([])
      }),
    )

    it(
      'refuses a review that exists with CONFLICT',
      withStore(async ({ store }) => {
        await store.write('r1', { review: review('r1'), events: [joined(1, 'p1')] })
        await expect(
          store.write('r1', { review: { ...review('r1'), title: 'other' } }),
        ).rejects.toMatchObject({
          code: 'CONFLICT',
        })
        expect(await store.getReview('r1')).toEqual(review('r1'))
      }),
    )

    it(
      'refuses an event seq that exists with CONFLICT and changes nothing of that write',
      withStore(async ({ store }) => {
        await store.write('r1', { review: review('r1'), events: [joined(1, 'p1')] })
        const doc = new Y.Doc()
        await expect(
          store.write('r1', {
            events: [joined(2, 'p2'), joined(1, 'p3')],
            updates: [edit(doc, 'x')],
            tokens: [{ hash: 'lost', participantId: 'p2' }],
          }),
        ).rejects.toMatchObject({ code: 'CONFLICT' })
        expect((await store.loadEvents('r1')).map((e) => e.seq)).toEqual([1])
        expect(await docOf(store, 'r1')).toBe('')
        expect(await store.findToken('lost')).toBeNull()
        await store.write('r1', { events: [joined(2, 'p2')] })
        expect((await store.loadEvents('r1')).map((e) => e.seq)).toEqual([1, 2])
      }),
    )

    it(
      'commits writes issued together in one transaction, each settling on its own',
      withStore(async ({ store }) => {
        await store.write('a', { review: review('a'), events: [joined(1, 'p')] })
        await store.write('b', { review: review('b') })
        const before = store.metrics.commits
        const docs = [new Y.Doc(), new Y.Doc()] as const
        const writes = Array.from({ length: 50 }, (_, i) =>
          store.write(i % 2 ? 'a' : 'b', { updates: [edit(docs[i % 2]!, 'x')] }),
        )
        const conflict = store.write('a', { events: [joined(1, 'again')] })
        const ghost = store.write('ghost', { updates: [edit(new Y.Doc(), 'y')] })
        await Promise.all(writes)
        await expect(conflict).rejects.toMatchObject({ code: 'CONFLICT' })
        await expect(ghost).rejects.toMatchObject({ code: 'NOT_FOUND' })
        expect(store.metrics.commits - before).toBe(1)
        const both = (await docOf(store, 'a')) + (await docOf(store, 'b'))
        expect(both).toBe('x'.repeat(50))
      }),
    )

    it(
      'keeps every acknowledged write, one at a time and in bursts, across reviews',
      withStore(async ({ store }) => everyAcknowledgedWriteIsStored(store)),
    )

    it(
      'folds a log past its row limit into one snapshot, keeping content and later updates',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        const doc = new Y.Doc()
        for (let i = 0; i < 12; i++)
          await Promise.all(
            Array.from({ length: 50 }, (_, j) => store.write('r', { updates: [edit(doc, `${j % 10}`)] })),
          )
        await eventually(async () => (await store.loadDocument('r')).length < 100)
        await store.write('r', { updates: [edit(doc, '!')] })
        expect(await docOf(store, 'r')).toBe(doc.getText('t').toString())
      }),
    )

    it(
      'compacts by itself once the log passes its size limit',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        const doc = new Y.Doc()
        const big = 'y'.repeat(2000)
        await Promise.all(Array.from({ length: 700 }, () => store.write('r', { updates: [edit(doc, big)] })))
        await eventually(async () => (await store.loadDocument('r')).length < 10)
        expect((await docOf(store, 'r')).length).toBe(700 * 2000)
      }),
      30_000, // 1.4 MB of text through every adapter, on a shared two-core machine
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
        // Revoking then granting in later writes of one commit: the order of writes holds.
        const revoke = store.write('r', { revokeTokensOf: ['p2'] })
        const grant = store.write('r', { tokens: [{ hash: 't4', participantId: 'p2' }] })
        await Promise.all([revoke, grant])
        expect(await store.findToken('t3')).toBeNull()
        expect(await store.findToken('t4')).toEqual({ reviewId: 'r', participantId: 'p2' })
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
        await expect(store.write('ghost', { updates: [new Uint8Array([0, 0])] })).rejects.toMatchObject({
          code: 'NOT_FOUND',
        })
        expect(await store.getReview('ghost')).toBeNull()
      }),
    )

    it(
      'refuses writes after close with UNAVAILABLE',
      withStore(async ({ store }) => {
        await store.write('r', { review: review('r') })
        await store.close()
        await expect(store.write('r', { updates: [new Uint8Array([0, 0])] })).rejects.toMatchObject({
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
        const pending = h.store.write('r', { updates: [edit(doc, 'kept')] })
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
