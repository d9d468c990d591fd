import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { kindOfHeading, outlineFromBlocks, readOutline } from '../../../shared/doc/outline'
import { PRFAQ_TEMPLATE } from '../../../shared/doc/template'
import { fixture } from './fixtures'

const outlineOf = (md: string) => outlineFromBlocks(parseMarkdown(md))

describe('readOutline', () => {
  it('[CHK1] maps every press-release part of the strong fixture', () => {
    const doc = new Y.Doc()
    importMarkdown(doc, fixture('pantry-plan-good'))
    const o = readOutline(doc)
    expect(Object.keys(o.parts).sort()).toEqual(
      [
        'headline',
        'subheadline',
        'dateline',
        'problem',
        'solution',
        'leaderQuote',
        'howItWorks',
        'customerQuote',
        'callToAction',
      ].sort(),
    )
    expect(o.parts.headline?.text).toMatch(/^PantryPlan: weeknight dinners/)
    expect(o.parts.subheadline?.text).toMatch(/^Busy parents get/)
    expect(o.parts.dateline?.text).toMatch(/^Portland, Oregon — March 3, 2027 — /)
    expect(o.externalFaq?.questions.map((q) => q.question)).toHaveLength(7)
    expect(o.externalFaq?.questions[0]).toMatchObject({
      question: 'How much does it cost?',
      answer: expect.stringMatching(/^\$4\.99 a month/),
    })
    expect(o.internalFaq?.questions).toHaveLength(7)
    expect(o.pressRelease.words).toBeGreaterThan(300)
    expect(o.pressRelease.words).toBeLessThan(550)
    expect(o.tbds).toEqual([])
  })

  it('[CHK1] lists sections with levels, word counts and stable ids', () => {
    const o = outlineOf(
      'Intro text.\n\n# Title\n\n## The problem\n\nOne two three.\n\n## The problem\n\nFour.',
    )
    expect(o.sections.map((s) => [s.id, s.level, s.words])).toEqual([
      ['preamble', 0, 2],
      ['title', 1, 0],
      ['the-problem', 2, 3],
      ['the-problem-2', 2, 1],
    ])
    expect(o.parts.problem?.sectionId).toBe('the-problem')
  })

  it('[CHK1] lists each TBD as an open risk with its section, quoting the question for bare answers', () => {
    const o = outline_weak()
    expect(o.tbds).toEqual([
      {
        sectionId: 'when-is-it-available',
        heading: 'When is it available?',
        text: 'When is it available? — TBD',
      },
      {
        sectionId: 'what-is-the-timeline',
        heading: 'What is the timeline?',
        text: 'What is the timeline? — TBD',
      },
    ])
    const two = outlineOf('## Pricing\n\nThe price is TBD. The launch city is TBD too, and tbd.')
    expect(two.tbds.map((t) => t.text)).toEqual([
      'The price is TBD.',
      'The launch city is TBD too, and tbd.',
      'The launch city is TBD too, and tbd.',
    ])
  })

  it('[CHK1] reads bold-question FAQs and heading-less quotes (the PRFAQ.md style)', () => {
    const md = `# Board: teams review faster

*Teams get one place to read and decide.*

**Seattle, 2026** — Teams start today.

"We used to lose an hour every review asking who had read it," said a facilitator at a SaaS company.

"Our plans start from the reader," said Dana Ortiz, founder of Board.

## External FAQ (customers)

**Who is it for?** Teams of 3–30.

**What does it cost?** Nothing.
It is open source.

## Internal FAQ (the team)

**Why Yjs?** Conflict-free editing.`
    const o = outlineOf(md)
    expect(o.parts.subheadline?.text).toBe('Teams get one place to read and decide.')
    expect(o.parts.dateline?.text).toMatch(/^Seattle, 2026 — /)
    expect(o.parts.customerQuote?.text).toMatch(/facilitator/)
    expect(o.parts.leaderQuote?.text).toMatch(/founder/)
    expect(o.externalFaq?.questions.map((q) => [q.question, q.answer])).toEqual([
      ['Who is it for?', 'Teams of 3–30.'],
      ['What does it cost?', 'Nothing. It is open source.'],
    ])
    expect(o.internalFaq?.questions.map((q) => q.question)).toEqual(['Why Yjs?'])
  })

  it.each([
    ['The problem', 'problem'],
    ['Customer pain', 'problem'],
    ['Our solution', 'solution'],
    ['Quote from a company leader', 'leaderQuote'],
    ['Founder quote', 'leaderQuote'],
    ['Quote from a customer', 'customerQuote'],
    ['How it works', 'howItWorks'],
    ['Call to action', 'callToAction'],
    ['Getting started', 'callToAction'],
    ['External FAQ', 'externalFaq'],
    ['Customer FAQ', 'externalFaq'],
    ['Frequently asked questions', 'externalFaq'],
    ['Internal FAQ', 'internalFaq'],
    ['Stakeholder questions', 'internalFaq'],
    ['PR/FAQ Board — the press release', undefined],
  ])('[CHK1] heading "%s" is recognised as %s', (heading, kind) => {
    expect(kindOfHeading(heading)).toBe(kind)
  })

  it('[CHK1] the template maps every part and both FAQs', () => {
    const o = outlineOf(PRFAQ_TEMPLATE)
    expect(Object.keys(o.parts)).toHaveLength(9)
    expect(o.externalFaq?.questions).toHaveLength(1)
    expect(o.internalFaq?.questions).toHaveLength(6)
  })
})

function outline_weak() {
  return outlineOf(fixture('insight-hub-weak'))
}
