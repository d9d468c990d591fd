import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffDocuments } from '../../../shared/doc/diff'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { countWords } from '../../../shared/doc/text'
import { countChanges, diffWords, similarity, tokens } from '../../../shared/doc/wordDiff'
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

  it('[DIFF1] marks punctuation apart from the word it follows', () => {
    expect(diffWords('supply chains.', 'supply chains, refreshed')).toEqual([
      { op: 'equal', text: 'supply chains' },
      { op: 'delete', text: '.' },
      { op: 'insert', text: ', refreshed' },
    ])
    expect(diffWords('Fresh (local) food!', 'Fresh local food.')).toEqual([
      { op: 'equal', text: 'Fresh ' },
      { op: 'delete', text: '(' },
      { op: 'equal', text: 'local ' },
      { op: 'delete', text: ') ' },
      { op: 'equal', text: 'food' },
      { op: 'delete', text: '!' },
      { op: 'insert', text: '.' },
    ])
    // A changed word keeps its punctuation unmarked.
    expect(diffWords('It costs $5, weekly.', 'It costs $7, weekly.')).toEqual([
      { op: 'equal', text: 'It costs $' },
      { op: 'delete', text: '5' },
      { op: 'insert', text: '7' },
      { op: 'equal', text: ', weekly.' },
    ])
  })

  it('[DIFF1] keeps the text as written: the equal and inserted parts spell the newer version', () => {
    const before = 'Parents  spend three hours — a week,\nplanning meals.'
    const after = "Working parents spend 2.5 hours — a week,\n planning same-day meals; don't they?"
    const changes = diffWords(before, after)
    expect(
      changes
        .filter((c) => c.op !== 'delete')
        .map((c) => c.text)
        .join(''),
    ).toBe(after)
    expect(
      changes
        .filter((c) => c.op !== 'insert')
        .map((c) => c.text)
        .join('')
        .replace(/\s+/g, ''),
    ).toBe(before.replace(/\s+/g, ''))
    expect(tokens(after).join('')).toBe(after)
    expect(tokens(after).map((t) => t.trimEnd())).toContain('same-day')
    expect(tokens(after).map((t) => t.trimEnd())).toContain("don't")
    expect(tokens(after).map((t) => t.trimEnd())).toContain('2.5')
  })

  it('[DIFF1] counts words, not punctuation', () => {
    expect(countWords('Hello, world — again!')).toBe(3)
    expect(countChanges(diffWords('supply chains.', 'supply chains, refreshed'))).toEqual({
      inserted: 1,
      deleted: 0,
    })
    expect(similarity('One, two, three.', 'One; two; three!')).toBe(1)
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
