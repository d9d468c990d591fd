import type { RoomDeps } from './deps'
import { Room } from './room'

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

  constructor(private readonly deps: RoomDeps) {}

  /** The room of a review, loading it if needed; null when the review does not exist. */
  async get(id: string): Promise<Room | null> {
    for (;;) {
      const ready = this.loaded.get(id)
      if (ready && !ready.destroyed) return ready
      let pending = this.loading.get(id)
      if (!pending) {
        pending = Room.load(this.deps, id).then(
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
  }
}
