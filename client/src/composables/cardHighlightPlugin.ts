import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { decodeRelPos, resolveAnchor } from '../../../shared/doc/anchors'
import type { Anchor, Disposition, Severity } from '../../../shared/domain/types'

/**
 * Card highlights in the document, as ProseMirror decorations (never marks: highlights are a view
 * of server state, not document content). Loaded with the editor chunk, so ProseMirror and
 * y-tiptap stay out of the board's own chunk. Registered by useCardHighlights.
 */
export interface HighlightCard {
  id: string
  anchor: Anchor
  severity: Severity
  disposition?: Disposition
}

/**
 * How a triaged card's passage reads in the document: rejected and duplicate cards fade back,
 * accepted and answered ones show that they were taken up; deferred and untriaged stay by severity.
 */
const TRIAGE_CLASS: Record<Disposition, string> = {
  rejected: ' is-dimmed',
  duplicate: ' is-dimmed',
  accepted: ' is-accepted',
  answered: ' is-answered',
  deferred: '',
}
const TRIAGE_TITLE: Record<Disposition, string> = {
  rejected: 'rejected',
  duplicate: 'duplicate',
  accepted: 'accepted',
  answered: 'answered in the FAQ',
  deferred: 'deferred',
}

interface HighlightState {
  marks: DecorationSet
  flash: DecorationSet
}
interface Meta {
  marks?: DecorationSet
  flash?: DecorationSet
}

const cardHighlightKey = new PluginKey<HighlightState>('cardHighlights')

export function cardHighlightPlugin(onOpen: (cardId: string) => void): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: cardHighlightKey,
    state: {
      init: () => ({ marks: DecorationSet.empty, flash: DecorationSet.empty }),
      apply(tr, prev) {
        const meta = tr.getMeta(cardHighlightKey) as Meta | undefined
        return {
          marks: meta?.marks ?? prev.marks.map(tr.mapping, tr.doc),
          flash: meta?.flash ?? prev.flash.map(tr.mapping, tr.doc),
        }
      },
    },
    props: {
      decorations(state) {
        const s = cardHighlightKey.getState(state)
        if (!s) return null
        return DecorationSet.create(state.doc, [...s.marks.find(), ...s.flash.find()])
      },
      handleClick(_view, _pos, event) {
        const el = (event.target as HTMLElement | null)?.closest?.('[data-card-id]')
        const id = el?.getAttribute('data-card-id')
        if (!id) return false
        onOpen(id)
        return false
      },
    },
  })
}

interface YState {
  doc: Y.Doc
  type: Y.XmlFragment
  binding?: { mapping: unknown }
}

export function yDocOf(view: EditorView): Y.Doc | null {
  return (ySyncPluginKey.getState(view.state) as YState | undefined)?.doc ?? null
}

/** A card's passage in ProseMirror positions: its relative positions first, its re-found quote otherwise. */
function passageRange(state: EditorState, anchor: Anchor): { from: number; to: number } | null {
  const ys = ySyncPluginKey.getState(state) as YState | undefined
  if (!ys?.binding) return null
  const abs = (encoded: string): number | null => {
    const rel = decodeRelPos(encoded)
    return rel ? relativePositionToAbsolutePosition(ys.doc, ys.type, rel, ys.binding!.mapping as never) : null
  }
  const from = abs(anchor.start)
  const to = abs(anchor.end)
  const byPositions = from !== null && to !== null && to > from ? { from, to } : null
  // A passage typed over keeps its relative positions but they close up around what survived
  // (often one character): trust them only while they still span a fair part of the quote.
  if (byPositions && byPositions.to - byPositions.from >= Math.min(anchor.quote.length, 12) / 2)
    return byPositions
  // Else the re-found passage; when there is none, no highlight (the card says its passage is gone).
  const found = resolveAnchor(ys.doc, anchor)
  if (found.from === undefined || found.to === undefined) return null
  const a = pmPosAt(state.doc, found.from)
  const b = pmPosAt(state.doc, found.to)
  return a !== null && b !== null && b > a ? { from: a, to: b } : null
}

/**
 * A ProseMirror position for an offset into the document's plain text as shared/doc/docText
 * builds it (text blocks joined by a newline, hard breaks as newlines).
 */
function pmPosAt(doc: PmNode, offset: number): number | null {
  let len = 0
  let found: number | null = null
  doc.descendants((node, pos) => {
    if (found !== null) return false
    if (!node.isTextblock) return true
    if (len > 0) len += 1
    node.forEach((child, off) => {
      if (found !== null) return
      const size = child.isText ? (child.text?.length ?? 0) : child.type.name === 'hardBreak' ? 1 : 0
      if (offset >= len && offset <= len + size) found = pos + 1 + off + (offset - len)
      len += size
    })
    return false
  })
  return found
}

/** Recomputes every highlight from the live document (after remote edits or new cards). */
export function refreshHighlights(view: EditorView, cards: HighlightCard[], activeId: string | null): void {
  if (view.isDestroyed) return
  const decos: Decoration[] = []
  for (const card of cards) {
    const r = passageRange(view.state, card.anchor)
    if (!r) continue
    const triage = card.disposition ? TRIAGE_CLASS[card.disposition] : ''
    const cls = `card-mark sev-${card.severity}${triage}${card.id === activeId ? ' is-active' : ''}`
    const title = `${card.severity} card${card.disposition ? `, ${TRIAGE_TITLE[card.disposition]}` : ''}`
    decos.push(
      Decoration.inline(r.from, r.to, {
        class: cls,
        'data-card-id': card.id,
        title: title[0]!.toUpperCase() + title.slice(1),
        ...(card.disposition ? { 'data-disposition': card.disposition } : {}),
      }),
    )
  }
  const meta: Meta = { marks: DecorationSet.create(view.state.doc, decos) }
  view.dispatch(view.state.tr.setMeta(cardHighlightKey, meta).setMeta('addToHistory', false))
}

/** Scrolls to a passage and flashes it for a moment. False when the passage is gone. */
export function flashPassage(view: EditorView, anchor: Anchor): boolean {
  if (view.isDestroyed) return false
  const r = passageRange(view.state, anchor)
  if (!r) return false
  const flash = DecorationSet.create(view.state.doc, [
    Decoration.inline(r.from, r.to, { class: 'card-flash' }),
  ])
  view.dispatch(view.state.tr.setMeta(cardHighlightKey, { flash } satisfies Meta))
  const dom = view.domAtPos(r.from).node
  const el = dom instanceof HTMLElement ? dom : dom.parentElement
  el?.scrollIntoView({ block: 'center', behavior: 'smooth' })
  window.setTimeout(() => {
    if (!view.isDestroyed)
      view.dispatch(view.state.tr.setMeta(cardHighlightKey, { flash: DecorationSet.empty } satisfies Meta))
  }, 1600)
  return true
}
