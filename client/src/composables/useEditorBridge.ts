import type { Editor } from '@tiptap/core'
import { markRaw, ref, shallowRef } from 'vue'
import type { Anchor } from '../../../shared/domain/types'

export interface SelectionInfo {
  from: number
  to: number
  text: string
}

/**
 * The live editor, reachable by panels outside the lazily loaded editor chunk (notes anchor to
 * the selection; reading progress watches the rendered headings). Raw: never reactive inside.
 */
const editor = shallowRef<Editor | null>(null)
const root = shallowRef<HTMLElement | null>(null)
const selection = ref<SelectionInfo | null>(null)
/** Set by the editor chunk, so ProseMirror and y-tiptap stay out of the board's own chunk. */
let anchorMaker: (() => Anchor | null) | null = null

export function registerEditor(e: Editor | null, makeAnchor?: () => Anchor | null) {
  editor.value = e ? markRaw(e) : null
  root.value = e ? (e.view.dom as HTMLElement) : null
  anchorMaker = e ? (makeAnchor ?? null) : null
  if (!e) selection.value = null
}

/** An anchor for the current selection in the document, or null. */
export function anchorForSelection(): Anchor | null {
  return anchorMaker?.() ?? null
}

export function setSelection(info: SelectionInfo | null) {
  selection.value = info
}

/** Scrolls the document to the first heading that reads `heading`. */
export function scrollToSection(heading: string) {
  const el = [...(root.value?.querySelectorAll('h1, h2, h3, h4, h5, h6') ?? [])].find(
    (h) => h.textContent?.trim() === heading.trim(),
  )
  el?.scrollIntoView({ block: 'start', behavior: 'smooth' })
}

export function useEditorBridge() {
  return { editor, root, selection }
}
