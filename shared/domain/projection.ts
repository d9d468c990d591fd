import type { BoardState, ParticipantView } from '../protocol/board'
import type { ReviewState } from './types'

/**
 * The part of the review one participant may see (DESIGN §1). Every send that carries review
 * state goes through this, per recipient.
 */
export function project(state: ReviewState, viewerId: string, online: ReadonlySet<string>): BoardState {
  const view = (id: string): ParticipantView => {
    const p = state.participants[id]!
    return { id: p.id, name: p.name, function: p.function, roles: p.roles, online: online.has(p.id) }
  }
  return {
    seq: state.seq,
    reviewId: state.id,
    title: state.title,
    createdAt: state.createdAt,
    phase: state.phase,
    round: state.round,
    timer: state.timer,
    settings: state.settings,
    me: view(viewerId),
    participants: Object.keys(state.participants).map(view),
    cards: [],
    hiddenCardCounts: {},
    notes: [],
    progress: [],
    spotlight: state.spotlight,
    rounds: state.rounds,
    decision: { signoffs: [], records: state.decisions },
    frozen: state.frozen,
    archived: state.archived,
    votesLeft: state.settings.votesPerPerson,
  }
}
