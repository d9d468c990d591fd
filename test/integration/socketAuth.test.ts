import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReview, join, startServer, type TestServer } from './helpers/testServer'
import { connectOutcome, SyncClient, until } from './helpers/syncClient'
import { handshake } from './helpers/wireSocket'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const outcome = (opts: { token?: unknown; origin?: string }): Promise<string> =>
  handshake(server.url, opts.token, opts.origin)

describe('socket handshake', () => {
  it('[S5] refuses a missing or bad token with connect_error "unauthorized"', async () => {
    expect(await outcome({})).toBe('unauthorized')
    expect(await outcome({ token: 'not-a-real-token-at-all' })).toBe('unauthorized')
    expect(await outcome({ token: 42 })).toBe('unauthorized')
  })

  it('[S5] accepts the public origin and no origin, refuses a foreign origin', async () => {
    const review = await createReview(server.url)
    expect(await outcome({ token: review.token })).toBe('connected')
    expect(await outcome({ token: review.token, origin: server.url })).toBe('connected')
    expect(await outcome({ token: review.token, origin: server.url.replace('127.0.0.1', 'localhost') })).toBe(
      'connected',
    )
    expect(await outcome({ token: review.token, origin: 'http://evil.example' })).not.toBe('connected')
  })

  it('sends board:state on connect and presence changes as board:event', async () => {
    const review = await createReview(server.url)
    const a = new SyncClient(server.url, review.token)
    await a.synced
    await until(() => a.board !== null)
    expect(a.board).toMatchObject({
      reviewId: review.reviewId,
      phase: 'draft',
      me: { id: review.participantId },
    })
    const other = await join(server.url, review.invites.reviewer, 'Eve')
    await until(() => a.events.some((e) => e.type === 'participant.joined'))
    const b = new SyncClient(server.url, other.token)
    expect(await connectOutcome(b)).toBe('connected')
    await until(() =>
      a.events.some((e) => e.type === 'presence.changed' && e.patch.participants?.some((p) => p.online)),
    )
    b.close()
    await until(() => a.events.filter((e) => e.type === 'presence.changed').length >= 2)
    a.close()
  })
})
