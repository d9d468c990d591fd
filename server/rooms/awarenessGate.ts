import { readAwareness, type AwarenessEntry } from '../ywebsocket/messages'
import { TokenBucket } from '../socket/rateLimit'
import { isPeer, type RoomMember } from './peer'

const personOf = (m: RoomMember): string => (isPeer(m) ? m.participantId : m.data.participantId)

/** Bytes of one awareness state (JSON) kept and relayed; a larger state is dropped (H2). */
export const AWARENESS_STATE_BYTES = 4 * 1024
/** An awareness update larger than this is dropped unread: no connection sends one of its own. */
export const AWARENESS_UPDATE_BYTES = 64 * 1024
/**
 * Bytes of states one person may have kept and relayed, across all of their connections (H2):
 * a caret and a name are a few hundred bytes, so 60 moves a second fit in the rate; a client
 * sending 4 KB states as fast as it may is held to it. What is over it is dropped, like any
 * awareness message over its limit: the next one carries the latest state.
 */
export const AWARENESS_BYTES_PER_SEC = 32 * 1024
export const AWARENESS_BYTES_BURST = 64 * 1024
/** Client ids one person may bind in a room's life (a page load or a rebuilt editor is one). */
export const AWARENESS_IDS_PER_PERSON = 1000

/**
 * Who may set which awareness state, for every kind of connection (Socket.IO sockets and
 * y-websocket sessions alike): written once here because y-protocols' Awareness applies any
 * state with a higher clock, for any client id, from anyone.
 *
 * A connection is bound to the first client id it sets (one no other connection holds, and that
 * no other person ever used in this room); afterwards only that id's entries pass, so nobody can
 * set, rename or remove another person's caret, and echoes of others' states (y-websocket sends
 * them back) are dropped. Once it removes its own state it may bind a fresh id the same way. A state over 4 KB is
 * dropped, never kept, relayed or replayed; the bytes a person has relayed are rate-limited.
 */
export class AwarenessGate {
  /** The client id each connection may set. */
  private readonly bound = new Map<string, number>()
  /** The connection holding each client id now. */
  private readonly holders = new Map<number, string>()
  /** The person each client id ever belonged to in this room: never someone else's afterwards. */
  private readonly owners = new Map<number, string>()
  private readonly budgets = new Map<string, TokenBucket>()
  /** How many client ids each person has bound in this room. */
  private readonly idsOf = new Map<string, number>()

  constructor(private readonly clock: () => number = Date.now) {}

  /** The entries of `update` this connection may apply (its own id, ≤ 4 KB); null when none. */
  admit(member: RoomMember, update: Uint8Array): AwarenessEntry[] | null {
    if (update.byteLength > AWARENESS_UPDATE_BYTES) return null
    const entries = readAwareness(update)
    if (!entries) return null
    let id = this.bound.get(member.id)
    if (id === undefined) {
      const own = entries.find((e) => e.json !== 'null' && this.mayBind(member, e.clientId))
      if (!own) return null
      id = own.clientId
      const person = personOf(member)
      if (!this.owners.has(id)) {
        // Each id bound is remembered for the room's life: a client cycling ids grows nothing unbounded.
        const used = this.idsOf.get(person) ?? 0
        if (used >= AWARENESS_IDS_PER_PERSON) return null
        this.idsOf.set(person, used + 1)
      }
      this.bound.set(member.id, id)
      this.holders.set(id, member.id)
      this.owners.set(id, person)
    }
    const kept = entries.filter(
      (e) => e.clientId === id && Buffer.byteLength(e.json) <= AWARENESS_STATE_BYTES,
    )
    // Removing its own state frees the connection to bind a fresh id (an editor rebuilt from the
    // server's state gets a new Y.Doc); never one of another person's.
    if (kept.some((e) => e.json === 'null')) this.release(member)
    return kept.length > 0 ? kept : null
  }

  private mayBind(member: RoomMember, clientId: number): boolean {
    const owner = this.owners.get(clientId)
    return (owner === undefined || owner === personOf(member)) && !this.holders.has(clientId)
  }

  /** Takes `bytes` from the person's relay allowance; false (nothing taken) when it is spent. */
  spend(member: RoomMember, bytes: number): boolean {
    const person = personOf(member)
    let budget = this.budgets.get(person)
    if (!budget)
      this.budgets.set(
        person,
        (budget = new TokenBucket(AWARENESS_BYTES_PER_SEC, AWARENESS_BYTES_BURST, this.clock)),
      )
    return budget.take(bytes)
  }

  /** The client id this connection may set, once bound. */
  boundId(member: RoomMember): number | null {
    return this.bound.get(member.id) ?? null
  }

  /** The connection left: the id it held (its state is to be removed), now free for its person. */
  release(member: RoomMember): number | null {
    const id = this.bound.get(member.id)
    this.bound.delete(member.id)
    if (id === undefined || this.holders.get(id) !== member.id) return null
    this.holders.delete(id)
    return id
  }

  clear(): void {
    this.bound.clear()
    this.holders.clear()
    this.owners.clear()
    this.budgets.clear()
    this.idsOf.clear()
  }
}
