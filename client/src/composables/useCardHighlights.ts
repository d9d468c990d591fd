import type { Editor } from '@tiptap/core'
import { onScopeDispose, watch, type Ref } from 'vue'
import { useCardsViewStore } from '../stores/cardsView'
import { useToastStore } from '../stores/toast'
import type * as HighlightPlugin from './cardHighlightPlugin'
import type { HighlightCard } from './cardHighlightPlugin'
import { useEditorBridge } from './useEditorBridge'

type PluginModule = typeof HighlightPlugin

/**
 * Keeps the editor's card highlights in step with the cards this person can see: registers the
 * decoration plugin whenever an editor appears (it is rebuilt after a reset), refreshes after
 * every document change (debounced) and card change, and shows a passage on request.
 */
export function useCardHighlights(cards: Ref<HighlightCard[]>) {
  const { editor } = useEditorBridge()
  const view = useCardsViewStore()
  let mod: PluginModule | null = null
  let current: Editor | null = null
  let off: (() => void) | null = null
  let timer = 0

  const refresh = () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(() => {
      if (mod && current && !current.isDestroyed)
        mod.refreshHighlights(current.view, cards.value, view.openCardId)
    }, 80)
  }

  async function attach(e: Editor | null) {
    off?.()
    off = null
    current = e
    if (!e) return
    mod ??= await import('./cardHighlightPlugin')
    if (current !== e || e.isDestroyed) return
    e.registerPlugin(mod.cardHighlightPlugin((id) => view.openCard(id)))
    const doc = mod.yDocOf(e.view)
    doc?.on('update', refresh)
    off = () => doc?.off('update', refresh)
    refresh()
  }

  watch(editor, (e) => void attach(e), { immediate: true })
  watch([cards, () => view.openCardId], refresh, { deep: true })
  watch(
    () => view.passageRequest,
    (req) => {
      const card = req && cards.value.find((c) => c.id === req.cardId)
      if (!card || !mod || !current) return
      if (!mod.flashPassage(current.view, card.anchor))
        useToastStore().error('The passage of this card is no longer in the document.')
    },
  )
  onScopeDispose(() => {
    off?.()
    window.clearTimeout(timer)
  })
}
