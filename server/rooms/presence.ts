import {
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
  type Awareness,
} from 'y-protocols/awareness'
import { isPeer, type RoomMember } from './peer'
import type { Room } from './room'

/** Rooms with more sockets than this relay awareness in batches. */
const AWARENESS_BATCH_ABOVE = 50
const AWARENESS_WINDOW_MS = 50

/**
 * Carets and names (y-protocols awareness) per room: applied to the room's Awareness, relayed
 * to the others as the same bytes, sent in full to a joiner, and a socket's client ids removed
 * when it leaves so nobody keeps a ghost caret.
 */
export class Presence {
  private readonly idsBySocket = new Map<string, Set<number>>()
  private readonly onUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const socket = origin as RoomMember | undefined
    if (!socket || typeof socket !== 'object' || !('id' in socket)) return
    let ids = this.idsBySocket.get(socket.id)
    if (!ids) this.idsBySocket.set(socket.id, (ids = new Set()))
    for (const id of [...change.added, ...change.updated]) ids.add(id)
    for (const id of change.removed) ids.delete(id)
    if (this.collecting)
      for (const id of [...change.added, ...change.updated, ...change.removed]) this.batch.add(id)
  }

  constructor(
    private readonly room: Room,
    private readonly awareness: Awareness,
  ) {
    awareness.on('update', this.onUpdate)
  }

  /** Client ids changed since the last batched relay (large rooms only). */
  private batch = new Set<number>()
  private batchTimer: NodeJS.Timeout | null = null
  private collecting = false

  /**
   * Applies and relays; malformed bytes are dropped (awareness has no ack). In a small room the
   * same bytes go on at once. In a large one, N people moving carets would cost N² messages a
   * second: their changes are gathered for `AWARENESS_WINDOW_MS` and sent as one update (one
   * encoding, one message per recipient) — carets may lag a little, edits never do.
   */
  receive(socket: RoomMember, bytes: Uint8Array): void {
    const large = this.room.sockets.size > AWARENESS_BATCH_ABOVE
    this.collecting = large
    try {
      applyAwarenessUpdate(this.awareness, bytes, socket)
    } catch {
      return
    } finally {
      this.collecting = false
    }
    if (!large) {
      this.relay(bytes, socket)
      return
    }
    this.batchTimer ??= setTimeout(() => this.flushBatch(), AWARENESS_WINDOW_MS)
  }

  private flushBatch(): void {
    this.batchTimer = null
    const ids = [...this.batch]
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

  leave(socket: RoomMember): void {
    const ids = this.idsBySocket.get(socket.id)
    this.idsBySocket.delete(socket.id)
    if (!ids || ids.size === 0) return
    const gone = [...ids].filter((id) => this.awareness.getStates().has(id))
    if (gone.length === 0) return
    removeAwarenessStates(this.awareness, gone, 'disconnect')
    // Encoded after removal: each id goes out with a null state, which peers read as "gone".
    this.relay(encodeAwarenessUpdate(this.awareness, gone), null)
  }

  destroy(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer)
    this.batchTimer = null
    this.awareness.off('update', this.onUpdate)
    this.idsBySocket.clear()
  }
}
