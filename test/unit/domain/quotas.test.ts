import { describe, expect, it } from 'vitest'
import { QUOTAS } from '../../../shared/domain/rules/quotas'
import type { ReviewState } from '../../../shared/domain/types'
import { inPhase, run, tryRun } from './fixtures'

const card = { type: 'card.create', body: 'c', severity: 'minor', kind: 'concern' } as const
const refusal = (r: { ok: boolean; error?: { code: string; message: string } }) =>
  r.ok ? 'ok' : `${r.error!.code}: ${r.error!.message}`

describe('quotas per person per round', () => {
  it(`[QT1] the ${QUOTAS.cards + 1}th card of one person in a round is refused RATE_LIMITED naming the limit; others and the next round are not`, () => {
    let s = inPhase('critique')
    for (let i = 0; i < QUOTAS.cards; i++) s = run(s, 'reviewer', card)
    const over = tryRun(s, 'reviewer', card)
    expect(refusal(over)).toMatch(/^RATE_LIMITED: .*200 cards.*200 per person per round/)
    expect(tryRun(s, 'reviewer2', card).ok).toBe(true)
    // Deleting one makes room again: the quota counts what is there, not what was ever sent.
    const mine = Object.values(s.cards).find((c) => c.authorId === 'rev')!
    s = run(s, 'reviewer', { type: 'card.delete', cardId: mine.id })
    expect(tryRun(s, 'reviewer', card).ok).toBe(true)
  })

  it(`[QT1] ${QUOTAS.notes} new notes, then RATE_LIMITED; saving an existing note again still works`, () => {
    let s = inPhase('reading')
    for (let i = 0; i < QUOTAS.notes; i++) s = run(s, 'reviewer', { type: 'note.save', body: `n${i}` })
    expect(refusal(tryRun(s, 'reviewer', { type: 'note.save', body: 'one more' }))).toMatch(
      /^RATE_LIMITED: .*500 private notes/,
    )
    const noteId = Object.keys(s.notes)[0]!
    expect(tryRun(s, 'reviewer', { type: 'note.save', noteId, body: 'edited' }).ok).toBe(true)
  })

  it(`[QT1] ${QUOTAS.replies} replies on one round's cards, then RATE_LIMITED; a hidden card still answers NOT_FOUND [CV7]`, () => {
    let s: ReviewState = inPhase('critique')
    s = run(s, 'reviewer', card)
    const cardId = Object.keys(s.cards)[0]!
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'discussion' })
    for (let i = 0; i < QUOTAS.replies; i++)
      s = run(s, 'reviewer2', { type: 'card.reply', cardId, body: `r${i}` })
    expect(refusal(tryRun(s, 'reviewer2', { type: 'card.reply', cardId, body: 'more' }))).toMatch(
      /^RATE_LIMITED: .*500 replies on the cards of round 1/,
    )
    expect(refusal(tryRun(s, 'reviewer2', { type: 'card.reply', cardId: 'nope', body: 'x' }))).toMatch(
      /^NOT_FOUND/,
    )
    expect(tryRun(s, 'reviewer', { type: 'card.reply', cardId, body: 'mine' }).ok).toBe(true)
  })
})
