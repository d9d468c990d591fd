import * as Y from 'yjs'
import { fromBase64, toBase64 } from 'lib0/buffer'
import type { Anchor } from '../domain/types'
import { offsetOf, positionAt, readDocText, sectionAt, type DocText } from './docText'
import { findQuote } from './quoteSearch'

/** Characters of context kept on each side of a quote, to tell repeated passages apart. */
const CONTEXT_CHARS = 32

export function encodeRelPos(pos: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(pos))
}

/** Null for anything that is not an encoded relative position (anchors arrive from clients). */
export function decodeRelPos(encoded: string): Y.RelativePosition | null {
  if (!encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null
  try {
    const pos = Y.decodeRelativePosition(fromBase64(encoded))
    if (!pos.item && !pos.type && !pos.tname) return null
    return pos
  } catch {
    return null
  }
}

/**
 * An anchor over `[startIndex, endIndex)` of one XmlText. The start sticks to the first quoted
 * character and the end to the last, so typing just outside the passage does not grow it.
 */
export function anchorFromTextRange(
  doc: Y.Doc,
  text: Y.XmlText,
  startIndex: number,
  endIndex: number,
): Anchor {
  return anchorFromRange(doc, { type: text, index: startIndex }, { type: text, index: endIndex })
}

export interface TextPoint {
  type: Y.XmlText
  index: number
}

/** An anchor from a start and an end that may lie in different text blocks. */
function anchorFromRange(doc: Y.Doc, start: TextPoint, end: TextPoint, dt = readDocText(doc)): Anchor {
  const s = offsetOf(dt, start.type, start.index)
  const e = offsetOf(dt, end.type, end.index)
  if (s === null || e === null) throw new Error('anchor outside the prfaq document')
  const from = Math.min(s, e)
  const to = Math.max(s, e)
  const section = sectionAt(dt, from)
  return {
    start: encodeRelPos(Y.createRelativePositionFromTypeIndex(start.type, start.index, 0)),
    end: encodeRelPos(Y.createRelativePositionFromTypeIndex(end.type, end.index, -1)),
    quote: dt.text.slice(from, to),
    prefix: dt.text.slice(Math.max(0, from - CONTEXT_CHARS), from),
    suffix: dt.text.slice(to, to + CONTEXT_CHARS),
    ...(section !== undefined ? { section } : {}),
  }
}

/** An anchor on offsets of the document's plain text (from `readDocText`). */
export function anchorFromOffsets(
  doc: Y.Doc,
  from: number,
  to: number,
  dt = readDocText(doc),
): Anchor | null {
  const start = positionAt(dt, from)
  const end = positionAt(dt, to, true)
  if (!start || !end) return null
  return anchorFromRange(
    doc,
    { type: start.span.type, index: start.index },
    { type: end.span.type, index: end.index },
    dt,
  )
}

/** Anchors the n-th occurrence of `quote` (for tests, the server, and notes turned into cards). */
export function anchorFromQuote(doc: Y.Doc, quote: string, occurrence = 0): Anchor | null {
  const dt = readDocText(doc)
  let at = -1
  for (let k = 0; k <= occurrence; k++) {
    at = dt.text.indexOf(quote, at + 1)
    if (at < 0) return null
  }
  return anchorFromOffsets(doc, at, at + quote.length, dt)
}

export type AnchorStatus = 'ok' | 'edited' | 'orphaned'

export interface ResolvedAnchor {
  status: AnchorStatus
  /** The passage's current text (for `ok` and `edited`). */
  text?: string
  /** Heading of the section it is in now. */
  section?: string
  /** Offsets in the document's plain text (`readDocText`). */
  from?: number
  to?: number
  /** True when the quote was found again by search rather than by its positions. */
  moved?: boolean
  /** A fresh anchor on the current passage when it was re-found, to store in place of the old one. */
  reanchored?: Anchor
}

/**
 * Where an anchor's passage is now. `ok`: its positions still enclose exactly the quote.
 * `edited`: they enclose changed text, or the quote was re-found elsewhere (exactly, or as a
 * close match picked by its prefix and suffix). `orphaned`: gone, and nothing close enough.
 */
export function resolveAnchor(doc: Y.Doc, anchor: Anchor, dt: DocText = readDocText(doc)): ResolvedAnchor {
  const range = resolvePositions(doc, anchor, dt)
  if (range && range.to > range.from) {
    const text = dt.text.slice(range.from, range.to)
    const section = sectionAt(dt, range.from)
    return { status: text === anchor.quote ? 'ok' : 'edited', text, section, from: range.from, to: range.to }
  }
  const hit = findQuote(dt.text, anchor, range?.from)
  if (!hit) return { status: 'orphaned' }
  const reanchored = anchorFromOffsets(doc, hit.from, hit.to, dt) ?? undefined
  return {
    status: 'edited',
    text: dt.text.slice(hit.from, hit.to),
    section: sectionAt(dt, hit.from),
    from: hit.from,
    to: hit.to,
    moved: true,
    ...(reanchored ? { reanchored } : {}),
  }
}

function resolvePositions(doc: Y.Doc, anchor: Anchor, dt: DocText): { from: number; to: number } | null {
  const start = decodeRelPos(anchor.start)
  const end = decodeRelPos(anchor.end)
  if (!start || !end) return null
  const s = Y.createAbsolutePositionFromRelativePosition(start, doc)
  const e = Y.createAbsolutePositionFromRelativePosition(end, doc)
  // A position inside a deleted paragraph resolves to a type no longer in the document: offsetOf → null.
  const from = s ? offsetOf(dt, s.type, s.index) : null
  const to = e ? offsetOf(dt, e.type, e.index) : null
  if (from === null || to === null)
    return from !== null ? { from, to: from } : to !== null ? { from: to, to } : null
  return { from, to: Math.max(from, to) }
}
