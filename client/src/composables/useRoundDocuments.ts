import type { Block } from '../../../shared/doc/blocks'
import type { WireError } from '../../../shared/protocol/errors'

/** The part of `GET /api/reviews/:id/rounds/:n/document` the client reads (docs/protocol.md). */
export interface RoundDocumentBody {
  round: number
  current: boolean
  closedAt?: number
  blocks: Block[]
}

/**
 * Documents of closed rounds, fetched once per board: a closed round's document never changes.
 * The open round is read from the live Y.Doc instead, never from here.
 */
export function useRoundDocuments(reviewId: string, token: string) {
  const cache = new Map<number, Promise<RoundDocumentBody>>()

  async function load(round: number): Promise<RoundDocumentBody> {
    const res = await fetch(`/api/reviews/${encodeURIComponent(reviewId)}/rounds/${round}/document`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await res.json().catch(() => ({}))) as RoundDocumentBody & { error?: WireError }
    if (!res.ok) throw new Error(body.error?.message ?? `Round ${round} could not be loaded (${res.status}).`)
    return body
  }

  function roundDocument(round: number): Promise<RoundDocumentBody> {
    let p = cache.get(round)
    if (!p) {
      p = load(round)
      cache.set(round, p)
      p.catch(() => cache.delete(round))
    }
    return p
  }

  return { roundDocument }
}
