import type { CommandOf } from '../../protocol/commands'
import { err, ok, type Result } from '../result'
import type { Participant, ReviewState, Triage } from '../types'
import { isRevisionItem } from '../revision'
import type { DecideContext, Decision } from './context'
import { duplicatesOf, visibleCard } from './cards'

/**
 * Authors triage any revealed card, of any round, in triage and revision [TR1]; a later triage
 * replaces an earlier one [TR7]. Each disposition carries what it needs [TR2]–[TR6].
 */
export function triageCard(
  state: ReviewState,
  cmd: CommandOf<'card.triage'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const found = visibleCard(state, cmd.cardId, actor)
  if (!found.ok) return found
  const card = found.value
  const triage: Triage = { disposition: cmd.disposition, by: actor.id, at: ctx.now }
  switch (cmd.disposition) {
    case 'rejected':
      if (!cmd.reason) return err('INVALID', 'Say why the card is rejected: a reason is required.') // [TR3]
      triage.reason = cmd.reason
      break
    case 'answered':
      if (!cmd.answer) return err('INVALID', 'Write the answer that goes into the FAQ.') // [TR5]
      if (card.triage?.disposition === 'answered')
        return err('CONFLICT', 'This card is already answered in the FAQ; edit the answer in the document.') // [TR6]
      triage.answer = cmd.answer
      if (cmd.faq) triage.faq = cmd.faq // [TR9]
      break
    case 'duplicate': {
      if (!cmd.duplicateOf) return err('INVALID', 'Choose the card this one duplicates.') // [TR4]
      if (cmd.duplicateOf === card.id) return err('INVALID', 'A card cannot duplicate itself.')
      const of = visibleCard(state, cmd.duplicateOf, actor)
      if (!of.ok) return err('NOT_FOUND', 'The card it duplicates does not exist.')
      if (of.value.triage?.disposition === 'duplicate')
        return err('INVALID', 'That card is itself a duplicate; mark this one a duplicate of the original.')
      const copies = duplicatesOf(state, card.id)
      if (copies > 0)
        return err('CONFLICT', `${copies} card(s) are duplicates of this one; it stays the original.`)
      triage.duplicateOf = of.value.id
      break
    }
    default:
      if (cmd.reason) triage.reason = cmd.reason
  }
  return ok({ events: [{ type: 'card.triaged', cardId: card.id, triage }] })
}

/** Authors tick accepted cards off the revision checklist, in revision [RV1] [RV2]. */
export function checkRevision(
  state: ReviewState,
  cmd: CommandOf<'revision.check'>,
  actor: Participant,
): Result<Decision> {
  const found = visibleCard(state, cmd.cardId, actor)
  if (!found.ok) return found
  if (found.value.triage?.disposition !== 'accepted')
    return err('INVALID', 'Only accepted cards are revision items; accept the card first.')
  if (!isRevisionItem(found.value))
    return err('INVALID', 'Accepted praise asks for no change, so it is no revision item.') // [RV3]
  if ((found.value.done ?? false) === cmd.done) return ok({ events: [] })
  return ok({ events: [{ type: 'revision.checked', cardId: found.value.id, done: cmd.done }] })
}
