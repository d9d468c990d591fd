import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RoundStats } from '../../shared/domain/types'
import { BoardClient, joinAs, reviewWith } from './helpers/reviewFlow'
import { until } from './helpers/syncClient'
import { startServer, type TestServer } from './helpers/testServer'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.close()
})

async function liveStats(reviewId: string, token: string): Promise<RoundStats> {
  const res = await fetch(`${server.url}/api/reviews/${reviewId}/rounds`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { rounds: Array<{ live: boolean; stats: RoundStats }> }
  const live = body.rounds.find((r) => r.live)
  if (!live) throw new Error('no live round')
  return live.stats
}

/**
 * The open round's statistics are counted from the cards the asker may see: during a blind
 * critique another reviewer's card — its severity, kind and function — is not in them [CV7].
 */
describe('/rounds statistics during a blind critique', () => {
  it("[CV7] [RN2] do not count another reviewer's hidden card; after the reveal they do", async () => {
    const { review, fac } = await reviewWith(server.url)
    const engP = await joinAs(server.url, review.invites.reviewer, 'Eng', 'engineering')
    const legalP = await joinAs(server.url, review.invites.reviewer, 'Lee', 'legal')
    await fac.advance('reading', 'critique')
    const eng = await new BoardClient(server.url, engP).ready()
    const legal = await new BoardClient(server.url, legalP).ready()
    try {
      await eng.card('The sync engine cannot scale', 'fatal', 'concern')
      await legal.card('Which licence applies?', 'minor', 'question')
      await until(() => legal.board!.hiddenCardCounts.engineering === 1)

      const seenByLegal = await liveStats(review.reviewId, legalP.token)
      expect(seenByLegal.cards).toBe(1)
      expect(seenByLegal.bySeverity).toEqual({ minor: 1 })
      expect(seenByLegal.byKind).toEqual({ question: 1 })
      expect(seenByLegal.byFunction).toEqual({ legal: 1 })
      const seenByEng = await liveStats(review.reviewId, engP.token)
      expect(seenByEng.bySeverity).toEqual({ fatal: 1 })

      await fac.advance('discussion')
      await until(() => legal.board!.cards.length === 2)
      const revealed = await liveStats(review.reviewId, legalP.token)
      expect(revealed.cards).toBe(2)
      expect(revealed.bySeverity).toEqual({ fatal: 1, minor: 1 })
    } finally {
      eng.close()
      legal.close()
      fac.close()
    }
  })
})
