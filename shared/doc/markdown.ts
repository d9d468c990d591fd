import type { Block, Inline } from './blocks'
import { parseInline } from './inlineMarkdown'

/**
 * Markdown → blocks in Tiptap's schema: ATX headings, paragraphs (soft breaks become spaces,
 * a trailing backslash or two spaces a hard break), `-`/`*`/`+` and numbered lists nested by
 * indentation, blockquotes, fenced code and horizontal rules. Lenient by design: whatever is
 * not recognised is kept as paragraph text, so a pasted PR/FAQ never loses words.
 */
export function parseMarkdown(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n')
  return parseLines(lines)
}

interface ListMarker {
  indent: number
  ordered: boolean
  start: number
  /** Column where the item's content begins. */
  content: number
  rest: string
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)/
const QUOTE = /^ {0,3}>/
const SETEXT = /^ {0,3}(=|-)\1*[ \t]*$/

function listMarker(line: string): ListMarker | null {
  const m = /^( *)([-*+]|(\d{1,9})[.)])( +|$)(.*)$/.exec(line)
  if (!m) return null
  const indent = m[1]!.length
  const spaces = m[4]!.length
  // Five or more spaces after the marker start indented code in CommonMark; we only need the text.
  const gap = spaces >= 1 && spaces <= 4 ? spaces : 1
  return {
    indent,
    ordered: m[3] !== undefined,
    start: m[3] !== undefined ? Number(m[3]) : 1,
    content: indent + m[2]!.length + gap,
    rest: m[5]!,
  }
}

const isBlank = (line: string) => line.trim() === ''
const indentOf = (line: string) => line.length - line.trimStart().length

/** Whether a line starts a block other than a paragraph (and so ends a running paragraph). */
function startsBlock(line: string): boolean {
  if (HEADING.test(line) || RULE.test(line) || FENCE.test(line) || QUOTE.test(line)) return true
  const list = listMarker(line)
  return list !== null && list.rest.trim() !== '' && (!list.ordered || list.start === 1)
}

function parseLines(lines: string[]): Block[] {
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (isBlank(line)) {
      i++
      continue
    }
    const fence = FENCE.exec(line)
    if (fence) {
      const marker = fence[1]!
      const body: string[] = []
      i++
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[i]!)) {
        body.push(lines[i]!)
        i++
      }
      i++
      blocks.push({ type: 'codeBlock', language: fence[2] || null, text: body.join('\n') })
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length, content: parseInline(heading[2] ?? '') })
      i++
      continue
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'horizontalRule' })
      i++
      continue
    }
    if (QUOTE.test(line)) {
      const inner: string[] = []
      while (i < lines.length && !isBlank(lines[i]!)) {
        const l = lines[i]!
        if (QUOTE.test(l)) inner.push(l.replace(/^ {0,3}> ?/, ''))
        else if (!startsBlock(l))
          inner.push(l) // lazy continuation of the quoted paragraph
        else break
        i++
      }
      const children = parseLines(inner)
      blocks.push({ type: 'blockquote', children: children.length ? children : [emptyParagraph()] })
      continue
    }
    const list = listMarker(line)
    if (list) {
      i = parseList(lines, i, list, blocks)
      continue
    }
    const para: string[] = [line]
    i++
    while (i < lines.length && !isBlank(lines[i]!)) {
      // "Title" over "=====" or "-----" is a setext heading, not a paragraph and a rule.
      const setext = SETEXT.exec(lines[i]!)
      if (setext) {
        blocks.push({ type: 'heading', level: setext[1] === '=' ? 1 : 2, content: paragraphInline(para) })
        para.length = 0
        i++
        break
      }
      if (startsBlock(lines[i]!)) break
      para.push(lines[i++]!)
    }
    if (para.length) blocks.push({ type: 'paragraph', content: paragraphInline(para) })
  }
  return blocks
}

function parseList(lines: string[], from: number, first: ListMarker, blocks: Block[]): number {
  const items: Block[][] = []
  let i = from
  let marker: ListMarker | null = first
  while (marker) {
    const itemLines = [marker.rest]
    const strip = marker.content
    i++
    while (i < lines.length) {
      const l = lines[i]!
      if (isBlank(l)) {
        // A blank line continues the item only if indented content follows it.
        let k = i
        while (k < lines.length && isBlank(lines[k]!)) k++
        if (k < lines.length && indentOf(lines[k]!) > marker.indent) {
          itemLines.push('')
          i++
          continue
        }
        const sibling = k < lines.length ? listMarker(lines[k]!) : null
        if (sibling && sibling.indent <= marker.indent && sibling.ordered === first.ordered) i = k
        break
      }
      if (indentOf(l) > marker.indent) {
        itemLines.push(l.slice(Math.min(indentOf(l), strip)))
        i++
        continue
      }
      const m = listMarker(l)
      if (m || startsBlock(l) || isBlank(itemLines[itemLines.length - 1]!)) break
      itemLines.push(l) // lazy continuation
      i++
    }
    const children = parseLines(itemLines)
    if (children[0]?.type !== 'paragraph') children.unshift(emptyParagraph())
    items.push(children)
    const m = i < lines.length ? listMarker(lines[i]!) : null
    marker = m && m.ordered === first.ordered && m.indent < first.content ? m : null
  }
  blocks.push(
    first.ordered ? { type: 'orderedList', start: first.start, items } : { type: 'bulletList', items },
  )
  return i
}

function emptyParagraph(): Block {
  return { type: 'paragraph', content: [] }
}

function paragraphInline(lines: string[]): Inline[] {
  const out: Inline[] = []
  let text = ''
  lines.forEach((raw, k) => {
    const last = k === lines.length - 1
    const hard = !last && (/ {2,}$/.test(raw) || /(^|[^\\])(\\\\)*\\$/.test(raw))
    let line = raw.trim()
    if (hard && line.endsWith('\\')) line = line.slice(0, -1).trimEnd()
    text += line
    if (hard) {
      out.push(...parseInline(text), { hardBreak: true })
      text = ''
    } else if (!last) text += ' '
  })
  out.push(...parseInline(text))
  return out
}
