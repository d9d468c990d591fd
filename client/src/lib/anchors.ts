import type { Editor } from '@tiptap/core'
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import type { Anchor } from '../../../shared/domain/types'

const CONTEXT = 32

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** The heading text of the section holding `pos`. */
function sectionAt(editor: Editor, pos: number): string | undefined {
  let found: string | undefined
  editor.state.doc.nodesBetween(0, pos, (node) => {
    if (node.type.name === 'heading') found = node.textContent
    return node.isBlock && node.type.name !== 'heading'
  })
  return found
}

/**
 * An anchor for the current selection: Yjs relative positions (stable under others' edits) plus
 * the quote with some context to re-find it after rewrites. Null for an empty selection.
 */
export function anchorFromSelection(editor: Editor): Anchor | null {
  const { from, to, empty } = editor.state.selection
  if (empty) return null
  const ystate = ySyncPluginKey.getState(editor.state) as
    { type: Y.XmlFragment; binding: { mapping: unknown } } | undefined
  if (!ystate?.binding) return null
  const rel = (pos: number) =>
    toBase64(
      Y.encodeRelativePosition(
        absolutePositionToRelativePosition(
          pos,
          ystate.type,
          ystate.binding.mapping as never,
        ) as Y.RelativePosition,
      ),
    )
  const doc = editor.state.doc
  const quote = doc.textBetween(from, to, ' ').slice(0, 1000)
  if (!quote.trim()) return null
  return {
    start: rel(from),
    end: rel(to),
    quote,
    prefix: doc.textBetween(Math.max(0, from - CONTEXT), from, ' ').slice(-CONTEXT),
    suffix: doc.textBetween(to, Math.min(doc.content.size, to + CONTEXT), ' ').slice(0, CONTEXT),
    section: sectionAt(editor, from)?.slice(0, 300),
  }
}
