import * as Y from 'yjs'
import { readInline, FRAGMENT } from './yjsBlocks'
import { inlineText } from './blocks'
import { kindOfHeading } from './outline'
import { findWords } from './checkWords'

export type FaqSection = 'external' | 'internal'

export interface FaqEntry {
  question: string
  answer: string
  /** Which FAQ; by default guessed from the question's words (`faqSectionFor`). */
  section?: FaqSection
}

export interface FaqAppended {
  section: FaqSection
  /** Whether the FAQ heading had to be created. */
  created: boolean
  /** Index in the `prfaq` fragment of the new question block. */
  index: number
}

const INTERNAL_WORDS = [
  'feasib',
  'technical',
  'technolog',
  'architecture',
  'timeline',
  'schedule',
  'milestone',
  'roadmap',
  'legal',
  'complian',
  'regulat',
  'liabil',
  'contract',
  'compet',
  'risk',
  'cannibal',
  'budget',
  'invest',
  'margin',
  'revenue',
  'break even',
  'breaks even',
  'p&l',
  'headcount',
  'hire',
  'hiring',
  'staff',
  'engineer',
  'dependenc',
  'why now',
  'opportunity cost',
  'capabilit',
]
/** Cost asked by the team ("what will it cost us to build") rather than the price a customer pays. */
const COST_WORDS = ['cost', 'spend', 'price']
const OURS = ['we ', 'us', 'our', 'build', 'run ', 'running', 'operate']

/** External unless the question is about internal topics (cost to us, feasibility, timeline, legal…). */
export function faqSectionFor(question: string): FaqSection {
  if (findWords(question, INTERNAL_WORDS).length) return 'internal'
  if (findWords(question, COST_WORDS).length && findWords(question, OURS).length) return 'internal'
  return 'external'
}

interface HeadingInfo {
  index: number
  level: number
  text: string
}

function headingsOf(fragment: Y.XmlFragment): HeadingInfo[] {
  const out: HeadingInfo[] = []
  fragment.toArray().forEach((el, index) => {
    if (el instanceof Y.XmlElement && el.nodeName === 'heading') {
      out.push({
        index,
        level: Number(el.getAttribute('level')) || 1,
        text: inlineText(readInline(el)).trim(),
      })
    }
  })
  return out
}

/**
 * Adds one question and its answer at the end of the right FAQ, in the document's own style:
 * a heading one level below the FAQ heading (or a bold-question paragraph, if that FAQ is
 * written that way) and the answer as paragraphs. Creates the FAQ heading when it is missing.
 * One transaction, so editors receive it as one update; `origin` tags it (e.g. the server).
 */
export function appendFaqAnswer(doc: Y.Doc, entry: FaqEntry, origin?: unknown): FaqAppended {
  const section = entry.section ?? faqSectionFor(entry.question)
  const kind = section === 'external' ? 'externalFaq' : 'internalFaq'
  const fragment = doc.getXmlFragment(FRAGMENT)
  let result: FaqAppended = { section, created: false, index: 0 }
  doc.transact(() => {
    const headings = headingsOf(fragment)
    let faq = headings.find((h) => kindOfHeading(h.text) === kind)
    let created = false
    if (!faq) {
      const other = headings.find(
        (h) => kindOfHeading(h.text) === (kind === 'externalFaq' ? 'internalFaq' : 'externalFaq'),
      )
      const level = other?.level ?? 2
      // The external FAQ comes before the internal one; the internal one goes last.
      const index = kind === 'externalFaq' && other ? other.index : fragment.length
      fragment.insert(index, [heading(level, section === 'external' ? 'External FAQ' : 'Internal FAQ')])
      faq = { index, level, text: '' }
      created = true
    }
    const after = headingsOf(fragment).filter((h) => h.index > faq.index)
    const end = after.find((h) => h.level <= faq.level)?.index ?? fragment.length
    const questions = after.filter((h) => h.index < end && h.level > faq.level)
    const boldStyle = !questions.length && usesBoldQuestions(fragment, faq.index + 1, end)
    const blocks = boldStyle
      ? [boldQuestion(entry.question.trim(), entry.answer)]
      : [
          heading(questions[0]?.level ?? Math.min(6, faq.level + 1), entry.question.trim()),
          ...answerBlocks(entry.answer),
        ]
    fragment.insert(end, blocks)
    result = { section, created, index: end }
  }, origin)
  return result
}

function heading(level: number, text: string): Y.XmlElement {
  const el = new Y.XmlElement<{ [key: string]: number }>('heading')
  el.setAttribute('level', level)
  if (text) el.insert(0, [new Y.XmlText(text)])
  return el as unknown as Y.XmlElement
}

/** Plain text answer → paragraphs (blank lines) with hard breaks (single newlines). Never Markdown. */
function answerBlocks(answer: string): Y.XmlElement[] {
  const paras = answer
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  return (paras.length ? paras : ['']).map((p) => {
    const el = new Y.XmlElement('paragraph')
    el.insert(0, linesWithBreaks(p))
    return el
  })
}

function linesWithBreaks(text: string): Array<Y.XmlText | Y.XmlElement> {
  const out: Array<Y.XmlText | Y.XmlElement> = []
  text.split('\n').forEach((line, k) => {
    if (k > 0) out.push(new Y.XmlElement('hardBreak'))
    if (line) out.push(new Y.XmlText(line))
  })
  return out
}

function boldQuestion(question: string, answer: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  const rest = answer.replace(/\s+/g, ' ').trim()
  text.applyDelta([{ insert: question, attributes: { bold: {} } }, ...(rest ? [{ insert: ' ' + rest }] : [])])
  el.insert(0, [text])
  return el
}

function usesBoldQuestions(fragment: Y.XmlFragment, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const el = fragment.get(k)
    if (!(el instanceof Y.XmlElement) || el.nodeName !== 'paragraph') continue
    const first = readInline(el)[0]
    if (first && 'text' in first && first.marks?.bold && first.text.trim().endsWith('?')) return true
  }
  return false
}
