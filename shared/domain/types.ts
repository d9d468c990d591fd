/**
 * The review's server-authoritative state (DESIGN §3). Plain data only: no clocks, ids or I/O;
 * those are passed in by the caller. The Yjs document is the other channel and is not in here.
 */

export const FUNCTIONS = [
  'engineering',
  'design',
  'finance',
  'marketing',
  'legal',
  'leadership',
  'product',
  'other',
] as const
export type Func = (typeof FUNCTIONS)[number]

export const ROLES = ['facilitator', 'author', 'reviewer', 'decider', 'observer'] as const
export type Role = (typeof ROLES)[number]

/** Roles an invite link can grant; facilitation is never handed out by link. */
export const INVITE_ROLES = ['author', 'reviewer', 'decider', 'observer'] as const
export type InviteRole = (typeof INVITE_ROLES)[number]

export const PHASES = [
  'draft',
  'reading',
  'critique',
  'discussion',
  'triage',
  'revision',
  'decision',
  'closed',
] as const
export type Phase = (typeof PHASES)[number]

export const SEVERITIES = ['fatal', 'structural', 'minor'] as const
export type Severity = (typeof SEVERITIES)[number]

export const KINDS = ['concern', 'question', 'suggestion', 'praise'] as const
export type Kind = (typeof KINDS)[number]

export const DISPOSITIONS = ['accepted', 'rejected', 'deferred', 'duplicate', 'answered'] as const
export type Disposition = (typeof DISPOSITIONS)[number]

export const STANCES = ['approve', 'concern', 'block'] as const
export type Stance = (typeof STANCES)[number]

export const OUTCOMES = ['go', 'no-go', 'iterate'] as const
export type Outcome = (typeof OUTCOMES)[number]

export interface Participant {
  id: string
  name: string
  function: Func
  roles: Role[]
  joinedAt: number
  /** Set when the facilitator removed them: their token no longer works. */
  removed?: boolean
  /** The last round this participant finished reading (what-changed view starts there). */
  lastReadRound?: number
}

/**
 * A passage in the Yjs document: relative positions (base64 of Y.encodeRelativePosition) plus
 * the quoted text with a little context, so the passage can be re-found after rewrites.
 */
export interface Anchor {
  start: string
  end: string
  quote: string
  prefix: string
  suffix: string
  /** Heading text of the section the passage was in when anchored. */
  section?: string
}

export interface ReadingProgress {
  percent: number
  sectionsRead: string[]
  done: boolean
  round: number
  at: number
}

export interface Note {
  id: string
  authorId: string
  body: string
  anchor?: Anchor
  round: number
  /** When the note was first saved (it keeps its place in lists). */
  at: number
  editedAt?: number
}

export interface Reply {
  id: string
  authorId: string
  function: Func
  body: string
  at: number
}

export interface Triage {
  disposition: Disposition
  reason?: string
  duplicateOf?: string
  answer?: string
  /** With `answered`: the FAQ the author chose for it [TR9]. */
  faq?: 'external' | 'internal'
  by: string
  at: number
}

export interface Card {
  id: string
  round: number
  authorId: string
  function: Func
  severity: Severity
  kind: Kind
  body: string
  anchor?: Anchor
  /** Participant ids who voted for it (one vote per person per card). */
  votes: string[]
  replies: Reply[]
  triage?: Triage
  /** Written in `discussion`, after the reveal. */
  late?: boolean
  /** Revision item ticked off (accepted cards, in `revision`). */
  done?: boolean
  createdAt: number
  editedAt?: number
}

export interface Settings {
  blindCritique: boolean
  anonymousByFunction: boolean
  votesPerPerson: number
}

export const DEFAULT_SETTINGS: Settings = {
  blindCritique: true,
  anonymousByFunction: false,
  votesPerPerson: 5,
}

export interface Timer {
  seconds: number
  /** Epoch ms when it was set; it ends at startedAt + seconds * 1000 and moves nothing. */
  startedAt: number
}

export type CountBy<K extends string> = Partial<Record<K, number>>

/** Statistics of one closed round (DESIGN §3, Rounds). */
export interface RoundStats {
  cards: number
  bySeverity: CountBy<Severity>
  byKind: CountBy<Kind>
  byFunction: CountBy<Func>
  byDisposition: CountBy<Disposition | 'untriaged'>
  /** Severity counts per function, for the per-function convergence chart. */
  severityByFunction: Partial<Record<Func, CountBy<Severity>>>
  revisionItems: number
  revisionDone: number
  /** Open risks: `TBD`s in the document when the round closed. */
  openRisks: number
}

export interface RoundRecord {
  round: number
  openedAt: number
  closedAt?: number
  stats?: RoundStats
  /** What ended the round: the next reading, or a decision outcome. */
  outcome?: 'revised' | Outcome
}

export interface Signoff {
  participantId: string
  function: Func
  stance: Stance
  rationale: string
  conditions?: string
  round: number
  at: number
}

export interface DecisionRecord {
  outcome: Outcome
  summary: string
  by: string
  round: number
  at: number
}

export interface ReviewState {
  id: string
  title: string
  createdAt: number
  phase: Phase
  round: number
  /** Phase the review was in when it was archived (no-go) or frozen (go); null while open. */
  timer: Timer | null
  settings: Settings
  participants: Record<string, Participant>
  progress: Record<string, ReadingProgress>
  notes: Record<string, Note>
  cards: Record<string, Card>
  spotlight: string | null
  rounds: RoundRecord[]
  signoffs: Record<string, Signoff>
  decisions: DecisionRecord[]
  /** `go` froze the document as the reference version. */
  frozen: boolean
  /** `no-go` archived the review read-only (it can be reopened as a new round). */
  archived: boolean
  /** Bumped per role by `invite.rotate`; the codes themselves live only in the store, hashed. */
  inviteVersions: Partial<Record<InviteRole, number>>
  seq: number
  /** When the last event happened (a review list shows it as last activity). */
  lastEventAt?: number
}
