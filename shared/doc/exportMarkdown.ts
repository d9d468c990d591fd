import type { Node as PmNode } from '@tiptap/pm/model'
import { Node } from '@tiptap/pm/model'
import { MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown'
import type * as Y from 'yjs'
import { isHardBreak, normalizeInline, type Block, type Inline, type Marks } from './blocks'
import { blocksToPmJson } from './pmBlocks'
import { safeHref } from './safeHref'
import { serializeLinear } from './serializerState'
import { documentSchema } from './schema'
import { readBlocks } from './yjsBlocks'

/**
 * The document as Markdown that `parseMarkdown` reads back, written by prosemirror-markdown's
 * serializer (its escaping, mark nesting and list layout) with the schema's own node names, GitHub
 * tables and task lists. Two of its defaults are replaced because they cost quadratic time on
 * hostile text: moving spaces out of emphasis (its `/^(.*?)(\s*)$/` backtracks over a long run of
 * spaces, ~8 s for 80,000) is done below in one pass over the runs, a hard break no longer
 * scans every following break, and the output is collected in pieces (`serializerState.ts`: the
 * library's one growing string made long documents quadratic). Links other than web, mail and in-page ones are dropped, as in
 * the HTML export.
 */
export function exportMarkdown(source: Y.Doc | Y.XmlFragment | Block[]): string {
  const blocks = Array.isArray(source) ? source : readBlocks(source)
  const doc = Node.fromJSON(documentSchema, blocksToPmJson(prepareBlocks(blocks)))
  const out = serializeLinear(serializer, doc, { tightLists: true }).trimEnd()
  return out ? out + '\n' : ''
}

type State = MarkdownSerializerState & { prfaqList?: { parent: PmNode; index: number; alt: boolean } }

/** A list right after one of the same kind would merge on import: alternate `-`/`*` and `.`/`)`. */
function listAlt(state: State, node: PmNode, parent: PmNode, index: number): boolean {
  const prev = index > 0 ? parent.child(index - 1) : null
  const last = state.prfaqList
  const alt =
    prev?.type === node.type && last?.parent === parent && last.index === index - 1 ? !last.alt : false
  state.prfaqList = { parent, index, alt }
  return alt
}

function longestRun(text: string, ch: string): number {
  let best = 0
  let run = 0
  for (let i = 0; i < text.length; i++) {
    run = text[i] === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/** A table cell's content on one line, pipes escaped (GitHub tables have no multi-line cells). */
function cellMarkdown(cell: PmNode): string {
  const text = serializeLinear(serializer, cell, { tightLists: true })
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\|/g, '\\|')
}

const serializer = new MarkdownSerializer(
  {
    blockquote(state, node) {
      state.wrapBlock('> ', null, node, () => state.renderContent(node))
    },
    codeBlock(state, node) {
      const fence = '`'.repeat(Math.max(3, longestRun(node.textContent, '`') + 1))
      const language = String(node.attrs.language ?? '').split(/[\s`]/)[0] ?? ''
      state.write(fence + language + '\n')
      state.text(node.textContent, false)
      state.write('\n')
      state.write(fence)
      state.closeBlock(node)
    },
    heading(state, node) {
      state.write('#'.repeat(Number(node.attrs.level) || 1) + ' ')
      state.renderInline(node, false)
      state.closeBlock(node)
    },
    horizontalRule(state, node) {
      state.write('---')
      state.closeBlock(node)
    },
    bulletList(state, node, parent, index) {
      const bullet = listAlt(state as State, node, parent, index) ? '* ' : '- '
      state.renderList(node, '  ', () => bullet)
    },
    orderedList(state, node, parent, index) {
      const delim = listAlt(state as State, node, parent, index) ? ') ' : '. '
      const start = Number(node.attrs.start) || 1
      const width = String(start + node.childCount - 1).length
      state.renderList(node, ' '.repeat(width + 2), (i) => {
        const n = String(start + i)
        return ' '.repeat(width - n.length) + n + delim
      })
    },
    listItem(state, node) {
      state.renderContent(node)
    },
    taskList(state, node) {
      state.renderList(node, '  ', () => '- ')
    },
    taskItem(state, node) {
      state.write(node.attrs.checked ? '[x] ' : '[ ] ')
      state.renderContent(node)
    },
    paragraph(state, node) {
      state.renderInline(node)
      state.closeBlock(node)
    },
    table(state, node) {
      const rows: string[][] = []
      node.forEach((row) => {
        const cells: string[] = []
        row.forEach((cell) => cells.push(cellMarkdown(cell)))
        rows.push(cells)
      })
      const width = Math.max(1, ...rows.map((r) => r.length))
      rows.forEach((cells, r) => {
        while (cells.length < width) cells.push('')
        state.write('| ' + cells.join(' | ') + ' |')
        state.ensureNewLine()
        if (r === 0) {
          state.write('|' + ' --- |'.repeat(width))
          state.ensureNewLine()
        }
      })
      state.closeBlock(node)
    },
    tableRow() {},
    tableCell() {},
    tableHeader() {},
    hardBreak(state, _node, parent, index) {
      if (index < parent.childCount - 1) state.write('\\\n')
    },
    text(state, node) {
      state.text(node.text ?? '')
    },
  },
  {
    italic: { open: '*', close: '*', mixable: true },
    bold: { open: '**', close: '**', mixable: true },
    strike: { open: '~~', close: '~~', mixable: true },
    underline: { open: '', close: '' },
    code: {
      open: (_state, _mark, parent, index) => codeTicks(parent.child(index), true),
      close: (_state, _mark, parent, index) => codeTicks(parent.child(index - 1), false),
      escape: false,
    },
    link: {
      open: (_state, mark) => (safeHref(String(mark.attrs.href ?? '')) === null ? '' : '['),
      close: (_state, mark) => {
        const href = safeHref(String(mark.attrs.href ?? ''))
        if (href === null) return ''
        const dest = /[\s()<>]/.test(href) ? `<${href.replace(/[<>\n]/g, encodeURIComponent)}>` : href
        const title = mark.attrs.title ? ` "${String(mark.attrs.title).replace(/["\\]/g, '\\$&')}"` : ''
        return `](${dest}${title})`
      },
      mixable: true,
    },
  },
  { hardBreakNodeName: 'hardBreak', strict: true },
)

/** Backticks around a code span: one more than the longest run inside, padded when needed. */
function codeTicks(node: PmNode, open: boolean): string {
  const text = node.isText ? (node.text ?? '') : ''
  const ticks = '`'.repeat(longestRun(text, '`') + 1)
  const pad =
    text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim())
  return open ? ticks + (pad ? ' ' : '') : (pad ? ' ' : '') + ticks
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\u00a0'

/**
 * What the serializer cannot write as is: empty paragraphs outside list items are left out, a
 * hard break in a heading reads as a space, and spaces at the edges of emphasis move outside it
 * (`** a**` would not read as bold), keeping the marks the neighbouring run shares.
 */
function prepareBlocks(blocks: Block[], inItem = false): Block[] {
  const out: Block[] = []
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        out.push({
          ...b,
          content: expelWhitespace(b.content.map((i) => (isHardBreak(i) ? { text: ' ' } : i))),
        })
        break
      case 'paragraph':
        if (b.content.length || inItem) out.push({ ...b, content: expelWhitespace(b.content) })
        break
      case 'bulletList':
      case 'orderedList':
        out.push({ ...b, items: b.items.map((item) => prepareBlocks(item, true)) })
        break
      case 'taskList':
        out.push({
          ...b,
          items: b.items.map((item) => ({ ...item, content: prepareBlocks(item.content, true) })),
        })
        break
      case 'blockquote':
        out.push({ ...b, children: prepareBlocks(b.children) })
        break
      case 'table':
        out.push({
          ...b,
          rows: b.rows.map((row) => row.map((c) => ({ ...c, content: prepareBlocks(c.content, true) }))),
        })
        break
      default:
        out.push(b)
    }
  }
  return out
}

function expelWhitespace(content: Inline[]): Inline[] {
  const runs = normalizeInline(content)
  const out: Inline[] = []
  runs.forEach((run, k) => {
    if (
      isHardBreak(run) ||
      !run.marks ||
      run.marks.code ||
      !(run.marks.bold || run.marks.italic || run.marks.strike)
    ) {
      out.push(run)
      return
    }
    const t = run.text
    let lead = 0
    while (lead < t.length && isSpace(t[lead])) lead++
    let trail = t.length
    while (trail > lead && isSpace(t[trail - 1])) trail--
    if (lead) out.push(withShared(t.slice(0, lead), run.marks, runs[k - 1]))
    if (trail > lead) out.push({ text: t.slice(lead, trail), marks: run.marks })
    if (trail < t.length) out.push(withShared(t.slice(trail), run.marks, runs[k + 1]))
  })
  return normalizeInline(out)
}

function withShared(text: string, marks: Marks, other: Inline | undefined): Inline {
  const shared: Marks = {}
  if (marks.link) shared.link = marks.link
  if (other && !isHardBreak(other) && other.marks && !other.marks.code) {
    if (marks.bold && other.marks.bold) shared.bold = true
    if (marks.italic && other.marks.italic) shared.italic = true
    if (marks.strike && other.marks.strike) shared.strike = true
  }
  return Object.keys(shared).length ? { text, marks: shared } : { text }
}
