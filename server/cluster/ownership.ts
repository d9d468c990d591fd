import type pg from 'pg'

/**
 * Who owns a review (SCALEOUT §2.2): one `review_owner` row per loaded review, naming the
 * incarnation that alone orders its commands and writes its rows (the store's fence,
 * server/cluster/fence.ts, checks every commit against it).
 *
 * Claim: take the row if it is free, already ours, or held by a dead incarnation. If a
 * live-looking incarnation holds it, `pg_try_advisory_xact_lock(owner)` tells whether its
 * liveness session still exists: if we get the lock, it does not (killed, or PostgreSQL ended
 * it after the idle timeout), so it is marked dead — an UPDATE that waits for any batch it is
 * committing under `FOR SHARE` — and the claim runs again. If not, the owner is alive.
 *
 * Claims and releases of one review run one after the other in this process, so a release
 * (room unloaded) never deletes a claim made after it (the room loaded again).
 */
export type Claim = { mine: true } | { mine: false; owner: string; address: string | null }

export interface Ownership {
  claim(reviewId: string): Promise<Claim>
  /** Gives the review up; call after the room's last write settled. */
  release(reviewId: string): Promise<void>
  /** Gives every review of this incarnation up (drain). */
  releaseAll(): Promise<void>
  /** The live owner of a review, if another process owns it. */
  ownerOf(reviewId: string): Promise<{ owner: string; address: string | null } | null>
}

const CLAIM = `
INSERT INTO review_owner (review_id, incarnation) VALUES ($1, $2)
ON CONFLICT (review_id) DO UPDATE SET incarnation = excluded.incarnation, claimed_at = now()
  WHERE review_owner.incarnation = excluded.incarnation
     OR review_owner.incarnation IN (SELECT incarnation FROM node_lease WHERE dead)
RETURNING incarnation`

const OWNER = `
SELECT o.incarnation, l.address, l.dead FROM review_owner o JOIN node_lease l USING (incarnation)
 WHERE o.review_id = $1`

export function ownership(pool: pg.Pool, incarnation: string): Ownership {
  const chains = new Map<string, Promise<unknown>>()
  const serial = <T>(reviewId: string, fn: () => Promise<T>): Promise<T> => {
    const run = (chains.get(reviewId) ?? Promise.resolve()).then(fn, fn)
    const tail = run.catch(() => undefined)
    chains.set(reviewId, tail)
    void tail.then(() => chains.get(reviewId) === tail && chains.delete(reviewId))
    return run
  }

  /** True if `owner` was dead (its lock was free) and is now marked so. */
  async function takeOver(owner: string): Promise<boolean> {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const got = await client.query<{ free: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS free',
        [owner],
      )
      if (!got.rows[0]?.free) {
        await client.query('ROLLBACK')
        return false
      }
      await client.query(
        'UPDATE node_lease SET dead = true, died_at = now() WHERE incarnation = $1 AND NOT dead',
        [owner],
      )
      await client.query('COMMIT')
      return true
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    } finally {
      client.release()
    }
  }

  const claimOnce = async (reviewId: string): Promise<Claim> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const took = await pool.query(CLAIM, [reviewId, incarnation])
      if (took.rowCount) return { mine: true }
      const held = await pool.query<{ incarnation: string; address: string | null; dead: boolean }>(OWNER, [
        reviewId,
      ])
      const row = held.rows[0]
      if (!row || row.dead) continue // released or died meanwhile: claim again
      if (!(await takeOver(row.incarnation)))
        return { mine: false, owner: row.incarnation, address: row.address }
    }
    throw new Error(`review ${reviewId}: ownership kept changing while claiming it`)
  }

  return {
    claim: (reviewId) => serial(reviewId, () => claimOnce(reviewId)),
    release: (reviewId) =>
      serial(reviewId, async () => {
        await pool.query('DELETE FROM review_owner WHERE review_id = $1 AND incarnation = $2', [
          reviewId,
          incarnation,
        ])
      }),
    releaseAll: async () => {
      await Promise.allSettled([...chains.values()])
      await pool.query('DELETE FROM review_owner WHERE incarnation = $1', [incarnation])
    },
    ownerOf: async (reviewId) => {
      const held = await pool.query<{ incarnation: string; address: string | null; dead: boolean }>(OWNER, [
        reviewId,
      ])
      const row = held.rows[0]
      if (!row || row.dead || row.incarnation === incarnation) return null
      return { owner: row.incarnation, address: row.address }
    },
  }
}
