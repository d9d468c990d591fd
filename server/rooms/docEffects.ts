import * as Y from 'yjs'
import { appendFaqAnswer } from '../../shared/doc/faq'
import { readOutline } from '../../shared/doc/outline'
import { openRisks } from '../../shared/doc/checks'
import type { StoredEvent } from '../../shared/domain/events'
import { canEditDocument } from '../../shared/domain/permissions'
import type { ReviewState } from '../../shared/domain/types'
import { SERVER_ACTOR } from '../../shared/domain/rules/guards'
import { SERVER_ORIGIN, type Room } from './room'

type Triaged = Extract<StoredEvent, { type: 'card.triaged' }>

/**
 * The document change an `answered` triage makes: the card's question and the written answer
 * appended to the FAQ the author chose, else the one the question reads as [TR5] [TR9]. Built on a scratch copy of the room's document, so the bytes
 * can be written in the SAME commit as the event: a crash can never keep the triage without its
 * FAQ entry, or the entry without the triage. A Yjs update made against state S applies to any
 * later state, so edits that arrive meanwhile do not matter. Null when there is nothing to add.
 */
export function faqAnswerUpdate(
  room: Room,
  event: Triaged,
  state: ReviewState = room.state,
): Uint8Array | null {
  const { disposition, answer, faq } = event.triage
  if (disposition !== 'answered' || !answer) return null
  const card = state.cards[event.cardId]
  if (!card) return null
  if (!canEditDocument(state, SERVER_ACTOR).ok) return null // [DOC4] never while reading or closed
  const scratch = new Y.Doc({ gc: true })
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc))
    const before = Y.encodeStateVector(scratch)
    appendFaqAnswer(scratch, { question: card.body, answer, ...(faq ? { section: faq } : {}) }) // [TR9]
    return Y.encodeStateAsUpdate(scratch, before)
  } finally {
    scratch.destroy()
  }
}

/**
 * Applies a server-made update that is ALREADY saved (it went out with the events) and sends
 * what it changed to everyone in the room, like any other update. Not saved a second time.
 */
export function applySavedServerUpdate(room: Room, update: Uint8Array): void {
  if (room.destroyed) return
  const changes = room.applyUpdate(update, SERVER_ORIGIN)
  for (const change of changes) room.outbox.push(change, null)
}

/** The open risks (`TBD`s) in the room's document now, for the round statistics [RN1]. */
export function countOpenRisks(room: Room): number | undefined {
  try {
    return openRisks(readOutline(room.doc))
  } catch {
    return undefined
  }
}
