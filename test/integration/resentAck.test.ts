import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Ack } from '../../shared/protocol/events'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { SyncClient, syncMessage } from './helpers/syncClient'
import { createReview, startServer, type TestServer } from './helpers/testServer'

/**
 * Saved before acknowledged [DOC2], for an update sent again while the write holding its change is
 * still under way (a client's retry after a timeout): read in the same turn as a new change, it
 * must wait for its own change's write, not be answered by the new change's faster one.
 */
describe('an update sent again while its first write is under way', () => {
  let server: TestServer | null = null
  const clients: SyncClient[] = []
  let release: () => void = () => undefined
  afterEach(async () => {
    release()
    for (const c of clients.splice(0)) c.socket.disconnect()
    await server?.close()
    server = null
  })

  it('[DOC2] is acknowledged only once the write holding its change commits', async () => {
    const inner = createMemoryStore()
    let held: { release: () => void; committed: boolean } | null = null
    let holdNext = false
    const store: Store = {
      ...inner,
      write: async (id, set) => {
        if (holdNext && set.updates?.length) {
          holdNext = false
          const h: { release: () => void; committed: boolean } = {
            release: () => undefined,
            committed: false,
          }
          held = h
          release = () => h.release()
          await new Promise<void>((r) => (h.release = () => r()))
          await inner.write(id, set)
          h.committed = true
          return
        }
        return inner.write(id, set)
      },
    }
    server = await startServer({ store })
    const review = await createReview(server.url)
    const client = new SyncClient(server.url, review.token)
    clients.push(client)
    await client.synced

    // The first edit's write is held: its ack must wait.
    holdNext = true
    const first = new Y.Doc()
    Y.applyUpdate(first, Y.encodeStateAsUpdate(client.doc))
    const before = Y.encodeStateVector(first)
    first.getXmlFragment('prfaq').insert(0, [new Y.XmlText('first edit ')])
    const update = Y.encodeStateAsUpdate(first, before)
    const firstAck = client.send(syncMessage(2, update))
    await expect.poll(() => held !== null).toBe(true)

    // The same bytes again, and a new change, in one turn: the new change's write is not held.
    const second = new Y.Doc()
    Y.applyUpdate(second, Y.encodeStateAsUpdate(first))
    const sv = Y.encodeStateVector(second)
    second.getXmlFragment('prfaq').insert(0, [new Y.XmlText('second edit ')])
    const resentAck = client.send(syncMessage(2, update))
    const newAck = client.send(syncMessage(2, Y.encodeStateAsUpdate(second, sv)))

    const answered: Array<[string, Ack]> = []
    void firstAck.then((a) => answered.push(['first', a]))
    void resentAck.then((a) => answered.push(['resent', a]))
    void newAck.then((a) => answered.push(['new', a]))
    await new Promise((r) => setTimeout(r, 300))
    // Nothing that holds the first edit is acknowledged while its write is under way (the new
    // change waits behind it too: a real store commits writes in order anyway).
    expect(held!.committed).toBe(false)
    expect(answered).toEqual([])

    held!.release()
    expect(await resentAck).toEqual({ ok: true })
    expect(await firstAck).toEqual({ ok: true })
    expect(await newAck).toEqual({ ok: true })
    expect(held!.committed).toBe(true)
  })
})
