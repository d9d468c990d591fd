import type { RoomDeps } from './deps'
import { Room } from './room'

/**
 * What several processes add around loading (server/cluster): a room loads only once this
 * process owns its review, and gives the review up once unloaded. Absent for a single process.
 */
export interface RoomHooks {
  /** Resolves once this process owns the review; rejects (NotOwnerError) if another does. */
  beforeLoad(id: string): Promise<void>
  /** The room is gone and every write it started has settled. */
  afterUnload(id: string): void
}

/**
 * Rooms load lazily (concurrent connects share one load) and unload once empty: after the last
 * client left and a short idle time, the room's writes are flushed and everything it holds is
 * released, so a process can host rooms by the thousand (TARGETS P8). A room with unsaved
 * changes stays loaded (`Room.idle`) while it retries them, however long the store is down.
 */
export class RoomRegistry {
  private readonly loading = new Map<string, Promise<Room | null>>()
  private readonly loaded = new Map<string, Room>()
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly deps: RoomDeps,
    private readonly hooks?: RoomHooks,
  ) {}

  /** The room of a review, loading it if needed; null when the review does not exist. */
  async get(id: string): Promise<Room | null> {
    for (;;) {
      const ready = this.loaded.get(id)
      if (ready && !ready.destroyed) return ready
      let pending = this.loading.get(id)
      if (!pending) {
        const load = this.hooks
          ? this.hooks.beforeLoad(id).then(() => Room.load(this.deps, id))
          : Room.load(this.deps, id)
        pending = load.then(
          (room) => {
            this.loading.delete(id)
            if (room) this.loaded.set(id, room)
            return room
          },
          (e: unknown) => {
            this.loading.delete(id)
            throw e
          },
        )
        this.loading.set(id, pending)
      }
      const room = await pending
      if (!room) return null
      if (!room.destroyed) {
        this.scheduleUnload(room)
        return room
      }
    }
  }

  /** The room if it is in memory, without loading it. */
  peek(id: string): Room | undefined {
    const room = this.loaded.get(id)
    return room && !room.destroyed ? room : undefined
  }

  get size(): number {
    return this.loaded.size
  }

  /** Unloads the room after the idle time if nobody came back meanwhile. */
  scheduleUnload(room: Room): void {
    clearTimeout(this.timers.get(room.id))
    const timer = setTimeout(() => void this.unloadIfIdle(room), this.deps.config.limits.roomIdleMs)
    timer.unref()
    this.timers.set(room.id, timer)
  }

  private async unloadIfIdle(room: Room): Promise<void> {
    this.timers.delete(room.id)
    if (room.destroyed || room.connections() > 0 || room.pendingConnects > 0) return
    await room.flush()
    // Someone may have arrived while the writes settled.
    if (room.destroyed || room.connections() > 0 || room.pendingConnects > 0) return
    if (!room.idle()) return this.scheduleUnload(room)
    this.loaded.delete(room.id)
    room.destroy()
    this.hooks?.afterUnload(room.id)
  }

  /**
   * Unloads a room at once, its connections closed so their clients reconnect (and reach the
   * review's new owner): ownership moved to another process (server/cluster).
   */
  stepDown(id: string, reason: string): void {
    const room = this.loaded.get(id)
    if (!room) return
    this.loaded.delete(id)
    clearTimeout(this.timers.get(id))
    this.timers.delete(id)
    this.deps.logger.warn({ review: id, reason }, 'room stepped down')
    // Transport closes (not a Socket.IO "server disconnect"): clients reconnect by themselves.
    for (const socket of [...room.sockets.values()]) socket.conn.close()
    for (const peer of [...room.peers.values()]) peer.shutdown?.(1012, reason)
    room.destroy()
  }

  /**
   * Gives a room back (drain): its connections closed, its writes flushed, then unloaded and
   * released, so the next process to be asked claims it without a takeover.
   */
  async handOver(id: string): Promise<void> {
    const room = this.loaded.get(id)
    if (!room) return
    this.loaded.delete(id)
    clearTimeout(this.timers.get(id))
    this.timers.delete(id)
    for (const socket of [...room.sockets.values()]) socket.conn.close()
    for (const peer of [...room.peers.values()]) peer.shutdown?.(1012, 'The server is restarting.')
    await room.flush()
    room.destroy()
    this.hooks?.afterUnload(id)
  }

  /** The ids of the rooms in memory. */
  ids(): string[] {
    return [...this.loaded.keys()]
  }

  /**
   * Flushes and releases every room (shutdown). Changes still unsaved get one last write; what
   * that cannot save is named in the log (review id, changes, bytes) before it is let go.
   */
  async closeAll(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    await Promise.allSettled([...this.loading.values()])
    const rooms = [...this.loaded.values()]
    await Promise.allSettled(rooms.map((r) => r.flush()))
    await Promise.allSettled(rooms.filter((r) => r.unsavedBytes() > 0).map((r) => r.saveUpdates([])))
    for (const r of rooms) {
      const bytes = r.unsavedBytes()
      if (bytes > 0)
        this.deps.logger.error(
          { review: r.id, bytes },
          `shutdown: document changes of review ${r.id} (${bytes} bytes) could not be saved and are lost`,
        )
      r.destroy()
    }
    this.loaded.clear()
    for (const r of rooms) this.hooks?.afterUnload(r.id)
  }
}
