import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createReview } from './helpers/testServer'
import { until } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'

/**
 * In a room of more than 50 sockets, carets are relayed in batches (one update per short window)
 * instead of each move to everyone at once. Every client must still see everyone's latest caret.
 */
const stage = serverPerTest()

describe('awareness in a large room', () => {
  it('[DOC1] every client ends up with the latest caret of every other, batched', async () => {
    const review = await createReview(stage.server.url)
    const n = 55
    const peers = Array.from({ length: n }, () => {
      const c = stage.client(review.token)
      const aw = new Awareness(new Y.Doc())
      let frames = 0
      c.socket.on('yjs:awareness', (bytes: Uint8Array) => {
        frames++
        applyAwarenessUpdate(aw, bytes, 'remote')
      })
      return { c, aw, frames: () => frames }
    })
    await Promise.all(peers.map((p) => p.c.synced))
    for (let round = 0; round < 3; round++)
      for (const [i, p] of peers.entries()) {
        p.aw.setLocalStateField('caret', { i, round })
        p.c.socket.emit('yjs:awareness', encodeAwarenessUpdate(p.aw, [p.aw.clientID]))
      }
    type Caret = { caret?: { i: number; round: number } } | undefined
    const sees = (p: (typeof peers)[number], q: (typeof peers)[number]) =>
      (p.aw.getStates().get(q.aw.clientID) as Caret)?.caret?.round === 2
    await until(() => peers.every((p) => peers.every((q) => q === p || sees(p, q))), 10_000)
    // 3 × 55 moves would be 165 frames each without batching.
    expect(Math.max(...peers.map((p) => p.frames()))).toBeLessThan(3 * n)
  })
})
