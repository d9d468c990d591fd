import type {
  Anchor,
  Card,
  DecisionRecord,
  Func,
  Note,
  Phase,
  ReadingProgress,
  Reply,
  Role,
  RoundRecord,
  Settings,
  Signoff,
  Timer,
  Triage,
} from '../domain/types'

/**
 * What one participant may see of a review: the projection of DESIGN §1. Computed on the
 * server per recipient (`project` in shared/domain/projection.ts); nothing outside it is sent.
 */
export interface ParticipantView {
  id: string
  name: string
  function: Func
  roles: Role[]
  online: boolean
  removed?: boolean
  lastReadRound?: number
}

export interface ReplyView extends Omit<Reply, 'authorId'> {
  /** Absent when the review is anonymous by function. */
  authorId?: string
}

/** A card as sent: `authorId` is left out when the review is anonymous by function. */
export interface CardView extends Omit<Card, 'authorId' | 'replies' | 'votes'> {
  authorId?: string
  /** Count of votes, duplicates' votes merged in. */
  votes: number
  /** Whether the viewer voted for it. */
  myVote: boolean
  replies: ReplyView[]
  /** True for the viewer's own card. */
  mine: boolean
}

export interface ProgressView extends ReadingProgress {
  participantId: string
}

export interface DecisionView {
  signoffs: Signoff[]
  records: DecisionRecord[]
}

export interface BoardState {
  seq: number
  reviewId: string
  title: string
  createdAt: number
  phase: Phase
  round: number
  timer: Timer | null
  settings: Settings
  me: ParticipantView
  participants: ParticipantView[]
  cards: CardView[]
  /** Cards this participant may not see yet, counted per function ("Legal: 3 cards written"). */
  hiddenCardCounts: Partial<Record<Func, number>>
  notes: Note[]
  /** The facilitator sees everyone's; others their own. */
  progress: ProgressView[]
  spotlight: string | null
  rounds: RoundRecord[]
  decision: DecisionView
  frozen: boolean
  archived: boolean
  /** Votes the viewer has left this round. */
  votesLeft: number
}

/**
 * The change one event makes to one participant's projection: keyed upserts and removals for
 * collections, replacements for the rest. Computed by diffing projections, so it can never hold
 * more than the recipient's own projection does.
 */
export interface BoardPatch {
  title?: string
  phase?: Phase
  round?: number
  timer?: Timer | null
  settings?: Settings
  me?: ParticipantView
  participants?: ParticipantView[]
  removedParticipants?: string[]
  cards?: CardView[]
  removedCards?: string[]
  hiddenCardCounts?: Partial<Record<Func, number>>
  notes?: Note[]
  removedNotes?: string[]
  progress?: ProgressView[]
  removedProgress?: string[]
  spotlight?: string | null
  rounds?: RoundRecord[]
  decision?: DecisionView
  frozen?: boolean
  archived?: boolean
  votesLeft?: number
}

export interface BoardEvent {
  seq: number
  /** The domain event type, or `presence.changed` (not logged: who is online). */
  type: string
  at: number
  patch: BoardPatch
}

export type { Anchor, Triage }
