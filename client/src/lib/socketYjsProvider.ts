import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import * as sync from 'y-protocols/sync'
import * as Y from 'yjs'
import type { WireError } from '../../../shared/protocol/errors'
import type { Ack } from '../../../shared/protocol/events'
import type { BoardSocket } from '../composables/useSocket'

/**
 * Our Yjs provider over the board socket (DESIGN §4): bare y-protocols sync messages on
 * `yjs:sync`, awareness on `yjs:awareness`. The handshake: on connect we send step 1; the server
 * answers step 2 and its own step 1, which we answer with step 2 (carrying edits made offline).
 *
 * Saved means acknowledged: the server acks an update only after it is committed, so the status
 * is `saved` only when every local update sent has been acked ok. While disconnected nothing is
 * sent (socket.io would buffer and replay it out of order with the handshake); the step 2 we send
 * after reconnecting carries those edits instead.
 *
 * A refused update (FORBIDDEN, PHASE_LOCKED, …) cannot be taken back in a CRDT, so we build a
 * fresh Y.Doc from the server's full state and swap it in (`reset`): the refused change is gone.
 */
export type SaveStatus = 'saved' | 'saving' | 'unsaved' | 'refused'

/**
 * A change the server refused and the page dropped: why, and the text it held (what the page
 * lost, found by comparing the text before and after the rebuild) so it can be offered back.
 */
export interface RefusedChange {
  error: WireError
  text: string
}

/** Refusals after which retrying cannot help: take the server's state instead. */
const RESET_CODES = new Set(['FORBIDDEN', 'PHASE_LOCKED', 'TOO_LARGE', 'INVALID', 'NOT_FOUND'])

type Listener = {
  status: (s: SaveStatus) => void
  synced: () => void
  reset: (doc: Y.Doc, awareness: Awareness) => void
  refused: (e: WireError) => void
  /** After the page was rebuilt without a refused change: what it lost (empty when nothing). */
  dropped: (change: RefusedChange) => void
}

export class SocketYjsProvider {
  doc: Y.Doc
  awareness: Awareness
  synced = false
  private pending = 0
  private failed = false
  /** Local edits not yet sent because we were disconnected. */
  private dirty = false
  /** Bumped whenever outstanding acks stop counting (disconnect, reset). */
  private generation = 0
  private rebuilding: Y.Doc | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private retryDelay = 500
  /**
   * Our awareness goes out only once the server has our edits: a caret pointing at content the
   * others do not have (yet, or ever, if it is refused) breaks their caret rendering.
   */
  private awarenessLive = false
  private listeners: { [K in keyof Listener]: Set<Listener[K]> } = {
    status: new Set(),
    synced: new Set(),
    reset: new Set(),
    refused: new Set(),
    dropped: new Set(),
  }
  /** The refusal that started the current rebuild, and the page's text when it came. */
  private refusal: { error: WireError; text: string } | null = null

  constructor(
    private readonly socket: BoardSocket,
    localState: Record<string, unknown>,
  ) {
    this.doc = new Y.Doc()
    this.awareness = this.makeAwareness(this.doc, localState)
    this.doc.on('update', this.onDocUpdate)
    socket.on('connect', this.onConnect)
    socket.on('disconnect', this.onDisconnect)
    socket.on('yjs:sync', this.onSync)
    socket.on('yjs:awareness', this.onAwareness)
    window.addEventListener('pagehide', this.onPageHide)
    if (socket.connected) this.onConnect()
  }

  on<K extends keyof Listener>(event: K, fn: Listener[K]): () => void {
    this.listeners[event].add(fn)
    return () => this.listeners[event].delete(fn)
  }

  /**
   * `saved` only when the server holds every change on the page: nothing in flight, nothing
   * failed, nothing typed offline, and no refused change still on the page (a rebuild pending).
   */
  get status(): SaveStatus {
    if (this.rebuilding) return 'refused'
    if (this.failed || this.dirty) return 'unsaved'
    if (this.pending > 0) return 'saving'
    return 'saved'
  }

  private emitStatus() {
    const s = this.status
    for (const fn of this.listeners.status) fn(s)
  }

  /**
   * Our awareness goes out as it changes. The listener reads the awareness that changed, never
   * `this.awareness`: while a rebuild swaps them, encoding the new client id from the old
   * awareness threw `reading 'clock'` and left the page half-swapped (issue 12).
   */
  private makeAwareness(doc: Y.Doc, localState: Record<string, unknown>): Awareness {
    const awareness = new Awareness(doc)
    const listener = (changes: AwarenessChanges, origin: unknown) =>
      this.sendAwareness(awareness, changes, origin)
    this.awarenessListeners.set(awareness, listener)
    awareness.on('update', listener)
    awareness.setLocalState(localState)
    return awareness
  }

  private readonly awarenessListeners = new Map<Awareness, (c: AwarenessChanges, o: unknown) => void>()

  private unlistenAwareness(awareness: Awareness) {
    const listener = this.awarenessListeners.get(awareness)
    if (listener) awareness.off('update', listener)
    this.awarenessListeners.delete(awareness)
  }

  private send(msg: Uint8Array, onOk?: () => void) {
    const gen = this.generation
    this.pending++
    this.emitStatus()
    this.socket.emit('yjs:sync', msg, (ack: Ack) => {
      if (gen !== this.generation) return
      this.pending--
      if (ack.ok) {
        onOk?.()
      } else {
        for (const fn of this.listeners.refused) fn(ack.error)
        if (RESET_CODES.has(ack.error.code)) this.startRebuild(ack.error)
        else this.scheduleRetry(msg)
      }
      this.emitStatus()
    })
  }

  private scheduleRetry(msg: Uint8Array) {
    this.failed = true
    if (this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (!this.socket.connected) return
      this.send(msg, () => {
        this.failed = false
        this.retryDelay = 500
      })
    }, this.retryDelay)
    this.retryDelay = Math.min(this.retryDelay * 2, 8000)
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return
    if (!this.socket.connected) {
      this.dirty = true
      this.emitStatus()
      return
    }
    const encoder = encoding.createEncoder()
    sync.writeUpdate(encoder, update)
    this.send(encoding.toUint8Array(encoder))
  }

  private readonly onConnect = () => {
    this.synced = false
    const encoder = encoding.createEncoder()
    sync.writeSyncStep1(encoder, this.rebuilding ?? this.doc)
    this.send(encoding.toUint8Array(encoder))
  }

  private goLive() {
    this.awarenessLive = true
    if (this.socket.connected && this.awareness.getLocalState())
      this.socket.emit('yjs:awareness', encodeAwarenessUpdate(this.awareness, [this.doc.clientID]))
  }

  private readonly onDisconnect = () => {
    this.awarenessLive = false
    if (this.pending > 0 || this.failed) this.dirty = true
    this.generation++
    this.pending = 0
    this.failed = false
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID)
    removeAwarenessStates(this.awareness, others, this)
    this.emitStatus()
  }

  private readonly onSync = (bytes: Uint8Array) => {
    const decoder = decoding.createDecoder(new Uint8Array(bytes))
    const type = decoding.readVarUint(decoder)
    if (type === sync.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder()
      sync.readSyncStep1(decoder, encoder, this.doc)
      const hadOffline = this.dirty
      this.send(encoding.toUint8Array(encoder), () => {
        if (hadOffline) this.dirty = false
        this.goLive()
        this.emitStatus()
      })
      return
    }
    if (type === sync.messageYjsSyncStep2 && this.rebuilding) {
      sync.readSyncStep2(decoder, this.rebuilding, this)
      this.finishRebuild()
      return
    }
    sync.readSyncStep2(decoder, this.doc, this)
    if (type === sync.messageYjsSyncStep2 && !this.synced) {
      this.synced = true
      for (const fn of this.listeners.synced) fn()
    }
  }

  private readonly onAwareness = (bytes: Uint8Array) => {
    applyAwarenessUpdate(this.awareness, new Uint8Array(bytes), this)
  }

  private sendAwareness(
    awareness: Awareness,
    { added, updated, removed }: AwarenessChanges,
    origin: unknown,
  ) {
    if (awareness !== this.awareness || origin !== 'local' || !this.socket.connected || !this.awarenessLive)
      return
    // Only our own client id: the server refuses anybody else's (presence is bound to its connection).
    const changed = [...added, ...updated, ...removed].filter(
      (id) => id === awareness.clientID && awareness.meta.has(id),
    )
    if (changed.length > 0) this.socket.emit('yjs:awareness', encodeAwarenessUpdate(awareness, changed))
  }

  /** Asks for the full server state into a fresh doc; the next step 2 completes the swap. */
  private startRebuild(error?: WireError) {
    this.generation++
    this.pending = 0
    this.failed = false
    this.dirty = false
    if (error && !this.refusal) this.refusal = { error, text: textOf(this.doc) }
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    if (this.rebuilding) return
    this.rebuilding = new Y.Doc()
    const encoder = encoding.createEncoder()
    sync.writeSyncStep1(encoder, this.rebuilding)
    this.socket.emit('yjs:sync', encoding.toUint8Array(encoder), () => {})
  }

  private finishRebuild() {
    const fresh = this.rebuilding!
    this.rebuilding = null
    const oldDoc = this.doc
    const oldAwareness = this.awareness
    // The caret pointed into the refused content: it must not travel to the new client id.
    const { cursor: _cursor, ...localState } = oldAwareness.getLocalState() ?? {}
    // Tell the others the old caret is gone while the old editor can still render it.
    removeAwarenessStates(oldAwareness, [oldDoc.clientID], 'local')
    this.unlistenAwareness(oldAwareness)
    oldDoc.off('update', this.onDocUpdate)
    this.doc = fresh
    this.doc.on('update', this.onDocUpdate)
    this.awareness = this.makeAwareness(fresh, localState)
    const refusal = this.refusal
    this.refusal = null
    this.synced = true
    for (const fn of this.listeners.reset) {
      try {
        fn(this.doc, this.awareness)
      } catch (e) {
        console.error(e)
      }
    }
    this.goLive()
    this.emitStatus()
    if (refusal) {
      const change = { error: refusal.error, text: droppedText(refusal.text, textOf(fresh)) }
      for (const fn of this.listeners.dropped) fn(change)
    }
    // The old editor unmounts on the next render; destroy its doc only after that.
    setTimeout(() => {
      oldAwareness.destroy()
      oldDoc.destroy()
    }, 1000)
  }

  private readonly onPageHide = () => {
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'local')
  }

  destroy() {
    this.onPageHide()
    window.removeEventListener('pagehide', this.onPageHide)
    this.socket.off('connect', this.onConnect)
    this.socket.off('disconnect', this.onDisconnect)
    this.socket.off('yjs:sync', this.onSync)
    this.socket.off('yjs:awareness', this.onAwareness)
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.unlistenAwareness(this.awareness)
    this.awareness.destroy()
    this.doc.off('update', this.onDocUpdate)
    this.doc.destroy()
    this.rebuilding?.destroy()
    for (const set of Object.values(this.listeners)) set.clear()
  }
}

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] }

/** The document's plain text, paragraph by paragraph (enough to find what a refusal dropped). */
function textOf(doc: Y.Doc): string {
  const out: string[] = []
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText)
      for (const d of node.toDelta() as Array<{ insert?: unknown }>)
        out.push(typeof d.insert === 'string' ? d.insert : '')
    else for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText)
    if (node instanceof Y.XmlElement) out.push('\n')
  }
  try {
    walk(doc.getXmlFragment('prfaq'))
  } catch {
    return ''
  }
  return out.join('')
}

/**
 * What the page held before a rebuild that the server's text lacks: the middle left once the
 * common start and end are cut off. Linear in the text (a few scans), never a quadratic diff.
 *
 * Where that middle could sit in several places (a paste of "Hello " before "Hi" reads, by
 * common start and end alone, as "ello H"), it slides to the place a person made it: after a
 * line break, else after a space, else where it was found.
 */
export function droppedText(before: string, after: string): string {
  let start = 0
  const max = Math.min(before.length, after.length)
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let end = 0
  while (
    end < max - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++
  let stop = before.length - end
  let best = start
  let bestScore = boundary(before, start)
  // Slide left while the character before the middle equals its last one (same text, other place).
  for (let at = start, last = stop; at > 0 && before[at - 1] === before[last - 1];) {
    at--
    last--
    const score = boundary(before, at)
    if (score > bestScore) [best, bestScore] = [at, score]
  }
  stop -= start - best
  return before.slice(best, stop).trim()
}

/** How natural a start at `at` is: 2 after a line break (or at the start), 1 after a space. */
function boundary(text: string, at: number): number {
  if (at === 0 || text[at - 1] === '\n') return 2
  return /\s/.test(text[at - 1]!) ? 1 : 0
}
