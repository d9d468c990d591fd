import type { Card, Func, ReviewState } from './types'

/**
 * Whether a card is still blind: in blind critique, the cards of the current round stay with
 * their authors until the reveal (entering discussion) — during critique and during a reading
 * the facilitator stepped back to [CV1]. Earlier rounds' cards are revealed for good [CV3];
 * open critique hides nothing [CV4].
 */
export function isBlind(state: ReviewState, card: Card): boolean {
  if (!state.settings.blindCritique) return false
  if (card.round !== state.round) return false
  return state.phase === 'critique' || state.phase === 'reading'
}

/** A card reaches its author always, and everyone else once it is not blind [CV1] [CV2]. */
export function canSee(state: ReviewState, card: Card, viewerId: string): boolean {
  return card.authorId === viewerId || !isBlind(state, card)
}

/** The cards a viewer may see, and the rest counted per function ("Legal: 3 cards written") [CV5]. */
export function visibleCards(
  state: ReviewState,
  viewerId: string,
): { cards: Card[]; hidden: Partial<Record<Func, number>> } {
  const cards: Card[] = []
  const hidden: Partial<Record<Func, number>> = {}
  for (const card of Object.values(state.cards)) {
    if (canSee(state, card, viewerId)) cards.push(card)
    else hidden[card.function] = (hidden[card.function] ?? 0) + 1
  }
  return { cards, hidden }
}
