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
  /** Cards beside the passages they anchor to (a margin), or in columns by function (the overview). */
  const layout = ref<'margin' | 'columns'>('margin')
  /** On a phone, the one pane on screen: the document, or the cards and panels beside it. */
  const pane = ref<'document' | 'side'>('document')

  /**
   * Opens a card (from a highlight in the document) and brings it into view: in the cards pane
   * (on a phone, switching to it) or among the columns. Never the highlight itself.
   */
  function openCard(cardId: string | null) {
    openCardId.value = cardId
    if (!cardId) return
    pane.value = 'side'
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(
        `[data-testid="card"][data-card-id="${CSS.escape(cardId)}"]`,
      )
      el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      el?.focus({ preventScroll: true })
    })
  }

  /** Scrolls the document to a card's passage and flashes it (see useCardHighlights). */
  function showPassage(cardId: string) {
    openCardId.value = cardId
    pane.value = 'document'
    if (layout.value === 'columns') layout.value = 'margin'
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
    layout,
    pane,
    passageRequest,
    composeRequest,
    openCard,
    showPassage,
    composeOnSelection,
    resetFilters,
  }
})
