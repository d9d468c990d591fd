import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'

/**
 * The storage port (DESIGN §5). Secrets never reach it in clear: tokens and invite codes arrive
 * as hashes. Every write resolves only once it is durable; the server acknowledges after that.
 */
export interface ReviewRecord {
  id: string
  title: string
  createdAt: number
}

export interface TokenGrant {
  /** sha-256 of the token, base64url. */
  hash: string
  participantId: string
}

export interface InviteGrant {
  /** sha-256 of the invite code, base64url. */
  hash: string
  role: InviteRole
}

/** An invite code sealed by the server's SecretBox, so facilitators can be shown it again [PA12]. */
export interface SealedInvite {
  role: InviteRole
  sealed: string
}

/** A participant's return link: looked up by hash, shown again to its owner from the sealed copy [PA11]. */
export interface ReturnGrant {
  /** sha-256 of the return code, base64url. */
  hash: string
  participantId: string
  sealed: string
}

/** Everything one write changes for one review, committed atomically (all or nothing). */
export interface WriteSet {
  /** Creates the review row; CONFLICT if it exists. */
  review?: ReviewRecord
  /** Appended in order; CONFLICT if any `seq` is already stored for this review. */
  events?: StoredEvent[]
  /** Yjs updates, appended. */
  updates?: Uint8Array[]
  tokens?: TokenGrant[]
  /** Every token and the return link of these participants stop working. */
  revokeTokensOf?: string[]
  /** Each replaces the review's previous invite for that role (the old code stops working). */
  invites?: InviteGrant[]
  roundSnapshot?: { round: number; state: Uint8Array }
  /** Each replaces the review's previous sealed code for that role. */
  sealedInvites?: SealedInvite[]
  /** Each replaces that participant's previous return link (the old one stops working). */
  returnLinks?: ReturnGrant[]
}

export interface StoreMetrics {
  /** Transactions committed; group commit keeps this far below the number of writes. */
  commits: number
}

/**
 * Only what the server calls: every change goes through `write` (group commit, saved before
 * acknowledged), so the contract suite drives exactly the path the server uses.
 */
export interface Store {
  write(reviewId: string, set: WriteSet): Promise<void>

  getReview(reviewId: string): Promise<ReviewRecord | null>
  findToken(hash: string): Promise<{ reviewId: string; participantId: string } | null>
  findInvite(hash: string): Promise<{ reviewId: string; role: InviteRole } | null>
  /** The sealed invite codes of a review (roles without one are missing). */
  listSealedInvites(reviewId: string): Promise<SealedInvite[]>
  findReturnLink(hash: string): Promise<{ reviewId: string; participantId: string } | null>
  getReturnLink(reviewId: string, participantId: string): Promise<{ sealed: string } | null>
  loadEvents(reviewId: string): Promise<StoredEvent[]>
  /** The snapshot (if any) then every later update, oldest first: apply all in one transaction. */
  loadDocument(reviewId: string): Promise<Uint8Array[]>
  loadRoundSnapshot(reviewId: string, round: number): Promise<Uint8Array | null>

  /** The update log is folded into the snapshot row by size (CompactionPolicy), after commits. */
  readonly metrics: StoreMetrics
  /** Commits what is pending, then releases the store; later writes reject with UNAVAILABLE. */
  close(): Promise<void>
}

export type StoreErrorCode = 'CONFLICT' | 'UNAVAILABLE' | 'NOT_FOUND'

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

/** When the update log of one review is folded into its snapshot. */
export interface CompactionPolicy {
  maxBytes: number
  maxRows: number
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxBytes: 1_000_000, maxRows: 2_000 }
