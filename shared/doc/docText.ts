import * as Y from 'yjs'
import { FRAGMENT } from './yjsBlocks'

/** One XmlText's place in the document's plain text. */
export interface TextSpan {
  type: Y.XmlText
  /** Offset of the XmlText's first character in `DocText.text`. */
  start: number
  length: number
  /** Heading text of the section the span is in ('' before the first heading). */
  section: string
}

/**
 * The live document as one plain string (blocks separated by a newline, hard breaks as newlines)
 * with a map from each XmlText to its offset: anchors are searched and compared in this text.
 */
export interface DocText {
  text: string
  spans: TextSpan[]
}

const TEXT_BLOCKS = new Set(['heading', 'paragraph', 'codeBlock'])

function xmlTextString(t: Y.XmlText): string {
  return (t.toDelta() as Array<{ insert: unknown }>)
    .map((d) => (typeof d.insert === 'string' ? d.insert : ''))
    .join('')
}

export function readDocText(doc: Y.Doc): DocText {
  const spans: TextSpan[] = []
  // Parts joined once at the end: slicing a growing string flattens it every time (quadratic).
  const parts: string[] = []
  let length = 0
  let section = ''
  const add = (s: string) => {
    parts.push(s)
    length += s.length
  }
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (!TEXT_BLOCKS.has(child.nodeName)) {
        walk(child)
        continue
      }
      if (length) add('\n')
      const own: string[] = []
      const blockSpans: TextSpan[] = []
      for (const inner of child.toArray()) {
        if (inner instanceof Y.XmlText) {
          const s = xmlTextString(inner)
          blockSpans.push({ type: inner, start: length, length: s.length, section: '' })
          own.push(s)
          add(s)
        } else if (inner instanceof Y.XmlElement && inner.nodeName === 'hardBreak') {
          own.push(' ')
          add('\n')
        }
      }
      if (child.nodeName === 'heading') section = own.join('').trim()
      for (const span of blockSpans) spans.push({ ...span, section })
    }
  }
  walk(doc.getXmlFragment(FRAGMENT))
  return { text: parts.join(''), spans }
}

/** Global offset of a position inside an XmlText, or null if the XmlText is no longer in the document. */
export function offsetOf(dt: DocText, type: unknown, index: number): number | null {
  const span = dt.spans.find((s) => s.type === type)
  return span ? span.start + Math.min(index, span.length) : null
}

/** The XmlText and index at a global offset; `end` picks the span that ends there over one that starts. */
export function positionAt(
  dt: DocText,
  offset: number,
  end = false,
): { span: TextSpan; index: number } | null {
  for (const span of dt.spans) {
    const inside = end
      ? offset > span.start && offset <= span.start + span.length
      : offset >= span.start && offset < span.start + span.length
    if (inside) return { span, index: offset - span.start }
  }
  // An empty range at a span's edge.
  const edge = dt.spans.find((s) => offset >= s.start && offset <= s.start + s.length)
  return edge ? { span: edge, index: offset - edge.start } : null
}

export function sectionAt(dt: DocText, offset: number): string | undefined {
  let section: string | undefined
  for (const span of dt.spans) {
    if (span.start > offset) break
    section = span.section
  }
  return section
}
