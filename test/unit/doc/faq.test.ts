import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendFaqAnswer, faqSectionFor } from '../../../shared/doc/faq'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { exportMarkdown } from '../../../shared/doc/exportMarkdown'
import { readOutline } from '../../../shared/doc/outline'
import { readBlocks } from '../../../shared/doc/yjsBlocks'
import { PRFAQ_TEMPLATE } from '../../../shared/doc/template'
import { fixture } from './fixtures'

function docOf(md: string) {
  const doc = new Y.Doc()
  importMarkdown(doc, md)
  return doc
}

describe('appendFaqAnswer', () => {
  it('[FAQ1] adds exactly one question and one answer at the end of the external FAQ', () => {
    const doc = docOf(fixture('pantry-plan-good'))
    const before = readOutline(doc)
    const blocksBefore = readBlocks(doc).length
    const r = appendFaqAnswer(doc, {
      question: 'Does it work offline?',
      answer: 'Plans are saved on the phone.',
    })
    expect(r).toMatchObject({ section: 'external', created: false })
    const after = readOutline(doc)
    expect(readBlocks(doc).length).toBe(blocksBefore + 2)
    expect(after.externalFaq!.questions.length).toBe(before.externalFaq!.questions.length + 1)
    expect(after.internalFaq!.questions.length).toBe(before.internalFaq!.questions.length)
    expect(after.externalFaq!.questions.at(-1)).toMatchObject({
      question: 'Does it work offline?',
      answer: 'Plans are saved on the phone.',
    })
    // As the document's own style: an H3 under the H2 FAQ heading, right before the Internal FAQ.
    expect(exportMarkdown(doc)).toContain(
      'In-app chat from 7 a.m. to 9 p.m. Pacific, seven days a week.\n\n### Does it work offline?\n\nPlans are saved on the phone.\n\n## Internal FAQ',
    )
  })

  it('[FAQ1] sends internal questions to the internal FAQ, at its end', () => {
    const doc = docOf(fixture('pantry-plan-good'))
    const r = appendFaqAnswer(doc, { question: 'What are the biggest risks?', answer: 'Feed accuracy.' })
    expect(r.section).toBe('internal')
    expect(readOutline(doc).internalFaq!.questions.at(-1)?.question).toBe('What are the biggest risks?')
    expect(exportMarkdown(doc).endsWith('### What are the biggest risks?\n\nFeed accuracy.\n')).toBe(true)
  })

  it('[FAQ1] honours an explicit section and keeps answers as plain text', () => {
    const doc = docOf(PRFAQ_TEMPLATE)
    appendFaqAnswer(doc, {
      question: 'Is it **free**?',
      answer: '1. Yes\n\nTwo *paragraphs*.',
      section: 'external',
    })
    const q = readOutline(doc).externalFaq!.questions.at(-1)
    expect(q?.question).toBe('Is it **free**?')
    expect(q?.answer).toBe('1. Yes\nTwo *paragraphs*.')
  })

  it('[FAQ1] creates a missing FAQ section in the right place', () => {
    const doc = docOf('# Title\n\n## The problem\n\nText.\n\n## Internal FAQ\n\n### Is it feasible?\n\nYes.')
    const r = appendFaqAnswer(doc, { question: 'When can I buy it?', answer: 'In May.' })
    expect(r).toMatchObject({ section: 'external', created: true })
    expect(exportMarkdown(doc)).toContain(
      'Text.\n\n## External FAQ\n\n### When can I buy it?\n\nIn May.\n\n## Internal FAQ',
    )
    const doc2 = docOf('# Title\n\nText.')
    appendFaqAnswer(doc2, { question: 'Will legal approve?', answer: 'Counsel reviewed it.' })
    expect(exportMarkdown(doc2)).toBe(
      '# Title\n\nText.\n\n## Internal FAQ\n\n### Will legal approve?\n\nCounsel reviewed it.\n',
    )
  })

  it('[FAQ1] follows a FAQ written as bold questions', () => {
    const doc = docOf(
      '# T\n\n## External FAQ\n\n**Who is it for?** Teams.\n\n## Internal FAQ\n\n**Why?** Because.',
    )
    appendFaqAnswer(doc, { question: 'Is it free?', answer: 'Yes, open source.' })
    expect(exportMarkdown(doc)).toContain(
      '**Who is it for?** Teams.\n\n**Is it free?** Yes, open source.\n\n## Internal FAQ',
    )
  })

  it('[FAQ1] is one update for connected editors', () => {
    const doc = docOf(fixture('pantry-plan-good'))
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    appendFaqAnswer(doc, { question: 'Q?', answer: 'A.' }, 'server')
    expect(updates).toHaveLength(1)
    const other = docOf('')
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    expect(readOutline(other).externalFaq!.questions.at(-1)?.question).toBe('Q?')
  })

  it.each([
    ['How much does it cost?', 'external'],
    ['When is it available?', 'external'],
    ['Is my data safe?', 'external'],
    ['What will it cost us to build?', 'internal'],
    ['Is it technically feasible?', 'internal'],
    ['What is the timeline?', 'internal'],
    ['What are the legal risks?', 'internal'],
    ['How will competitors respond?', 'internal'],
  ])('[FAQ1] "%s" goes to the %s FAQ', (q, section) => {
    expect(faqSectionFor(q)).toBe(section)
  })
})
