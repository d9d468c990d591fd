import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BoardClient, joinAs } from './helpers/reviewFlow'
import { until } from './helpers/syncClient'
import { createReview, postJson, startServer, type TestServer } from './helpers/testServer'

/** Return links [PA11], invite links for every facilitator [PA12] and merging duplicates [PA10], over HTTP + Socket.IO. */
const backCode = (url: string) => url.split('/back/')[1]!
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests
type Json = Record<string, any>

async function getJson(url: string, token: string) {
  const res = await fetch(url, { headers: bearer(token) })
  return { status: res.status, body: (await res.json()) as Json }
}
async function postAuth(url: string, token: string) {
  const res = await fetch(url, { method: 'POST', headers: bearer(token) })
  return { status: res.status, body: (await res.json()) as Json }
}

describe('people without accounts', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('[PA11] the return link from joining opens the review as the same participant, with a new token', async () => {
    const review = await createReview(server.url)
    const eli = await postJson(
      `${server.url}/api/invites/${review.invites.reviewer.split('/join/')[1]}/join`,
      {
        name: 'Eli Tanaka',
        function: 'engineering',
      },
    )
    expect(eli.body.returnUrl).toMatch(/\/back\/[A-Za-z0-9_-]{22,}$/)
    const back = await postJson(`${server.url}/api/back/${backCode(eli.body.returnUrl)}`, {})
    expect(back.status).toBe(201)
    expect(back.body).toMatchObject({
      reviewId: review.reviewId,
      participantId: eli.body.participantId,
      roles: ['reviewer'],
    })
    expect(back.body.token).not.toBe(eli.body.token)
    const summary = await getJson(`${server.url}/api/reviews/${review.reviewId}`, back.body.token)
    expect(summary.status).toBe(200)
    expect(summary.body.participants.map((p: { name: string }) => p.name)).toEqual(['Ada', 'Eli Tanaka'])
    // Both devices stay signed in; reading the link again gives the same link.
    expect((await getJson(`${server.url}/api/reviews/${review.reviewId}`, eli.body.token)).status).toBe(200)
    const again = await getJson(`${server.url}/api/reviews/${review.reviewId}/return-link`, back.body.token)
    expect(again.body.url).toBe(eli.body.returnUrl)
  })

  it('[PA11] rotating a return link makes the old one fail at once; the new one works', async () => {
    const review = await createReview(server.url)
    const rotated = await postAuth(`${server.url}/api/reviews/${review.reviewId}/return-link`, review.token)
    expect(rotated.status).toBe(201)
    expect(rotated.body.url).not.toBe(review.returnUrl)
    const old = await postJson(`${server.url}/api/back/${backCode(review.returnUrl)}`, {})
    expect(old.status).toBe(404)
    expect(old.body.error.code).toBe('NOT_FOUND')
    const fresh = await postJson(`${server.url}/api/back/${backCode(rotated.body.url)}`, {})
    expect(fresh.status).toBe(201)
    expect(fresh.body.participantId).toBe(review.participantId)
    const current = await getJson(`${server.url}/api/reviews/${review.reviewId}/return-link`, review.token)
    expect(current.body.url).toBe(rotated.body.url)
  })

  it('[PA12] a co-facilitator reads the current invite links from another device; others may not', async () => {
    const review = await createReview(server.url)
    const cora = await joinAs(server.url, review.invites.author, 'Cora', 'design')
    const denied = await getJson(`${server.url}/api/reviews/${review.reviewId}/invites`, cora.token)
    expect(denied.status).toBe(403)
    expect(denied.body.error.code).toBe('FORBIDDEN')

    const ada = await new BoardClient(server.url, review).ready()
    await ada.ok('participant.update', {
      participantId: cora.participantId,
      roles: ['facilitator', 'author'],
    })
    const seen = await getJson(`${server.url}/api/reviews/${review.reviewId}/invites`, cora.token)
    expect(seen.status).toBe(200)
    expect(seen.body.invites).toEqual(review.invites)

    // Cora rotates the reviewer link; Ada (and anyone asking) sees the new one, which works.
    const coraClient = await new BoardClient(server.url, cora).ready()
    const ack = await coraClient.ok('invite.rotate', { role: 'reviewer' })
    expect(ack).toBeTruthy()
    const after = await getJson(`${server.url}/api/reviews/${review.reviewId}/invites`, review.token)
    expect(after.body.invites.reviewer).not.toBe(review.invites.reviewer)
    expect(after.body.invites.author).toBe(review.invites.author)
    const newcomer = await joinAs(server.url, after.body.invites.reviewer, 'Dan', 'legal')
    expect(newcomer.roles).toEqual(['reviewer'])
    ada.close()
    coraClient.close()
  })

  it('[PA10] merging a duplicate moves its cards, removes it everywhere and stops its ways in', async () => {
    const review = await createReview(server.url)
    const eli = await joinAs(server.url, review.invites.reviewer, 'Eli Tanaka', 'engineering')
    const eli2 = await postJson(
      `${server.url}/api/invites/${review.invites.reviewer.split('/join/')[1]}/join`,
      {
        name: 'Eli Tanaka',
        function: 'engineering',
      },
    )
    const ada = await new BoardClient(server.url, review).ready()
    const dup = await new BoardClient(server.url, eli2.body).ready()
    await ada.advance('reading', 'critique')
    const cardId = await dup.card('The pricing section never says who pays.')
    const closed = new Promise<{ code: string; message: string }>((resolve) =>
      dup.socket.once('board:closed', resolve),
    )
    await ada.ok('participant.merge', { participantId: eli2.body.participantId, into: eli.participantId })

    expect((await closed).code).toBe('UNAUTHORIZED')
    const eliClient = await new BoardClient(server.url, eli).ready()
    const mine = eliClient.board!.cards.filter((c) => c.mine)
    expect(mine.map((c) => c.id)).toEqual([cardId])
    await until(() => !ada.board!.participants.some((p) => p.id === eli2.body.participantId))
    expect(ada.board!.participants.filter((p) => p.name === 'Eli Tanaka')).toHaveLength(1)
    const summary = await getJson(`${server.url}/api/reviews/${review.reviewId}`, review.token)
    expect(summary.body.participants.map((p: { id: string }) => p.id)).not.toContain(eli2.body.participantId)
    expect((await getJson(`${server.url}/api/reviews/${review.reviewId}`, eli2.body.token)).status).toBe(401)
    expect((await postJson(`${server.url}/api/back/${backCode(eli2.body.returnUrl)}`, {})).status).toBe(404)
    ada.close()
    dup.close()
    eliClient.close()
  })

  it('[PA11] a removed participant’s return link stops working', async () => {
    const review = await createReview(server.url)
    const bo = await postJson(
      `${server.url}/api/invites/${review.invites.observer.split('/join/')[1]}/join`,
      {
        name: 'Bo',
        function: 'finance',
      },
    )
    const ada = await new BoardClient(server.url, review).ready()
    await ada.ok('participant.remove', { participantId: bo.body.participantId })
    expect((await postJson(`${server.url}/api/back/${backCode(bo.body.returnUrl)}`, {})).status).toBe(404)
    ada.close()
  })
})
