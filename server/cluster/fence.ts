import type pg from 'pg'

/**
 * The fence on every group-commit transaction when several processes share the database
 * (SCALEOUT §2.2). Inside the batch's transaction, before any row is written:
 *
 * 1. `node_lease` of this incarnation `FOR SHARE`, `NOT dead`. A takeover marks an incarnation
 *    dead with an UPDATE, which waits for this lock: a batch either commits before the takeover
 *    (and the new owner loads after it, so sees it) or finds `dead` and writes nothing.
 * 2. The `review_owner` rows of the batch's reviews held by this incarnation, `FOR SHARE`. Writes
 *    to any other review are refused (the room steps down; its clients retry at the new owner).
 *
 * Writes that create a review pass: nobody else can own a review that does not exist yet.
 */
export interface StoreFence {
  /** This process's incarnation (decimal string). */
  readonly incarnation: string
  /** Every write is refused from now on (the liveness session was lost). */
  fenced(): boolean
  /** This incarnation was found dead: self-fence. */
  nodeDead(): void
  /** These reviews are owned by someone else now: their rooms step down. */
  ownershipLost(reviewIds: readonly string[]): void
}

export class FencedError extends Error {}

/** The reviews among `reviewIds` this incarnation owns; throws FencedError if it is dead. */
export async function fenceBatch(
  client: pg.PoolClient,
  fence: StoreFence,
  reviewIds: readonly string[],
): Promise<Set<string>> {
  if (fence.fenced()) throw new FencedError('This process lost its liveness lease; it writes nothing more.')
  const lease = await client.query('SELECT 1 FROM node_lease WHERE incarnation = $1 AND NOT dead FOR SHARE', [
    fence.incarnation,
  ])
  if (lease.rowCount === 0) {
    fence.nodeDead()
    throw new FencedError('This process was declared dead by another; it writes nothing more.')
  }
  if (reviewIds.length === 0) return new Set()
  const owned = await client.query<{ review_id: string }>(
    `SELECT review_id FROM review_owner WHERE review_id = ANY($1::text[]) AND incarnation = $2 FOR SHARE`,
    [reviewIds, fence.incarnation],
  )
  return new Set(owned.rows.map((r) => r.review_id))
}
