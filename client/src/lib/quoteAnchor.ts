import type * as Y from 'yjs'
import { anchorFromOffsets, anchorFromQuote } from '../../../shared/doc/anchors'
import { readDocText } from '../../../shared/doc/docText'
import type { Anchor } from '../../../shared/domain/types'

/** Shortest quote worth searching for: a word or two, not a letter that is everywhere. */
const MIN_QUOTE = 3

export type QuoteResult = { found: true; anchor: Anchor } | { found: false; reason: 'short' | 'missing' }

/** Folds what a paste or retyping changes: case, runs of spaces and newlines, curly quotes, dashes. */
function fold(ch: string): string {
  if (/\s/.test(ch)) return ' '
  if (/[‘’‚‛]/.test(ch)) return "'"
  if (/[“”„‟]/.test(ch)) return '"'
  if (/[‐‑‒–—]/.test(ch)) return '-'
  return ch.toLowerCase()
}

/** The folded text and, per folded character, its offset in the original; runs of space fold to one. */
function folded(text: string): { text: string; at: number[] } {
  let out = ''
  const at: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = fold(text[i]!)
    if (c === ' ' && out.endsWith(' ')) continue
    out += c
    at.push(i)
  }
  return { text: out, at }
}

/**
 * Anchors a card on words a person typed or pasted from the document (the keyboard's way to
 * select a passage in a read-only document): the exact text first, then the same words ignoring
 * case, spacing, curly quotes and dashes. Uses the live Y.Doc, so the anchor is as good as one
 * made from a mouse selection.
 */
export function anchorFromTypedQuote(doc: Y.Doc, typed: string): QuoteResult {
  const quote = typed.trim()
  if (quote.length < MIN_QUOTE) return { found: false, reason: 'short' }
  const exact = anchorFromQuote(doc, quote)
  if (exact) return { found: true, anchor: exact }
  const dt = readDocText(doc)
  const hay = folded(dt.text)
  const needle = folded(quote).text
  const k = hay.text.indexOf(needle)
  if (k < 0) return { found: false, reason: 'missing' }
  const from = hay.at[k]!
  const to = hay.at[k + needle.length - 1]! + 1
  const anchor = anchorFromOffsets(doc, from, to, dt)
  return anchor ? { found: true, anchor } : { found: false, reason: 'missing' }
}
