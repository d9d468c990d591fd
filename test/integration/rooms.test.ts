import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { createReview, join, startServer, type TestServer } from './helpers/testServer'
import { SyncClient, until } from './helpers/syncClient'

let server: TestServer
afterEach(() => server.close())

const storedText = async (reviewId: string) => {
  const doc = new Y.Doc()
  for (const part of await server.store.loadDocument(reviewId)) Y.applyUpdate(doc, part)
  return doc.getText('t').toString()
}

describe('rooms', () => {
  it('relays awareness, sends it to joiners and removes a leaver’s caret', async () => {
    server = await startServer()
    const review = await createReview(server.url)
    const a = new SyncClient(server.url, review.token)
    await a.synced
    const mine = new Awareness(a.doc)
    mine.setLocalState({ user: { name: 'Ada' } })
    a.socket.emit('yjs:awareness', encodeAwarenessUpdate(mine, [a.doc.clientID]))

    const other = await join(server.url, review.invites.reviewer)
    const b = new SyncClient(server.url, other.token)
    const seen = new Awareness(b.doc)
    b.socket.on('yjs:awareness', (u: Uint8Array) => applyAwarenessUpdate(seen, u, 'remote'))
    await until(
      () =>
        (seen.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name ===
        'Ada',
    )
    a.close()
    await until(() => !seen.getStates().has(mine.clientID))
    mine.destroy()
    seen.destroy()
    b.close()
  })

  it('unloads a room after its last client left, and loads it again with its content', async () => {
    server = await startServer({ config: { limits: { roomIdleMs: 20 } } })
    const review = await createReview(server.url)
    const a = new SyncClient(server.url, review.token)
    await a.synced
    a.doc.getText('t').insert(0, 'kept')
    await a.settled()
    const room = server.app.rooms.peek(review.reviewId)!
    a.close()
    await until(() => server.app.rooms.peek(review.reviewId) === undefined)
    expect(room.destroyed).toBe(true)
    const b = new SyncClient(server.url, review.token)
    await b.synced
    expect(b.text()).toBe('kept')
    b.close()
  })

  it('[R4] answers UNAVAILABLE when saving fails, stays up, and saves the change with the next one', async () => {
    server = await startServer()
    const review = await createReview(server.url)
    const a = new SyncClient(server.url, review.token)
    await a.synced
    await a.settled()
    const write = server.store.write.bind(server.store)
    let failing = true
    server.store.write = (id, set) =>
      failing && set.updates ? Promise.reject(new Error('disk full')) : write(id, set)
    a.doc.getText('t').insert(0, 'first ')
    await a.settled()
    expect(a.acks.at(-1)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    failing = false
    const t = a.doc.getText('t')
    t.insert(t.length, 'second')
    await a.settled()
    expect(a.acks.at(-1)).toEqual({ ok: true })
    expect(await storedText(review.reviewId)).toBe('first second')
  })

  it('stores the document of a round when the round closes', async () => {
    server = await startServer()
    const review = await createReview(server.url)
    const a = new SyncClient(server.url, review.token)
    await a.synced
    a.doc.getText('t').insert(0, 'round one text')
    await a.settled()
    const path = ['reading', 'critique', 'discussion', 'triage', 'revision', 'reading']
    for (const [i, to] of path.entries()) {
      expect(await a.command({ type: 'phase.advance', commandId: `p${i}`, to })).toMatchObject({ ok: true })
    }
    const snapshot = await server.store.loadRoundSnapshot(review.reviewId, 1)
    expect(snapshot).not.toBeNull()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, snapshot!)
    expect(doc.getText('t').toString()).toBe('round one text')
    a.close()
  })
})
