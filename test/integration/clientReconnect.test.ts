// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { Window as HappyWindow } from 'happy-dom'
import { openSocket, type BoardSocket } from '../../client/src/composables/useSocket'
import { useConnectionStore } from '../../client/src/stores/connection'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { createReview, startServer, type TestServer } from './helpers/testServer'

/**
 * The board's own socket (client/src/composables/useSocket.ts) against the real server: a
 * handshake the server refuses for a passing reason (`unavailable`: its store cannot read) is
 * not retried by socket.io itself, so the board asks again until the server can answer.
 */
/** Puts the page (happy-dom's window) at the server's origin, where the board's socket connects. */
const pageAt = (url: string) => (window as unknown as HappyWindow).happyDOM.setURL(url)

describe('the board socket after a refused handshake', () => {
  let server: TestServer | null = null
  let socket: BoardSocket | null = null
  afterEach(async () => {
    socket?.disconnect()
    socket = null
    await server?.close()
    server = null
  })

  it('[R4] comes back by itself once the store can read again, and sends the review hint', async () => {
    const inner = createMemoryStore()
    let failReads = false
    const hints: unknown[] = []
    const store: Store = {
      ...inner,
      findToken: (hash) =>
        failReads ? Promise.reject(new Error('I/O error: cannot read')) : inner.findToken(hash),
    }
    server = await startServer({ store })
    // Every connection attempt, refused or not: Engine.IO's handshake comes before the auth check.
    server.app.io.engine.on('connection', (conn: { request: { url: string } }) =>
      hints.push(new URL(conn.request.url, 'http://x').searchParams.get('review')),
    )
    pageAt(server.url) // the page's origin: its socket goes there
    const review = await createReview(server.url)
    setActivePinia(createPinia())
    const connection = useConnectionStore()

    failReads = true
    socket = openSocket(review.token, review.reviewId)
    await expect.poll(() => hints.length, { timeout: 5_000 }).toBeGreaterThan(0)
    await new Promise((r) => setTimeout(r, 300))
    expect(socket.connected).toBe(false)
    expect(connection.status).toBe('reconnecting')

    failReads = false
    await expect.poll(() => socket?.connected, { timeout: 10_000 }).toBe(true)
    expect(connection.status).toBe('connected')
    expect(hints.length).toBeGreaterThan(1)
    expect(new Set(hints)).toEqual(new Set([review.reviewId]))
  })

  it('[S4] stops for good on an unauthorized token', async () => {
    server = await startServer()
    pageAt(server.url)
    setActivePinia(createPinia())
    const connection = useConnectionStore()
    let attempts = 0
    server.app.io.engine.on('connection', () => attempts++)
    socket = openSocket('not-a-token', 'r-unknown')
    await expect.poll(() => connection.fatal, { timeout: 5_000 }).not.toBeNull()
    await new Promise((r) => setTimeout(r, 2_500))
    expect(attempts).toBe(1)
    expect(connection.status).toBe('offline')
  })
})
