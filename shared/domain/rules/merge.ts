import type { CommandOf } from '../../protocol/commands'
import { err, ok, type Result } from '../result'
import type { Participant, ReviewState } from '../types'
import type { Decision } from './context'

function present(state: ReviewState, participantId: string, what: string): Result<Participant> {
  const p = state.participants[participantId]
  if (!p) return err('NOT_FOUND', `There is no participant with that id in this review (${what}).`)
  if (p.removed) return err('INVALID', `${p.name} was removed from this review; choose someone present.`)
  return ok(p)
}

/**
 * A facilitator folds a duplicate participant (the same person, joined twice) into the original
 * [PA10]: both must be present and different, and the facilitator cannot merge themself away
 * (their own facilitation would go with it). The original keeps its own roles: a merge never
 * hands anyone a role they did not have. What moves is `mergeParticipants`' business.
 */
export function mergeParticipant(
  state: ReviewState,
  cmd: CommandOf<'participant.merge'>,
  actor: Participant,
): Result<Decision> {
  if (cmd.participantId === cmd.into)
    return err('INVALID', 'Choose two different people: the duplicate and the one to keep.')
  const duplicate = present(state, cmd.participantId, 'the duplicate')
  if (!duplicate.ok) return duplicate
  const original = present(state, cmd.into, 'the one to keep')
  if (!original.ok) return original
  if (duplicate.value.id === actor.id)
    return err('CONFLICT', 'You cannot merge yourself into someone else; merge the other entry into you.')
  return ok({
    events: [{ type: 'participant.merged', participantId: duplicate.value.id, into: original.value.id }],
  })
}
