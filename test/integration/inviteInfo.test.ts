import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newInviteCode } from '../../server/auth/secrets'
import { createReview, postJson, startServer, type TestServer } from './helpers/testServer'
import { SyncClient } from './helpers/syncClient'

/** `GET /api/invites/<code>`: what the join page names before anyone joins (docs/protocol.md). */
const codeOf = (invite: string) => invite.split('/join/')[1]!
const getInvite = async (url: string, code: string) => {
  const res = await fetch(`${url}/api/invites/${code}`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('invite lookup', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('[PA8] names the review and the role each invite gives, and joins nobody', async () => {
    const review = await createReview(server.url)
    for (const role of ['author', 'reviewer', 'decider', 'observer'] as const) {
      expect(await getInvite(server.url, codeOf(review.invites[role]))).toEqual({
        status: 200,
        body: { title: 'Launch plan', role, reviewId: review.reviewId },
      })
    }
    const summary = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${review.token}` },
    })
    expect(((await summary.json()) as { participants: unknown[] }).participants).toHaveLength(1)
  })

  it('[PA7] answers 404 NOT_FOUND for an unknown code and for a rotated one; the new code works', async () => {
    const review = await createReview(server.url)
    const unknown = await getInvite(server.url, newInviteCode())
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } })

    const fac = new SyncClient(server.url, review.token)
    await fac.synced
    const ack = (await fac.command({ type: 'invite.rotate', commandId: 'rot', role: 'reviewer' })) as {
      ok: boolean
      invite?: string
    }
    fac.close()
    expect(ack.ok).toBe(true)
    const old = await getInvite(server.url, codeOf(review.invites.reviewer))
    expect(old.status).toBe(404)
    expect((old.body.error as { code: string }).code).toBe('NOT_FOUND')
    expect(await getInvite(server.url, codeOf(ack.invite!))).toEqual({
      status: 200,
      body: { title: 'Launch plan', role: 'reviewer', reviewId: review.reviewId },
    })
    // The other roles' links are untouched.
    expect((await getInvite(server.url, codeOf(review.invites.author))).status).toBe(200)
  })
})

describe('invite lookup guesses', () => {
  let server: TestServer
  beforeAll(async () => {
    // A fresh limiter with a small allowance: this suite spends its address's failures.
    server = await startServer({ config: { limits: { rates: { guessBurst: 6, guessesPerMin: 1 } } } })
  })
  afterAll(() => server.close())

  it('[S4] counts missed lookups like missed joins: the address is then refused 429 everywhere', async () => {
    const review = await createReview(server.url)
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await getInvite(server.url, newInviteCode())).status)
    for (let i = 0; i < 2; i++)
      statuses.push(
        (
          await postJson(`${server.url}/api/invites/${newInviteCode()}/join`, {
            name: 'G',
            function: 'other',
          })
        ).status,
      )
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404])

    // Allowance spent: even a real code is refused before it is looked at.
    const res = await fetch(`${server.url}/api/invites/${codeOf(review.invites.reviewer)}`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('60')
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED')
    const joinAfter = await postJson(`${server.url}/api/invites/${codeOf(review.invites.reviewer)}/join`, {
      name: 'G',
      function: 'other',
    })
    expect(joinAfter.status).toBe(429)
  })
})
