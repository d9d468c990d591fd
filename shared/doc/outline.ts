import type * as Y from 'yjs'
import { blockText, inlineText, isHardBreak, type Block } from './blocks'
import { countWords, normalize, sentences, slug } from './text'
import { readBlocks } from './yjsBlocks'

export const PRESS_PARTS = [
  'headline',
  'subheadline',
  'dateline',
  'problem',
  'solution',
  'leaderQuote',
  'howItWorks',
  'customerQuote',
  'callToAction',
] as const
export type PressPart = (typeof PRESS_PARTS)[number]
export type SectionKind = PressPart | 'externalFaq' | 'internalFaq'

export interface Section {
  /** Slug of the heading, unique within the document (`the-problem`, `the-problem-2`). */
  id: string
  /** Heading text; '' for text before the first heading. */
  heading: string
  /** Heading level 1–6; 0 for text before the first heading. */
  level: number
  kind?: SectionKind
  /** Body blocks, up to the next heading of any level. */
  blocks: Block[]
  /** Plain text of the body, paragraphs separated by newlines. */
  text: string
  words: number
  /** Index of the section's heading among the document's top-level blocks (-1 for the preamble). */
  blockIndex: number
}

export interface FaqQuestion {
  question: string
  answer: string
  words: number
  /** Id of the section the question is in (its own heading, or the FAQ section for bold questions). */
  sectionId: string
}

export interface Faq {
  sectionId: string
  heading: string
  questions: FaqQuestion[]
  /** All text of the FAQ, its questions included. */
  text: string
}

export interface PartRef {
  sectionId: string
  text: string
}

export interface OpenRisk {
  sectionId: string
  heading: string
  /** The sentence holding the TBD (with its question when the answer is just "TBD"). */
  text: string
}

export interface Outline {
  sections: Section[]
  parts: Partial<Record<PressPart, PartRef>>
  /** Everything before the first FAQ heading, headline included. */
  pressRelease: { text: string; words: number; sectionIds: string[] }
  externalFaq: Faq | null
  internalFaq: Faq | null
  tbds: OpenRisk[]
  words: number
}

export function readOutline(doc: Y.Doc | Y.XmlFragment): Outline {
  return outlineFromBlocks(readBlocks(doc))
}

/** Recognises a section from its heading's words (the template's and the usual variants). */
export function kindOfHeading(heading: string): SectionKind | undefined {
  const h = normalize(heading)
  // "PR/FAQ" names the whole document, not its FAQ.
  if (/(^|[^/\w])faqs?\b|frequently asked|questions/.test(h)) {
    return /internal|stakeholder|team|business|company/.test(h) ? 'internalFaq' : 'externalFaq'
  }
  if (/\bquote|testimonial|\bsaid\b/.test(h)) {
    return /leader|company|executive|ceo|founder|spokes|internal|management|vp\b/.test(h)
      ? 'leaderQuote'
      : 'customerQuote'
  }
  if (/call to action|get(ting)? started|how to (get|buy|sign|try)|availability/.test(h))
    return 'callToAction'
  if (/how (it|this|the \w+) works?|how does it work|how to use/.test(h)) return 'howItWorks'
  if (/problem|pain|challenge/.test(h)) return 'problem'
  if (/solution/.test(h)) return 'solution'
  if (/^(sub-?headline|sub-?heading|summary)\b/.test(h)) return 'subheadline'
  if (/^headline\b/.test(h)) return 'headline'
  if (/^dateline\b/.test(h)) return 'dateline'
  return undefined
}

export function outlineFromBlocks(blocks: Block[]): Outline {
  const sections = splitSections(blocks)
  const parts: Partial<Record<PressPart, PartRef>> = {}
  const faqIndex = sections.findIndex((s) => s.kind === 'externalFaq' || s.kind === 'internalFaq')
  const press = faqIndex < 0 ? sections : sections.slice(0, faqIndex)

  for (const s of press) {
    if (s.kind && s.kind !== 'externalFaq' && s.kind !== 'internalFaq' && !parts[s.kind] && s.level > 0) {
      parts[s.kind] = { sectionId: s.id, text: s.text }
    }
  }
  findHeadlines(press, parts)
  findDateline(press, parts)
  findQuotes(press, parts)

  const pressText = press.map((s) => [s.heading, s.text].filter(Boolean).join('\n')).join('\n')
  const tbds = sections.flatMap(openRisksIn)
  return {
    sections,
    parts,
    pressRelease: { text: pressText, words: countWords(pressText), sectionIds: press.map((s) => s.id) },
    externalFaq: faqOf(sections, 'externalFaq'),
    internalFaq: faqOf(sections, 'internalFaq'),
    tbds,
    words: sections.reduce((n, s) => n + s.words + countWords(s.heading), 0),
  }
}

function splitSections(blocks: Block[]): Section[] {
  const sections: Section[] = []
  const used = new Map<string, number>()
  let current: Section = makeSection('', 0, -1, used)
  blocks.forEach((block, k) => {
    if (block.type === 'heading') {
      if (current.level > 0 || current.blocks.length) sections.push(finish(current))
      current = makeSection(inlineText(block.content).trim(), block.level, k, used)
    } else current.blocks.push(block)
  })
  if (current.level > 0 || current.blocks.length) sections.push(finish(current))
  // A FAQ's sub-headings are its questions, whatever words they use.
  let faq: Section | undefined
  for (const s of sections) {
    if (faq && s.level > faq.level) s.kind = undefined
    else if (s.kind === 'externalFaq' || s.kind === 'internalFaq') faq = s
    else faq = undefined
  }
  return sections
}

function makeSection(heading: string, level: number, blockIndex: number, used: Map<string, number>): Section {
  const base = level === 0 ? 'preamble' : slug(heading)
  const n = (used.get(base) ?? 0) + 1
  used.set(base, n)
  const kind = level > 0 ? kindOfHeading(heading) : undefined
  return {
    id: n > 1 ? `${base}-${n}` : base,
    heading,
    level,
    kind,
    blocks: [],
    text: '',
    words: 0,
    blockIndex,
  }
}

function finish(s: Section): Section {
  s.text = s.blocks.map(blockText).filter(Boolean).join('\n')
  s.words = countWords(s.text)
  return s
}

/** The headline is the first H1 (or first heading); the subheadline the next heading before the problem. */
function findHeadlines(press: Section[], parts: Partial<Record<PressPart, PartRef>>): void {
  const headed = press.filter((s) => s.level > 0)
  const first = headed.find((s) => s.level === 1) ?? headed[0]
  if (!parts.headline && first) parts.headline = { sectionId: first.id, text: stripLabel(first.heading) }
  else if (parts.headline) {
    const s = press.find((x) => x.id === parts.headline!.sectionId)
    if (s) parts.headline = { sectionId: s.id, text: stripLabel(s.heading) }
  }
  if (parts.subheadline || !first) {
    if (parts.subheadline) {
      const s = press.find((x) => x.id === parts.subheadline!.sectionId)
      if (s) parts.subheadline = { sectionId: s.id, text: stripLabel(s.heading) }
    }
    return
  }
  const after = headed.slice(headed.indexOf(first) + 1)
  const sub = after.find((s) => s.level > first.level || s.level === 2)
  if (sub && !sub.kind && after.indexOf(sub) === 0) {
    parts.subheadline = { sectionId: sub.id, text: stripLabel(sub.heading) }
    return
  }
  // An italic line right under the headline reads as a subheadline too.
  const lead = first.blocks[0]
  if (lead?.type === 'paragraph' && lead.content.every((i) => isHardBreak(i) || i.marks?.italic)) {
    parts.subheadline = { sectionId: first.id, text: inlineText(lead.content).trim() }
  }
}

/** "Headline: the text" → "the text", so the template's labels do not count as content. */
function stripLabel(heading: string): string {
  return heading.replace(/^(headline|sub-?headline|subheading|summary)\s*[:—–-]\s*/i, '').trim()
}

const DATELINE = /^[^\n—–]{2,80}?\s[—–]{1,2}\s|^[\p{Lu}][\p{L} .,'-]{1,40},\s[^\n—–]{3,40}?\s+[—–-]{1,2}\s/u

/** A paragraph opening with bold text and a dash, or "City, date —", near the top. */
function findDateline(press: Section[], parts: Partial<Record<PressPart, PartRef>>): void {
  if (parts.dateline) return
  for (const s of press) {
    for (const b of s.blocks) {
      if (b.type !== 'paragraph') continue
      const text = inlineText(b.content).trim()
      const first = b.content[0]
      const boldStart = first !== undefined && !isHardBreak(first) && first.marks?.bold === true
      if ((boldStart && /^[^—–]*\S\s*[—–]/.test(text)) || DATELINE.test(text)) {
        parts.dateline = { sectionId: s.id, text }
        return
      }
    }
    if (s.kind === 'problem' || s.kind === 'solution') return
  }
}

// The quoted words exclude an opening quote too: otherwise a run of `“` is rescanned from each one (H1).
const QUOTE = /["“][^"“”]{12,}["”],?\s+(?:said|says)\s+([^.,\n]+)/

/** Without quote headings, a `"…," said Name` paragraph is a quote: leaders by title, others customers. */
function findQuotes(press: Section[], parts: Partial<Record<PressPart, PartRef>>): void {
  if (parts.leaderQuote && parts.customerQuote) return
  for (const s of press) {
    if (s.kind === 'leaderQuote' || s.kind === 'customerQuote') continue
    for (const b of s.blocks) {
      const text = blockText(b)
      const m = QUOTE.exec(text)
      if (!m) continue
      const leader =
        /founder|ceo|chief|head of|vp|vice president|director|general manager|lead\b|leader/i.test(
          text.slice(m.index),
        )
      const part: PressPart = leader ? 'leaderQuote' : 'customerQuote'
      if (!parts[part]) parts[part] = { sectionId: s.id, text }
    }
  }
}

function faqOf(sections: Section[], kind: 'externalFaq' | 'internalFaq'): Faq | null {
  const start = sections.findIndex((s) => s.kind === kind)
  if (start < 0) return null
  const head = sections[start]!
  const inside: Section[] = []
  for (const s of sections.slice(start + 1)) {
    if (s.level <= head.level) break
    inside.push(s)
  }
  const questions: FaqQuestion[] = []
  questions.push(...boldQuestions(head))
  for (const s of inside) {
    questions.push({ question: s.heading, answer: s.text, words: s.words, sectionId: s.id })
    questions.push(...boldQuestions(s))
  }
  const text = [head.text, ...inside.map((s) => `${s.heading}\n${s.text}`)].join('\n')
  return { sectionId: head.id, heading: head.heading, questions, text }
}

/** `**Who is it for?** Answer…` paragraphs: the bold opening is the question. */
function boldQuestions(s: Section): FaqQuestion[] {
  const out: FaqQuestion[] = []
  for (const b of s.blocks) {
    if (b.type !== 'paragraph') {
      const last = out[out.length - 1]
      if (last) last.answer += '\n' + blockText(b)
      continue
    }
    const bold: string[] = []
    for (const i of b.content) {
      if (isHardBreak(i) || !i.marks?.bold) break
      bold.push(i.text)
    }
    const question = bold.join('').trim()
    const text = inlineText(b.content)
    if (question.endsWith('?')) {
      const answer = text.slice(bold.join('').length).trim()
      out.push({ question, answer, words: countWords(answer), sectionId: s.id })
    } else if (out.length) {
      const last = out[out.length - 1]!
      last.answer += '\n' + text
    }
  }
  for (const q of out) q.words = countWords(q.answer)
  return out
}

function openRisksIn(s: Section): OpenRisk[] {
  const risks: OpenRisk[] = []
  const heading = s.heading || '(before the first heading)'
  if (/\bTBD\b/i.test(s.heading)) risks.push({ sectionId: s.id, heading, text: s.heading })
  for (const sentence of sentences(s.text)) {
    const hits = sentence.match(/\bTBD\b/gi)?.length ?? 0
    // An answer that is only "TBD" says nothing alone; quote the question it leaves open.
    const text = /^\W*TBD\W*$/i.test(sentence) && s.level > 0 ? `${s.heading} — ${sentence}` : sentence
    for (let k = 0; k < hits; k++) risks.push({ sectionId: s.id, heading, text })
  }
  return risks
}
