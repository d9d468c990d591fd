import type { ReviewState } from './types'

/** Votes a participant cast on this round's cards [VT2]. */
function votesUsed(state: ReviewState, participantId: string): number {
  let used = 0
  for (const c of Object.values(state.cards))
    if (c.round === state.round && c.votes.includes(participantId)) used++
  return used
}

/** What is left of the per-person budget this round; never below zero if the budget was lowered [VT2] [ST4]. */
export function votesLeft(state: ReviewState, participantId: string): number {
  return Math.max(0, state.settings.votesPerPerson - votesUsed(state, participantId))
}
