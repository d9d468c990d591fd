import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import type { Block } from '../../../shared/doc/blocks'
import { blocksToPmJson } from '../../../shared/doc/pmBlocks'
import { documentSchema } from '../../../shared/doc/schema'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { readBlocks } from '../../../shared/doc/yjsBlocks'
import { PRFAQ_TEMPLATE } from '../../../shared/doc/template'
import { fixture, SAMPLE } from './fixtures'

/** Blocks → ProseMirror JSON, the way the editor would hold the same document. */
const toPmJson = (blocks: Block[]) => blocksToPmJson(blocks)

/** Every element, attribute and formatted text delta, in document order. */
function structure(fragment: Y.XmlFragment | Y.XmlElement): unknown[] {
  return fragment
    .toArray()
    .map((child) =>
      child instanceof Y.XmlText
        ? { text: child.toDelta() }
        : child instanceof Y.XmlElement
          ? { name: child.nodeName, attrs: child.getAttributes(), children: structure(child) }
          : { other: String(child) },
    )
}

describe('Yjs writer matches the editor (y-tiptap + the document schema)', () => {
  const schema = documentSchema

  it.each([
    ['crafted sample', SAMPLE],
    ['strong fixture', fixture('pantry-plan-good')],
    ['weak fixture', fixture('insight-hub-weak')],
    ['template', PRFAQ_TEMPLATE],
    [
      'tables, task lists, images and code',
      '| A | B |\n|---|---|\n| 1 | **2** |\n|  | x |\n\n- [ ] open\n- [x] done\n  - [ ] nested\n\n![a chart](https://x.org/c.png)\n\n```ts\nconst a = 1\n```\n\n- \n  - only nested',
    ],
  ])('[MD3] %s: importMarkdown writes exactly what y-tiptap writes for the same document', (_n, md) => {
    const ours = new Y.Doc()
    importMarkdown(ours, md)
    const theirs = new Y.Doc()
    prosemirrorJSONToYXmlFragment(schema, toPmJson(parseMarkdown(md)), theirs.getXmlFragment('prfaq'))
    expect(structure(ours.getXmlFragment('prfaq'))).toEqual(structure(theirs.getXmlFragment('prfaq')))
    expect(yXmlFragmentToProsemirrorJSON(ours.getXmlFragment('prfaq'))).toEqual(
      yXmlFragmentToProsemirrorJSON(theirs.getXmlFragment('prfaq')),
    )
  })

  it('[MD3] reads back what y-tiptap wrote from editor JSON (marks, links, hard breaks)', () => {
    const doc = new Y.Doc()
    const json = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Hi' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b', marks: [{ type: 'bold' }, { type: 'italic' }] },
            { type: 'hardBreak' },
            { type: 'text', text: 'l', marks: [{ type: 'link', attrs: { href: 'https://x' } }] },
          ],
        },
        { type: 'paragraph' },
      ],
    }
    prosemirrorJSONToYXmlFragment(schema, json, doc.getXmlFragment('prfaq'))
    expect(readBlocks(doc)).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Hi' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'a' },
          { text: 'b', marks: { bold: true, italic: true } },
          { hardBreak: true },
          { text: 'l', marks: { link: { href: 'https://x' } } },
        ],
      },
      { type: 'paragraph', content: [] },
    ])
  })
})
