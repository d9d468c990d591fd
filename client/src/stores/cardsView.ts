import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Kind, Severity } from '../../../shared/domain/types'
import type { AnchorStatus } from '../../../shared/doc/anchors'

export interface CardFilters {
  severity: Severity | ''
  kind: Kind | ''
  status: AnchorStatus | 'general' | ''
  section: string
}

/**
 * What the person is looking at on the board, not what the server sent: the open card, the
 * filters, and requests to show a card's passage. Shared by the document highlights, the columns
 * and the triage queue, so a click in one place shows the same card in the others.
 */
export const useCardsViewStore = defineStore('cardsView', () => {
  const openCardId = ref<string | null>(null)
  const filters = ref<CardFilters>({ severity: '', kind: '', status: '', section: '' })
  /** Bumped per request, so asking for the same passage twice flashes it twice. */
  const passageRequest = ref<{ cardId: string; n: number } | null>(null)
  let n = 0
  /** Bumped by the floating "Add card" button beside a selection; the card form opens on it. */
  const composeRequest = ref(0)

  /** Opens a card on the board (from a highlight in the document) and scrolls it into view. */
  function openCard(cardId: string | null) {
    openCardId.value = cardId
    if (!cardId) return
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"]`)
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' })
      el?.focus({ preventScroll: true })
    })
  }

  /** Scrolls the document to a card's passage and flashes it (see useCardHighlights). */
  function showPassage(cardId: string) {
    openCardId.value = cardId
    passageRequest.value = { cardId, n: ++n }
  }

  function composeOnSelection() {
    composeRequest.value++
  }

  function resetFilters() {
    filters.value = { severity: '', kind: '', status: '', section: '' }
  }

  return {
    openCardId,
    filters,
    passageRequest,
    composeRequest,
    openCard,
    showPassage,
    composeOnSelection,
    resetFilters,
  }
})
