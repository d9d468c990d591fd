import type { CommandOf } from '../../protocol/commands'
import { err, ok, type Result } from '../result'
import type { Note, Participant, ReviewState } from '../types'
import type { DecideContext, Decision } from './context'

/** A note of the actor's own; someone else's note answers as unknown, so none is ever probed [NT2]. */
export function ownNote(state: ReviewState, noteId: string, actor: Participant): Result<Note> {
  const note = state.notes[noteId]
  if (!note || note.authorId !== actor.id) return err('NOT_FOUND', 'You have no note with that id.')
  return ok(note)
}

/** Private notes, in any open phase, by anyone but observers [NT1] [NT2]. */
export function saveNote(
  state: ReviewState,
  cmd: CommandOf<'note.save'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  if (cmd.noteId === undefined) {
    const note: Note = {
      id: ctx.newId(),
      authorId: actor.id,
      body: cmd.body,
      ...(cmd.anchor ? { anchor: cmd.anchor } : {}),
      round: state.round,
      at: ctx.now,
    }
    return ok({ events: [{ type: 'note.saved', note }] })
  }
  const found = ownNote(state, cmd.noteId, actor)
  if (!found.ok) return found
  // Saving again keeps the anchor unless a new one is given [NT3].
  const note: Note = { ...found.value, body: cmd.body, editedAt: ctx.now }
  if (cmd.anchor) note.anchor = cmd.anchor
  return ok({ events: [{ type: 'note.saved', note }] })
}

export function deleteNote(
  state: ReviewState,
  cmd: CommandOf<'note.delete'>,
  actor: Participant,
): Result<Decision> {
  const found = ownNote(state, cmd.noteId, actor)
  if (!found.ok) return found
  return ok({ events: [{ type: 'note.deleted', noteId: found.value.id, authorId: actor.id }] })
}
