/**
 * Markdown → the document, on kept libraries: markdown-it tokenizes (CommonMark plus GitHub
 * tables and strikethrough; raw HTML stays text) and prosemirror-markdown builds a ProseMirror
 * document in the editor's own schema (`schema.ts`), read back as blocks for outline, checks and
 * diffs. The same converter serves import, pasting into the editor and export (`exportMarkdown.ts`).
 *
 * Why this pair and not `@tiptap/markdown` (on `marked`): measured on the fixtures and the
 * adversarial table of test/unit/doc/textPaths.test.ts, markdown-it parsed every input in time
 * linear in its size and reads CommonMark exactly (it is the reference's own test suite), and
 * prosemirror-markdown's parser/serializer are small and pluggable on plain token names; the
 * Tiptap package needs an Editor instance per call and renders through `marked`, whose
 * whitespace-handling patterns were the ones that backtracked here before. Three GitHub
 * additions are small token passes below, each a single linear walk: task lists (`- [x]`),
 * a paragraph inside each table cell (the schema's cells hold blocks), and images read as links
 * (the schema has no image node; the link keeps the address and the alt text reads as its text).
 */
import MarkdownIt from 'markdown-it'
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs'
import type Token from 'markdown-it/lib/token.mjs'
import type { Node as PmNode } from '@tiptap/pm/model'
import { MarkdownParser } from 'prosemirror-markdown'
import type { Block, Inline } from './blocks'
import { DocumentLimitError, MAX_MARKDOWN_CHARS, MAX_NESTING } from './limits'
import { pmToBlocks } from './pmBlocks'
import { documentSchema } from './schema'

const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false })
// A list level is two token levels (list, item): markdown-it stops nesting past this, and the
// depth pass below has refused the input by then. (The option is missing from its typings.)
;(md.options as { maxNesting?: number }).maxNesting = 2 * MAX_NESTING + 4
md.core.ruler.after('block', 'prfaq_depth', refuseDeepNesting)
md.core.ruler.push('prfaq_tasks', taskLists)
md.core.ruler.push('prfaq_cells', cellParagraphs)
md.core.ruler.push('prfaq_images', imagesAsLinks)

const CONTAINER_OPEN = new Set(['blockquote_open', 'bullet_list_open', 'ordered_list_open'])
const CONTAINER_CLOSE = new Set(['blockquote_close', 'bullet_list_close', 'ordered_list_close'])

function refuseDeepNesting(state: StateCore): void {
  let depth = 0
  for (const t of state.tokens) {
    if (CONTAINER_OPEN.has(t.type) && ++depth > MAX_NESTING) throw new DocumentLimitError('nesting')
    if (CONTAINER_CLOSE.has(t.type)) depth--
  }
}

/** `[ ] ` or `[x] ` at the start of an item's first paragraph: the checkbox's state, else null. */
function taskMarker(tokens: Token[], item: number): boolean | null {
  if (tokens[item + 1]?.type !== 'paragraph_open') return null
  const first = tokens[item + 2]?.children?.[0]
  if (!first || first.type !== 'text') return null
  const s = first.content
  if (s[0] !== '[' || s[2] !== ']' || (s.length > 3 && s[3] !== ' ')) return null
  return s[1] === ' ' ? false : s[1] === 'x' || s[1] === 'X' ? true : null
}

/** A bullet list whose every item starts with a checkbox becomes a task list (as GitHub shows it). */
function taskLists(state: StateCore): void {
  const tokens = state.tokens
  const stack: Array<{ open: number; items: number[]; closes: number[]; tasks: boolean }> = []
  tokens.forEach((t, i) => {
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open')
      stack.push({ open: i, items: [], closes: [], tasks: t.type === 'bullet_list_open' })
    else if (t.type === 'list_item_open') {
      const top = stack[stack.length - 1]
      top?.items.push(i)
      if (top && taskMarker(tokens, i) === null) top.tasks = false
    } else if (t.type === 'list_item_close') stack[stack.length - 1]?.closes.push(i)
    else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') {
      const list = stack.pop()
      if (!list?.tasks || !list.items.length) return
      tokens[list.open]!.type = 'task_list_open'
      t.type = 'task_list_close'
      for (const k of list.items) {
        const checked = taskMarker(tokens, k)
        tokens[k]!.type = 'task_item_open'
        tokens[k]!.meta = { checked }
        const first = tokens[k + 2]!.children![0]!
        first.content = first.content.slice(first.content[3] === ' ' ? 4 : 3)
      }
      for (const k of list.closes) tokens[k]!.type = 'task_item_close'
    }
  })
}

/** The schema's table cells hold blocks: wraps each cell's inline content in a paragraph. */
function cellParagraphs(state: StateCore): void {
  if (!state.tokens.some((t) => t.type === 'table_open')) return
  const out: Token[] = []
  for (const t of state.tokens) {
    if (t.type === 'th_close' || t.type === 'td_close') out.push(new state.Token('paragraph_close', 'p', -1))
    out.push(t)
    if (t.type === 'th_open' || t.type === 'td_open') out.push(new state.Token('paragraph_open', 'p', 1))
  }
  state.tokens = out
}

/** `![alt](src)` → a link to src reading as its alt text (or the address when there is none). */
function imagesAsLinks(state: StateCore): void {
  for (const t of state.tokens) {
    if (t.type !== 'inline' || !t.children?.some((c) => c.type === 'image')) continue
    const out: Token[] = []
    for (const c of t.children) {
      if (c.type !== 'image') {
        out.push(c)
        continue
      }
      const src = c.attrGet('src') ?? ''
      const open = new state.Token('link_open', 'a', 1)
      open.attrSet('href', src)
      const title = c.attrGet('title')
      if (title) open.attrSet('title', title)
      const text = new state.Token('text', '', 0)
      text.content = md.renderer.renderInlineAsText(c.children ?? [], md.options, state.env) || src
      out.push(open, text, new state.Token('link_close', 'a', -1))
    }
    t.children = out
  }
}

const listStart = (tok: Token) => {
  const start = Number(tok.attrGet('start') ?? 1)
  return { start: Number.isSafeInteger(start) ? start : 1 }
}

const parser = new MarkdownParser(documentSchema, md, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'listItem' },
  bullet_list: { block: 'bulletList' },
  ordered_list: { block: 'orderedList', getAttrs: listStart },
  task_list: { block: 'taskList' },
  task_item: { block: 'taskItem', getAttrs: (tok) => ({ checked: tok.meta?.checked === true }) },
  heading: { block: 'heading', getAttrs: (tok) => ({ level: Number(tok.tag.slice(1)) }) },
  code_block: { block: 'codeBlock', noCloseToken: true },
  fence: {
    block: 'codeBlock',
    getAttrs: (tok) => ({ language: tok.info.trim().split(' ')[0] || null }),
    noCloseToken: true,
  },
  hr: { node: 'horizontalRule' },
  hardbreak: { node: 'hardBreak' },
  table: { block: 'table' },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: 'tableRow' },
  th: { block: 'tableHeader' },
  td: { block: 'tableCell' },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  link: {
    mark: 'link',
    getAttrs: (tok) => ({ href: tok.attrGet('href'), title: tok.attrGet('title') || null }),
  },
  code_inline: { mark: 'code', noCloseToken: true },
})

/** Markdown → a ProseMirror document in the editor's schema. Throws DocumentLimitError past the limits. */
export function markdownToPm(markdown: string): PmNode {
  if (markdown.length > MAX_MARKDOWN_CHARS) throw new DocumentLimitError('size')
  return parser.parse(markdown)
}

/**
 * Markdown → blocks: headings, paragraphs, nested lists, task lists, blockquotes, code, rules,
 * GitHub tables, emphasis, strike, code spans, links, images as links, hard breaks. Whatever is
 * not Markdown syntax stays text, so a pasted PR/FAQ never loses words.
 */
export function parseMarkdown(markdown: string): Block[] {
  if (!markdown.trim()) return []
  return pmToBlocks(markdownToPm(markdown))
}

/** Inline Markdown alone (emphasis, code, links…), as the runs of one paragraph. */
export function parseInline(src: string): Inline[] {
  if (src.length > MAX_MARKDOWN_CHARS) throw new DocumentLimitError('size')
  // One line of text in a paragraph of its own: escape what would start a block.
  const [first] = parseMarkdown('\u200b' + src.replace(/\n/g, ' '))
  if (first?.type !== 'paragraph') return []
  const runs = first.content
  const head = runs[0]
  if (head && 'text' in head) head.text = head.text.slice(1)
  return runs.filter((r) => !('text' in r) || r.text)
}
