import type { Outcome, Stance } from '../../../../shared/domain/types'

export const STANCE_LABELS: Record<Stance, string> = {
  approve: 'Approve',
  concern: 'Concern',
  block: 'Block',
}
export const OUTCOME_LABELS: Record<Outcome, string> = { go: 'Go', 'no-go': 'No-go', iterate: 'Iterate' }
export const OUTCOME_HINTS: Record<Outcome, string> = {
  go: 'freezes the document as the reference version and closes the review',
  'no-go': 'archives the review read-only; it can be reopened later as a new round',
  iterate: 'returns to revision for another pass',
}
export const STANCE_CHIP: Record<Stance, string> = { approve: 'ok', concern: 'warn', block: 'danger' }
