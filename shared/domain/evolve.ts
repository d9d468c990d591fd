import type { StoredEvent } from './events'
import { DEFAULT_SETTINGS, type ReviewState } from './types'

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

/**
 * Folds one event into the state. Pure: returns a new state and never mutates its input, so a
 * refused command provably changes nothing. Events are facts: evolve never refuses.
 */
export function evolve(state: ReviewState, event: StoredEvent): ReviewState {
  const next: ReviewState = { ...state, seq: event.seq }
  switch (event.type) {
    case 'review.created':
      return {
        ...next,
        title: event.title,
        settings: event.settings,
        createdAt: event.createdAt,
        rounds: [{ round: 1, openedAt: event.createdAt }],
      }
    case 'participant.joined':
      return { ...next, participants: { ...state.participants, [event.participant.id]: event.participant } }
    default:
      // TODO(domain helper): every other event.
      return next
  }
}
