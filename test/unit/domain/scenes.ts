import type { Command } from '../../../shared/protocol/commands'
import type { Phase, ReviewState } from '../../../shared/domain/types'
import { PEOPLE, review, run, type Who } from './fixtures'

/** Everyone who may write: all but the observer. */
export const CONTRIBUTORS: Who[] = ['facilitator', 'author', 'reviewer', 'reviewer2', 'decider']

export const cardOf = (s: ReviewState, who: Who): string => {
  const card = Object.values(s.cards).find((c) => c.authorId === PEOPLE[who].id)
  return card?.id ?? 'no-card'
}
export const noteOf = (s: ReviewState, who: Who): string =>
  Object.values(s.notes).find((n) => n.authorId === PEOPLE[who].id)?.id ?? 'no-note'

/**
 * One review walked through round 1 with a note per contributor, a card per contributor written in
 * critique, and the reviewer2's card accepted in triage; a snapshot per phase.
 */
function build(): Record<Phase, ReviewState> {
  const scenes = {} as Record<Phase, ReviewState>
  let s = review()
  for (const who of CONTRIBUTORS) s = run(s, who, { type: 'note.save', body: `note of ${who}` })
  scenes.draft = s
  const go = (to: Phase) => (s = run(s, 'facilitator', { type: 'phase.advance', to }))
  scenes.reading = go('reading')
  go('critique')
  for (const who of CONTRIBUTORS)
    s = run(s, who, { type: 'card.create', body: `card of ${who}`, severity: 'structural', kind: 'concern' })
  scenes.critique = s
  scenes.discussion = go('discussion')
  go('triage')
  s = run(s, 'author', { type: 'card.triage', cardId: cardOf(s, 'reviewer2'), disposition: 'accepted' })
  scenes.triage = s
  scenes.revision = go('revision')
  scenes.decision = go('decision')
  scenes.closed = run(s, 'facilitator', { type: 'decision.record', outcome: 'no-go', summary: 'Not now.' })
  return scenes
}

export const SCENES = build()

type Cmd = DistributiveOmit<Command, 'commandId'>
type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never

const FIRST_STEP: Record<Phase, Phase> = {
  draft: 'reading',
  reading: 'critique',
  critique: 'discussion',
  discussion: 'triage',
  triage: 'revision',
  revision: 'decision',
  decision: 'triage',
  closed: 'reading',
}

/** A command of each type that the rules accept when role and phase allow it. */
export function validCommand(type: Command['type'], s: ReviewState, who: Who): Cmd {
  const other: Who = who === 'reviewer2' ? 'reviewer' : 'reviewer2'
  switch (type) {
    case 'phase.advance':
      return { type, to: FIRST_STEP[s.phase] }
    case 'timer.set':
      return { type, seconds: 60 }
    case 'reading.progress':
      return { type, percent: 50, sectionsRead: ['Problem'], done: false }
    case 'note.save':
      return { type, body: 'a thought' }
    case 'note.delete':
      return { type, noteId: noteOf(s, who) }
    case 'card.create':
      return { type, body: 'A concern', severity: 'minor', kind: 'question' }
    case 'card.edit':
      return { type, cardId: cardOf(s, who), body: 'Reworded' }
    case 'card.delete':
      return { type, cardId: cardOf(s, who) }
    case 'card.vote':
      return { type, cardId: cardOf(s, other), vote: true }
    case 'card.reply':
      return { type, cardId: cardOf(s, other), body: 'Agreed' }
    case 'card.spotlight':
      return { type, cardId: cardOf(s, other) }
    case 'card.triage':
      return { type, cardId: cardOf(s, 'reviewer'), disposition: 'deferred' }
    case 'revision.check':
      return { type, cardId: cardOf(s, 'reviewer2'), done: true }
    case 'decision.signoff':
      return { type, stance: 'approve', rationale: 'Clear and complete.' }
    case 'decision.record':
      return { type, outcome: 'iterate', summary: 'One more pass.' }
    case 'participant.update':
      return { type, participantId: PEOPLE.reviewer2.id, roles: ['reviewer', 'decider'] }
    case 'participant.remove':
      return { type, participantId: PEOPLE.reviewer2.id }
    case 'participant.merge':
      return { type, participantId: PEOPLE.reviewer2.id, into: PEOPLE.reviewer.id }
    case 'invite.rotate':
      return { type, role: 'reviewer' }
    case 'settings.update':
      return { type, votesPerPerson: 7 }
  }
}
