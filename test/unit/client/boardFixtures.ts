import { DEFAULT_SETTINGS } from '../../../shared/domain/types'
import type { BoardState, CardView, ParticipantView } from '../../../shared/protocol/board'

/** A small board as `board:state` would bring it, and cards to change it with. */
export const pat: ParticipantView = {
  id: 'p-pat',
  name: 'Pat PM',
  function: 'product',
  roles: ['facilitator', 'author'],
  online: true,
}
export const eve: ParticipantView = {
  id: 'p-eve',
  name: 'Eve Eng',
  function: 'engineering',
  roles: ['reviewer'],
  online: true,
}

export function board(overrides: Partial<BoardState> = {}): BoardState {
  return {
    seq: 3,
    reviewId: 'r1',
    title: 'Pantry Plan',
    createdAt: 1_000,
    phase: 'critique',
    round: 1,
    timer: null,
    settings: { ...DEFAULT_SETTINGS },
    me: pat,
    participants: [pat, eve],
    cards: [],
    hiddenCardCounts: {},
    notes: [],
    progress: [],
    spotlight: null,
    rounds: [],
    decision: { signoffs: [], records: [] },
    frozen: false,
    archived: false,
    votesLeft: 5,
    ...overrides,
  }
}

export function card(id: string, body: string, overrides: Partial<CardView> = {}): CardView {
  return {
    id,
    round: 1,
    authorId: pat.id,
    function: 'product',
    severity: 'structural',
    kind: 'concern',
    body,
    votes: 0,
    myVote: false,
    replies: [],
    mine: true,
    createdAt: 2_000,
    ...overrides,
  }
}
