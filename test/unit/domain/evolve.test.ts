import { describe, expect, it } from 'vitest'
import type { DomainEvent, StoredEvent } from '../../../shared/domain/events'
import { evolve } from '../../../shared/domain/evolve'
import { emptyStats } from '../../../shared/domain/stats'
import type { ReviewState } from '../../../shared/domain/types'
import { SCENES, cardOf, noteOf } from './scenes'

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x)
    for (const v of Object.values(x)) deepFreeze(v)
  }
  return x
}

const stored = (s: ReviewState, e: DomainEvent): StoredEvent => ({
  ...e,
  seq: s.seq + 1,
  at: 99_999,
  actorId: 'server',
})

const card = (s: ReviewState) => cardOf(s, 'reviewer')
const EVENTS: ((s: ReviewState) => DomainEvent)[] = [
  () => ({
    type: 'participant.joined',
    participant: { id: 'new', name: 'N', function: 'design', roles: ['reviewer'], joinedAt: 2 },
  }),
  () => ({ type: 'participant.updated', participantId: 'rev', roles: ['decider'] }),
  () => ({ type: 'participant.removed', participantId: 'rev' }),
  (s) => ({ type: 'phase.changed', from: s.phase, to: 'reading', round: s.round + 1 }),
  (s) => ({
    type: 'round.closed',
    round: s.round,
    stats: emptyStats(),
    outcome: 'revised',
  }),
  () => ({ type: 'timer.set', timer: { seconds: 5, startedAt: 1 } }),
  (s) => ({
    type: 'reading.progressed',
    participantId: 'rev',
    progress: { percent: 100, sectionsRead: [], done: true, round: s.round, at: 1 },
  }),
  () => ({ type: 'note.saved', note: { id: 'n', authorId: 'rev', body: 'b', round: 1, at: 1 } }),
  (s) => ({ type: 'note.deleted', noteId: noteOf(s, 'reviewer'), authorId: 'rev' }),
  () => ({ type: 'invite.rotated', role: 'author' }),
  () => ({ type: 'settings.updated', settings: { votesPerPerson: 2 } }),
  () => ({
    type: 'card.created',
    card: {
      id: 'k',
      round: 1,
      authorId: 'rev',
      function: 'legal',
      severity: 'minor',
      kind: 'concern',
      body: 'b',
      votes: [],
      replies: [],
      createdAt: 1,
    },
  }),
  (s) => ({ type: 'card.edited', cardId: card(s), changes: { body: 'new' }, at: 1 }),
  (s) => ({ type: 'card.deleted', cardId: card(s) }),
  (s) => ({ type: 'card.voted', cardId: card(s), participantId: 'dec', vote: true }),
  (s) => ({
    type: 'card.replied',
    cardId: card(s),
    reply: { id: 'r', authorId: 'dec', function: 'leadership', body: 'b', at: 1 },
  }),
  (s) => ({ type: 'card.spotlighted', cardId: card(s) }),
  (s) => ({ type: 'card.triaged', cardId: card(s), triage: { disposition: 'accepted', by: 'aut', at: 1 } }),
  (s) => ({ type: 'revision.checked', cardId: card(s), done: true }),
  () => ({
    type: 'decision.signedoff',
    signoff: {
      participantId: 'dec',
      function: 'leadership',
      stance: 'block',
      rationale: 'r',
      round: 1,
      at: 1,
    },
  }),
  () => ({ type: 'decision.recorded', record: { outcome: 'go', summary: 's', by: 'fac', round: 1, at: 1 } }),
]

describe('evolve', () => {
  it.each(EVENTS.map((make, i) => [i, make] as const))(
    '[PH11] event #%i never mutates its input',
    (_i, make) => {
      for (const scene of Object.values(SCENES)) {
        const frozen = deepFreeze(structuredClone(scene))
        const next = evolve(frozen, stored(frozen, make(frozen)))
        expect(next).not.toBe(frozen)
        expect(next.seq).toBe(frozen.seq + 1)
      }
    },
  )

  it('[PH11] an event about an unknown card or participant changes only seq and its time', () => {
    const s = SCENES.discussion
    const next = evolve(
      s,
      stored(s, { type: 'card.voted', cardId: 'ghost', participantId: 'dec', vote: true }),
    )
    expect({ ...next, seq: s.seq, lastEventAt: s.lastEventAt }).toEqual(s)
  })

  it('[RD4][RD7] done reading records lastReadRound; a new round clears progress', () => {
    const s = SCENES.reading
    const read = evolve(s, stored(s, EVENTS[6]!(s)))
    expect(read.participants.rev!.lastReadRound).toBe(1)
    const next = evolve(
      read,
      stored(read, { type: 'phase.changed', from: 'revision', to: 'reading', round: 2 }),
    )
    expect(next.progress).toEqual({})
    expect(next.rounds.map((r) => r.round)).toEqual([1, 2])
  })
})
