import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Block } from '../../../shared/doc/blocks'
import { runChecks } from '../../../shared/doc/checks'
import { exportMarkdown } from '../../../shared/doc/exportMarkdown'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { outlineFromBlocks, readOutline, type Outline } from '../../../shared/doc/outline'
import { readBlocks } from '../../../shared/doc/yjsBlocks'

/**
 * MD2/MD7: import → export → import gives the same document, on the shared examples and on a
 * corpus of realistic PR/FAQs with tables, task lists, nested lists, links, images and code;
 * the outline and the checks read the same before and after the round trip.
 */
const dir = (rel: string) => fileURLToPath(new URL(rel, import.meta.url))
const FIXTURES: Array<[string, string]> = [
  ...['pantry-plan-good.md', 'insight-hub-weak.md'].map((f): [string, string] => [
    f,
    readFileSync(dir(`../../fixtures/${f}`), 'utf8'),
  ]),
  ...readdirSync(dir('../../fixtures/markdown/')).map((f): [string, string] => [
    `markdown/${f}`,
    readFileSync(dir(`../../fixtures/markdown/${f}`), 'utf8'),
  ]),
]

function imported(markdown: string): Y.Doc {
  const doc = new Y.Doc()
  importMarkdown(doc, markdown)
  return doc
}

/** What a reader of the outline sees: sections, parts, FAQs, risks and counts. */
function outlineView(o: Outline) {
  return {
    sections: o.sections.map((s) => ({
      id: s.id,
      heading: s.heading,
      level: s.level,
      kind: s.kind,
      words: s.words,
    })),
    parts: o.parts,
    pressWords: o.pressRelease.words,
    externalFaq: o.externalFaq?.questions.map((q) => q.question),
    internalFaq: o.internalFaq?.questions.map((q) => q.question),
    tbds: o.tbds,
    words: o.words,
  }
}

function kinds(blocks: Block[]): Set<string> {
  const out = new Set<string>()
  const walk = (bs: Block[]) =>
    bs.forEach((b) => {
      out.add(b.type)
      if (b.type === 'bulletList' || b.type === 'orderedList') b.items.forEach(walk)
      if (b.type === 'taskList') b.items.forEach((i) => walk(i.content))
      if (b.type === 'blockquote') walk(b.children)
      if (b.type === 'table') b.rows.forEach((r) => r.forEach((c) => walk(c.content)))
    })
  walk(blocks)
  return out
}

describe('[MD2][MD7] round trip on the examples and a corpus of PR/FAQs', () => {
  it('[MD7] the corpus holds what real PR/FAQs contain', () => {
    const all = new Set(FIXTURES.flatMap(([, md]) => [...kinds(parseMarkdown(md))]))
    for (const k of [
      'table',
      'taskList',
      'bulletList',
      'orderedList',
      'blockquote',
      'codeBlock',
      'horizontalRule',
    ])
      expect(all, k).toContain(k)
    const md = FIXTURES.map(([, m]) => m).join('\n')
    expect(md).toMatch(/!\[[^\]]*\]\(/) // an image
    expect(md).toMatch(/\n {2,3}- /) // a nested list
  })

  it.each(FIXTURES)('[MD2][MD7] %s: import → export → import is the same document', (_name, markdown) => {
    const first = imported(markdown)
    const before = readBlocks(first)
    expect(before).toEqual(parseMarkdown(markdown))
    const exported = exportMarkdown(first)
    const second = imported(exported)
    expect(readBlocks(second)).toEqual(before)
    // And export is stable from then on.
    expect(exportMarkdown(second)).toBe(exported)
  })

  it.each(FIXTURES)(
    '[MD7][CHK1][CHK2] %s: outline and checks read the same after the round trip',
    (_name, markdown) => {
      const blocks = parseMarkdown(markdown)
      const after = imported(exportMarkdown(imported(markdown)))
      const o1 = outlineFromBlocks(blocks)
      const o2 = readOutline(after)
      expect(outlineView(o2)).toEqual(outlineView(o1))
      expect(runChecks(o2)).toEqual(runChecks(o1))
    },
  )

  it('[MD7] tables, tasks, code, links and images keep their content through the round trip', () => {
    const md = FIXTURES.find(([n]) => n.includes('shelfsense'))![1]
    const out = exportMarkdown(imported(md))
    expect(out).toContain('| Whole milk, 1 gal | 34 | 61 | 36 |')
    expect(out).toContain('[setup guide](https://example.com/shelfsense/setup "Setup guide")')
    // An image reads as a link to it, its alt text as the link's text.
    expect(out).toContain('[the morning list](https://example.com/img/list.png)')
    const tasks = exportMarkdown(imported(FIXTURES.find(([n]) => n.includes('launchpad'))![1]))
    expect(tasks).toContain('- [x] Laptop set up and repository cloned\n')
    expect(tasks).toContain('  - [ ] Pair with the on-call engineer for one shift\n')
    expect(tasks).toContain('```yaml\nlaunchpad:\n  team: payments\n')
  })
})
