/**
 * Yjs client ids whose document copy holds a change too large for one WebSocket frame, per
 * review. `ws` closes such a connection itself with 1009 (a transient code) before we see a byte
 * of it, and y-websocket then reconnects and answers our step 1 with the same change: a loop
 * every ~200 ms (SCALEOUT §4.4: oversized updates must get a permanent 4413). Remembering who
 * held it lets the next connection be told TOO_LARGE and closed 4413 before it resends.
 */
const TTL_MS = 60 * 60 * 1000
/** Ids kept per review: enough for any real set of tools, bounded against a hostile one. */
const PER_REVIEW = 256

export class OversizedClients {
  private readonly byReview = new Map<string, Map<number, number>>()

  constructor(private readonly clock: () => number) {}

  add(reviewId: string, clientIds: Iterable<number>): void {
    const now = this.clock()
    let ids = this.byReview.get(reviewId)
    if (!ids) this.byReview.set(reviewId, (ids = new Map()))
    for (const id of clientIds) {
      ids.delete(id)
      ids.set(id, now + TTL_MS)
    }
    for (const [id, until] of ids) if (until <= now || ids.size > PER_REVIEW) ids.delete(id)
  }

  /** Whether any of these client ids was seen holding an oversized change (and not long ago). */
  holdsAny(reviewId: string, clientIds: readonly number[]): boolean {
    const ids = this.byReview.get(reviewId)
    if (!ids) return false
    const now = this.clock()
    return clientIds.some((id) => (ids.get(id) ?? 0) > now)
  }
}
