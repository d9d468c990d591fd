import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReview, join, postJson, startServer, type TestServer } from './helpers/testServer'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe('HTTP API', () => {
  it('answers /healthz with helmet headers and no referrer', async () => {
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/)
    expect(csp).not.toContain('upgrade-insecure-requests')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('creates a review: creator is facilitator and author, invites are absolute /join/<code> URLs', async () => {
    const review = await createReview(server.url)
    expect(review.token.length).toBeGreaterThanOrEqual(22)
    for (const role of ['author', 'reviewer', 'decider', 'observer'] as const) {
      expect(review.invites[role]).toMatch(new RegExp(`^${server.url}/join/[A-Za-z0-9_-]{22,}$`))
    }
    const res = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${review.token}` },
    })
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({
      reviewId: review.reviewId,
      title: 'Launch plan',
      phase: 'draft',
      round: 1,
    })
    expect(summary.participants).toEqual([
      expect.objectContaining({ id: review.participantId, name: 'Ada', roles: ['facilitator', 'author'] }),
    ])
  })

  it('joins through an invite link with the invite role, any number of times', async () => {
    const review = await createReview(server.url)
    const a = await join(server.url, review.invites.reviewer, 'Cy')
    const b = await join(server.url, review.invites.reviewer, 'Di')
    expect(a).toMatchObject({ reviewId: review.reviewId, roles: ['reviewer'] })
    expect(b.participantId).not.toBe(a.participantId)
    const res = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${b.token}` },
    })
    expect((await res.json()).participants).toHaveLength(3)
  })

  it.each([
    ['no title', { facilitator: { name: 'A', function: 'product' } }],
    ['an unknown function', { title: 'T', facilitator: { name: 'A', function: 'wizardry' } }],
    ['an empty name', { title: 'T', facilitator: { name: '  ', function: 'product' } }],
    ['a non-object', [1, 2]],
  ])('refuses a create body with %s: 400 INVALID', async (_name, body) => {
    const res = await postJson(`${server.url}/api/reviews`, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'INVALID', message: expect.any(String) })
  })

  it('refuses malformed JSON with 400 and a body over the limit with 413', async () => {
    const bad = await postJson(`${server.url}/api/reviews`, '{"title": ')
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('INVALID')
    const big = await postJson(`${server.url}/api/reviews`, {
      title: 'T',
      facilitator: { name: 'A', function: 'product' },
      markdown: 'x'.repeat(3 * 1024 * 1024),
    })
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('TOO_LARGE')
    // The limit, the size sent, and what to do.
    expect(big.body.error.message).toMatch(/The limit is 2 MB; this was 3 MB\./)
    expect(big.body.error.message).toMatch(/remove pasted images/)
  })

  it('answers unknown invites with 404, bad tokens with 401', async () => {
    const review = await createReview(server.url)
    const res = await postJson(`${server.url}/api/invites/AAAAAAAAAAAAAAAAAAAAAAAA/join`, {
      name: 'X',
      function: 'legal',
    })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('NOT_FOUND')
    const bad = await postJson(`${server.url}/api/invites/whatever/join`, { name: 'X' })
    expect(bad.status).toBe(400)
    for (const auth of [undefined, 'Bearer nope-nope-nope-nope-nope', `Basic ${review.token}`]) {
      const r = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
        headers: auth ? { authorization: auth } : {},
      })
      expect(r.status).toBe(401)
      expect((await r.json()).error.code).toBe('UNAUTHORIZED')
    }
    const other = await createReview(server.url)
    const cross = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${other.token}` },
    })
    expect(cross.status).toBe(401)
  })

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await fetch(`${server.url}/api/nothing`)
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('NOT_FOUND')
  })
})
