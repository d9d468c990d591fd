import type { Mark, Node as PmNode } from '@tiptap/pm/model'
import { normalizeInline, isHardBreak, type Block, type Inline, type Marks, type TableCell } from './blocks'

/**
 * Blocks ⇄ ProseMirror, in the document schema (`schema.ts`). The Markdown parser produces a
 * ProseMirror document and the serializer reads one; outline, checks and diffs read blocks.
 */

export interface PmJson {
  type: string
  attrs?: Record<string, unknown>
  content?: PmJson[]
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>
  text?: string
}

export function blocksToPmJson(blocks: Block[]): PmJson {
  return { type: 'doc', content: blocks.length ? blocks.map(blockJson) : [{ type: 'paragraph' }] }
}

function withContent(type: string, content: PmJson[], attrs?: Record<string, unknown>): PmJson {
  return { type, ...(attrs ? { attrs } : {}), ...(content.length ? { content } : {}) }
}

/** A list item, task item or cell must start with a paragraph (and cannot be empty). */
function itemContent(blocks: Block[], firstParagraph: boolean): PmJson[] {
  const content = blocks.map(blockJson)
  if (firstParagraph ? content[0]?.type !== 'paragraph' : !content.length)
    content.unshift({ type: 'paragraph' })
  return content
}

function blockJson(b: Block): PmJson {
  switch (b.type) {
    case 'heading':
      return withContent('heading', inlineJson(b.content), { level: b.level })
    case 'paragraph':
      return withContent('paragraph', inlineJson(b.content))
    case 'codeBlock':
      return withContent('codeBlock', b.text ? [{ type: 'text', text: b.text }] : [], {
        language: b.language,
      })
    case 'bulletList':
      return withContent(
        'bulletList',
        b.items.map((item) => withContent('listItem', itemContent(item, true))),
      )
    case 'orderedList':
      return withContent(
        'orderedList',
        b.items.map((item) => withContent('listItem', itemContent(item, true))),
        { start: b.start },
      )
    case 'taskList':
      return withContent(
        'taskList',
        b.items.map((item) =>
          withContent('taskItem', itemContent(item.content, true), { checked: item.checked }),
        ),
      )
    case 'blockquote':
      return withContent('blockquote', itemContent(b.children, false))
    case 'horizontalRule':
      return { type: 'horizontalRule' }
    case 'table':
      return withContent(
        'table',
        b.rows.map((row) =>
          withContent(
            'tableRow',
            row.map((cell) =>
              withContent(cell.header ? 'tableHeader' : 'tableCell', itemContent(cell.content, false)),
            ),
          ),
        ),
      )
  }
}

function inlineJson(content: Inline[]): PmJson[] {
  return normalizeInline(content).map((i) => {
    if (isHardBreak(i)) return { type: 'hardBreak' }
    const marks = marksJson(i.marks)
    return marks.length ? { type: 'text', text: i.text, marks } : { type: 'text', text: i.text }
  })
}

/** Marks in the schema's order; the code mark excludes every other mark in Tiptap. */
function marksJson(m: Marks | undefined): NonNullable<PmJson['marks']> {
  if (!m) return []
  if (m.code) return [{ type: 'code' }]
  const out: NonNullable<PmJson['marks']> = []
  if (m.link) out.push({ type: 'link', attrs: { href: m.link.href, title: m.link.title ?? null } })
  if (m.bold) out.push({ type: 'bold' })
  if (m.italic) out.push({ type: 'italic' })
  if (m.strike) out.push({ type: 'strike' })
  if (m.underline) out.push({ type: 'underline' })
  return out
}

/** A ProseMirror document (or any node with block content) → blocks. */
export function pmToBlocks(node: PmNode): Block[] {
  const out: Block[] = []
  node.forEach((child) => out.push(...pmBlock(child)))
  return out
}

function pmBlock(n: PmNode): Block[] {
  switch (n.type.name) {
    case 'heading':
      return [{ type: 'heading', level: Number(n.attrs.level) || 1, content: pmInline(n) }]
    case 'paragraph':
      return [{ type: 'paragraph', content: pmInline(n) }]
    case 'codeBlock':
      return [
        {
          type: 'codeBlock',
          language: typeof n.attrs.language === 'string' && n.attrs.language ? n.attrs.language : null,
          text: n.textContent,
        },
      ]
    case 'bulletList':
      return [{ type: 'bulletList', items: children(n).map(pmToBlocks) }]
    case 'orderedList':
      return [{ type: 'orderedList', start: Number(n.attrs.start) || 1, items: children(n).map(pmToBlocks) }]
    case 'taskList':
      return [
        {
          type: 'taskList',
          items: children(n).map((item) => ({
            checked: item.attrs.checked === true,
            content: pmToBlocks(item),
          })),
        },
      ]
    case 'blockquote':
      return [{ type: 'blockquote', children: pmToBlocks(n) }]
    case 'horizontalRule':
      return [{ type: 'horizontalRule' }]
    case 'table':
      return [
        {
          type: 'table',
          rows: children(n).map((row) =>
            children(row).map<TableCell>((cell) => ({
              header: cell.type.name === 'tableHeader',
              content: pmToBlocks(cell),
            })),
          ),
        },
      ]
    default:
      return n.isTextblock ? [{ type: 'paragraph', content: pmInline(n) }] : pmToBlocks(n)
  }
}

function children(n: PmNode): PmNode[] {
  const out: PmNode[] = []
  n.forEach((c) => out.push(c))
  return out
}

function pmInline(n: PmNode): Inline[] {
  const out: Inline[] = []
  n.forEach((c) => {
    if (c.isText) {
      const marks = pmMarks(c.marks)
      out.push(marks ? { text: c.text ?? '', marks } : { text: c.text ?? '' })
    } else if (c.type.name === 'hardBreak') out.push({ hardBreak: true })
  })
  return normalizeInline(out)
}

function pmMarks(marks: readonly Mark[]): Marks | undefined {
  const m: Marks = {}
  for (const mark of marks) {
    const name = mark.type.name
    if (name === 'link') {
      const href = mark.attrs.href
      const title = mark.attrs.title
      if (typeof href === 'string') m.link = typeof title === 'string' && title ? { href, title } : { href }
    } else if (
      name === 'bold' ||
      name === 'italic' ||
      name === 'code' ||
      name === 'strike' ||
      name === 'underline'
    ) {
      m[name] = true
    }
  }
  return Object.keys(m).length ? m : undefined
}
