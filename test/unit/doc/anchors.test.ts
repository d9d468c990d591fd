import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  anchorFromOffsets,
  anchorFromQuote,
  anchorFromTextRange,
  decodeRelPos,
  encodeRelPos,
  resolveAnchor,
} from '../../../shared/doc/anchors'
import { readDocText } from '../../../shared/doc/docText'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { fixture } from './fixtures'

const MD = `# Plan dinners

## The problem

Parents spend three hours a week planning meals, and half the ingredients are out of stock.

## The solution

Five dinners every Sunday, ready for pickup.
`

function setup(md = MD) {
  const doc = new Y.Doc()
  importMarkdown(doc, md)
  return doc
}

/** The XmlText of the n-th top-level block. */
function textOf(doc: Y.Doc, block: number): Y.XmlText {
  const el = doc.getXmlFragment('prfaq').get(block) as Y.XmlElement
  return el.get(0) as Y.XmlText
}

describe('anchors', () => {
  it('[ANC1] encodes relative positions as base64 and back', () => {
    const doc = setup()
    const pos = Y.createRelativePositionFromTypeIndex(textOf(doc, 2), 5)
    const encoded = encodeRelPos(pos)
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const back = decodeRelPos(encoded)
    expect(back && Y.createAbsolutePositionFromRelativePosition(back, doc)?.index).toBe(5)
    expect(decodeRelPos('!!not base64')).toBeNull()
  })

  it('[ANC1] captures quote, prefix, suffix and section', () => {
    const doc = setup()
    const a = anchorFromTextRange(doc, textOf(doc, 2), 14, 25)
    expect(a.quote).toBe('three hours')
    expect(a.prefix.endsWith('Parents spend ')).toBe(true)
    expect(a.suffix.startsWith(' a week')).toBe(true)
    expect(a.section).toBe('The problem')
    expect(resolveAnchor(doc, a)).toMatchObject({ status: 'ok', text: 'three hours', section: 'The problem' })
  })

  it('[ANC2] stays ok through edits before and after the passage, without growing', () => {
    const doc = setup()
    const t = textOf(doc, 2)
    const a = anchorFromTextRange(doc, t, 14, 25)
    t.insert(0, 'Working ') // before, same paragraph
    t.insert(t.length, ' Every week.') // after
    const quoteEnd = xmlString(t).indexOf('three hours') + 'three hours'.length
    t.insert(quoteEnd, '!!') // right after the quote
    t.insert(xmlString(t).indexOf('three hours'), '>>') // right before the quote
    textOf(doc, 1).insert(0, 'Big ') // another block before
    expect(resolveAnchor(doc, a)).toMatchObject({ status: 'ok', text: 'three hours' })
  })

  it('[ANC2] reports edited when the text inside the passage changes', () => {
    const doc = setup()
    const t = textOf(doc, 2)
    const a = anchorFromTextRange(doc, t, 14, 25)
    t.delete(14, 5) // "three"
    t.insert(14, 'two to three')
    const r = resolveAnchor(doc, a)
    expect(r).toMatchObject({ status: 'edited', text: 'two to three hours' })
    expect(r.moved).toBeUndefined()
  })

  it('[ANC2] reports orphaned when the passage is deleted and nothing close remains', () => {
    const doc = setup()
    const t = textOf(doc, 2)
    const a = anchorFromTextRange(doc, t, 14, 25)
    t.delete(0, t.length)
    t.insert(0, 'Something else entirely.')
    expect(resolveAnchor(doc, a).status).toBe('orphaned')
    const b = anchorFromQuote(doc, 'Five dinners every Sunday')!
    const fragment = doc.getXmlFragment('prfaq')
    fragment.delete(4, 1) // the whole paragraph
    expect(resolveAnchor(doc, b)).toEqual({ status: 'orphaned' })
  })

  it('[ANC3] re-finds a quote moved to another paragraph and re-anchors it', () => {
    const doc = setup()
    const a = anchorFromQuote(doc, 'half the ingredients are out of stock')!
    const t = textOf(doc, 2)
    const at = xmlString(t).indexOf(', and half')
    t.delete(at, t.length - at)
    t.insert(at, '.')
    textOf(doc, 4).insert(textOf(doc, 4).length, ' Today half the ingredients are out of stock.')
    const r = resolveAnchor(doc, a)
    expect(r).toMatchObject({
      status: 'edited',
      moved: true,
      text: 'half the ingredients are out of stock',
      section: 'The solution',
    })
    expect(r.reanchored && resolveAnchor(doc, r.reanchored).status).toBe('ok')
  })

  it('[ANC3] re-finds a retyped passage with other case and spacing, or ≥ 80 % of its words', () => {
    const doc = setup()
    const a = anchorFromQuote(doc, 'half the ingredients are out of stock')!
    const fragment = doc.getXmlFragment('prfaq')
    doc.transact(() => {
      fragment.delete(2, 1)
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Parents plan meals, and Half the  ingredients are out of stock.')])
      fragment.insert(2, [p])
    })
    expect(resolveAnchor(doc, a)).toMatchObject({
      status: 'edited',
      text: 'Half the  ingredients are out of stock',
    })

    const b = anchorFromQuote(doc, 'Five dinners every Sunday, ready for pickup')!
    doc.transact(() => {
      fragment.delete(4, 1)
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('We send five dinners every Sunday, all ready for pickup.')])
      fragment.insert(4, [p])
    })
    expect(resolveAnchor(doc, b)).toMatchObject({
      status: 'edited',
      text: 'five dinners every Sunday, all ready for pickup',
    })
  })

  it('[ANC3] uses prefix and suffix to pick the right one of repeated passages', () => {
    const doc = setup(
      'First: the same words here.\n\nSecond: the same words here.\n\nThird: the same words here.',
    )
    const a = anchorFromQuote(doc, 'the same words here', 1)!
    expect(a.prefix).toContain('Second: ')
    const t = textOf(doc, 1)
    t.delete(0, t.length)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('Second: the same words here.')])
    doc.getXmlFragment('prfaq').insert(3, [p]) // retyped after "Third"
    const r = resolveAnchor(doc, a)
    const dt = readDocText(doc)
    expect(r.status).toBe('edited')
    expect(dt.text.slice(0, r.from)).toMatch(/Second: $/)
  })

  it('[ANC4] resolves a range across two paragraphs', () => {
    const doc = setup(fixture('pantry-plan-good'))
    const dt = readDocText(doc)
    const from = dt.text.indexOf('planning is the hard part')
    const to = dt.text.indexOf('The solution') + 'The solution'.length
    const a = anchorFromOffsets(doc, from, to)!
    expect(a.quote).toBe('planning is the hard part".\nThe solution')
    expect(a.section).toBe('The problem')
    expect(resolveAnchor(doc, a)).toMatchObject({ status: 'ok', section: 'The problem' })
    const heading = textOf(doc, 5)
    heading.insert(4, 'new ')
    expect(resolveAnchor(doc, a)).toMatchObject({
      status: 'edited',
      text: 'planning is the hard part".\nThe new solution',
    })
    heading.insert(0, 'Before: ') // the start of the second block is inside the passage
    expect(resolveAnchor(doc, a).text).toBe('planning is the hard part".\nBefore: The new solution')
  })
})

function xmlString(t: Y.XmlText): string {
  return (t.toDelta() as Array<{ insert: string }>).map((d) => d.insert).join('')
}
