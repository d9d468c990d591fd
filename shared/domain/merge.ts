import type { Card, ReviewState, Signoff } from './types'

const swap = (id: string, from: string, into: string): string => (id === from ? into : id)

function mergedCard(card: Card, from: string, into: string): Card {
  const votes = [...new Set(card.votes.map((v) => swap(v, from, into)))]
  const replies = card.replies.map((r) => (r.authorId === from ? { ...r, authorId: into } : r))
  const moved: Card = { ...card, authorId: swap(card.authorId, from, into), votes, replies }
  if (card.triage?.by === from) moved.triage = { ...card.triage, by: into }
  return moved
}

/**
 * Folds participant `from` into `into` [PA10]: their cards, votes (one per person per card),
 * replies, private notes, reading progress (the original's wins), sign-offs (the original's win
 * per round) and decisions become the original's, and `from` leaves the participant list — no
 * list, count or presence can show the duplicate again. Pure, like `evolve`.
 */
export function mergeParticipants(state: ReviewState, from: string, into: string): ReviewState {
  const dup = state.participants[from]
  const keep = state.participants[into]
  if (!dup || !keep) return state
  const { [from]: _dup, ...participants } = state.participants
  const lastRead = Math.max(dup.lastReadRound ?? 0, keep.lastReadRound ?? 0)
  participants[into] = lastRead > 0 ? { ...keep, lastReadRound: lastRead } : keep

  const cards = Object.fromEntries(
    Object.entries(state.cards).map(([id, c]) => [id, mergedCard(c, from, into)]),
  )
  const notes = Object.fromEntries(
    Object.entries(state.notes).map(([id, n]) => [id, n.authorId === from ? { ...n, authorId: into } : n]),
  )
  const { [from]: dupProgress, ...progress } = state.progress
  if (dupProgress && !progress[into]) progress[into] = dupProgress

  const signoffs: Record<string, Signoff> = {}
  for (const s of Object.values(state.signoffs))
    if (s.participantId !== from) signoffs[`${s.round}:${s.participantId}`] = s
  for (const s of Object.values(state.signoffs)) {
    const key = `${s.round}:${into}`
    if (s.participantId === from && !signoffs[key]) signoffs[key] = { ...s, participantId: into }
  }
  const decisions = state.decisions.map((d) => (d.by === from ? { ...d, by: into } : d))
  return { ...state, participants, cards, notes, progress, signoffs, decisions }
}
