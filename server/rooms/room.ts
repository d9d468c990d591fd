import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import type { StoredEvent } from '../../shared/domain/events'
import { evolve, initialState } from '../../shared/domain/evolve'
import type { Result } from '../../shared/domain/result'
import type { ReviewState } from '../../shared/domain/types'
import type { WireError } from '../../shared/protocol/errors'
import type { AppSocket } from '../socket/types'
import { CommandQueue } from './commandQueue'
import type { RoomDeps } from './deps'
import { Outbox, syncMessageOf } from './outbox'
import type { RoomMember, RoomPeer } from './peer'
import { Presence } from './presence'
import { RoomViews } from './views'

/** The answer a command got, kept per `actorId:commandId` so a retry gets the same one. */
export interface CommandAck {
  ok: true
  seq: number
  cardId?: string
  invite?: string
}

export const SERVER_ORIGIN = Symbol('server')

/** Pauses between retries of unsaved changes: doubling from the first to the last. */
const RETRY_FIRST_MS = 250
const RETRY_MAX_MS = 5_000

/** A client update waiting for the end of the turn (`Room.applyQueued`). */
interface QueuedUpdate {
  update: Uint8Array
  sender: RoomMember
  allowed: () => Result<true>
  resolve: (outcome: QueuedOutcome) => void
}

/**
 * What became of one queued update — applied, unreadable part-way, or refused by a rule — and
 * the commit of everything its batch changed (null when the batch changed nothing).
 */
export interface QueuedOutcome {
  result: 'applied' | 'unreadable' | WireError
  saved: Promise<boolean> | null
}

/** Rebuilds the answers of past commands from the log, for idempotent retries after a restart. */
function acksFromLog(events: readonly StoredEvent[]): Map<string, CommandAck> {
  const acks = new Map<string, CommandAck>()
  for (const e of events) {
    if (!e.commandId) continue
    const key = `${e.actorId}:${e.commandId}`
    const ack: CommandAck = { ...(acks.get(key) ?? {}), ok: true, seq: e.seq }
    if (e.type === 'card.created') ack.cardId = e.card.id
    acks.set(key, ack)
  }
  return acks
}

/**
 * One review in memory: its Yjs document and awareness (channel one), its review state folded
 * from the event log (channel two), and the sockets of the people in it. Rules live in the
 * shared domain; the room orders, saves and sends.
 */
export class Room {
  readonly key: string
  readonly awareness: Awareness
  readonly sockets = new Map<string, AppSocket>()
  /** Connections that are not Socket.IO sockets: y-websocket clients (server/ywebsocket). */
  readonly peers = new Map<string, RoomPeer>()
  /**
   * Yjs client ids whose writes were refused during a lock (y-websocket clients cannot be told to
   * drop a change): their later writes are refused too, so a refused change never sneaks in later.
   */
  readonly refusedClients = new Set<number>()
  readonly acks: Map<string, CommandAck>
  /** Commands waiting for their batch, per participant (server/rooms/commands.ts, H3). */
  readonly commands = new CommandQueue()
  /** What each socket was last sent of the projection, and presence. */
  private readonly views: RoomViews = new RoomViews(this)
  /** Commands and joins one at a time: each takes the next seqs of the log. */
  private chain: Promise<unknown> = Promise.resolve()
  private readonly writes = new Set<Promise<unknown>>()
  /** Connections past the auth middleware but not yet attached: they pin the room. */
  pendingConnects = 0
  destroyed = false
  /** Bytes a change event produced during the current apply (captured for saving). */
  private captured: Uint8Array[] = []
  private readonly onUpdate = (update: Uint8Array): void => {
    this.fullCache = null
    this.captured.push(update)
  }
  private fullCache: Uint8Array | null = null
  /**
   * Changes whose write failed: saved again with the next write, and retried on their own until
   * saved (`retryUnsaved`), so nothing applied is lost. A room holding any is never unloaded.
   */
  private unsaved: Uint8Array[] = []
  /** Changes applied but not yet saved: relayed to the room once a write commits them. */
  private unrelayed: Array<{ change: Uint8Array; sender: RoomMember | null }> = []
  private retryTimer: NodeJS.Timeout | null = null
  private retryMs = RETRY_FIRST_MS
  readonly presence: Presence
  /** Document changes on their way to the room, coalesced per turn when the room is busy. */
  readonly outbox: Outbox

  private constructor(
    readonly deps: RoomDeps,
    readonly id: string,
    public state: ReviewState,
    readonly doc: Y.Doc,
    events: readonly StoredEvent[],
  ) {
    this.key = `review:${id}`
    this.acks = acksFromLog(events)
    this.awareness = new Awareness(doc)
    this.awareness.setLocalState(null) // the server is not a peer with a caret
    this.presence = new Presence(this, this.awareness)
    this.outbox = new Outbox(deps, this.key, this.peers)
    doc.on('update', this.onUpdate)
  }

  /** Loads the log into one state and the stored document into ONE Y.Doc in ONE transaction. */
  static async load(deps: RoomDeps, id: string): Promise<Room | null> {
    const review = await deps.store.getReview(id)
    if (!review) return null
    const [events, parts] = await Promise.all([deps.store.loadEvents(id), deps.store.loadDocument(id)])
    const state = events.reduce(evolve, initialState(id))
    const doc = new Y.Doc({ gc: true })
    doc.transact(() => {
      for (const part of parts) Y.applyUpdate(doc, part)
    })
    return new Room(deps, id, state, doc, events)
  }

  /** Applies bytes to the document and returns exactly what changed (empty when nothing did). */
  applyUpdate(update: Uint8Array, origin: unknown): Uint8Array[] {
    this.captured = []
    this.fullCache = null // pending structs change the full state without an update event
    try {
      Y.applyUpdate(this.doc, update, origin)
      return this.captured
    } finally {
      this.captured = []
    }
  }

  /** Client updates read in this turn of the event loop, applied together by `applyQueued`. */
  private applyQueue: QueuedUpdate[] = []

  /**
   * Applies a client's update together with the others read in the same turn of the event loop,
   * in ONE Yjs transaction (P12): a transaction's bookkeeping — the state vector before and after,
   * over every client that ever wrote to the document — is paid once per turn, not per update,
   * and the batch is saved as one change. `allowed` is asked again just before applying, so a
   * lock committed earlier in the turn still refuses (S2). At light load a batch is one update.
   */
  applyQueued(update: Uint8Array, sender: RoomMember, allowed: () => Result<true>): Promise<QueuedOutcome> {
    return new Promise((resolve) => {
      this.applyQueue.push({ update, sender, allowed, resolve })
      if (this.applyQueue.length === 1) setImmediate(() => this.applyBatch())
    })
  }

  private applyBatch(): void {
    const batch = this.applyQueue
    this.applyQueue = []
    if (this.destroyed) {
      const error = {
        code: 'UNAVAILABLE',
        message: 'The review was unloaded; reconnect and send it again.',
      } as const
      for (const q of batch) q.resolve({ result: error, saved: null })
      return
    }
    const results: Array<'applied' | 'unreadable' | WireError> = []
    this.captured = []
    this.fullCache = null // pending structs change the full state without an update event
    const senders = new Set(batch.map((q) => q.sender))
    const [only] = senders
    const origin = senders.size === 1 ? (only ?? null) : null
    try {
      this.doc.transact(() => {
        for (const q of batch) {
          const allowed = q.allowed()
          if (!allowed.ok) {
            results.push(allowed.error)
            continue
          }
          try {
            Y.applyUpdate(this.doc, q.update, origin)
            results.push('applied')
          } catch {
            // Malformed bytes can throw half-way: what was applied until then stays, and is saved.
            results.push('unreadable')
          }
        }
      }, origin)
    } catch (e) {
      this.deps.logger.error({ err: e, review: this.id }, 'applying a batch of updates failed')
    }
    const changes = this.captured
    this.captured = []
    // Structs waiting for missing dependencies are not in the change event: the raw updates are
    // saved as well (unreadable bytes are not: what they left pending is encoded from the document).
    const pending: Uint8Array[] = []
    if (this.hasPending()) {
      batch.forEach((q, i) => results[i] === 'applied' && pending.push(q.update))
      if (results.includes('unreadable'))
        pending.push(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.doc)))
    }
    const toSave = [...changes, ...pending]
    // Changes go to the others only once saved (docs/protocol.md): a change whose write fails is
    // never shown to anyone before it is stored, so nobody sees text a restart could take back.
    const relay = changes.map((change) => ({ change, sender: origin }))
    // Each update of the batch is answered once every change applied so far is committed, not
    // by this batch's write alone: an update sent again while the write holding its change is
    // still under way must wait for that write too (saved before acknowledged).
    if (toSave.length > 0) void this.saveUpdates(toSave, relay)
    const saved = toSave.length > 0 ? this.committedSoFar() : null
    batch.forEach((q, i) => q.resolve({ result: results[i] ?? 'unreadable', saved }))
  }

  /**
   * The whole document as a y-protocols step 2 message, encoded once for all joiners until the
   * next change (P2). One instance for every joiner, so the wire's encoder can also reuse one
   * encoded frame for all of them (server/socket/cachingParser.ts). Only this copy is kept
   * (memory per loaded document, P7).
   */
  fullMessage(): Uint8Array {
    return (this.fullCache ??= syncMessageOf(1, Y.encodeStateAsUpdate(this.doc)))
  }

  /** Whether structs wait for missing dependencies: then the raw update must be saved too. */
  hasPending(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
  }

  /**
   * Saves document changes (and any earlier unsaved ones); true once committed. `relay` (changes
   * among `updates`) and any held back by an earlier failed write go to the room once committed.
   */
  async saveUpdates(
    updates: Uint8Array[],
    relay: Array<{ change: Uint8Array; sender: RoomMember | null }> = [],
  ): Promise<boolean> {
    for (const u of updates) this.uncommitted.add(u)
    const batch = this.unsaved.length > 0 ? [...this.unsaved, ...updates] : updates
    this.unsaved = []
    const toRelay = this.unrelayed.length > 0 ? [...this.unrelayed, ...relay] : relay
    this.unrelayed = []
    try {
      await this.track(this.deps.store.write(this.id, { updates: batch }))
      for (const u of batch) this.uncommitted.delete(u)
      for (const w of this.commitWaiters) {
        for (const u of batch) w.need.delete(u)
        if (w.need.size === 0) this.settleWaiter(w, true)
      }
      if (!this.destroyed) for (const r of toRelay) this.outbox.push(r.change, r.sender)
      if (this.unsaved.length === 0) this.retryMs = RETRY_FIRST_MS
      return true
    } catch (e) {
      this.unsaved.push(...batch)
      this.unrelayed.push(...toRelay)
      for (const w of this.commitWaiters) if (batch.some((u) => w.need.has(u))) this.settleWaiter(w, false)
      this.deps.logger.error(
        { err: e, review: this.id, changes: this.unsaved.length, bytes: this.unsavedBytes() },
        'saving document changes failed; retrying',
      )
      this.retryUnsaved()
      return false
    }
  }

  /** Bytes of the changes applied here that no write has committed yet (0 when all are saved). */
  unsavedBytes(): number {
    return this.unsaved.reduce((n, u) => n + u.byteLength, 0)
  }

  /**
   * Saves the unsaved changes again after a pause that doubles up to `RETRY_MAX_MS`, until a
   * write commits them: a change answered "kept" is saved even if nobody edits again.
   */
  private retryUnsaved(): void {
    if (this.retryTimer || this.destroyed) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (this.destroyed || this.unsaved.length === 0) return
      void this.saveUpdates([])
    }, this.retryMs)
    this.retryTimer.unref()
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
  }

  /** Changes applied to the document and not committed yet (in a write under way, or unsaved). */
  private readonly uncommitted = new Set<Uint8Array>()
  private readonly commitWaiters = new Set<{ need: Set<Uint8Array>; done: (ok: boolean) => void }>()
  private settleWaiter(w: { need: Set<Uint8Array>; done: (ok: boolean) => void }, ok: boolean): void {
    this.commitWaiters.delete(w)
    w.done(ok)
  }

  /**
   * A change the server makes itself (e.g. an answered card becoming an FAQ entry): applied,
   * sent to everyone in the room and saved. Not checked against roles: the server is the authority.
   */
  async applyServerChange(change: (doc: Y.Doc) => void): Promise<boolean> {
    this.captured = []
    let changes: Uint8Array[]
    try {
      this.doc.transact(() => change(this.doc), SERVER_ORIGIN)
      changes = this.captured
    } finally {
      this.captured = []
    }
    return (
      changes.length === 0 ||
      this.saveUpdates(
        changes,
        changes.map((change) => ({ change, sender: null })),
      )
    )
  }

  /** Runs `fn` after every command or join before it; the log's order is this order. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn)
    this.chain = run.catch(() => undefined)
    return run
  }

  /** Remembers a write so `flush` can wait for it. */
  track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write)
    const done = () => this.writes.delete(write)
    write.then(done, done)
    return write
  }

  /**
   * True once every change applied to the document so far is committed; false as soon as a write
   * carrying one of them fails. Follows the changes themselves, not the writes: a change whose
   * write failed while a later write was already under way is carried by the retry started here,
   * so a later write succeeding never stands for it (no false ack after a store outage).
   */
  committedSoFar(): Promise<boolean> {
    if (this.uncommitted.size === 0) return Promise.resolve(true)
    const need = new Set(this.uncommitted)
    const result = new Promise<boolean>((done) => this.commitWaiters.add({ need, done }))
    if (this.unsaved.length > 0) void this.saveUpdates([])
    return result
  }

  /** Resolves once every write started so far has settled. */
  async flush(): Promise<void> {
    // Queued commands run in batches, each scheduled by the one before: wait for all of them.
    do {
      await this.chain
    } while (this.commands.size > 0 && !this.destroyed)
    while (this.writes.size > 0) await Promise.allSettled([...this.writes])
  }

  online(): Set<string> {
    return new Set(this.onlineCount.keys())
  }

  /** Nobody here, nothing being written and nothing unsaved: the room may be unloaded. */
  idle(): boolean {
    return (
      this.connections() === 0 &&
      this.pendingConnects === 0 &&
      this.writes.size === 0 &&
      this.unsaved.length === 0
    )
  }

  /** Open connections of every kind: Socket.IO sockets and peers. */
  connections(): number {
    return this.sockets.size + this.peers.size
  }

  sendState(socket: AppSocket): void {
    this.views.sendState(socket)
  }

  /** Sends each socket what changed in its own projection; never the room's state to the room. */
  publish(type: string, at: number): void {
    this.views.publish(type, at)
  }

  /**
   * Folds committed events into the state and publishes their effect per recipient, ONCE for
   * the whole commit: projecting every socket's board costs O(cards), so a batch of commands
   * (server/rooms/commands.ts) pays it once, not once per event (H3). The `board:event` carries
   * the last event's seq and type (docs/protocol.md).
   */
  applyEvents(events: readonly StoredEvent[]): void {
    const last = events.at(-1)
    if (!last) return
    this.state = events.reduce(evolve, this.state)
    this.publish(last.type, last.at)
    for (const peer of [...this.peers.values()]) peer.stateChanged()
  }

  attach(socket: AppSocket): void {
    const pid = socket.data.participantId
    const wasOnline = this.isOnline(pid)
    this.sockets.set(socket.id, socket)
    this.countOnline(pid, +1)
    void socket.join(this.key)
    this.sendState(socket)
    if (!wasOnline) this.views.presenceChanged(pid)
  }

  detach(socket: AppSocket): void {
    if (!this.sockets.delete(socket.id)) return
    this.views.forget(socket)
    const pid = socket.data.participantId
    this.countOnline(pid, -1)
    if (!this.isOnline(pid)) this.views.presenceChanged(pid)
  }

  /** A peer joins: counted online (presence shows its participant) and sent changes from now on. */
  attachPeer(peer: RoomPeer): void {
    const wasOnline = this.isOnline(peer.participantId)
    this.peers.set(peer.id, peer)
    this.countOnline(peer.participantId, +1)
    if (!wasOnline) this.views.presenceChanged(peer.participantId)
  }

  detachPeer(peer: RoomPeer): void {
    if (this.peers.get(peer.id) !== peer) return
    this.peers.delete(peer.id)
    this.countOnline(peer.participantId, -1)
    if (!this.isOnline(peer.participantId)) this.views.presenceChanged(peer.participantId)
  }

  /** Open sockets per participant: "online" without walking every socket on each join (P3). */
  private readonly onlineCount = new Map<string, number>()
  private isOnline(pid: string): boolean {
    return (this.onlineCount.get(pid) ?? 0) > 0
  }
  private countOnline(pid: string, delta: number): void {
    const n = (this.onlineCount.get(pid) ?? 0) + delta
    if (n > 0) this.onlineCount.set(pid, n)
    else this.onlineCount.delete(pid)
  }

  /** Releases everything: listeners, the awareness timer, the document. */
  destroy(): void {
    this.outbox.flush()
    this.destroyed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.presence.destroy()
    this.doc.off('update', this.onUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.views.clear()
    this.sockets.clear()
    this.peers.clear()
  }
}
