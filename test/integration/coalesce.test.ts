import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createReview, join } from './helpers/testServer'
import { until } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'

/**
 * A busy room sends the changes read in one turn of the event loop as one merged update. Bursts
 * from two writers at once must still reach everyone, writers included, with every change acked.
 */
const stage = serverPerTest()

describe('coalesced fan-out', () => {
  it('[DOC1] bursts from two writers converge at every client, each change acked', async () => {
    const review = await createReview(stage.server.url)
    const a = stage.client(review.token)
    const b = stage.client((await join(stage.server.url, review.invites.author, 'B')).token)
    const r = stage.client((await join(stage.server.url, review.invites.reviewer, 'R')).token)
    await Promise.all([a.synced, b.synced, r.synced])
    for (let i = 0; i < 200; i++) {
      a.doc.getText('t').insert(0, 'a')
      b.doc.getText('t').insert(0, 'b')
    }
    await Promise.all([a.settled(), b.settled()])
    const room = stage.server.app.rooms.peek(review.reviewId)!
    const server400 = () => room.doc.getText('t').length === 400
    await until(() => server400() && [a, b, r].every((c) => c.text() === room.doc.getText('t').toString()))
    expect(a.acks.every((x) => x.ok) && b.acks.every((x) => x.ok)).toBe(true)
    expect(Y.encodeStateVector(r.doc)).toEqual(Y.encodeStateVector(room.doc))
    // One message per change at most; fewer once the room was busy enough to merge.
    expect(room.outbox.sent).toBeLessThanOrEqual(400)
  })
})
