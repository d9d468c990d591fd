import type { Command } from '../protocol/commands'
import { ok, type Result } from './result'
import { createCard, deleteCard, editCard, replyCard, spotlightCard, voteCard } from './rules/cards'
import type { DecideContext, Decision } from './rules/context'
import { gate } from './rules/guards'
import { record, signoff } from './rules/decision'
import { deleteNote, saveNote } from './rules/notes'
import { mergeParticipant } from './rules/merge'
import { withinQuota } from './rules/quotas'
import { advancePhase } from './rules/phases'
import {
  removeParticipant,
  reportProgress,
  rotateInvite,
  setTimer,
  updateParticipant,
  updateSettings,
} from './rules/session'
import { checkRevision, triageCard } from './rules/triage'
import type { Participant, ReviewState } from './types'

export type { DecideContext, Decision } from './rules/context'

/**
 * Checks one command against the rules and says what happens. Pure; a refusal is a value with
 * a code and a sentence, and the state is untouched. The generic gate (membership, closed,
 * reading lock, role, phase) runs first; each concern's rules then check references and state.
 */
export function decide(
  state: ReviewState,
  cmd: Command,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const gated = gate(state, actor, cmd.type)
  if (!gated.ok) return gated
  const me = gated.value
  switch (cmd.type) {
    case 'phase.advance':
      return advancePhase(state, cmd, ctx)
    case 'timer.set':
      return setTimer(cmd, ctx)
    case 'reading.progress':
      return reportProgress(state, cmd, me, ctx)
    case 'participant.update':
      return updateParticipant(state, cmd, me)
    case 'participant.remove':
      return removeParticipant(state, cmd, me)
    case 'participant.merge':
      return mergeParticipant(state, cmd, me)
    case 'invite.rotate':
      return rotateInvite(cmd)
    case 'settings.update':
      return updateSettings(state, cmd)
    case 'decision.signoff':
      return signoff(state, cmd, me, ctx)
    case 'decision.record':
      return record(state, cmd, me, ctx)
    case 'note.save':
      // A new note counts against the round's quota; saving an existing one again does not [QT1].
      return quota(saveNote(state, cmd, me, ctx), () =>
        cmd.noteId === undefined ? withinQuota(state, me, 'notes') : ok(true),
      )
    case 'note.delete':
      return deleteNote(state, cmd, me)
    case 'card.create':
      return quota(createCard(state, cmd, me, ctx), () => withinQuota(state, me, 'cards')) // [QT1]
    case 'card.edit':
      return editCard(state, cmd, me, ctx)
    case 'card.delete':
      return deleteCard(state, cmd, me)
    case 'card.vote':
      return voteCard(state, cmd, me)
    case 'card.reply':
      // Counted in the round of the card answered, after the card is known to be visible [QT1] [CV7].
      return quota(replyCard(state, cmd, me, ctx), () =>
        withinQuota(state, me, 'replies', state.cards[cmd.cardId]?.round),
      )
    case 'card.spotlight':
      return spotlightCard(state, cmd)
    case 'card.triage':
      return triageCard(state, cmd, me, ctx)
    case 'revision.check':
      return checkRevision(state, cmd, me)
  }
}

/** A decision the rules accepted still has to fit the person's quota for the round [QT1]. */
function quota(decided: Result<Decision>, fits: () => Result<true>): Result<Decision> {
  if (!decided.ok) return decided
  const within = fits()
  return within.ok ? decided : within
}
