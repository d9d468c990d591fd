import { afterEach, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import { broadcastBinary, fanoutCounts } from '../../server/socket/frameBroadcast'
import type { AppSocket } from '../../server/socket/types'
import { connected, wireSocket } from './helpers/wireSocket'
import { createReview, join, startServer, type TestServer } from './helpers/testServer'
import { until } from './helpers/syncClient'

/**
 * Document updates leave as one pre-built WebSocket frame written to each recipient (P4, P14):
 * every recipient but the sender gets exactly the bytes `emit` would have sent, and a socket that
 * still has packets queued in Engine.IO gets the update behind them, never before.
 */
let server: TestServer | undefined
const clients: Socket[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await server?.close()
  server = undefined
})

async function room(n: number) {
  server = await startServer()
  const review = await createReview(server.url)
  const tokens = [review.token]
  for (let i = 1; i < n; i++) tokens.push((await join(server.url, review.invites.observer, `O${i}`)).token)
  const got: { event: string; args: unknown[] }[][] = []
  for (const token of tokens) {
    const socket = wireSocket(server.url, token)
    const mine: { event: string; args: unknown[] }[] = []
    socket.onAny((event: string, ...args: unknown[]) => mine.push({ event, args }))
    got.push(mine)
    clients.push(await connected(socket))
  }
  const nsp = server.app.io.of('/')
  await until(() => nsp.adapter.rooms.get(`review:${review.reviewId}`)?.size === n)
  const serverSocket = (i: number) => nsp.sockets.get(clients[i]!.id!) as unknown as AppSocket
  return { nsp, key: `review:${review.reviewId}`, got, serverSocket }
}

const syncs = (list: { event: string; args: unknown[] }[]) =>
  list.filter((e) => e.event === 'yjs:sync').map((e) => Array.from(e.args[0] as Uint8Array))

describe('document updates as one pre-built frame', () => {
  it('[P14] reaches everyone but the sender with the exact bytes, small and large', async () => {
    const { nsp, key, got, serverSocket } = await room(3)
    const before = fanoutCounts.direct
    const sizes = [5, 300, 70_000] // one-byte, 16-bit and 64-bit WebSocket lengths
    const payloads = sizes.map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 256))
    for (const p of payloads) broadcastBinary(nsp, key, serverSocket(0), 'yjs:sync', p)
    await until(() => syncs(got[1]!).length === 3 && syncs(got[2]!).length === 3)
    const expected = payloads.map((p) => Array.from(p))
    expect(syncs(got[1]!)).toEqual(expected)
    expect(syncs(got[2]!)).toEqual(expected)
    expect(syncs(got[0]!)).toEqual([])
    expect(fanoutCounts.direct - before).toBe(6)
  })

  it('[P14] a socket with packets queued in Engine.IO gets the update behind them', async () => {
    const { nsp, key, got, serverSocket } = await room(2)
    const target = serverSocket(1) as unknown as { emit: (e: string, v: number) => void }
    const queuedBefore = fanoutCounts.queued
    // The first goes out at once; the second waits in Engine.IO's buffer for the first's write.
    target.emit('probe', 1)
    target.emit('probe', 2)
    broadcastBinary(nsp, key, serverSocket(0), 'yjs:sync', new Uint8Array([2, 1, 0]))
    target.emit('probe', 3)
    await until(() => got[1]!.filter((e) => e.event !== 'board:state').length >= 4)
    const order = got[1]!
      .filter((e) => e.event === 'probe' || e.event === 'yjs:sync')
      .map((e) => e.event + (e.args[0] instanceof Uint8Array ? '' : e.args[0]))
    expect(order).toEqual(['probe1', 'probe2', 'yjs:sync', 'probe3'])
    expect(fanoutCounts.queued - queuedBefore).toBe(1)
  })
})
