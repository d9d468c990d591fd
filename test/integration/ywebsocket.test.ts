import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import type { BoardState } from '../../shared/protocol/board'
import { SyncClient, until } from './helpers/syncClient'
import { createReview, join, startServer, type TestServer } from './helpers/testServer'
import { rawDoor } from './helpers/rawDoor'
import { wireSocket } from './helpers/wireSocket'
import { ywsClient, type YwsClient } from './helpers/ywsClient'

/**
 * The y-websocket door with the unmodified WebsocketProvider 3.1.0 in Node: it syncs a review's
 * document, its edits reach Socket.IO clients only once saved and theirs reach it, awareness
 * goes both ways, presence names it, and a server restart loses nothing.
 */
const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function server(opts: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(opts)
  cleanup.push(() => s.close())
  return s
}

function yws(...args: Parameters<typeof ywsClient>): YwsClient {
  const c = ywsClient(...args)
  cleanup.push(() => c.destroy())
  return c
}

function socketClient(url: string, token: string): SyncClient {
  const c = new SyncClient(url, token)
  cleanup.push(() => c.close())
  return c
}

/** A store whose writes wait for `release()` while held. */
function gatedStore(inner: Store): Store & { hold: () => void; release: () => void } {
  let gate: Promise<void> | null = null
  let open = () => {}
  return {
    ...inner,
    metrics: inner.metrics,
    write: async (id, set) => {
      if (gate) await gate
      return inner.write(id, set)
    },
    hold: () => {
      gate = new Promise((r) => (open = r))
    },
    release: () => {
      gate = null
      open()
    },
  }
}

async function onlineInApi(
  url: string,
  review: { reviewId: string; token: string },
  participantId: string,
): Promise<boolean | undefined> {
  const res = await fetch(`${url}/api/reviews/${review.reviewId}`, {
    headers: { authorization: `Bearer ${review.token}` },
  })
  const body = (await res.json()) as { participants: Array<{ id: string; online: boolean }> }
  return body.participants.find((p) => p.id === participantId)?.online
}

describe('the y-websocket door (WebsocketProvider 3.1.0, Node)', () => {
  it('[Y1] syncs the review, and edits go both ways between y-websocket and Socket.IO', async () => {
    const s = await server()
    const review = await createReview(s.url)
    const author = await join(s.url, review.invites.author, 'Yuki')
    const peer = socketClient(s.url, review.token)
    await peer.synced
    const y = yws(s.url, review.reviewId, author.token)
    await until(() => y.synced())
    const room = s.app.rooms.peek(review.reviewId)!
    // The template arrived whole.
    expect(y.doc.getXmlFragment('prfaq').toString()).toBe(room.doc.getXmlFragment('prfaq').toString())
    expect(y.doc.getXmlFragment('prfaq').length).toBeGreaterThan(3)

    y.doc.getText('t').insert(0, 'from y-websocket')
    await until(() => peer.text() === 'from y-websocket')
    peer.doc.getText('t').insert(0, 'from Socket.IO, ')
    await until(() => y.doc.getText('t').toString() === 'from Socket.IO, from y-websocket')
    // Both saved.
    const stored = new Y.Doc()
    for (const p of await s.store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
    expect(stored.getText('t').toString()).toBe('from Socket.IO, from y-websocket')
  })

  it('[Y1] an edit through the door is relayed only once it is saved', async () => {
    const store = gatedStore(createMemoryStore())
    const s = await server({ store })
    cleanup.push(() => store.close())
    const review = await createReview(s.url)
    const peer = socketClient(s.url, review.token)
    const y = yws(s.url, review.reviewId, review.token)
    await peer.synced
    await until(() => y.synced())
    store.hold()
    cleanup.push(() => store.release()) // a failing assertion must not leave the server's close waiting
    y.doc.getText('t').insert(0, 'held')
    const room = s.app.rooms.peek(review.reviewId)!
    await until(() => room.doc.getText('t').toString() === 'held')
    await new Promise((r) => setTimeout(r, 300))
    expect(peer.text(), 'relayed before it was saved').toBe('')
    store.release()
    await until(() => peer.text() === 'held')
  })

  it('[Y1] awareness goes both ways and presence shows the participant by name', async () => {
    const s = await server()
    const review = await createReview(s.url)
    const author = await join(s.url, review.invites.author, 'Yuki')
    const peer = socketClient(s.url, review.token)
    await peer.synced
    const { Awareness, applyAwarenessUpdate } = await import('y-protocols/awareness')
    const peerAwareness = new Awareness(peer.doc)
    peer.socket.on('yjs:awareness', (bytes: Uint8Array) => {
      applyAwarenessUpdate(peerAwareness, bytes, 'remote')
    })
    const y = yws(s.url, review.reviewId, author.token)
    y.provider.awareness.setLocalStateField('user', { name: 'Yuki (bot)' })
    await until(() => y.synced())
    await until(() => {
      const state = peerAwareness.getStates().get(y.doc.clientID) as { user?: { name: string } } | undefined
      return state?.user?.name === 'Yuki (bot)'
    })
    // Presence: the participant is online, by name, on every board and in the API.
    const board = wireSocket(s.url, review.token)
    cleanup.push(() => board.close())
    let state: BoardState | null = null
    board.on('board:state', (b: BoardState) => (state = b))
    await until(() => state !== null)
    expect(state!.participants.find((p) => p.id === author.participantId)).toMatchObject({
      name: 'Yuki',
      online: true,
    })
    expect(await onlineInApi(s.url, review, author.participantId)).toBe(true)
    // Socket.IO → y-websocket.
    peerAwareness.setLocalStateField('user', { name: 'Ada' })
    const { encodeAwarenessUpdate } = await import('y-protocols/awareness')
    peer.socket.emit('yjs:awareness', encodeAwarenessUpdate(peerAwareness, [peer.doc.clientID]))
    await until(() => {
      const st = y.provider.awareness.getStates().get(peer.doc.clientID) as
        { user?: { name: string } } | undefined
      return st?.user?.name === 'Ada'
    })
    // Leaving: the caret goes away for the others, and the participant goes offline.
    y.provider.disconnect()
    await until(() => !peerAwareness.getStates().has(y.doc.clientID))
    expect(await onlineInApi(s.url, review, author.participantId)).toBe(false)
    peerAwareness.destroy()
  })

  it('[Y1] reconnects after a server restart with nothing lost, offline edits included', async () => {
    const store = createMemoryStore()
    cleanup.push(() => store.close())
    let s = await startServer({ store })
    const port = new URL(s.url).port
    const review = await createReview(s.url)
    const y = yws(s.url, review.reviewId, review.token)
    await until(() => y.synced())
    y.doc.getText('t').insert(0, 'before restart. ')
    await until(() => s.app.rooms.peek(review.reviewId)?.doc.getText('t').toString() === 'before restart. ')
    await s.close()
    await until(() => !y.provider.wsconnected)
    expect(y.closes).toContain(1012)
    y.doc.getText('t').insert(y.doc.getText('t').length, 'while it was down.')
    s = await startServer({ store, config: { port: Number(port) } })
    cleanup.push(() => s.close())
    await until(() => y.synced(), 10_000)
    const peer = socketClient(s.url, review.token)
    await peer.synced
    await until(() => peer.text() === 'before restart. while it was down.')
    const stored = new Y.Doc()
    for (const p of await store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
    expect(stored.getText('t').toString()).toBe('before restart. while it was down.')
  })

  it('[Y1] a quiet connection gets data at least every 15 s (the client closes after 30 s of silence)', async () => {
    const s = await server()
    const review = await createReview(s.url)
    const door = rawDoor(s.url, `${review.reviewId}?token=${review.token}`)
    await door.opened
    const start = performance.now()
    await until(
      () => door.frames.some((f) => f.length === 3 && f[0] === 1 && f[1] === 1 && f[2] === 0),
      16_000,
    )
    expect(performance.now() - start).toBeLessThan(13_000)
    expect(door.ws.readyState).toBe(door.ws.OPEN)
    door.ws.close()
  }, 20_000)
})
