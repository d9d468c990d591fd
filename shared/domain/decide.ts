import type { Command } from '../protocol/commands'
import type { DomainEvent } from './events'
import { err, type Result } from './result'
import type { Participant, ReviewState } from './types'

/** What the caller passes in: the domain has no clock, no randomness and no I/O. */
export interface DecideContext {
  now: number
  newId: () => string
  /** `TBD`s in the document now, counted by the server when a round closes. */
  openRisks?: number
}

export interface Decision {
  events: DomainEvent[]
  /** The id of a card the command created (for the `card.create` ack). */
  cardId?: string
}

/**
 * Checks one command against the rules and says what happens. Pure; a refusal is a value with
 * a code and a sentence, and the state is untouched.
 */
export function decide(
  state: ReviewState,
  cmd: Command,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  void state
  void actor
  void ctx
  return err('INVALID', `The command ${cmd.type} is not supported yet.`)
}
