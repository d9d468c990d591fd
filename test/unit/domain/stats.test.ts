import { describe, expect, it } from 'vitest'
import { emptyStats, readConvergence, roundStats } from '../../../shared/domain/stats'
import type { RoundRecord, RoundStats, Severity } from '../../../shared/domain/types'
import { inPhase, run } from './fixtures'

describe('round statistics', () => {
  it('[RN2] counts a round’s cards by severity, kind, function, disposition; revision items done', () => {
    let s = inPhase('critique')
    s = run(s, 'reviewer', { type: 'card.create', body: 'a', severity: 'fatal', kind: 'concern' })
    s = run(s, 'reviewer', { type: 'card.create', body: 'b', severity: 'minor', kind: 'question' })
    s = run(s, 'reviewer2', { type: 'card.create', body: 'c', severity: 'minor', kind: 'concern' })
    for (const to of ['discussion', 'triage'] as const)
      s = run(s, 'facilitator', { type: 'phase.advance', to })
    const [a, b] = Object.keys(s.cards)
    s = run(s, 'author', { type: 'card.triage', cardId: a!, disposition: 'accepted' })
    s = run(s, 'author', { type: 'card.triage', cardId: b!, disposition: 'rejected', reason: 'No' })
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'revision' })
    s = run(s, 'author', { type: 'revision.check', cardId: a!, done: true })
    expect(roundStats(s, 1, 2)).toEqual({
      cards: 3,
      bySeverity: { fatal: 1, minor: 2 },
      byKind: { concern: 2, question: 1 },
      byFunction: { legal: 2, engineering: 1 },
      byDisposition: { accepted: 1, rejected: 1, untriaged: 1 },
      severityByFunction: { legal: { fatal: 1, minor: 1 }, engineering: { minor: 1 } },
      revisionItems: 1,
      revisionDone: 1,
      openRisks: 2,
    })
    expect(roundStats(s, 2, 0).cards).toBe(0)
    const next = run(s, 'facilitator', { type: 'phase.advance', to: 'reading' })
    expect(next.rounds[0]!.stats).toEqual(roundStats(s, 1, 0)) // RN1: stored as the round closes
    expect(Object.values(next.cards).every((c) => c.round === 1)).toBe(true) // RN1: cards keep their round
  })
})

function round(n: number, sev: Partial<Record<Severity, number>>, openRisks = 0): RoundRecord {
  const cards = Object.values(sev).reduce((a, b) => a + (b ?? 0), 0)
  const stats: RoundStats = { ...emptyStats(openRisks), cards, bySeverity: sev }
  return { round: n, openedAt: n, closedAt: n + 1, stats, outcome: 'revised' }
}

describe('convergence reading', () => {
  it.each([
    ['nothing measured yet', [{ round: 1, openedAt: 0 }], false, /No round/],
    ['first round silent', [round(1, {})], false, /no critique/],
    [
      'structural critique remains',
      [round(1, { fatal: 2, structural: 3 }), round(2, { structural: 1, minor: 4 })],
      false,
      /still raised 1 structural card \(down from 5 in round 1\)/,
    ],
    [
      'rising critique',
      [round(1, { structural: 1 }), round(2, { fatal: 1, structural: 2 })],
      false,
      /1 fatal card and 2 structural cards \(up from 1/,
    ],
    [
      'only minor refinements',
      [round(1, { structural: 4 }), round(2, { minor: 3 })],
      true,
      /only minor refinements \(3 minor cards/,
    ],
    [
      'no new critique after earlier rounds',
      [round(1, { structural: 4 }), round(2, {})],
      true,
      /no new critique/,
    ],
    ['open risks are named', [round(1, { minor: 1 }, 2)], true, /2 open risks \(TBD\)/],
  ])('[RN5] %s', (_name, rounds, ready, message) => {
    const reading = readConvergence(rounds as RoundRecord[])
    expect(reading.ready).toBe(ready)
    expect(reading.message).toMatch(message)
  })

  it('[RN5] an open round without stats is skipped', () => {
    const reading = readConvergence([round(1, { minor: 2 }), { round: 2, openedAt: 9 }])
    expect(reading).toMatchObject({ ready: true, message: expect.stringMatching(/^Round 1/) })
  })
})
