import * as Y from 'yjs'
import type { StoredEvent } from '../../shared/domain/events'
import { readDocText } from '../../shared/doc/docText'
import { FRAGMENT } from '../../shared/doc/yjsBlocks'
import type {
  InviteGrant,
  ReturnGrant,
  ReviewRecord,
  SealedInvite,
  Store,
  TokenGrant,
  WriteSet,
} from './types'

/**
 * Everything a store holds for one review, read by an adapter's exporter (sqliteExport.ts), so
 * `npm run migrate-store` can move a review from one store to another THROUGH THE PORT: the
 * copy is written with `Store.write` and checked with the port's reads, the same paths the
 * server uses, instead of table copies that would drift from the schema.
 */
export interface ReviewDump {
  review: ReviewRecord
  events: StoredEvent[]
  /** The snapshot (if any), then every later update, oldest first. */
  document: Uint8Array[]
  rounds: Array<{ round: number; state: Uint8Array }>
  /** Hashes only, as stored: the tokens themselves never were. */
  tokens: TokenGrant[]
  invites: InviteGrant[]
  sealedInvites: SealedInvite[]
  returnLinks: ReturnGrant[]
}

/** A store's contents as dumps, one review at a time (a large store never sits in memory whole). */
export interface StoreExporter {
  /** Every review id, oldest review first. */
  reviewIds(): string[]
  dump(reviewId: string): ReviewDump
  close(): void
}

/**
 * The writes that recreate a dump in a store. The first carries the review row and everything
 * else but the later round snapshots (one write holds one), so it is all or nothing: a failure
 * there leaves no trace of the review in the target.
 */
export function writesOf(dump: ReviewDump): WriteSet[] {
  const [first, ...rest] = dump.rounds
  return [
    {
      review: dump.review,
      events: dump.events,
      updates: dump.document,
      tokens: dump.tokens,
      invites: dump.invites,
      sealedInvites: dump.sealedInvites,
      returnLinks: dump.returnLinks,
      ...(first ? { roundSnapshot: first } : {}),
    },
    ...rest.map((roundSnapshot) => ({ roundSnapshot })),
  ]
}

export interface DocumentContent {
  /** The document as XML (every block, mark and attribute): what a reader sees. */
  xml: string
  /** Its plain text (for a summary). */
  text: string
  snapshot: Y.Snapshot
}

/** What a document's parts add up to; two copies are the same when their snapshots are equal. */
export function documentContent(parts: readonly Uint8Array[]): DocumentContent {
  const doc = new Y.Doc({ gc: false })
  doc.transact(() => parts.forEach((p) => Y.applyUpdate(doc, p)))
  const content = {
    xml: doc.getXmlFragment(FRAGMENT).toString(),
    text: readDocText(doc).text,
    snapshot: Y.snapshot(doc),
  }
  doc.destroy()
  return content
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null): boolean =>
  a !== null && b !== null && Buffer.from(a).equals(Buffer.from(b))

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b))

/**
 * Reads the review back from `target` through the port and lists every way it differs from the
 * dump (empty: the copy reads the same). Document by content (state vector, deletions and the
 * text), the log event by event, each round snapshot, token, invite and return link.
 */
export async function differences(dump: ReviewDump, target: Store): Promise<string[]> {
  const id = dump.review.id
  const out: string[] = []
  const review = await target.getReview(id)
  if (JSON.stringify(review) !== JSON.stringify(dump.review)) out.push('the review row differs')

  const events = await target.loadEvents(id)
  if (events.length !== dump.events.length)
    out.push(`${events.length} events instead of ${dump.events.length}`)
  else {
    const at = events.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(dump.events[i]))
    if (at >= 0) out.push(`event ${dump.events[at]!.seq} differs`)
  }

  const want = documentContent(dump.document)
  const got = documentContent(await target.loadDocument(id))
  if (got.xml !== want.xml) out.push('the document text differs')
  else if (!Y.equalSnapshots(got.snapshot, want.snapshot)) out.push('the document history differs')

  for (const r of dump.rounds)
    if (!sameBytes(await target.loadRoundSnapshot(id, r.round), r.state))
      out.push(`round ${r.round} snapshot differs`)
  for (const t of dump.tokens) {
    const found = await target.findToken(t.hash)
    if (found?.reviewId !== id || found.participantId !== t.participantId)
      out.push(`a token of ${t.participantId} does not work`)
  }
  for (const i of dump.invites) {
    const found = await target.findInvite(i.hash)
    if (found?.reviewId !== id || found.role !== i.role) out.push(`the ${i.role} invite does not work`)
  }
  const sealed = (await target.listSealedInvites(id)).sort(byKey((s) => s.role))
  const wantSealed = [...dump.sealedInvites].sort(byKey((s) => s.role))
  if (JSON.stringify(sealed) !== JSON.stringify(wantSealed)) out.push('the sealed invite codes differ')
  for (const r of dump.returnLinks) {
    const found = await target.findReturnLink(r.hash)
    const shown = await target.getReturnLink(id, r.participantId)
    if (found?.reviewId !== id || found.participantId !== r.participantId || shown?.sealed !== r.sealed)
      out.push(`the return link of ${r.participantId} does not work`)
  }
  return out
}
