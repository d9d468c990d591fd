import type { CommandOf } from '../../protocol/commands'
import type { DomainEvent } from '../events'
import { err, ok, type Result } from '../result'
import type { Card, Participant, ReviewState } from '../types'
import { canSee, isBlind } from '../visibility'
import { votesLeft } from '../votes'
import type { DecideContext, Decision } from './context'
import { ownNote } from './notes'

/**
 * A card the actor may see. A blind card of someone else answers exactly like an unknown id, so
 * no command can probe for hidden critique [CV7].
 */
export function visibleCard(state: ReviewState, cardId: string, actor: Participant): Result<Card> {
  const card = state.cards[cardId]
  if (!card || !canSee(state, card, actor.id))
    return err('NOT_FOUND', 'There is no such card (it may have been deleted).')
  return ok(card)
}

/** Cards are written in critique, and marked late in discussion [CD1] [CD2]; a note can become one [NT4]. */
export function createCard(
  state: ReviewState,
  cmd: CommandOf<'card.create'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const events: DomainEvent[] = []
  let anchor = cmd.anchor
  if (cmd.fromNoteId !== undefined) {
    const note = ownNote(state, cmd.fromNoteId, actor)
    if (!note.ok) return note
    anchor ??= note.value.anchor
    events.push({ type: 'note.deleted', noteId: note.value.id, authorId: actor.id })
  }
  const card: Card = {
    id: ctx.newId(),
    round: state.round,
    authorId: actor.id,
    function: actor.function,
    severity: cmd.severity,
    kind: cmd.kind,
    body: cmd.body,
    ...(anchor ? { anchor } : {}),
    votes: [],
    replies: [],
    ...(state.phase === 'discussion' ? { late: true } : {}),
    createdAt: ctx.now,
  }
  return ok({ events: [{ type: 'card.created', card }, ...events], cardId: card.id })
}

/** How many cards are triaged as duplicates of this one: such an original stays as it is [TR4]. */
export function duplicatesOf(state: ReviewState, cardId: string): number {
  return Object.values(state.cards).filter((c) => c.triage?.duplicateOf === cardId).length
}

/** Only the card's author changes it, in its own round, before it is triaged [CD4]. */
function ownUntriaged(state: ReviewState, cardId: string, actor: Participant): Result<Card> {
  const found = visibleCard(state, cardId, actor)
  if (!found.ok) return found
  const card = found.value
  if (card.authorId !== actor.id) return err('FORBIDDEN', 'Only the card’s author can change or delete it.')
  if (card.round !== state.round)
    return err(
      'INVALID',
      `This card belongs to round ${card.round}; cards of earlier rounds stay as written.`,
    )
  if (card.triage) return err('CONFLICT', 'This card has been triaged already; reply to it instead.')
  return ok(card)
}

export function editCard(
  state: ReviewState,
  cmd: CommandOf<'card.edit'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const found = ownUntriaged(state, cmd.cardId, actor)
  if (!found.ok) return found
  const card = found.value
  const changes: Partial<Pick<Card, 'body' | 'severity' | 'kind'>> = {}
  if (cmd.body !== undefined && cmd.body !== card.body) changes.body = cmd.body
  if (cmd.severity !== undefined && cmd.severity !== card.severity) changes.severity = cmd.severity
  if (cmd.kind !== undefined && cmd.kind !== card.kind) changes.kind = cmd.kind
  if (Object.keys(changes).length === 0) return ok({ events: [] })
  return ok({ events: [{ type: 'card.edited', cardId: card.id, changes, at: ctx.now }] })
}

export function deleteCard(
  state: ReviewState,
  cmd: CommandOf<'card.delete'>,
  actor: Participant,
): Result<Decision> {
  const found = ownUntriaged(state, cmd.cardId, actor)
  if (!found.ok) return found
  const copies = duplicatesOf(state, cmd.cardId)
  if (copies > 0)
    return err('CONFLICT', `${copies} card(s) are marked duplicates of this one; it cannot be deleted.`) // [TR4]
  return ok({ events: [{ type: 'card.deleted', cardId: cmd.cardId }] })
}

/**
 * Votes: one per person per card, this round's cards only, within the per-person budget; an unvote
 * returns the vote to the budget [VT1]–[VT4]. Nobody votes for their own card; duplicates' votes go
 * to the card they duplicate [VT5].
 */
export function voteCard(
  state: ReviewState,
  cmd: CommandOf<'card.vote'>,
  actor: Participant,
): Result<Decision> {
  const found = visibleCard(state, cmd.cardId, actor)
  if (!found.ok) return found
  const card = found.value
  const voted = card.votes.includes(actor.id)
  if (voted === cmd.vote) return ok({ events: [] })
  if (cmd.vote) {
    if (card.authorId === actor.id) return err('FORBIDDEN', 'You cannot vote for your own card.')
    if (card.round !== state.round)
      return err('INVALID', `Votes are for this round’s cards; this card is from round ${card.round}.`)
    if (card.triage?.disposition === 'duplicate')
      return err('INVALID', 'This card is a duplicate; vote for the card it duplicates.')
    if (votesLeft(state, actor.id) <= 0)
      return err(
        'CONFLICT',
        `You have used all ${state.settings.votesPerPerson} votes of this round; take one back to vote here.`,
      )
  }
  return ok({ events: [{ type: 'card.voted', cardId: card.id, participantId: actor.id, vote: cmd.vote }] })
}

/** Replies thread under any revealed card, in discussion and triage [CD6]. */
export function replyCard(
  state: ReviewState,
  cmd: CommandOf<'card.reply'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const found = visibleCard(state, cmd.cardId, actor)
  if (!found.ok) return found
  const reply = { id: ctx.newId(), authorId: actor.id, function: actor.function, body: cmd.body, at: ctx.now }
  return ok({ events: [{ type: 'card.replied', cardId: found.value.id, reply }] })
}

/** The facilitator's spotlight, on a card everyone can see, or off [CD7]. */
export function spotlightCard(state: ReviewState, cmd: CommandOf<'card.spotlight'>): Result<Decision> {
  if (cmd.cardId !== null) {
    const card = state.cards[cmd.cardId]
    if (!card || isBlind(state, card)) return err('NOT_FOUND', 'There is no such card to spotlight.')
  }
  if (cmd.cardId === state.spotlight) return ok({ events: [] })
  return ok({ events: [{ type: 'card.spotlighted', cardId: cmd.cardId }] })
}
