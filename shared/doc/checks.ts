import { PRFAQ_TEMPLATE } from './template'
import { parseMarkdown } from './markdown'
import { blockText } from './blocks'
import { BENEFIT_WORDS, CLAIM_PHRASES, findWords, HYPE_WORDS, INTERNAL_TOPICS, WHO_WORDS } from './checkWords'
import type { Outline, PressPart, Section } from './outline'
import { normalize, sentences } from './text'

export type CheckSeverity = 'error' | 'warning' | 'info'

export interface Check {
  /** Stable per finding: `missing:problem`, `tbd:what-is-the-timeline:1`, … */
  id: string
  severity: CheckSeverity
  title: string
  /** The explanation shown to users: what is wrong and what to do about it. */
  detail: string
  /** Heading text of the section concerned (as in Anchor.section). */
  section?: string
  sectionId?: string
}

/** One page of a press release, as the method counts it. */
const PRESS_RELEASE_WORDS = 550
const EXTERNAL_FAQ_MIN = 5
const EXTERNAL_FAQ_MAX = 10

const PART_INFO: Record<PressPart, { label: string; severity: CheckSeverity; why: string }> = {
  headline: { label: 'Headline', severity: 'error', why: 'the one line most readers remember' },
  subheadline: {
    label: 'Subheadline',
    severity: 'warning',
    why: 'one sentence on who it is for and what they get',
  },
  dateline: {
    label: 'Dateline',
    severity: 'warning',
    why: 'a "City, date —" opening that makes the launch concrete',
  },
  problem: { label: 'Problem', severity: 'error', why: "the customer's problem, with evidence" },
  solution: {
    label: 'Solution',
    severity: 'error',
    why: 'how the product solves it, from the customer’s side',
  },
  leaderQuote: { label: 'Leader quote', severity: 'error', why: 'why the company is doing this' },
  howItWorks: { label: 'How it works', severity: 'error', why: 'the customer’s experience step by step' },
  customerQuote: {
    label: 'Customer quote',
    severity: 'error',
    why: 'a believable customer describing the change',
  },
  callToAction: { label: 'Call to action', severity: 'error', why: 'how a customer gets started' },
}

/** The method's checks on a PR/FAQ outline (DESIGN §3). Pure: the same outline gives the same list. */
export function runChecks(outline: Outline): Check[] {
  return [
    ...missingParts(outline),
    ...headlineChecks(outline),
    ...lengthCheck(outline),
    ...faqChecks(outline),
    ...tbdChecks(outline),
    ...claimChecks(outline),
    ...templateLeftovers(outline),
  ]
}

/** Open risks: every TBD in the document (counted per round in the history). */
export function openRisks(outline: Outline): number {
  return outline.tbds.length
}

function sectionOf(outline: Outline, id: string | undefined): Pick<Check, 'section' | 'sectionId'> {
  const s = outline.sections.find((x) => x.id === id)
  return s ? { section: s.heading, sectionId: s.id } : {}
}

function missingParts(outline: Outline): Check[] {
  const out: Check[] = []
  for (const [part, info] of Object.entries(PART_INFO) as Array<[PressPart, (typeof PART_INFO)[PressPart]]>) {
    const ref = outline.parts[part]
    if (ref && (ref.text.trim() || part === 'headline' || part === 'subheadline')) continue
    out.push({
      id: `missing:${part}`,
      severity: info.severity,
      title: ref ? `${info.label} is empty` : `${info.label} is missing`,
      detail: `A press release needs ${info.label.toLowerCase() === 'headline' ? 'a headline' : `its ${info.label.toLowerCase()}`}: ${info.why}. Add it under a heading such as "${info.label}".`,
      ...sectionOf(outline, ref?.sectionId),
    })
  }
  for (const [key, label] of [
    ['externalFaq', 'External FAQ'],
    ['internalFaq', 'Internal FAQ'],
  ] as const) {
    if (outline[key]) continue
    out.push({
      id: `missing:${key}`,
      severity: 'error',
      title: `${label} is missing`,
      detail:
        key === 'externalFaq'
          ? 'Customers’ questions answered plainly: add an "External FAQ" heading with five to ten questions as sub-headings.'
          : 'The questions the team and leadership will ask — feasibility, cost, timeline, legal, competition, risks: add an "Internal FAQ" heading.',
    })
  }
  return out
}

function headlineChecks(outline: Outline): Check[] {
  const out: Check[] = []
  const headline = outline.parts.headline
  if (headline?.text) {
    const who = findWords(headline.text, WHO_WORDS)
    const benefit = findWords(headline.text, BENEFIT_WORDS)
    if (!who.length && !benefit.length) {
      out.push({
        id: 'headline:customer-benefit',
        severity: 'warning',
        title: 'Headline names neither a customer nor a benefit',
        detail: `"${headline.text}" does not say who it is for (words like parents, teams, customers, developers) or what they gain (can, get, save, without, faster…). Say who gets which benefit, in words a customer would use.`,
        ...sectionOf(outline, headline.sectionId),
      })
    }
  }
  const top = [headline, outline.parts.subheadline].filter((p) => p !== undefined)
  for (const p of top) {
    const hype = findWords(p.text, HYPE_WORDS)
    if (!hype.length) continue
    out.push({
      id: `hype:${p.sectionId}`,
      severity: 'warning',
      title: 'Hype words in the headline',
      detail: `"${hype.join('", "')}" tell the reader nothing. Replace them with the concrete benefit and who gets it.`,
      ...sectionOf(outline, p.sectionId),
    })
  }
  const topIds = new Set(top.map((p) => p.sectionId))
  for (const s of pressSections(outline)) {
    const hype = findWords(topIds.has(s.id) ? s.text : `${s.heading}\n${s.text}`, HYPE_WORDS)
    if (!hype.length) continue
    out.push({
      id: `hype-body:${s.id}`,
      severity: 'info',
      title: `Hype words in "${s.heading || 'the opening'}"`,
      detail: `"${hype.join('", "')}": say what it does and for whom instead; numbers beat adjectives.`,
      ...sectionOf(outline, s.id),
    })
  }
  return out
}

function pressSections(outline: Outline): Section[] {
  const ids = new Set(outline.pressRelease.sectionIds)
  return outline.sections.filter((s) => ids.has(s.id))
}

function lengthCheck(outline: Outline): Check[] {
  const n = outline.pressRelease.words
  if (n <= PRESS_RELEASE_WORDS) return []
  return [
    {
      id: 'length:press-release',
      severity: 'warning',
      title: 'Press release is longer than one page',
      detail: `It has ${n} words; one page is about ${PRESS_RELEASE_WORDS}. Cut until every sentence earns its place — detail belongs in the FAQ.`,
    },
  ]
}

function faqChecks(outline: Outline): Check[] {
  const out: Check[] = []
  const ext = outline.externalFaq
  if (ext) {
    const n = ext.questions.length
    if (n < EXTERNAL_FAQ_MIN || n > EXTERNAL_FAQ_MAX) {
      out.push({
        id: 'faq:external-count',
        severity: 'warning',
        title: n < EXTERNAL_FAQ_MIN ? 'Too few external questions' : 'Too many external questions',
        detail: `The external FAQ has ${n} question${n === 1 ? '' : 's'}; aim for ${EXTERNAL_FAQ_MIN} to ${EXTERNAL_FAQ_MAX}. ${n < EXTERNAL_FAQ_MIN ? 'Ask what a sceptical customer would: price, availability, fit, limits, data.' : 'Keep the ones customers really ask; move the rest to a help page.'}`,
        ...sectionOf(outline, ext.sectionId),
      })
    }
  }
  const int = outline.internalFaq
  if (int) {
    for (const [topic, { label, words }] of Object.entries(INTERNAL_TOPICS)) {
      if (findWords(int.text, words).length) continue
      out.push({
        id: `faq:internal-${topic}`,
        severity: 'warning',
        title: `Internal FAQ does not cover ${label}`,
        detail: `Decision-makers will ask about ${label}. Add a question that answers it honestly, with numbers where you have them.`,
        ...sectionOf(outline, int.sectionId),
      })
    }
  }
  for (const faq of [ext, int]) {
    for (const [k, q] of (faq?.questions ?? []).entries()) {
      if (q.words >= 3 || /\bTBD\b/i.test(q.answer)) continue
      out.push({
        id: `faq:thin-answer:${q.sectionId}:${k}`,
        severity: 'info',
        title: q.words === 0 ? 'Question without an answer' : 'Answer too short to convince',
        detail: `"${q.question}" is answered with ${q.words === 0 ? 'nothing' : `"${q.answer.trim()}"`}. Say why, with a fact the reader can check.`,
        ...sectionOf(outline, q.sectionId),
      })
    }
  }
  return out
}

function tbdChecks(outline: Outline): Check[] {
  const seen = new Map<string, number>()
  return outline.tbds.map((risk) => {
    const n = (seen.get(risk.sectionId) ?? 0) + 1
    seen.set(risk.sectionId, n)
    return {
      id: `tbd:${risk.sectionId}:${n}`,
      severity: 'warning' as const,
      title: `Open risk in "${risk.heading}"`,
      detail: `"${risk.text}" — a TBD is a decision not yet made. Answer it, or name who decides and by when.`,
      ...sectionOf(outline, risk.sectionId),
    }
  })
}

function claimChecks(outline: Outline): Check[] {
  const out: Check[] = []
  for (const s of outline.sections) {
    let n = 0
    for (const sentence of sentences(`${s.text}`)) {
      const found = findWords(sentence, CLAIM_PHRASES)
      if (!found.length) continue
      out.push({
        id: `claim:${s.id}:${++n}`,
        severity: 'warning',
        title: 'Unsupported claim',
        detail: `"${sentence}" — "${found[0]}" asks the reader to take it on trust. Give the evidence (a number, a test, a customer) or cut it.`,
        ...sectionOf(outline, s.id),
      })
    }
  }
  return out
}

/** Normalised guidance paragraphs of the built-in template, so untouched guidance is spotted. */
const TEMPLATE_TEXT = new Set(
  parseMarkdown(PRFAQ_TEMPLATE)
    .filter((b) => b.type === 'paragraph')
    .map((b) => normalize(blockText(b)))
    .filter((t) => t.length > 12),
)

/** The template's labelled headings ("Headline: …"), left in place until the author writes their own. */
const TEMPLATE_HEADINGS = new Set(
  parseMarkdown(PRFAQ_TEMPLATE)
    .filter((b) => b.type === 'heading' && /^(sub)?headline:/i.test(blockText(b)))
    .map((b) => normalize(blockText(b))),
)

function templateLeftovers(outline: Outline): Check[] {
  return outline.sections
    .filter(
      (s) =>
        TEMPLATE_HEADINGS.has(normalize(s.heading)) ||
        s.blocks.some((b) => TEMPLATE_TEXT.has(normalize(blockText(b)))),
    )
    .map((s) => ({
      id: `template:${s.id}`,
      severity: 'info' as const,
      title: `Template guidance left in "${s.heading || 'the opening'}"`,
      detail: 'This is still the template’s guidance; replace it with your own words.',
      ...sectionOf(outline, s.id),
    }))
}
