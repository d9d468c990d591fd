import { err, ok, type Result } from '../result'
import type { Participant, ReviewState } from '../types'

/**
 * What one person may write in one round (H3 / QT1): far above what a review meeting produces,
 * low enough that one participant cannot grow the review's state — which every board and export
 * carries — without bound. Stated once here; docs/protocol.md repeats them.
 */
export const QUOTAS = { cards: 200, notes: 500, replies: 500 } as const

export type QuotaKind = keyof typeof QUOTAS

const NOUN: Record<QuotaKind, string> = { cards: 'cards', notes: 'private notes', replies: 'replies' }

/**
 * How many of `kind` the actor has written in `round` (the current one unless given). A reply
 * counts in the round of the card it answers, so replies to older cards are bounded too.
 */
export function usedInRound(
  state: ReviewState,
  actor: Participant,
  kind: QuotaKind,
  round: number = state.round,
): number {
  let n = 0
  if (kind === 'notes') {
    for (const note of Object.values(state.notes)) if (note.authorId === actor.id && note.round === round) n++
    return n
  }
  for (const card of Object.values(state.cards)) {
    if (card.round !== round) continue
    if (kind === 'cards') {
      if (card.authorId === actor.id) n++
    } else for (const reply of card.replies) if (reply.authorId === actor.id) n++
  }
  return n
}

/** One more of `kind` fits the actor's quota for `round`; else RATE_LIMITED naming the limit. */
export function withinQuota(
  state: ReviewState,
  actor: Participant,
  kind: QuotaKind,
  round: number = state.round,
): Result<true> {
  const limit = QUOTAS[kind]
  if (usedInRound(state, actor, kind, round) < limit) return ok(true)
  const where = kind === 'replies' ? `on the cards of round ${round}` : `in round ${round}`
  return err(
    'RATE_LIMITED',
    `You have written ${limit} ${NOUN[kind]} ${where}: the limit is ${limit} per person per round, so the board stays readable for everyone.`,
  )
}
