import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { parseInline } from '../../../shared/doc/markdown'
import { exportMarkdown } from '../../../shared/doc/exportMarkdown'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { readBlocks } from '../../../shared/doc/yjsBlocks'
import { fixture, SAMPLE } from './fixtures'

describe('Markdown → blocks', () => {
  it('[MD1] reads headings, paragraphs, lists, quotes, rules and code', () => {
    const blocks = parseMarkdown(SAMPLE)
    expect(blocks.map((b) => b.type)).toEqual([
      'heading',
      'heading',
      'paragraph',
      'paragraph',
      'bulletList',
      'orderedList',
      'blockquote',
      'horizontalRule',
      'codeBlock',
      'paragraph',
    ])
    const list = blocks[4]
    expect(list?.type === 'bulletList' && list.items.length).toBe(3)
    expect(list?.type === 'bulletList' && list.items[1]?.[1]?.type).toBe('bulletList')
    const ordered = blocks[5]
    expect(ordered?.type === 'orderedList' && ordered.start).toBe(3)
    expect(ordered?.type === 'orderedList' && ordered.items[1]?.[1]?.type).toBe('orderedList')
    const quote = blocks[6]
    expect(quote?.type === 'blockquote' && quote.children.map((c) => c.type)).toEqual([
      'paragraph',
      'bulletList',
    ])
  })

  it('[MD1] reads inline marks, links and hard breaks', () => {
    expect(parseInline('a **b** *c* `d` ~~e~~')).toEqual([
      { text: 'a ' },
      { text: 'b', marks: { bold: true } },
      { text: ' ' },
      { text: 'c', marks: { italic: true } },
      { text: ' ' },
      { text: 'd', marks: { code: true } },
      { text: ' ' },
      { text: 'e', marks: { strike: true } },
    ])
    expect(parseInline('**bold *both***')).toEqual([
      { text: 'bold ', marks: { bold: true } },
      { text: 'both', marks: { bold: true, italic: true } },
    ])
    expect(parseInline('see [the **site**](https://x.org/a "T") now')).toEqual([
      { text: 'see ' },
      { text: 'the ', marks: { link: { href: 'https://x.org/a', title: 'T' } } },
      { text: 'site', marks: { link: { href: 'https://x.org/a', title: 'T' }, bold: true } },
      { text: ' now' },
    ])
    expect(parseInline('snake_case_name, 2 * 3, a \\*literal\\*')).toEqual([
      { text: 'snake_case_name, 2 * 3, a *literal*' },
    ])
    const para = parseMarkdown('one\\\ntwo  \nthree\nfour')[0]
    expect(para).toEqual({
      type: 'paragraph',
      content: [
        { text: 'one' },
        { hardBreak: true },
        { text: 'two' },
        { hardBreak: true },
        { text: 'three four' },
      ],
    })
  })

  it('[MD1] reads setext headings', () => {
    expect(parseMarkdown('Title\n=====\n\nSub\n---\n\nText\n\n---')).toEqual([
      { type: 'heading', level: 1, content: [{ text: 'Title' }] },
      { type: 'heading', level: 2, content: [{ text: 'Sub' }] },
      { type: 'paragraph', content: [{ text: 'Text' }] },
      { type: 'horizontalRule' },
    ])
  })

  it('[MD1] keeps a heading directly followed by its answer as heading + paragraph', () => {
    const blocks = parseMarkdown('### How much does it cost?\n$4.99 a month after a free first month.')
    expect(blocks).toEqual([
      { type: 'heading', level: 3, content: [{ text: 'How much does it cost?' }] },
      { type: 'paragraph', content: [{ text: '$4.99 a month after a free first month.' }] },
    ])
  })

  it('[MD1] reads the dateline of the strong fixture with its bold place and date', () => {
    const blocks = parseMarkdown(fixture('pantry-plan-good'))
    const dateline = blocks[2]
    expect(dateline?.type).toBe('paragraph')
    expect(dateline?.type === 'paragraph' && dateline.content[0]).toEqual({
      text: 'Portland, Oregon — March 3, 2027',
      marks: { bold: true },
    })
  })
})

describe('Markdown round trip', () => {
  it.each([
    ['strong fixture', fixture('pantry-plan-good')],
    ['weak fixture', fixture('insight-hub-weak')],
    ['crafted sample', SAMPLE],
  ])('[MD2] %s survives Markdown → Yjs → Markdown → Yjs unchanged', (_name, md) => {
    const doc = new Y.Doc()
    importMarkdown(doc, md)
    const first = readBlocks(doc)
    expect(first).toEqual(parseMarkdown(md))
    const exported = exportMarkdown(doc)
    const doc2 = new Y.Doc()
    importMarkdown(doc2, exported)
    expect(readBlocks(doc2)).toEqual(first)
    expect(exportMarkdown(doc2)).toBe(exported)
  })

  it('[MD2] exports the strong fixture as readable Markdown', () => {
    const out = exportMarkdown(parseMarkdown(fixture('pantry-plan-good')))
    expect(out).toContain('# PantryPlan: weeknight dinners')
    expect(out).toContain('**Portland, Oregon — March 3, 2027** — PantryPlan')
    expect(out).toContain('### How much does it cost?\n\n$4.99 a month')
    expect(out).not.toContain('\\') // nothing in it needed escaping
  })

  it('[MD2] escapes text that would otherwise turn into markup', () => {
    const blocks = [
      { type: 'paragraph' as const, content: [{ text: '# not a heading *nor* [a](link) 1. x' }] },
      { type: 'paragraph' as const, content: [{ text: '1. not a list' }] },
      {
        type: 'paragraph' as const,
        content: [{ text: 'bold ', marks: { bold: true as const } }, { text: 'after' }],
      },
    ]
    const md = exportMarkdown(blocks)
    expect(parseMarkdown(md)).toEqual([
      { type: 'paragraph', content: [{ text: '# not a heading *nor* [a](link) 1. x' }] },
      { type: 'paragraph', content: [{ text: '1. not a list' }] },
      { type: 'paragraph', content: [{ text: 'bold', marks: { bold: true } }, { text: ' after' }] },
    ])
  })
})
