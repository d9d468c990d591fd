import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { anchorFromQuote, resolveAnchor } from '../../../shared/doc/anchors'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { findQuote, FUZZY_THRESHOLD } from '../../../shared/doc/quoteSearch'
import { similarity } from '../../../shared/doc/wordDiff'

const QUOTE = 'half the ingredients are out of stock'

/** A document whose quoted paragraph is replaced by `retyped` (its positions are gone). */
function retypedDoc(retyped: string) {
  const doc = new Y.Doc()
  importMarkdown(doc, `# Plan\n\nParents plan meals, and ${QUOTE}.\n`)
  const anchor = anchorFromQuote(doc, QUOTE)!
  const fragment = doc.getXmlFragment('prfaq')
  doc.transact(() => {
    fragment.delete(1, 1)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(retyped)])
    fragment.insert(1, [p])
  })
  return { doc, anchor }
}

describe('the fuzzy threshold of a lost quote', () => {
  it('[ANC2] [ANC3] a passage close in letters but under 80 % of the words is orphaned, not re-found', () => {
    // Every word but three changed by a letter: bitap places it, the word check must refuse it.
    const below = 'Parents plan meals, and half the ingredient ore out off stock today.'
    expect(similarity(QUOTE, 'half the ingredient ore out off stock')).toBeLessThan(FUZZY_THRESHOLD)
    expect(findQuote(below, { quote: QUOTE, prefix: '', suffix: '' })).toBeNull()
    const { doc, anchor } = retypedDoc(below)
    expect(resolveAnchor(doc, anchor)).toEqual({ status: 'orphaned' })
  })

  it('[ANC3] just above the threshold (6 of 7 words) it is re-found as edited, where it now reads differently', () => {
    const above = 'Parents plan meals, and half the ingredients is out of stock today.'
    expect(similarity(QUOTE, 'half the ingredients is out of stock')).toBeGreaterThanOrEqual(FUZZY_THRESHOLD)
    const { doc, anchor } = retypedDoc(above)
    expect(resolveAnchor(doc, anchor)).toMatchObject({
      status: 'edited',
      text: 'half the ingredients is out of stock',
    })
  })
})
