import type * as Y from 'yjs'
import type { CardView, DecisionView } from '../protocol/board'
import type { Func, RoundRecord, Severity } from '../domain/types'
import { FUNCTIONS, SEVERITIES } from '../domain/types'
import { FUNCTION_LABELS } from '../domain/labels'
import { readConvergence, type ConvergenceReading } from '../domain/stats'
import type { Check } from './checks'
import type { AnchorStatus } from './anchors'
import { resolveAnchor } from './anchors'
import { readDocText } from './docText'

export interface ExportPerson {
  name: string
  function: Func
}

/** What an export shows. Cards are already filtered by the caller to those the reader may see. */
export interface ExportInput {
  title: string
  /** The document as Markdown, or the live Y.Doc (then anchors are resolved against it). */
  documentMarkdown?: string
  doc?: Y.Doc
  cards: CardView[]
  participants: Record<string, ExportPerson> | Array<ExportPerson & { id: string }>
  rounds: RoundRecord[]
  decision: DecisionView
  checks?: Check[]
  /** Epoch ms of the export, printed on the cover; passed in since shared code reads no clock. */
  exportedAt?: number
}

export function peopleOf(input: ExportInput): Record<string, ExportPerson> {
  const p = input.participants
  return Array.isArray(p)
    ? Object.fromEntries(p.map((x) => [x.id, { name: x.name, function: x.function }]))
    : p
}

/** A card's or reply's writer, or "a Legal reviewer" when the review hides names [CV6]. */
export function authorName(
  card: { authorId?: string; function: Func },
  people: Record<string, ExportPerson>,
): string {
  const person = card.authorId ? people[card.authorId] : undefined
  return person ? person.name : `a ${FUNCTION_LABELS[card.function]} reviewer`
}

export function signerName(
  signoff: { participantId: string; function: Func },
  people: Record<string, ExportPerson>,
): string {
  return people[signoff.participantId]?.name ?? `a ${FUNCTION_LABELS[signoff.function]} decider`
}

export const votesText = (votes: number): string => `${votes} vote${votes === 1 ? '' : 's'}`

/** What else a reader should know about a card: written late, or its passage edited or gone. */
export function cardFlags(card: CardView, doc: Y.Doc | undefined): string[] {
  const status = anchorStatus(card, doc)
  return [card.late ? 'late' : '', status && status !== 'ok' ? `anchor ${status}` : ''].filter(Boolean)
}

/** Cards of one round grouped by function, in the board's column order, most votes first. */
export function critiqueByRound(
  cards: CardView[],
): Array<{ round: number; groups: Array<{ func: Func; cards: CardView[] }> }> {
  const rounds = [...new Set(cards.map((c) => c.round))].sort((a, b) => a - b)
  const rank = (s: Severity) => SEVERITIES.indexOf(s)
  return rounds.map((round) => ({
    round,
    groups: FUNCTIONS.map((func) => ({
      func,
      cards: cards
        .filter((c) => c.round === round && c.function === func)
        .sort(
          (a, b) => rank(a.severity) - rank(b.severity) || b.votes - a.votes || a.createdAt - b.createdAt,
        ),
    })).filter((g) => g.cards.length > 0),
  }))
}

/** A card's disposition in words, e.g. "Rejected — out of scope" or "Accepted, done". */
export function dispositionText(card: CardView, cards: CardView[]): string {
  const t = card.triage
  if (!t) return 'Not triaged'
  switch (t.disposition) {
    case 'accepted':
      return card.done ? 'Accepted, revised' : 'Accepted'
    case 'rejected':
      return t.reason ? `Rejected — ${t.reason}` : 'Rejected'
    case 'deferred':
      return t.reason ? `Deferred — ${t.reason}` : 'Deferred'
    case 'duplicate': {
      const of = cards.find((c) => c.id === t.duplicateOf)
      return of ? `Duplicate of "${shorten(of.body, 60)}"` : 'Duplicate'
    }
    case 'answered':
      return t.answer ? `Answered in the FAQ — ${t.answer}` : 'Answered in the FAQ'
  }
}

function anchorStatus(card: CardView, doc: Y.Doc | undefined): AnchorStatus | undefined {
  if (!card.anchor || !doc) return undefined
  return resolveAnchor(doc, card.anchor, readDocText(doc)).status
}

export interface RoundRow {
  round: number
  opened: string
  closed: string
  outcome: string
  cards: number
  fatal: number
  structural: number
  minor: number
  openRisks: number | null
  revision: string
}

/** One row per round; open rounds are counted from the visible cards. */
export function roundRows(input: ExportInput): RoundRow[] {
  return input.rounds.map((r) => {
    const own = input.cards.filter((c) => c.round === r.round)
    const count = (s: Severity) => r.stats?.bySeverity[s] ?? own.filter((c) => c.severity === s).length
    return {
      round: r.round,
      opened: formatDay(r.openedAt),
      closed: r.closedAt ? formatDay(r.closedAt) : 'open',
      outcome: r.outcome ?? (r.closedAt ? 'closed' : 'in progress'),
      cards: r.stats?.cards ?? own.length,
      fatal: count('fatal'),
      structural: count('structural'),
      minor: count('minor'),
      openRisks: r.stats ? r.stats.openRisks : null,
      revision: r.stats ? `${r.stats.revisionDone} / ${r.stats.revisionItems}` : '—',
    }
  })
}

export function convergence(input: ExportInput): ConvergenceReading {
  return readConvergence(input.rounds)
}

/** UTC, to the minute: the same text wherever the export is rendered. */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return ''
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
}

function formatDay(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : ''
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > max ? t.slice(0, max - 1).trimEnd() + '…' : t
}
