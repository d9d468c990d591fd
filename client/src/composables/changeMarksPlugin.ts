import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import type { DocumentDiff, UnitDiff } from '../../../shared/doc/diff'
import type { WordChange } from '../../../shared/doc/wordDiff'

/**
 * What changed since an earlier round, marked in the document itself (issue 5): inserted words
 * highlighted, deleted words shown struck through where they were, removed paragraphs and
 * sections as struck-through blocks. Decorations only: the marks are a view of a diff, never
 * document content, and vanish when the reader turns them off or the reading phase ends.
 *
 * The diff (shared/doc/diff) speaks of sections and paragraph-sized units by their text, not by
 * position; each unit is found again among the editor's text blocks, in document order.
 */
export const changeMarksKey = new PluginKey<ChangeMarksState>('changeMarks')

interface ChangeMarksState {
  diff: DocumentDiff | null
  set: DecorationSet
}

/**
 * The plugin keeps the diff, not only its decorations: y-tiptap replaces the whole document on
 * every remote change, which would map every decoration away, so they are found again instead.
 */
export function changeMarksPlugin(): Plugin<ChangeMarksState> {
  return new Plugin<ChangeMarksState>({
    key: changeMarksKey,
    state: {
      init: () => ({ diff: null, set: DecorationSet.empty }),
      apply(tr, prev) {
        const meta = tr.getMeta(changeMarksKey) as { diff: DocumentDiff | null } | undefined
        const diff = meta ? meta.diff : prev.diff
        if (!meta && !tr.docChanged) return prev
        const set = diff ? DecorationSet.create(tr.doc, changeDecorations(tr.doc, diff)) : DecorationSet.empty
        return { diff, set }
      },
    },
    props: {
      decorations: (state) => changeMarksKey.getState(state)?.set ?? null,
    },
  })
}

/** A text block of the editor, with the ProseMirror position of each of its characters. */
interface TextBlock {
  /** Position just before the block (between blocks): where removed text is shown. */
  before: number
  heading: boolean
  text: string
  /** `at[i]` is the position of character i; `at[text.length]` is the block's end. */
  at: number[]
}

function textBlocks(doc: PmNode): TextBlock[] {
  const out: TextBlock[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    let text = ''
    const at: number[] = []
    node.forEach((child, off) => {
      const start = pos + 1 + off
      if (child.isText) {
        const t = child.text ?? ''
        for (let i = 0; i < t.length; i++) at.push(start + i)
        text += t
      } else if (child.type.name === 'hardBreak') {
        at.push(start)
        text += '\n'
      }
    })
    at.push(pos + node.nodeSize - 1)
    out.push({ before: pos, heading: node.type.name === 'heading', text, at })
    return false
  })
  return out
}

function removedBlock(texts: string[]): HTMLElement {
  const box = document.createElement('div')
  box.className = 'diff-removed'
  box.setAttribute('contenteditable', 'false')
  const label = document.createElement('span')
  label.className = 'diff-removed-label'
  label.textContent = 'Removed'
  box.append(label)
  for (const t of texts) {
    const del = document.createElement('del')
    del.textContent = t
    box.append(del)
  }
  return box
}

function deletedWords(text: string): HTMLElement {
  const del = document.createElement('del')
  del.className = 'diff-del'
  del.textContent = text
  return del
}

/** Decorations for one block's word changes; deleted words only outside headings (their text is read). */
function markWords(block: TextBlock, words: WordChange[], out: Decoration[]): void {
  let offset = block.text.length - block.text.trimStart().length
  for (const w of words) {
    const end = Math.min(offset + w.text.length, block.text.length)
    if (w.op === 'insert') {
      const trimmed = offset + w.text.trimEnd().length
      const to = block.at[Math.min(trimmed, block.text.length)]!
      const from = block.at[offset]!
      if (to > from) out.push(Decoration.inline(from, to, { nodeName: 'ins', class: 'diff-ins' }))
      offset = end
    } else if (w.op === 'delete') {
      if (!block.heading)
        out.push(
          Decoration.widget(block.at[offset]!, () => deletedWords(w.text), {
            side: -1,
            ignoreSelection: true,
            key: `del-${block.before}-${offset}-${w.text}`,
          }),
        )
    } else offset = end
  }
}

/** Every decoration for a diff over the editor's current document. */
function changeDecorations(doc: PmNode, diff: DocumentDiff): Decoration[] {
  const blocks = textBlocks(doc)
  const out: Decoration[] = []
  let pending: string[] = []
  let k = 0
  const flush = (pos: number) => {
    if (!pending.length) return
    const texts = pending
    pending = []
    out.push(
      Decoration.widget(pos, () => removedBlock(texts), {
        side: -1,
        ignoreSelection: true,
        key: `removed-${pos}-${texts.join('|').slice(0, 200)}`,
      }),
    )
  }
  /** The next block at or after k that reads `text`; moves k past it. */
  const find = (text: string, heading: boolean): TextBlock | null => {
    for (let j = k; j < blocks.length; j++) {
      const b = blocks[j]!
      if (b.heading === heading && b.text.trim() === text.trim()) {
        k = j + 1
        return b
      }
    }
    return null
  }
  const unit = (u: UnitDiff) => {
    if (u.status === 'removed') {
      if (u.before) pending.push(u.before)
      return
    }
    const b = u.after !== undefined ? find(u.after, false) : null
    if (!b) return
    flush(b.before)
    if (u.status !== 'unchanged') markWords(b, u.words, out)
  }

  for (const s of diff.sections) {
    if (s.status === 'removed') {
      if (s.heading) pending.push(s.heading)
      for (const u of s.units) if (u.before) pending.push(u.before)
      continue
    }
    if (s.level > 0) {
      const h = find(s.heading, true)
      if (h) {
        flush(h.before)
        if (s.status === 'added') markWords(h, [{ op: 'insert', text: h.text.trim() }], out)
        else if (s.headingWords) markWords(h, s.headingWords, out)
      }
    }
    for (const u of s.units) unit(u)
  }
  flush(doc.content.size)
  return out
}

/** Shows a diff in the document, or clears the marks (`null`). */
export function setChangeMarks(view: EditorView, diff: DocumentDiff | null): void {
  if (view.isDestroyed) return
  view.dispatch(view.state.tr.setMeta(changeMarksKey, { diff }).setMeta('addToHistory', false))
}
