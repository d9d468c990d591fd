import type { DomainEvent } from '../events'

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
