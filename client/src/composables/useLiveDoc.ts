import { computed, onScopeDispose, ref, watch, type Ref } from 'vue'
import type * as Y from 'yjs'
import { resolveAnchor, type ResolvedAnchor } from '../../../shared/doc/anchors'
import { runChecks } from '../../../shared/doc/checks'
import { readOutline } from '../../../shared/doc/outline'
import type { CardView } from '../../../shared/protocol/board'
import type { DocHandle } from './useReviewDoc'

/**
 * Derived views of the live Y.Doc that panels outside the editor need: the outline, the PR/FAQ
 * checks and where each card's passage is now. A change after a quiet spell is shown at once
 * (the document arriving when the board opens: its checks must not show the empty document's
 * "9 missing" for a moment); while people type, at most every `ms`, never per keystroke. The
 * Y.Doc itself stays raw.
 */
export function useLiveDoc(handle: Ref<DocHandle>, cards: Ref<CardView[]>, ms = 400) {
  const tick = ref(0)
  let timer = 0
  let last = Number.NEGATIVE_INFINITY
  const recompute = () => {
    timer = 0
    last = performance.now()
    tick.value++
  }
  const bump = () => {
    if (timer) return // a recompute is already due
    const wait = last + ms - performance.now()
    if (wait <= 0) recompute()
    else timer = window.setTimeout(recompute, wait)
  }
  let doc: Y.Doc | null = null
  watch(
    () => handle.value.doc,
    (next) => {
      doc?.off('update', bump)
      doc = next
      doc.on('update', bump)
      tick.value++
    },
    { immediate: true },
  )
  onScopeDispose(() => {
    doc?.off('update', bump)
    window.clearTimeout(timer)
  })

  const outline = computed(() => {
    void tick.value
    return readOutline(handle.value.doc)
  })
  const checks = computed(() => runChecks(outline.value))
  const anchors = computed(() => {
    void tick.value
    const out: Record<string, ResolvedAnchor> = {}
    for (const c of cards.value) if (c.anchor) out[c.id] = resolveAnchor(handle.value.doc, c.anchor)
    return out
  })
  return { tick, outline, checks, anchors }
}
