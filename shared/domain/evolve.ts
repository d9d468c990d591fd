import type { StoredEvent } from './events'
import { mergeParticipants } from './merge'
import { DEFAULT_SETTINGS, type Card, type ReviewState } from './types'

export function initialState(reviewId: string): ReviewState {
  return {
    id: reviewId,
    title: '',
    createdAt: 0,
    phase: 'draft',
    round: 1,
    timer: null,
    settings: { ...DEFAULT_SETTINGS },
    participants: {},
    progress: {},
    notes: {},
    cards: {},
    spotlight: null,
    rounds: [],
    signoffs: {},
    decisions: [],
    frozen: false,
    archived: false,
    inviteVersions: {},
    seq: 0,
  }
}

/** Key of a sign-off: one per decider per round, replaced by a later one [DC2]. */
const signoffKey = (round: number, participantId: string): string => `${round}:${participantId}`

const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record
  return rest
}

function withCard(state: ReviewState, cardId: string, change: (card: Card) => Card): ReviewState {
  const card = state.cards[cardId]
  if (!card) return state
  return { ...state, cards: { ...state.cards, [cardId]: change(card) } }
}

/**
 * Folds one event into the state. Pure: returns a new state and never mutates its input, so a
 * refused command provably changes nothing. Events are facts: evolve never refuses; an event about
 * something unknown (a race the log already settled) leaves the state as it was.
 */
export function evolve(state: ReviewState, event: StoredEvent): ReviewState {
  const next: ReviewState = { ...state, seq: event.seq, lastEventAt: event.at }
  switch (event.type) {
    case 'review.created':
      return {
        ...next,
        title: event.title,
        settings: { ...event.settings },
        createdAt: event.createdAt,
        rounds: [{ round: 1, openedAt: event.createdAt }],
      }
    case 'participant.joined':
      return { ...next, participants: { ...next.participants, [event.participant.id]: event.participant } }
    case 'participant.updated': {
      const p = next.participants[event.participantId]
      if (!p) return next
      return { ...next, participants: { ...next.participants, [p.id]: { ...p, roles: [...event.roles] } } }
    }
    case 'participant.removed': {
      const p = next.participants[event.participantId]
      if (!p) return next
      return { ...next, participants: { ...next.participants, [p.id]: { ...p, removed: true } } }
    }
    case 'participant.merged':
      return mergeParticipants(next, event.participantId, event.into)
    case 'phase.changed': {
      // A phase's timer and spotlight belong to that phase [TM3] [CD7].
      const moved: ReviewState = { ...next, phase: event.to, timer: null, spotlight: null }
      if (event.to === 'reading' && event.from === 'closed') moved.archived = false // [PH7]
      if (event.round > next.round) {
        // A new round: fresh reading progress, a new round record [RN1].
        moved.round = event.round
        moved.progress = {}
        moved.rounds = [...next.rounds, { round: event.round, openedAt: event.at }]
      }
      return moved
    }
    case 'round.closed':
      return {
        ...next,
        rounds: next.rounds.map((r) =>
          r.round === event.round
            ? { ...r, closedAt: event.at, stats: event.stats, outcome: event.outcome }
            : r,
        ),
      }
    case 'timer.set':
      return { ...next, timer: event.timer }
    case 'reading.progressed': {
      const progressed = { ...next, progress: { ...next.progress, [event.participantId]: event.progress } }
      const p = next.participants[event.participantId]
      if (!p || !event.progress.done || (p.lastReadRound ?? 0) >= event.progress.round) return progressed
      const read = { ...p, lastReadRound: event.progress.round } // [RD4]
      return { ...progressed, participants: { ...next.participants, [p.id]: read } }
    }
    case 'note.saved':
      return { ...next, notes: { ...next.notes, [event.note.id]: event.note } }
    case 'note.deleted':
      return { ...next, notes: without(next.notes, event.noteId) }
    case 'invite.rotated':
      return {
        ...next,
        inviteVersions: { ...next.inviteVersions, [event.role]: (next.inviteVersions[event.role] ?? 0) + 1 },
      }
    case 'settings.updated':
      return { ...next, settings: { ...next.settings, ...event.settings } }
    case 'card.created':
      return { ...next, cards: { ...next.cards, [event.card.id]: event.card } }
    case 'card.edited':
      return withCard(next, event.cardId, (c) => ({ ...c, ...event.changes, editedAt: event.at }))
    case 'card.deleted':
      return {
        ...next,
        cards: without(next.cards, event.cardId),
        spotlight: next.spotlight === event.cardId ? null : next.spotlight,
      }
    case 'card.voted':
      return withCard(next, event.cardId, (c) => {
        const others = c.votes.filter((v) => v !== event.participantId)
        return { ...c, votes: event.vote ? [...others, event.participantId] : others }
      })
    case 'card.replied':
      return withCard(next, event.cardId, (c) => ({ ...c, replies: [...c.replies, event.reply] }))
    case 'card.spotlighted':
      return { ...next, spotlight: event.cardId }
    case 'card.triaged':
      return withCard(next, event.cardId, (c) => {
        // A revision item exists only while accepted [RV1].
        const { done: _done, ...rest } = c
        return event.triage.disposition === 'accepted' && c.triage?.disposition === 'accepted'
          ? { ...c, triage: event.triage }
          : { ...rest, triage: event.triage }
      })
    case 'revision.checked':
      return withCard(next, event.cardId, (c) => ({ ...c, done: event.done }))
    case 'decision.signedoff': {
      const key = signoffKey(event.signoff.round, event.signoff.participantId)
      return { ...next, signoffs: { ...next.signoffs, [key]: event.signoff } }
    }
    case 'decision.recorded': {
      const decided = { ...next, decisions: [...next.decisions, event.record] }
      if (event.record.outcome === 'go') decided.frozen = true // [DC5]
      if (event.record.outcome === 'no-go') decided.archived = true // [DC6]
      return decided
    }
  }
}
