import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createReview, join } from './helpers/testServer'
import { syncMessage, until } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'

/**
 * A reader's update is accepted only when it changes nothing. The server decides that from the
 * update's own structs and deleted ranges (not a snapshot of the whole document), so these pin
 * the answer both ways: a full copy of the document (deletions included) is fine, a deletion or
 * an insertion the document does not hold is refused.
 */
const stage = serverPerTest()

const STEP2 = 1
const UPDATE = 2

describe('a reader sending document bytes', () => {
  it('[DOC1] is acknowledged for a copy of the document with its deletions, refused for a new deletion or insertion', async () => {
    const review = await createReview(stage.server.url)
    const author = stage.client(review.token)
    await author.synced
    const t = author.doc.getText('t')
    t.insert(0, 'hello brave new world')
    t.delete(6, 6) // the document now holds deleted items
    await author.settled()
    expect(author.acks.every((a) => a.ok)).toBe(true)

    const reader = stage.client((await join(stage.server.url, review.invites.reviewer)).token)
    await reader.synced
    await until(() => reader.text() === 'hello new world')
    const copy = Y.encodeStateAsUpdate(reader.doc)
    expect(Y.decodeUpdate(copy).ds.clients.size).toBeGreaterThan(0)
    expect(await reader.send(syncMessage(STEP2, copy))).toMatchObject({ ok: true })
    expect(await reader.send(syncMessage(UPDATE, copy))).toMatchObject({ ok: true })

    // A deletion of text the document still holds: refused, nothing changes.
    const local = new Y.Doc()
    Y.applyUpdate(local, copy)
    const sv = Y.encodeStateVector(local)
    local.getText('t').delete(0, 5)
    const deletion = Y.encodeStateAsUpdate(local, sv)
    expect(Y.decodeUpdate(deletion).structs).toHaveLength(0)
    expect(await reader.send(syncMessage(UPDATE, deletion))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    // An insertion: refused too.
    const insert = new Y.Doc()
    Y.applyUpdate(insert, copy)
    const sv2 = Y.encodeStateVector(insert)
    insert.getText('t').insert(0, 'x')
    expect(await reader.send(syncMessage(UPDATE, Y.encodeStateAsUpdate(insert, sv2)))).toMatchObject({
      ok: false,
    })
    expect(stage.server.app.rooms.peek(review.reviewId)!.doc.getText('t').toString()).toBe('hello new world')
  })
})
