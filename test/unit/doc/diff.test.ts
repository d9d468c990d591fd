import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffDocuments } from '../../../shared/doc/diff'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { diffWords, similarity } from '../../../shared/doc/wordDiff'
import { fixture } from './fixtures'

const v1 = `# Plan dinners

## The problem

Parents spend three hours a week planning meals.

## The solution

Five dinners every Sunday.

- ready for pickup
- no markup

## Old section

Going away.
`

const v2 = `# Plan dinners

## The problem

Working parents spend two to three hours a week planning meals.

## The answer

Five dinners every Sunday.

- ready for same-day pickup
- no markup
- allergy filters

## New section

Brand new text.
`

describe('diffWords', () => {
  it('[DIFF1] marks inserted and deleted words and keeps the rest', () => {
    expect(
      diffWords('Parents spend three hours a week', 'Working parents spend two to three hours a week'),
    ).toEqual([
      { op: 'delete', text: 'Parents ' },
      { op: 'insert', text: 'Working parents ' },
      { op: 'equal', text: 'spend ' },
      { op: 'insert', text: 'two to ' },
      { op: 'equal', text: 'three hours a week' },
    ])
    expect(diffWords('same text', 'same text')).toEqual([{ op: 'equal', text: 'same text' }])
    expect(similarity('a b c d', 'a b x d')).toBe(0.75)
  })
})

describe('diffDocuments', () => {
  const docOf = (md: string) => {
    const doc = new Y.Doc()
    importMarkdown(doc, md)
    return doc
  }

  it('[DIFF1] compares two rounds section by section', () => {
    const d = diffDocuments(Y.encodeStateAsUpdate(docOf(v1)), docOf(v2))
    expect(d.sections.map((s) => [s.heading, s.status])).toEqual([
      ['Plan dinners', 'unchanged'],
      ['The problem', 'changed'],
      ['The answer', 'changed'],
      ['Old section', 'removed'],
      ['New section', 'added'],
    ])
    const problem = d.sections[1]!
    expect(problem.units).toHaveLength(1)
    expect(problem.units[0]?.words.filter((w) => w.op !== 'equal')).toEqual([
      { op: 'delete', text: 'Parents ' },
      { op: 'insert', text: 'Working parents ' },
      { op: 'insert', text: 'two to ' },
    ])
    const solution = d.sections[2]!
    expect(solution.beforeHeading).toBe('The solution')
    expect(solution.headingWords).toEqual([
      { op: 'equal', text: 'The ' },
      { op: 'delete', text: 'solution' },
      { op: 'insert', text: 'answer' },
    ])
    expect(solution.units.map((u) => [u.kind, u.status])).toEqual([
      ['paragraph', 'unchanged'],
      ['listItem', 'changed'],
      ['listItem', 'unchanged'],
      ['listItem', 'added'],
    ])
    expect(d.changedSections).toBe(4)
    expect(d.inserted).toBeGreaterThan(0)
    expect(d.deleted).toBeGreaterThan(0)
  })

  it('[DIFF1] finds nothing changed between identical versions', () => {
    const md = fixture('pantry-plan-good')
    const d = diffDocuments(parseMarkdown(md), docOf(md))
    expect(d.changedSections).toBe(0)
    expect(d.inserted + d.deleted).toBe(0)
  })

  it('[DIFF1] pairs a rewritten paragraph and reports a replaced one as removed + added', () => {
    const d = diffDocuments(
      parseMarkdown('## A\n\nOne two three four five.\n\nCompletely different words here.'),
      parseMarkdown('## A\n\nOne two three four six.\n\nNothing alike at all now.'),
    )
    expect(d.sections[0]?.units.map((u) => u.status)).toEqual(['changed', 'added', 'removed'])
  })
})
