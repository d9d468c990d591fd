import {
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
  type Awareness,
} from 'y-protocols/awareness'
import type { AppSocket } from '../socket/types'
import type { Room } from './room'

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
    const socket = origin as AppSocket | undefined
    if (!socket || typeof socket !== 'object' || !('id' in socket)) return
    let ids = this.idsBySocket.get(socket.id)
    if (!ids) this.idsBySocket.set(socket.id, (ids = new Set()))
    for (const id of [...change.added, ...change.updated]) ids.add(id)
    for (const id of change.removed) ids.delete(id)
  }

  constructor(
    private readonly room: Room,
    private readonly awareness: Awareness,
  ) {
    awareness.on('update', this.onUpdate)
  }

  /** Applies and relays; malformed bytes are dropped (awareness has no ack). */
  receive(socket: AppSocket, bytes: Uint8Array): void {
    try {
      applyAwarenessUpdate(this.awareness, bytes, socket)
    } catch {
      return
    }
    socket.to(this.room.key).emit('yjs:awareness', bytes)
  }

  sendAll(socket: AppSocket): void {
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length > 0) socket.emit('yjs:awareness', encodeAwarenessUpdate(this.awareness, clients))
  }

  leave(socket: AppSocket): void {
    const ids = this.idsBySocket.get(socket.id)
    this.idsBySocket.delete(socket.id)
    if (!ids || ids.size === 0) return
    const gone = [...ids].filter((id) => this.awareness.getStates().has(id))
    if (gone.length === 0) return
    removeAwarenessStates(this.awareness, gone, 'disconnect')
    // Encoded after removal: each id goes out with a null state, which peers read as "gone".
    this.room.deps.nsp.to(this.room.key).emit('yjs:awareness', encodeAwarenessUpdate(this.awareness, gone))
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate)
    this.idsBySocket.clear()
  }
}
