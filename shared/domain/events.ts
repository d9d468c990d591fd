import type {
  Card,
  DecisionRecord,
  InviteRole,
  Note,
  Participant,
  Phase,
  ReadingProgress,
  Reply,
  Role,
  RoundStats,
  Settings,
  Signoff,
  Timer,
  Triage,
} from './types'

/**
 * What happened, as appended to a review's event log. The state is a fold of these
 * (`evolve`). Secrets (invite codes, tokens) never appear in events.
 */
export type DomainEvent =
  | { type: 'review.created'; title: string; settings: Settings; createdAt: number }
  | { type: 'participant.joined'; participant: Participant }
  | { type: 'participant.updated'; participantId: string; roles: Role[] }
  | { type: 'participant.removed'; participantId: string }
  | { type: 'participant.merged'; participantId: string; into: string }
  | { type: 'phase.changed'; from: Phase; to: Phase; round: number }
  | {
      type: 'round.closed'
      round: number
      stats: RoundStats
      outcome: 'revised' | 'go' | 'no-go' | 'iterate'
    }
  | { type: 'timer.set'; timer: Timer | null }
  | { type: 'reading.progressed'; participantId: string; progress: ReadingProgress }
  | { type: 'note.saved'; note: Note }
  | { type: 'note.deleted'; noteId: string; authorId: string }
  | { type: 'invite.rotated'; role: InviteRole }
  | { type: 'settings.updated'; settings: Partial<Settings> }
  | { type: 'card.created'; card: Card }
  | {
      type: 'card.edited'
      cardId: string
      changes: Partial<Pick<Card, 'body' | 'severity' | 'kind'>>
      at: number
    }
  | { type: 'card.deleted'; cardId: string }
  | { type: 'card.voted'; cardId: string; participantId: string; vote: boolean }
  | { type: 'card.replied'; cardId: string; reply: Reply }
  | { type: 'card.spotlighted'; cardId: string | null }
  | { type: 'card.triaged'; cardId: string; triage: Triage }
  | { type: 'revision.checked'; cardId: string; done: boolean }
  | { type: 'decision.signedoff'; signoff: Signoff }
  | { type: 'decision.recorded'; record: DecisionRecord }

/** An event as stored: numbered per review (`reviewId, seq` unique), stamped and attributed. */
export type StoredEvent = DomainEvent & { seq: number; at: number; actorId: string; commandId?: string }
