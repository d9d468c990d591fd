import type * as Y from 'yjs'
import { isHardBreak, normalizeInline, type Block, type Inline, type Marks } from './blocks'
import { readBlocks } from './yjsBlocks'

/** The document (a Y.Doc's `prfaq` fragment, or blocks) as Markdown that `parseMarkdown` reads back. */
export function exportMarkdown(source: Y.Doc | Y.XmlFragment | Block[]): string {
  const blocks = Array.isArray(source) ? source : readBlocks(source)
  const out = blocksToMarkdown(blocks)
  return out ? out + '\n' : ''
}

function blocksToMarkdown(blocks: Block[]): string {
  const parts: string[] = []
  blocks.forEach((block, k) => {
    const text = blockToMarkdown(block)
    if (text === null) return
    const prev = blocks[k - 1]
    // Two lists of the same kind in a row would merge on re-import; a comment keeps them apart.
    if (prev && prev.type === block.type && (block.type === 'bulletList' || block.type === 'orderedList')) {
      parts.push('<!-- -->')
    }
    parts.push(text)
  })
  return parts.join('\n\n')
}

function blockToMarkdown(block: Block): string | null {
  switch (block.type) {
    case 'heading':
      return '#'.repeat(block.level) + ' ' + inlineToMarkdown(block.content, true).replace(/\n/g, ' ')
    case 'paragraph': {
      const text = inlineToMarkdown(block.content)
      return text.trim() ? text : null
    }
    case 'codeBlock': {
      const longest = Math.max(2, ...(block.text.match(/`+/g) ?? []).map((r) => r.length))
      const fence = '`'.repeat(longest + 1)
      return `${fence}${block.language ?? ''}\n${block.text}\n${fence}`
    }
    case 'bulletList':
      return block.items.map((item) => listItem('- ', item)).join('\n')
    case 'orderedList':
      return block.items.map((item, k) => listItem(`${block.start + k}. `, item)).join('\n')
    case 'blockquote':
      return blocksToMarkdown(block.children)
        .split('\n')
        .map((l) => (l ? '> ' + l : '>'))
        .join('\n')
    case 'horizontalRule':
      return '---'
  }
}

function listItem(marker: string, item: Block[]): string {
  const pad = ' '.repeat(marker.length)
  let body = ''
  item.forEach((block, k) => {
    const text = blockToMarkdown(block) ?? ''
    if (k > 0) body += block.type === 'bulletList' || block.type === 'orderedList' ? '\n' : '\n\n'
    body += text
  })
  return body
    .split('\n')
    .map((line, k) => (k === 0 ? marker + line : line ? pad + line : ''))
    .join('\n')
    .trimEnd()
}

type Wrapper = 'link' | 'bold' | 'italic' | 'strike'
const ORDER: Wrapper[] = ['link', 'bold', 'italic', 'strike']
const OPEN: Record<Exclude<Wrapper, 'link'>, string> = { bold: '**', italic: '*', strike: '~~' }

/**
 * Inline runs → Markdown. Marks open and close like a stack across runs (so `**a *b***` stays one
 * bold span), whitespace is moved outside emphasis (`** a**` is not emphasis in Markdown), and
 * every hard break closes open marks, since our reader parses each line on its own.
 */
function inlineToMarkdown(content: Inline[], inHeading = false): string {
  const runs = trimEmphasisWhitespace(normalizeInline(content))
  let out = ''
  let active: Array<{ mark: Wrapper; marks: Marks }> = []
  const closeFrom = (index: number) => {
    for (let k = active.length - 1; k >= index; k--) {
      const a = active[k]!
      out += a.mark === 'link' ? linkTail(a.marks) : OPEN[a.mark]
    }
    active = active.slice(0, index)
  }
  for (const run of runs) {
    if (isHardBreak(run)) {
      closeFrom(0)
      out += inHeading ? ' ' : '\\\n'
      continue
    }
    const want = ORDER.filter((m) => (m === 'link' ? run.marks?.link : run.marks?.[m]))
    let keep = 0
    while (keep < active.length && want.includes(active[keep]!.mark) && sameLink(active[keep]!, run.marks))
      keep++
    closeFrom(keep)
    for (const m of want) {
      if (active.some((a) => a.mark === m)) continue
      out += m === 'link' ? '[' : OPEN[m]
      active.push({ mark: m, marks: run.marks ?? {} })
    }
    out += run.marks?.code ? codeSpan(run.text) : escapeText(run.text)
  }
  closeFrom(0)
  return escapeLineStart(out)
}

function sameLink(a: { mark: Wrapper; marks: Marks }, marks: Marks | undefined): boolean {
  return (
    a.mark !== 'link' ||
    (a.marks.link?.href === marks?.link?.href && a.marks.link?.title === marks?.link?.title)
  )
}

function linkTail(marks: Marks): string {
  const href = marks.link?.href ?? ''
  const dest = /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href
  const title = marks.link?.title ? ` "${marks.link.title.replace(/["\\]/g, '\\$&')}"` : ''
  return `](${dest}${title})`
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  const pad =
    text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : ''
  return fence + pad + text + pad + fence
}

function escapeText(text: string): string {
  return text
    .replace(/\n/g, ' ')
    .replace(/[\\`*[\]]/g, '\\$&')
    .replace(/~~/g, '\\~\\~')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu, (m) => m.replace('_', '\\_'))
}

/** Escapes what would start a block at the beginning of a line (`# `, `> `, `- `, `1. `, `---`). */
function escapeLineStart(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$))/, '$1\\$2')
        .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
        .replace(/^(\s*)(=+\s*$)/, '$1\\$2'),
    )
    .join('\n')
}

/** Moves leading/trailing spaces of an emphasised run out to its neighbours' formatting. */
function trimEmphasisWhitespace(runs: Inline[]): Inline[] {
  const out: Inline[] = []
  runs.forEach((run, k) => {
    if (isHardBreak(run) || !run.marks || run.marks.code) {
      out.push(run)
      return
    }
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text)!
    const prev = runs[k - 1]
    const next = runs[k + 1]
    if (m[1]) out.push({ text: m[1], ...common(run.marks, prev) })
    if (m[2]) out.push({ text: m[2], marks: run.marks })
    if (m[3]) out.push({ text: m[3], ...common(run.marks, next) })
  })
  return normalizeInline(out)
}

function common(marks: Marks, other: Inline | undefined): { marks?: Marks } {
  if (!other || isHardBreak(other) || !other.marks) return {}
  const shared: Marks = {}
  for (const key of Object.keys(marks) as Array<keyof Marks>) {
    if (key === 'link') {
      if (other.marks.link?.href === marks.link?.href) shared.link = marks.link!
    } else if (key !== 'code' && other.marks[key]) shared[key] = true
  }
  return Object.keys(shared).length ? { marks: shared } : {}
}
