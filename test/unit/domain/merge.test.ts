import { describe, expect, it } from 'vitest'
import { project } from '../../../shared/domain/projection'
import { PEOPLE, inPhase, run, tryRun } from './fixtures'

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)
const dupOfRev = { ...PEOPLE.reviewer, id: 'rev-again', name: 'reviewer' }

/** A discussion where `rev-again` (the reviewer, joined twice) wrote a card, voted, replied and kept a note. */
function withDuplicate() {
  let s = inPhase('critique')
  s = run(s, 'facilitator', { type: 'participant.update', participantId: 'rev', roles: ['reviewer'] })
  s = {
    ...s,
    participants: { ...s.participants, [dupOfRev.id]: { ...dupOfRev, roles: ['reviewer'] } },
  }
  const made = tryRun(s, dupOfRev, {
    type: 'card.create',
    body: 'The price is unclear.',
    severity: 'structural',
    kind: 'concern',
  })
  if (!made.ok) throw new Error(made.error.message)
  s = made.value.state
  const cardId = made.value.cardId!
  const mine = tryRun(s, 'reviewer2', {
    type: 'card.create',
    body: 'Name the customer.',
    severity: 'minor',
    kind: 'suggestion',
  })
  if (!mine.ok) throw new Error(mine.error.message)
  s = mine.value.state
  s = run(s, dupOfRev, { type: 'note.save', body: 'check pricing page' })
  s = run(s, 'facilitator', { type: 'phase.advance', to: 'discussion' })
  const otherCard = mine.value.cardId!
  s = run(s, dupOfRev, { type: 'card.vote', cardId: otherCard, vote: true })
  s = run(s, 'reviewer', { type: 'card.vote', cardId: otherCard, vote: true })
  s = run(s, dupOfRev, { type: 'card.reply', cardId, body: 'See the FAQ.' })
  return { s, cardId, otherCard }
}

describe('merging a duplicate participant [PA10]', () => {
  it('[PA10] moves cards, votes (once per person), replies and notes to the original', () => {
    const { s, cardId, otherCard } = withDuplicate()
    expect(s.cards[otherCard]!.votes).toHaveLength(2)
    const merged = run(s, 'facilitator', {
      type: 'participant.merge',
      participantId: 'rev-again',
      into: 'rev',
    })
    const card = merged.cards[cardId]!
    expect(card.authorId).toBe('rev')
    expect(merged.cards[otherCard]!.votes).toEqual(['rev'])
    expect(card.replies.map((r) => r.authorId)).toEqual(['rev'])
    expect(Object.values(merged.notes).filter((n) => n.authorId === 'rev')).toHaveLength(1)
    const view = project(merged, 'rev', new Set())
    expect(view.cards.filter((c) => c.mine).map((c) => c.id)).toEqual([cardId])
    expect(view.notes).toHaveLength(1)
  })

  it('[PA10] the duplicate leaves every list: participants, projections, progress', () => {
    const { s } = withDuplicate()
    const merged = run(s, 'facilitator', {
      type: 'participant.merge',
      participantId: 'rev-again',
      into: 'rev',
    })
    expect(merged.participants['rev-again']).toBeUndefined()
    const view = project(merged, 'fac', new Set(['rev-again']))
    expect(view.participants.map((p) => p.id)).not.toContain('rev-again')
    expect(JSON.stringify(view)).not.toContain('rev-again')
    expect(merged.participants.rev!.roles).toEqual(['reviewer'])
  })

  it.each([
    [{ participantId: 'rev-again', into: 'rev-again' }, 'facilitator', 'INVALID'],
    [{ participantId: 'nobody', into: 'rev' }, 'facilitator', 'NOT_FOUND'],
    [{ participantId: 'rev-again', into: 'nobody' }, 'facilitator', 'NOT_FOUND'],
    [{ participantId: 'fac', into: 'rev' }, 'facilitator', 'CONFLICT'],
    [{ participantId: 'rev-again', into: 'rev' }, 'reviewer', 'FORBIDDEN'],
  ] as const)('[PA10] %o by %s → %s, and a refusal changes nothing', (fields, who, expected) => {
    const { s } = withDuplicate()
    const res = tryRun(s, who, { type: 'participant.merge', ...fields })
    expect(code(res)).toBe(expected)
  })

  it('[PA10] a removed participant can be neither side of a merge', () => {
    const { s } = withDuplicate()
    const removed = run(s, 'facilitator', { type: 'participant.remove', participantId: 'rev-again' })
    expect(
      code(
        tryRun(removed, 'facilitator', {
          type: 'participant.merge',
          participantId: 'rev-again',
          into: 'rev',
        }),
      ),
    ).toBe('INVALID')
  })
})
