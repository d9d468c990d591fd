import {
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
  type Awareness,
} from 'y-protocols/awareness'
import { writeAwareness, type AwarenessEntry } from '../ywebsocket/messages'
import { AwarenessGate } from './awarenessGate'
import { isPeer, type RoomMember } from './peer'
import type { Room } from './room'

/** Rooms with more sockets than this relay awareness in batches. */
const AWARENESS_BATCH_ABOVE = 50
const AWARENESS_WINDOW_MS = 50

/**
 * Carets and names (y-protocols awareness) per room: applied to the room's Awareness, relayed
 * to the others as the same bytes, sent in full to a joiner, and a connection's state removed
 * when it leaves so nobody keeps a ghost caret. What a connection may set is decided by the
 * room's `AwarenessGate` (its own client id only, states up to 4 KB, bytes rate-limited per
 * person, H2), the same for Socket.IO sockets and y-websocket sessions.
 */
export class Presence {
  readonly gate: AwarenessGate
  /** The connection whose update is being applied, and whether it changed anything. */
  private applying: RoomMember | null = null
  private changed = false
  private readonly onUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this.applying && origin !== null) this.changed = true
    if (this.collecting)
      for (const id of [...change.added, ...change.updated, ...change.removed]) this.batch.add(id)
  }

  constructor(
    private readonly room: Room,
    private readonly awareness: Awareness,
  ) {
    this.gate = new AwarenessGate(room.deps.clock)
    awareness.on('update', this.onUpdate)
  }

  /** Client ids changed since the last batched relay (large rooms only). */
  private batch = new Set<number>()
  private batchTimer: NodeJS.Timeout | null = null
  private collecting = false

  /** What `member` may apply of `bytes` (AwarenessGate.admit); null when nothing. */
  admit(member: RoomMember, bytes: Uint8Array): AwarenessEntry[] | null {
    return this.room.destroyed ? null : this.gate.admit(member, bytes)
  }

  /** Admits, then applies and relays what passed: what a Socket.IO socket sends. */
  receive(member: RoomMember, bytes: Uint8Array): void {
    const entries = this.admit(member, bytes)
    if (entries) this.apply(member, entries)
  }

  /**
   * Applies admitted entries and relays them; unreadable states are dropped (awareness has no
   * ack). In a small room the same bytes go on at once. In a large one, N people moving carets
   * would cost N² messages a second: their changes are gathered for `AWARENESS_WINDOW_MS` and
   * sent as one update (one encoding, one message per recipient) — carets may lag a little,
   * edits never do.
   */
  apply(member: RoomMember, entries: AwarenessEntry[]): void {
    const bytes = writeAwareness(entries)
    // Setting a state costs its bytes from the person's allowance; removing one is always let through.
    const cost = entries.reduce((n, e) => n + (e.json === 'null' ? 0 : e.json.length), 0)
    if (cost > 0 && !this.gate.spend(member, cost)) return
    const large = this.room.sockets.size > AWARENESS_BATCH_ABOVE
    this.collecting = large
    this.applying = member
    this.changed = false
    try {
      applyAwarenessUpdate(this.awareness, bytes, member)
    } catch {
      return
    } finally {
      this.collecting = false
      this.applying = null
    }
    if (!this.changed) return
    if (!large) {
      this.relay(bytes, member)
      return
    }
    this.batchTimer ??= setTimeout(() => this.flushBatch(), AWARENESS_WINDOW_MS)
  }

  private flushBatch(): void {
    this.batchTimer = null
    const ids = [...this.batch].filter((id) => this.awareness.meta.has(id))
    this.batch.clear()
    if (ids.length === 0 || this.room.destroyed) return
    this.relay(encodeAwarenessUpdate(this.awareness, ids), null)
  }

  /** To every socket and peer of the room but `sender`. */
  private relay(bytes: Uint8Array, sender: RoomMember | null): void {
    const target = sender && !isPeer(sender) ? sender.to(this.room.key) : this.room.deps.nsp.to(this.room.key)
    target.emit('yjs:awareness', bytes)
    for (const peer of this.room.peers.values()) if (peer !== sender) peer.sendAwareness(bytes)
  }

  sendAll(socket: RoomMember): void {
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length === 0) return
    const bytes = encodeAwarenessUpdate(this.awareness, clients)
    if (isPeer(socket)) socket.sendAwareness(bytes)
    else socket.emit('yjs:awareness', bytes)
  }

  /** The connection left: its own state (and only its own) is removed for everyone. */
  leave(member: RoomMember): void {
    const id = this.gate.release(member)
    if (id === null || !this.awareness.getStates().has(id)) return
    removeAwarenessStates(this.awareness, [id], 'disconnect')
    // Encoded after removal: the id goes out with a null state, which peers read as "gone".
    this.relay(encodeAwarenessUpdate(this.awareness, [id]), null)
  }

  destroy(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer)
    this.batchTimer = null
    this.awareness.off('update', this.onUpdate)
    this.gate.clear()
  }
}
