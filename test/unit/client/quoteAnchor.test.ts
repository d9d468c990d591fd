import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { resolveAnchor } from '../../../shared/doc/anchors'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { anchorFromTypedQuote } from '../../../client/src/lib/quoteAnchor'

function doc(): Y.Doc {
  const d = new Y.Doc()
  importMarkdown(
    d,
    '# Pantry Plan\n\n## The solution\n\nNo jargon, no feature list. Families plan a “week” of meals.\n\n## Risks\n\nPrivacy, regulation, contracts.\n',
  )
  return d
}

describe('a card anchored by quoting the passage from the keyboard', () => {
  it('finds the exact words and anchors them like a selection', () => {
    const d = doc()
    const r = anchorFromTypedQuote(d, 'regulation, contracts')
    expect(r.found).toBe(true)
    if (!r.found) return
    expect(r.anchor.quote).toBe('regulation, contracts')
    expect(r.anchor.section).toBe('Risks')
    expect(resolveAnchor(d, r.anchor).status).toBe('ok')
  })

  it('forgives case, spacing and curly quotes, and anchors the document’s own text', () => {
    const r = anchorFromTypedQuote(doc(), '  families PLAN a "week"\n of meals ')
    expect(r.found && r.anchor.quote).toBe('Families plan a “week” of meals')
  })

  it('says when the words are not in the document, or too few to search', () => {
    expect(anchorFromTypedQuote(doc(), 'regulation, contractz')).toEqual({ found: false, reason: 'missing' })
    expect(anchorFromTypedQuote(doc(), 'no')).toEqual({ found: false, reason: 'short' })
  })
})
