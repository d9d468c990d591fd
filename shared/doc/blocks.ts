/**
 * The document as plain data: the blocks and inline runs of Tiptap's ProseMirror schema
 * (`schema.ts`: StarterKit, task lists, tables), independent of Yjs. Markdown import/export, the outline, checks and diffs all
 * work on this shape; `yjsBlocks.ts` converts it to and from the `prfaq` XmlFragment.
 */

export interface LinkMark {
  href: string
  title?: string | null
}

/** Inline formatting. Names match Tiptap's mark names. */
export interface Marks {
  bold?: true
  italic?: true
  code?: true
  strike?: true
  underline?: true
  link?: LinkMark
}

export type Inline = { text: string; marks?: Marks } | { hardBreak: true }

export type Block =
  | { type: 'heading'; level: number; content: Inline[] }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'codeBlock'; language: string | null; text: string }
  | { type: 'bulletList'; items: Block[][] }
  | { type: 'orderedList'; start: number; items: Block[][] }
  | { type: 'blockquote'; children: Block[] }
  | { type: 'horizontalRule' }
  | { type: 'taskList'; items: TaskItem[] }
  | { type: 'table'; rows: TableCell[][] }

/** A checklist item (GitHub's `- [x] done`). */
export interface TaskItem {
  checked: boolean
  content: Block[]
}

/** A table cell; the first row of a Markdown table is a row of header cells. */
export interface TableCell {
  header: boolean
  content: Block[]
}

export type TextBlock = Extract<Block, { type: 'heading' | 'paragraph' }>

export function isHardBreak(inline: Inline): inline is { hardBreak: true } {
  return 'hardBreak' in inline
}

/** Plain text of inline content; a hard break reads as a newline. */
export function inlineText(content: Inline[]): string {
  return content.map((i) => (isHardBreak(i) ? '\n' : i.text)).join('')
}

/** Plain text of a block and everything inside it, paragraphs separated by newlines. */
export function blockText(block: Block): string {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
      return inlineText(block.content)
    case 'codeBlock':
      return block.text
    case 'bulletList':
    case 'orderedList':
      return block.items.map((item) => item.map(blockText).join('\n')).join('\n')
    case 'blockquote':
      return block.children.map(blockText).join('\n')
    case 'horizontalRule':
      return ''
    case 'taskList':
      return block.items.map((item) => item.content.map(blockText).join('\n')).join('\n')
    case 'table':
      return block.rows
        .map((row) => row.map((cell) => cell.content.map(blockText).join(' ')).join(' '))
        .join('\n')
  }
}

function sameMarks(a: Marks | undefined, b: Marks | undefined): boolean {
  const x = a ?? {}
  const y = b ?? {}
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]) as Set<keyof Marks>
  for (const k of keys) {
    if (k === 'link') {
      if (x.link?.href !== y.link?.href || (x.link?.title ?? null) !== (y.link?.title ?? null)) return false
    } else if (Boolean(x[k]) !== Boolean(y[k])) return false
  }
  return true
}

/** Joins neighbouring runs with the same marks and drops empty runs, so equal content compares equal. */
export function normalizeInline(content: Inline[]): Inline[] {
  const out: Inline[] = []
  for (const run of content) {
    if (isHardBreak(run)) {
      out.push({ hardBreak: true })
      continue
    }
    if (!run.text) continue
    const last = out[out.length - 1]
    if (last && !isHardBreak(last) && sameMarks(last.marks, run.marks)) {
      last.text += run.text
    } else {
      const marks = run.marks && Object.keys(run.marks).length > 0 ? { ...run.marks } : undefined
      out.push(marks ? { text: run.text, marks } : { text: run.text })
    }
  }
  return out
}
