import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createReview, join } from './helpers/testServer'
import { syncMessage, until } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'
import { handleSync } from '../../server/rooms/docSync'
import type { Ack } from '../../shared/protocol/events'

const stage = serverPerTest()

const serverDoc = (reviewId: string) => stage.server.app.rooms.peek(reviewId)!.doc

describe('yjs:sync', () => {
  it('[DOC1] two authors converge on concurrent edits', async () => {
    const review = await createReview(stage.server.url)
    const other = await join(stage.server.url, review.invites.author)
    const a = stage.client(review.token)
    const b = stage.client(other.token)
    await Promise.all([a.synced, b.synced])
    expect(a.doc.getXmlFragment('prfaq').length).toBeGreaterThan(0)
    for (let i = 0; i < 20; i++) {
      a.doc.getText('t').insert(0, 'a')
      b.doc.getText('t').insert(0, 'b')
    }
    await Promise.all([a.settled(), b.settled()])
    await until(() => a.text() === b.text() && a.text().length === 40)
    expect(a.acks.every((ack) => ack.ok)).toBe(true)
    expect(serverDoc(review.reviewId).getText('t').toString()).toBe(a.text())
  })

  it('[DOC1] refuses a reviewer update with FORBIDDEN and resyncs the reviewer', async () => {
    const review = await createReview(stage.server.url)
    const reviewer = await join(stage.server.url, review.invites.reviewer)
    const r = stage.client(reviewer.token)
    await r.synced
    r.doc.getText('t').insert(0, 'sneaky')
    await r.settled()
    expect(r.acks.at(-1)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await until(() => r.text() === '')
    const doc = serverDoc(review.reviewId)
    expect(doc.getText('t').toString()).toBe('')
    expect(Y.encodeStateAsUpdate(r.doc)).toEqual(Y.encodeStateAsUpdate(doc))
  })

  it('acknowledges every message, the handshake included, and an empty step 2 from anyone', async () => {
    const review = await createReview(stage.server.url)
    const observer = await join(stage.server.url, review.invites.observer)
    const o = stage.client(observer.token)
    await o.synced
    await o.settled()
    expect(o.acks.length).toBeGreaterThanOrEqual(2) // our step 1 and the step 2 answering the server's
    expect(o.acks.every((a) => a.ok)).toBe(true)
  })

  it('answers malformed bytes with INVALID, changes nothing and keeps serving others', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    const b = stage.client(review.token)
    await Promise.all([a.synced, b.synced])
    const before = Y.encodeStateAsUpdate(serverDoc(review.reviewId))
    const bad = [
      new Uint8Array([2, 5, 1, 2, 3, 4, 5]),
      new Uint8Array([2]),
      new Uint8Array([9, 0]),
      syncMessage(2, new Uint8Array([255, 255, 255, 255, 15, 1])),
      syncMessage(1, new Uint8Array(50).fill(200)),
      syncMessage(0, new Uint8Array([5, 200, 200])),
    ]
    for (const msg of bad) expect(await a.send(msg)).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(await a.socket.timeout(5000).emitWithAck('yjs:sync', 'text')).toMatchObject({ ok: false })
    expect(Y.encodeStateAsUpdate(serverDoc(review.reviewId))).toEqual(before)
    b.doc.getText('t').insert(0, 'still here')
    await b.settled()
    await until(() => a.text() === 'still here')
  })

  it('refuses an oversized update with TOO_LARGE', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    await a.synced
    const big = new Y.Doc()
    big.getText('t').insert(0, 'x'.repeat(2.5 * 1024 * 1024))
    const ack = await a.send(syncMessage(2, Y.encodeStateAsUpdate(big)))
    expect(ack).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    expect(serverDoc(review.reviewId).getText('t').length).toBe(0)
  })

  it('acknowledges an update only after the store committed it', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const review = await createReview(stage.server.url)
    const write = stage.server.store.write.bind(stage.server.store)
    stage.server.store.write = async (id, set) => {
      if (set.updates) await gate
      return write(id, set)
    }
    const a = stage.client(review.token)
    await a.synced
    await a.settled()
    a.doc.getText('t').insert(0, 'wait for it')
    await new Promise((r) => setTimeout(r, 200))
    expect(a.pending.size).toBe(1)
    release()
    await a.settled()
    expect(a.acks.at(-1)).toEqual({ ok: true })
    const parts = await stage.server.store.loadDocument(review.reviewId)
    const stored = new Y.Doc()
    parts.forEach((p) => Y.applyUpdate(stored, p))
    expect(stored.getText('t').toString()).toBe('wait for it')
  })

  it('[P12] updates read in one turn are applied in one transaction and saved as one change, each acknowledged', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    await a.synced
    const doc = serverDoc(review.reviewId)
    let transactions = 0
    doc.on('update', () => transactions++)
    const writer = new Y.Doc()
    const updates: Uint8Array[] = []
    writer.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 30; i++) writer.getText('t').insert(i, String(i % 10))
    // Written back to back: one burst on the wire, read by the server in one turn.
    const acks = await Promise.all(updates.map((u) => a.send(syncMessage(2, u))))
    expect(acks.every((ack) => ack.ok)).toBe(true)
    expect(doc.getText('t').toString()).toBe(writer.getText('t').toString())
    expect(transactions).toBeLessThan(10)
    const stored = new Y.Doc()
    for (const p of await stage.server.store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
    expect(stored.getText('t').toString()).toBe(writer.getText('t').toString())
  })

  it('[RD1] [S2] an update checked before a lock that lands in the same turn is refused when applied', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    await a.synced
    const room = stage.server.app.rooms.peek(review.reviewId)!
    const socket = [...room.sockets.values()][0]!
    const before = Y.encodeStateAsUpdate(room.doc)
    const edit = new Y.Doc()
    edit.getText('t').insert(0, 'too late')
    const answer = new Promise<Ack>((resolve) => {
      void handleSync(room, socket, syncMessage(2, Y.encodeStateAsUpdate(edit)), resolve)
    })
    // The check passed on arrival; a lock committed later in the same turn wins over the apply.
    room.state = { ...room.state, phase: 'reading' }
    expect(await answer).toMatchObject({ ok: false, error: { code: 'PHASE_LOCKED' } })
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before)
  })

  it('an update queued while its room is unloaded is refused UNAVAILABLE, not acknowledged', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    await a.synced
    const room = stage.server.app.rooms.peek(review.reviewId)!
    const socket = [...room.sockets.values()][0]!
    const edit = new Y.Doc()
    edit.getText('t').insert(0, 'into the void')
    const answer = new Promise<Ack>((resolve) => {
      void handleSync(room, socket, syncMessage(2, Y.encodeStateAsUpdate(edit)), resolve)
    })
    room.destroy() // unloaded (e.g. shutdown) before the end of the turn
    expect(await answer).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    const stored = new Y.Doc()
    for (const p of await stage.server.store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
    expect(stored.getText('t').toString()).toBe('')
  })
})
