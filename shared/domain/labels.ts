import type { Func, Outcome, Severity, Stance } from './types'

/** The words people read for domain values: the board and the exports say the same thing. */

export const FUNCTION_LABELS: Record<Func, string> = {
  engineering: 'Engineering',
  design: 'Design',
  finance: 'Finance',
  marketing: 'Marketing',
  legal: 'Legal',
  leadership: 'Leadership',
  product: 'Product',
  other: 'Other',
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  fatal: 'Fatal',
  structural: 'Structural',
  minor: 'Minor',
}

export const STANCE_LABELS: Record<Stance, string> = {
  approve: 'Approve',
  concern: 'Concern',
  block: 'Block',
}

export const OUTCOME_LABELS: Record<Outcome, string> = { go: 'Go', 'no-go': 'No-go', iterate: 'Iterate' }
