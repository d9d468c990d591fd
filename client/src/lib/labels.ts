import type { Func, Phase, Role } from '../../../shared/domain/types'

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

export const PHASE_LABELS: Record<Phase, string> = {
  draft: 'Draft',
  reading: 'Reading',
  critique: 'Critique',
  discussion: 'Discussion',
  triage: 'Triage',
  revision: 'Revision',
  decision: 'Decision',
  closed: 'Closed',
}

export const ROLE_LABELS: Record<Role, string> = {
  facilitator: 'Facilitator',
  author: 'Author',
  reviewer: 'Reviewer',
  decider: 'Decider',
  observer: 'Observer',
}
