import { computed, type Ref } from 'vue'
import type { Anchor } from '../../../shared/domain/types'
import { useBoardStore } from '../stores/board'
import { useCardHighlights } from './useCardHighlights'
import { useLiveDoc } from './useLiveDoc'
import type { DocHandle } from './useReviewDoc'
import { useRoundDocuments } from './useRoundDocuments'

/**
 * What the critique, triage, rounds and decision panels share, computed once per board: the live
 * outline and checks, where each card's passage is now, the card highlights in the editor, and
 * the round documents over HTTP. Call once in the board; pass the result to the panels.
 */
export function useReviewExtras(handle: Ref<DocHandle>, reviewId: string, token: string) {
  const board = useBoardStore()
  const cards = computed(() => board.state?.cards ?? [])
  const live = useLiveDoc(handle, cards)
  const highlightCards = computed(() =>
    cards.value
      .filter((c): c is typeof c & { anchor: Anchor } => !!c.anchor)
      .map((c) => ({
        id: c.id,
        anchor: c.anchor,
        severity: c.severity,
        ...(c.triage ? { disposition: c.triage.disposition } : {}),
      })),
  )
  useCardHighlights(highlightCards)
  const rounds = useRoundDocuments(reviewId, token)
  /** The live Y.Doc, for anchoring a typed quote; raw, read when needed, never kept in reactive state. */
  const doc = () => handle.value.doc
  return { ...live, loadRound: rounds.roundDocument, reviewId, token, doc }
}

export type ReviewExtras = ReturnType<typeof useReviewExtras>
