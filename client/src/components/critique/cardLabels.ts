import type { AnchorStatus } from '../../../../shared/doc/anchors'
import type { Disposition, Kind, Severity } from '../../../../shared/domain/types'
import { SEVERITIES } from '../../../../shared/domain/types'
import type { CardView, ParticipantView } from '../../../../shared/protocol/board'
import { FUNCTION_LABELS } from '../../lib/labels'

export { SEVERITY_LABELS } from '../../../../shared/domain/labels'
export const SEVERITY_HINTS: Record<Severity, string> = {
  fatal: 'the idea cannot work as written',
  structural: 'a part needs rethinking',
  minor: 'wording, detail, polish',
}
export const KIND_LABELS: Record<Kind, string> = {
  concern: 'Concern',
  question: 'Question',
  suggestion: 'Suggestion',
  praise: 'Praise',
}
export const DISPOSITION_LABELS: Record<Disposition, string> = {
  accepted: 'Accepted',
  rejected: 'Rejected',
  deferred: 'Deferred',
  duplicate: 'Duplicate',
  answered: 'Answered in FAQ',
}
export const STATUS_LABELS: Record<AnchorStatus, string> = {
  ok: 'On its passage',
  edited: 'Passage edited',
  orphaned: 'Passage gone',
}

/** Board order: most votes first, then the heavier severity, then oldest. */
export function byVotesThenSeverity(a: CardView, b: CardView): number {
  return (
    b.votes - a.votes ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.createdAt - b.createdAt
  )
}

/** "Ada Lovelace", or "a Legal reviewer" when the review hides names [CV6]. */
export function authorLabel(
  card: { authorId?: string; function: CardView['function'] },
  people: readonly ParticipantView[],
): string {
  const p = card.authorId ? people.find((x) => x.id === card.authorId) : undefined
  return p ? p.name : `a ${FUNCTION_LABELS[card.function]} reviewer`
}

export function excerpt(text: string, max = 90): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
