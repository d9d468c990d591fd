import type { Outcome, Stance } from '../../../../shared/domain/types'

export { OUTCOME_LABELS, STANCE_LABELS } from '../../../../shared/domain/labels'
export const OUTCOME_HINTS: Record<Outcome, string> = {
  go: 'freezes the document as the reference version and closes the review',
  'no-go': 'archives the review read-only; it can be reopened later as a new round',
  iterate: 'returns to revision for another pass',
}
export const STANCE_CHIP: Record<Stance, string> = { approve: 'ok', concern: 'warn', block: 'danger' }
