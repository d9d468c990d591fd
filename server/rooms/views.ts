import { participantView, project } from '../../shared/domain/projection'
import type { ReviewState } from '../../shared/domain/types'
import type { BoardPatch, BoardState, ParticipantView } from '../../shared/protocol/board'
import { diffBoard } from '../../shared/protocol/patch'
import type { AppSocket } from '../socket/types'
import type { RoomDeps } from './deps'

/** What the views need of their room. */
export interface ViewHost {
  readonly key: string
  readonly id: string
  readonly deps: RoomDeps
  readonly sockets: ReadonlyMap<string, AppSocket>
  readonly state: ReviewState
  readonly destroyed: boolean
  online(): Set<string>
}

const NO_PARTICIPANTS: ParticipantView[] = []
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Each socket's last projection (the base of its next diff), and presence.
 *
 * The participant list is public — the same for every viewer — so it is built once per change
 * and shared by every cached projection (memory per connection, P7), and diffed once per event
 * instead of once per socket. Review state proper (cards, notes, progress...) is still projected
 * and diffed per recipient: that is where blind critique lives (S3).
 *
 * Presence (who is online) is batched per tick and sent as ONE small patch holding only the
 * changed participants, in one broadcast to the room (one encoding for all), instead of
 * re-projecting and diffing the board for every socket on every join and leave (O(N²)).
 */
export class RoomViews {
  private readonly views = new Map<string, BoardState>()
  /** The participant list as everyone sees it now; every cached projection holds this array. */
  private shared: ParticipantView[] | null = null
  private presenceDirty = new Set<string>()
  private presenceScheduled = false

  constructor(private readonly room: ViewHost) {}

  private build(): ParticipantView[] {
    const { state } = this.room
    const online = this.room.online()
    return Object.keys(state.participants).map((id) => participantView(state, id, online))
  }

  private participants(): ParticipantView[] {
    return (this.shared ??= this.build())
  }

  sendState(socket: AppSocket): void {
    const { state } = this.room
    // With presence changes pending, the shared list is a tick behind: this state is built current.
    const list = this.presenceDirty.size > 0 ? this.build() : this.participants()
    const view = project(state, socket.data.participantId, this.room.online(), list)
    this.views.set(socket.id, view)
    socket.emit('board:state', view)
  }

  forget(socket: AppSocket): void {
    this.views.delete(socket.id)
  }

  /** Sends each socket what changed in its own projection; never the room's state to the room. */
  publish(type: string, at: number): void {
    const { state } = this.room
    const online = this.room.online()
    // The list once per event; kept as the same array when nothing in it changed.
    const old = this.shared
    const fresh = this.build()
    const listPatch = old ? diffParticipants(old, fresh) : {}
    const list = old && Object.keys(listPatch).length === 0 ? old : fresh
    this.shared = list
    const patches = new Map<ParticipantView[], BoardPatch>()
    // A person's sockets (tabs, or one script's many connections) see the same board: it is
    // projected once per person, and diffed once per earlier board they share (H3).
    const projected = new Map<string, BoardState>()
    const diffs = new Map<BoardState, BoardPatch>()
    for (const socket of this.room.sockets.values()) {
      try {
        const pid = socket.data.participantId
        let next = projected.get(pid)
        if (!next) projected.set(pid, (next = project(state, pid, online, list)))
        const before = this.views.get(socket.id)
        this.views.set(socket.id, next)
        if (!before) {
          socket.emit('board:state', next)
          continue
        }
        let patch = diffs.get(before)
        if (!patch) {
          let forList = before.participants === list ? {} : patches.get(before.participants)
          if (!forList)
            patches.set(before.participants, (forList = diffParticipants(before.participants, list)))
          patch = {
            ...diffBoard(
              { ...before, participants: NO_PARTICIPANTS },
              { ...next, participants: NO_PARTICIPANTS },
            ),
            ...forList,
          }
          diffs.set(before, patch)
        }
        if (Object.keys(patch).length > 0) socket.emit('board:event', { seq: state.seq, type, at, patch })
      } catch (e) {
        this.room.deps.logger.error({ err: e, review: this.room.id }, 'projection failed')
      }
    }
  }

  /** A participant went online or offline: sent with the others of this tick. */
  presenceChanged(pid: string): void {
    this.presenceDirty.add(pid)
    if (this.presenceScheduled) return
    this.presenceScheduled = true
    setImmediate(() => this.flushPresence())
  }

  private flushPresence(): void {
    this.presenceScheduled = false
    const changed = this.presenceDirty
    this.presenceDirty = new Set()
    if (this.room.destroyed || changed.size === 0) return
    const { state } = this.room
    const online = this.room.online()
    const list = [...this.participants()]
    const views: ParticipantView[] = []
    list.forEach((p, i) => {
      if (!changed.has(p.id)) return
      const view = participantView(state, p.id, online)
      list[i] = view
      views.push(view)
    })
    this.shared = list
    for (const cached of this.views.values()) {
      cached.participants = list
      if (changed.has(cached.me.id)) cached.me = participantView(state, cached.me.id, online)
    }
    if (views.length === 0 || this.room.sockets.size === 0) return
    this.room.deps.nsp.to(this.room.key).emit('board:event', {
      seq: state.seq,
      type: 'presence.changed',
      at: this.room.deps.clock(),
      patch: { participants: views },
    })
  }

  clear(): void {
    this.views.clear()
    this.shared = null
    this.presenceDirty.clear()
  }
}

function diffParticipants(before: ParticipantView[], after: ParticipantView[]): BoardPatch {
  const old = new Map(before.map((p) => [p.id, p]))
  const upserts = after.filter((p) => {
    const o = old.get(p.id)
    return o !== p && !same(o, p)
  })
  const present = new Set(after.map((p) => p.id))
  const removed = before.filter((p) => !present.has(p.id)).map((p) => p.id)
  const patch: BoardPatch = {}
  if (upserts.length > 0) patch.participants = upserts
  if (removed.length > 0) patch.removedParticipants = removed
  return patch
}
