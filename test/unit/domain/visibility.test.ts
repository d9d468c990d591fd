import { describe, expect, it } from 'vitest'
import { project } from '../../../shared/domain/projection'
import type { ReviewState } from '../../../shared/domain/types'
import { inPhase, run, tryRun } from './fixtures'

const online = new Set<string>()
const see = (s: ReviewState, viewer: string) => project(s, viewer, online)

function critique(settings: Partial<ReviewState['settings']> = {}): ReviewState {
  let s = inPhase('draft')
  if (Object.keys(settings).length > 0) s = run(s, 'facilitator', { type: 'settings.update', ...settings })
  s = run(s, 'facilitator', { type: 'phase.advance', to: 'reading' })
  s = run(s, 'facilitator', { type: 'phase.advance', to: 'critique' })
  s = run(s, 'reviewer', {
    type: 'card.create',
    body: 'Legal risk in the headline',
    severity: 'fatal',
    kind: 'concern',
  })
  return run(s, 'reviewer2', {
    type: 'card.create',
    body: 'Cost unclear',
    severity: 'minor',
    kind: 'question',
  })
}

describe('card visibility', () => {
  it('[CV1][CV5] in blind critique a card reaches its author only; others get counts per function', () => {
    const s = critique()
    expect(see(s, 'rev').cards.map((c) => c.body)).toEqual(['Legal risk in the headline'])
    expect(see(s, 'rev').hiddenCardCounts).toEqual({ engineering: 1 })
    const fac = see(s, 'fac')
    expect(fac.cards).toEqual([])
    expect(fac.hiddenCardCounts).toEqual({ legal: 1, engineering: 1 })
    expect(JSON.stringify(see(s, 'obs'))).not.toContain('Legal risk')
  })

  it('[CV2] entering discussion reveals every card to everyone, observers included', () => {
    const s = run(critique(), 'facilitator', { type: 'phase.advance', to: 'discussion' })
    for (const viewer of ['fac', 'aut', 'rev', 'rev2', 'dec', 'obs']) {
      expect(see(s, viewer).cards).toHaveLength(2)
      expect(see(s, viewer).hiddenCardCounts).toEqual({})
    }
  })

  it('[CV1][RD2] stepping back to reading keeps the round’s cards blind', () => {
    const s = run(critique(), 'facilitator', { type: 'phase.advance', to: 'reading' })
    expect(see(s, 'rev2').cards.map((c) => c.body)).toEqual(['Cost unclear'])
    expect(see(s, 'fac').hiddenCardCounts).toEqual({ legal: 1, engineering: 1 })
  })

  it('[CV3] cards of earlier rounds stay visible in the next round’s critique', () => {
    let s = run(critique(), 'facilitator', { type: 'phase.advance', to: 'discussion' })
    for (const to of ['triage', 'revision', 'reading', 'critique'] as const)
      s = run(s, 'facilitator', { type: 'phase.advance', to })
    s = run(s, 'reviewer', {
      type: 'card.create',
      body: 'Round two concern',
      severity: 'minor',
      kind: 'concern',
    })
    expect(see(s, 'aut').cards.map((c) => c.body)).toEqual(['Legal risk in the headline', 'Cost unclear'])
    expect(see(s, 'aut').hiddenCardCounts).toEqual({ legal: 1 })
  })

  it('[CV4] open critique shows cards as written', () => {
    const s = critique({ blindCritique: false })
    expect(see(s, 'obs').cards).toHaveLength(2)
    expect(see(s, 'obs').hiddenCardCounts).toEqual({})
  })

  it('[CV6] anonymous by function: no author on others’ cards and replies; mine keeps it', () => {
    let s = run(critique({ anonymousByFunction: true }), 'facilitator', {
      type: 'phase.advance',
      to: 'discussion',
    })
    const cardId = Object.values(s.cards).find((c) => c.authorId === 'rev')!.id
    s = run(s, 'reviewer2', { type: 'card.reply', cardId, body: 'Agree' })
    const rev = see(s, 'rev')
    const own = rev.cards.find((c) => c.id === cardId)!
    expect(own).toMatchObject({ mine: true, authorId: 'rev', function: 'legal' })
    expect(own.replies[0]).not.toHaveProperty('authorId')
    expect(rev.cards.find((c) => c.id !== cardId)).not.toHaveProperty('authorId')
    const rev2 = see(s, 'rev2')
    expect(rev2.cards.find((c) => c.id === cardId)!.replies[0]).toMatchObject({ authorId: 'rev2' })
  })

  it('[CV7] commands about another’s blind card answer as for an unknown id', () => {
    const s = critique()
    const hidden = Object.values(s.cards).find((c) => c.authorId === 'rev')!.id
    expect(tryRun(s, 'reviewer2', { type: 'card.edit', cardId: hidden, body: 'x' })).toMatchObject({
      error: { code: 'NOT_FOUND' },
    })
    expect(tryRun(s, 'reviewer2', { type: 'card.edit', cardId: 'nope', body: 'x' })).toMatchObject({
      error: { code: 'NOT_FOUND' },
    })
  })

  it('[CV7] a spotlight is shown only to those who can see the card', () => {
    let s = run(critique(), 'facilitator', { type: 'phase.advance', to: 'discussion' })
    const cardId = Object.keys(s.cards)[0]!
    s = run(s, 'facilitator', { type: 'card.spotlight', cardId })
    expect(see(s, 'obs').spotlight).toBe(cardId)
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'triage' })
    expect(s.spotlight).toBeNull() // CD7: a phase change clears it
  })
})

describe('votes in the projection', () => {
  it('[VT2][VT5] counts, myVote, votesLeft and duplicates’ voters merged into the original', () => {
    let s = run(critique(), 'facilitator', { type: 'phase.advance', to: 'discussion' })
    const [a, b] = Object.values(s.cards)
    s = run(s, 'decider', { type: 'card.vote', cardId: a!.id, vote: true })
    s = run(s, 'author', { type: 'card.vote', cardId: b!.id, vote: true })
    s = run(s, 'decider', { type: 'card.vote', cardId: b!.id, vote: true })
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'triage' })
    s = run(s, 'author', { type: 'card.triage', cardId: b!.id, disposition: 'duplicate', duplicateOf: a!.id })
    const dec = see(s, 'dec')
    expect(dec.cards.find((c) => c.id === a!.id)).toMatchObject({ votes: 2, myVote: true })
    expect(dec.cards.find((c) => c.id === b!.id)).toMatchObject({ votes: 2, myVote: true })
    expect(dec.votesLeft).toBe(3)
    expect(see(s, 'aut').cards.find((c) => c.id === a!.id)).toMatchObject({ votes: 2, myVote: true })
    expect(see(s, 'obs').cards.find((c) => c.id === a!.id)).toMatchObject({ votes: 2, myVote: false })
  })
})

describe('notes in the projection', () => {
  it('[NT2] a note reaches its writer only', () => {
    const s = run(inPhase('reading'), 'reviewer', { type: 'note.save', body: 'Check the pricing claim' })
    expect(see(s, 'rev').notes.map((n) => n.body)).toEqual(['Check the pricing claim'])
    for (const viewer of ['fac', 'aut', 'rev2', 'dec', 'obs']) expect(see(s, viewer).notes).toEqual([])
  })
})
