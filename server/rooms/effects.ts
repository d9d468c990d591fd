import * as Y from 'yjs'
import type { StoredEvent } from '../../shared/domain/events'
import { hashSecret, newInviteCode } from '../auth/secrets'
import type { ReviewState } from '../../shared/domain/types'
import type { WriteSet } from '../store/types'
import { inviteUrl, sealInvite } from '../reviews/links'
import { applySavedServerUpdate, faqAnswerUpdate } from './docEffects'
import type { Room } from './room'

/**
 * What events do outside the review state, in one place. `before` runs ahead of the write and
 * adds to it (so the effect commits atomically with the events); `after` runs once committed.
 */
export interface Effects {
  write: Omit<WriteSet, 'events'>
  /** Extra fields for the command's ack (e.g. the new invite URL). */
  ack: { invite?: string }
  after: Array<() => void | Promise<void>>
}

/** `state` is the review state the events were decided on (the room's, unless a batch ran ahead). */
export function prepareEffects(
  room: Room,
  events: readonly StoredEvent[],
  state: ReviewState = room.state,
): Effects {
  const fx: Effects = { write: {}, ack: {}, after: [] }
  for (const event of events) {
    switch (event.type) {
      case 'participant.removed': {
        // Their tokens stop working in the same commit; their sockets close right after it.
        ;(fx.write.revokeTokensOf ??= []).push(event.participantId)
        fx.after.push(() =>
          disconnectParticipant(room, event.participantId, 'The facilitator removed you from this review.'),
        )
        break
      }
      case 'participant.merged': {
        // The duplicate's tokens and return link stop with the merge; its sockets close [PA10].
        ;(fx.write.revokeTokensOf ??= []).push(event.participantId)
        fx.after.push(() =>
          disconnectParticipant(
            room,
            event.participantId,
            'The facilitator merged this entry into another one; open your return link to continue.',
          ),
        )
        break
      }
      case 'invite.rotated': {
        // A new code replaces the old one's hash: the old link stops working.
        // Its sealed copy is replaced in the same commit, so every facilitator sees the new link [PA12].
        const code = newInviteCode()
        ;(fx.write.invites ??= []).push({ hash: hashSecret(code), role: event.role })
        ;(fx.write.sealedInvites ??= []).push(sealInvite(room.deps.secrets, room.id, event.role, code))
        fx.ack.invite = inviteUrl(room.deps.publicUrl(), code)
        break
      }
      case 'phase.changed': {
        // Round N's document is the text its readers read and critiqued (its cards are anchored
        // in it), taken as its reading begins. When revision → reading closes round N, round
        // N + 1's snapshot is also N's outcome. "What changed since round N" diffs against it.
        if (event.to === 'reading')
          fx.write.roundSnapshot = { round: event.round, state: Y.encodeStateAsUpdate(room.doc) }
        break
      }
      case 'card.triaged': {
        // Answered → one question and answer in the FAQ, committed with the event [TR5].
        const faq = faqAnswerUpdate(room, event, state)
        if (faq) {
          ;(fx.write.updates ??= []).push(faq)
          fx.after.push(() => applySavedServerUpdate(room, faq))
        }
        break
      }
      default:
        break
    }
  }
  return fx
}

function disconnectParticipant(room: Room, participantId: string, message: string): void {
  for (const socket of [...room.sockets.values()]) {
    if (socket.data.participantId !== participantId) continue
    socket.emit('board:closed', {
      code: 'UNAUTHORIZED',
      message,
    })
    socket.disconnect(true)
  }
}
