import type { Card, ReviewState } from './types'

/**
 * What an accepted card asks of the authors. Accepting praise agrees with it: there is nothing to
 * change, so it is no revision item [RV3]. The checklist, its tick, the round statistics and the
 * phase bar all ask here.
 */
export function isRevisionItem(card: Pick<Card, 'kind' | 'triage'>): boolean {
  return card.triage?.disposition === 'accepted' && card.kind !== 'praise'
}

/** This round's revision items not yet ticked off, in the order they were written. */
export function openRevisionItems(state: Pick<ReviewState, 'cards' | 'round'>): Card[] {
  return Object.values(state.cards)
    .filter((c) => c.round === state.round && isRevisionItem(c) && !c.done)
    .sort((a, b) => a.createdAt - b.createdAt)
}
