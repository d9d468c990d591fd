import type { BoardState, CardView, ParticipantView, ProgressView, ReplyView } from '../protocol/board'
import { BOARD_ORDER } from '../protocol/patch'
import type { Card, ReviewState } from './types'
import { visibleCards } from './visibility'
import { votesLeft } from './votes'

export function participantView(
  state: ReviewState,
  id: string,
  online: ReadonlySet<string>,
): ParticipantView {
  const p = state.participants[id]
  if (!p) return { id, name: 'Unknown', function: 'other', roles: [], online: false, removed: true }
  const view: ParticipantView = {
    id: p.id,
    name: p.name,
    function: p.function,
    roles: [...p.roles],
    online: online.has(p.id),
  }
  if (p.removed) view.removed = true
  if (p.lastReadRound !== undefined) view.lastReadRound = p.lastReadRound
  return view
}

/**
 * One card as a viewer sees it. Anonymous by function drops the author of others' cards and
 * replies [CV6]; votes are a count with duplicates' voters merged into their target [VT5].
 */
function cardView(card: Card, viewerId: string, anonymous: boolean, voters: ReadonlySet<string>): CardView {
  const mine = card.authorId === viewerId
  const { authorId, votes: _votes, replies, ...rest } = card
  const view: CardView = {
    ...rest,
    votes: voters.size,
    myVote: voters.has(viewerId),
    replies: replies.map((r): ReplyView => {
      if (!anonymous || r.authorId === viewerId) return { ...r }
      const { authorId: _hidden, ...anon } = r
      return anon
    }),
    mine,
  }
  if (!anonymous || mine) view.authorId = authorId
  return view
}

/** Voters per card, a duplicate's voters counted on its target too (each person once). */
function mergedVoters(cards: readonly Card[]): Map<string, Set<string>> {
  const voters = new Map(cards.map((c) => [c.id, new Set(c.votes)]))
  for (const c of cards) {
    const target = c.triage?.disposition === 'duplicate' ? c.triage.duplicateOf : undefined
    const into = target ? voters.get(target) : undefined
    if (into) for (const v of c.votes) into.add(v)
  }
  return voters
}

/**
 * The part of the review one participant may see (DESIGN §1). Every send that carries review
 * state goes through this, per recipient: another participant's blind card, or its author, never
 * appears in it — not in cards, replies, spotlight or counts by name [CV1] [CV7].
 */
export function project(
  state: ReviewState,
  viewerId: string,
  online: ReadonlySet<string>,
  /** The participant list, when the caller already built it (it is the same for every viewer). */
  participants?: ParticipantView[],
): BoardState {
  const viewer = state.participants[viewerId]
  const anonymous = state.settings.anonymousByFunction
  const { cards, hidden } = visibleCards(state, viewerId)
  const voters = mergedVoters(cards)
  const cardViews = cards
    .map((c) => cardView(c, viewerId, anonymous, voters.get(c.id) ?? new Set()))
    .sort(BOARD_ORDER.cards)
  const seesAllProgress = viewer?.roles.includes('facilitator') ?? false // [RD5]
  const progress: ProgressView[] = Object.entries(state.progress)
    .filter(([id]) => seesAllProgress || id === viewerId)
    .map(([participantId, p]) => ({ ...p, sectionsRead: [...p.sectionsRead], participantId }))
    .sort(BOARD_ORDER.progress)
  const notes = Object.values(state.notes)
    .filter((n) => n.authorId === viewerId) // [NT2]
    .map((n) => ({ ...n }))
    .sort(BOARD_ORDER.notes)
  const spotlight = state.spotlight && cards.some((c) => c.id === state.spotlight) ? state.spotlight : null
  return {
    seq: state.seq,
    reviewId: state.id,
    title: state.title,
    createdAt: state.createdAt,
    phase: state.phase,
    round: state.round,
    timer: state.timer,
    settings: { ...state.settings },
    me: participantView(state, viewerId, online),
    participants:
      participants ?? Object.keys(state.participants).map((id) => participantView(state, id, online)),
    cards: cardViews,
    hiddenCardCounts: hidden,
    notes,
    progress,
    spotlight,
    rounds: state.rounds,
    decision: { signoffs: Object.values(state.signoffs), records: state.decisions },
    frozen: state.frozen,
    archived: state.archived,
    votesLeft: votesLeft(state, viewerId),
  }
}
