import { err, ok, type Result } from './result'
import { isServer } from './rules/guards'
import type { Participant, ReviewState } from './types'

/**
 * Whether a participant's change to the Yjs document may be applied. Checked before a client's
 * update is applied, never after: a CRDT cannot take an update back. The order matches the
 * command gate: the reading lock first [RD1], then a closed review [DOC3], then roles [DOC1],
 * then phase [DOC2]. The server itself (answering a card as FAQ) edits in any open phase [DOC4].
 */
export function canEditDocument(state: ReviewState, actor: Participant): Result<true> {
  const known = isServer(actor) ? actor : state.participants[actor.id]
  if (!known || known.removed) return err('FORBIDDEN', 'You are not a participant of this review.')
  if (state.phase === 'reading') return err('PHASE_LOCKED', 'The document is locked while everyone reads.')
  if (state.frozen || state.archived || state.phase === 'closed')
    return err('PHASE_LOCKED', 'The review is closed; the document is read-only.')
  if (isServer(actor)) return ok(true)
  if (!known.roles.includes('author')) return err('FORBIDDEN', 'Only authors can edit the document.')
  if (state.phase !== 'draft' && state.phase !== 'revision')
    return err('PHASE_LOCKED', `The document can be edited in draft and revision, not during ${state.phase}.`)
  return ok(true)
}

/** Every facilitator, not only the review's creator, may see and copy the invite links [PA12]. */
export function canSeeInvites(state: ReviewState, participantId: string): Result<true> {
  const p = state.participants[participantId]
  if (!p || p.removed) return err('FORBIDDEN', 'You are not a participant of this review.')
  if (!p.roles.includes('facilitator')) return err('FORBIDDEN', 'Only facilitators can see the invite links.')
  return ok(true)
}
