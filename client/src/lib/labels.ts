import type { Phase, Role } from '../../../shared/domain/types'

export { FUNCTION_LABELS } from '../../../shared/domain/labels'

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
