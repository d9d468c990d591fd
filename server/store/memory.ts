import type { StoredEvent } from '../../shared/domain/events'
import type { InviteRole } from '../../shared/domain/types'
import { foldUpdates } from './compaction'
import { GroupCommit } from './groupCommit'
import {
  DEFAULT_COMPACTION,
  StoreError,
  type CompactionPolicy,
  type ReviewRecord,
  type Store,
  type StoreMetrics,
  type WriteSet,
} from './types'

interface ReviewData {
  record: ReviewRecord
  events: StoredEvent[]
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  updateBytes: number
  rounds: Map<number, Uint8Array>
}

const copy = (u: Uint8Array): Uint8Array => {
  const out = new Uint8Array(u.byteLength)
  out.set(u)
  return out
}

/**
 * The in-memory adapter: same contract as SQLite (group commit included), nothing durable.
 * Each write checks everything before it changes anything, so a refused write changes nothing.
 */
export function createMemoryStore(policy: CompactionPolicy = DEFAULT_COMPACTION): Store {
  const reviews = new Map<string, ReviewData>()
  const tokens = new Map<string, { reviewId: string; participantId: string }>()
  const invites = new Map<string, { reviewId: string; role: InviteRole }>()
  const dirty = new Set<string>()
  /** `reviewId:role` → sealed invite code; `hash` → return link. */
  const sealedInvites = new Map<string, { reviewId: string; role: InviteRole; sealed: string }>()
  const returnLinks = new Map<string, { reviewId: string; participantId: string; sealed: string }>()
  const dropReturnLink = (reviewId: string, participantId: string) => {
    for (const [hash, r] of returnLinks)
      if (r.reviewId === reviewId && r.participantId === participantId) returnLinks.delete(hash)
  }

  const compactNow = (id: string): void => {
    const r = reviews.get(id)
    if (!r || r.updates.length === 0) return
    r.snapshot = foldUpdates(r.snapshot ? [r.snapshot, ...r.updates] : r.updates)
    r.updates = []
    r.updateBytes = 0
  }
  const group = new GroupCommit(
    (body) => body(),
    (op) => op(),
    () => {
      for (const id of dirty) {
        const r = reviews.get(id)
        if (r && (r.updateBytes > policy.maxBytes || r.updates.length > policy.maxRows)) compactNow(id)
      }
      dirty.clear()
    },
  )

  const apply = (reviewId: string, set: WriteSet): void => {
    const existing = reviews.get(reviewId)
    if (set.review && existing) throw new StoreError('CONFLICT', `Review ${reviewId} exists already.`)
    if (!set.review && !existing) throw new StoreError('NOT_FOUND', `Review ${reviewId} does not exist.`)
    const r: ReviewData = existing ?? {
      record: { ...set.review! },
      events: [],
      snapshot: null,
      updates: [],
      updateBytes: 0,
      rounds: new Map(),
    }
    const seqs = new Set(r.events.map((e) => e.seq))
    for (const e of set.events ?? []) {
      if (seqs.has(e.seq))
        throw new StoreError('CONFLICT', `Event ${e.seq} of review ${reviewId} exists already.`)
      seqs.add(e.seq)
    }
    for (const t of set.tokens ?? [])
      if (tokens.has(t.hash)) throw new StoreError('CONFLICT', 'Token exists.')
    for (const l of set.returnLinks ?? [])
      if (returnLinks.has(l.hash)) throw new StoreError('CONFLICT', 'Return link exists.')
    reviews.set(reviewId, r)
    for (const e of set.events ?? []) r.events.push(structuredClone(e))
    for (const u of set.updates ?? []) {
      r.updates.push(copy(u))
      r.updateBytes += u.byteLength
      dirty.add(reviewId)
    }
    const revoked = new Set(set.revokeTokensOf ?? [])
    if (revoked.size > 0)
      for (const [hash, t] of tokens)
        if (t.reviewId === reviewId && revoked.has(t.participantId)) tokens.delete(hash)
    for (const p of revoked) dropReturnLink(reviewId, p)
    for (const t of set.tokens ?? []) tokens.set(t.hash, { reviewId, participantId: t.participantId })
    for (const i of set.invites ?? []) {
      for (const [hash, old] of invites)
        if (old.reviewId === reviewId && old.role === i.role) invites.delete(hash)
      invites.set(i.hash, { reviewId, role: i.role })
    }
    if (set.roundSnapshot) r.rounds.set(set.roundSnapshot.round, copy(set.roundSnapshot.state))
    for (const i of set.sealedInvites ?? []) sealedInvites.set(`${reviewId}:${i.role}`, { reviewId, ...i })
    for (const l of set.returnLinks ?? []) {
      dropReturnLink(reviewId, l.participantId)
      returnLinks.set(l.hash, { reviewId, participantId: l.participantId, sealed: l.sealed })
    }
  }

  const metrics: StoreMetrics = {
    get commits() {
      return group.commits
    },
  }

  return {
    metrics,
    write: (reviewId, set) => group.enqueue(() => apply(reviewId, set)),
    getReview: async (id) => {
      const r = reviews.get(id)
      return r ? { ...r.record } : null
    },
    findToken: async (hash) => tokens.get(hash) ?? null,
    findInvite: async (hash) => invites.get(hash) ?? null,
    listSealedInvites: async (id) =>
      [...sealedInvites.values()]
        .filter((i) => i.reviewId === id)
        .map(({ role, sealed }) => ({ role, sealed })),
    findReturnLink: async (hash) => {
      const r = returnLinks.get(hash)
      return r ? { reviewId: r.reviewId, participantId: r.participantId } : null
    },
    getReturnLink: async (id, participantId) => {
      for (const r of returnLinks.values())
        if (r.reviewId === id && r.participantId === participantId) return { sealed: r.sealed }
      return null
    },
    loadEvents: async (id) => (reviews.get(id)?.events ?? []).map((e) => structuredClone(e)),
    loadDocument: async (id) => {
      const r = reviews.get(id)
      if (!r) return []
      return [...(r.snapshot ? [r.snapshot] : []), ...r.updates].map(copy)
    },
    loadRoundSnapshot: async (id, round) => {
      const s = reviews.get(id)?.rounds.get(round)
      return s ? copy(s) : null
    },
    close: async () => group.close(),
  }
}
