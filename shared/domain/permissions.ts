import { err, ok, type Result } from './result'
import type { Participant, ReviewState } from './types'

/**
 * Whether a participant's change to the Yjs document may be applied. Checked before a client's
 * update is applied, never after: a CRDT cannot take an update back. [DOC1] [PH4]
 */
export function canEditDocument(state: ReviewState, actor: Participant): Result<true> {
  if (state.phase === 'reading') return err('PHASE_LOCKED', 'The document is locked while everyone reads.')
  if (!actor.roles.includes('author')) return err('FORBIDDEN', 'Only authors can edit the document.')
  if (state.frozen || state.archived || state.phase === 'closed')
    return err('PHASE_LOCKED', 'The review is closed; the document is read-only.')
  if (state.phase !== 'draft' && state.phase !== 'revision')
    return err('PHASE_LOCKED', `The document can be edited in draft and revision, not during ${state.phase}.`)
  return ok(true)
}
