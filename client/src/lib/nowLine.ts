import type { Phase, Role } from '../../../shared/domain/types'

/**
 * The one line that tells someone who does not move the review what is happening now and what
 * they can do, per phase; authors get their own line where the work is theirs (draft, triage,
 * revision).
 */
export function nowLine(phase: Phase, roles: readonly Role[], blind: boolean): string {
  const author = roles.includes('author')
  switch (phase) {
    case 'draft':
      return author
        ? 'Draft: write and edit the document; reading starts when the facilitator opens it.'
        : 'Draft: the authors are still writing. Reading starts when the facilitator opens it.'
    case 'reading':
      return 'Silent reading: read the whole document; your notes are yours alone.'
    case 'critique':
      return blind
        ? 'Critique: write cards on passages; nobody sees them until discussion.'
        : 'Critique: write cards on passages.'
    case 'discussion':
      return 'Discussion: every card is revealed. Vote for the ones that matter and reply.'
    case 'triage':
      return author
        ? 'Triage: give every card a disposition; accepted cards become the revision plan.'
        : 'Triage: the authors are deciding what to do with each card. Nothing is asked of you.'
    case 'revision':
      return author
        ? 'Revision: change the document and tick off the revision plan.'
        : 'Revision: the authors are revising the document. The next round of reading follows.'
    case 'decision':
      return roles.includes('decider')
        ? 'Decision: sign off with your stance and rationale.'
        : 'Decision: the deciders sign off; the facilitator then records the outcome.'
    case 'closed':
      return 'Closed: the review is decided. The exports hold the record.'
  }
}
