import * as Y from 'yjs'
import { canEditDocument } from '../../shared/domain/permissions'
import { err, type Result } from '../../shared/domain/result'
import type { WireError } from '../../shared/protocol/errors'
import type { Config } from '../config'
import type { GuessLimiter } from '../http/rateLimit'
import type { Logger } from '../logger'
import { authenticate } from '../reviews/reviewService'
import { AWARENESS_UPDATE_BYTES } from '../rooms/awarenessGate'
import { fitsDocLimit } from '../rooms/docLimit'
import { containsUpdate, serverStep1, type Decoded } from '../rooms/docSync'
import { syncMessageOf } from '../rooms/outbox'
import type { RoomPeer } from '../rooms/peer'
import type { Room } from '../rooms/room'
import type { RoomRegistry } from '../rooms/roomRegistry'
import { TokenBucket, type RateLimits } from '../socket/rateLimit'
import type { Store } from '../store/types'
import {
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  awarenessFrame,
  permissionDeniedFrame,
  readAwareness,
  readFrame,
  syncFrame,
} from './messages'
import type { OversizedClients } from './oversized'

/** What a session needs of the server. */
export interface SessionDeps {
  rooms: RoomRegistry
  store: Store
  config: Config
  logger: Logger
  rates: RateLimits
  guesses: GuessLimiter
  clock: () => number
  ids: () => string
  oversized: OversizedClients
}

/**
 * Where a session's frames go: a WebSocket here (server/ywebsocket/door.ts); a relay to another
 * process later. `close` ends the connection with a WebSocket close code.
 */
export interface SessionLink {
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
}

/** Who knocked: read from the upgrade request before anything else was looked at. */
export interface SessionRequest {
  reviewId: string | null
  token: string | null
  /** The caller's address, for the guess limit (S4) and logs. Never the URL: it holds the token. */
  address: string
  /** False when a browser's Origin is not the board's (checked before the token). */
  originAllowed: boolean
}

/** A permanent refusal is held this long before the close, so a 3.0.0 client (which ignores
 * close codes and reconnects 100 ms after a close) retries at most once per hold (SCALEOUT §4.4). */
export const HOLD_MS = 2_500
const JITTER_MS = 250
/** Frames a client may send before its token is checked (y-websocket sends two). */
const EARLY_FRAMES = 32

type Phase = 'authorizing' | 'open' | 'refusing' | 'closed'

/**
 * One y-websocket connection in a review's room: authorizes, then speaks y-protocols sync and
 * awareness for the participant its token names, under the same rules as a Socket.IO socket.
 * Refusals follow SCALEOUT §4.4: told with permission-denied, then closed with a code the client
 * understands. Writes from read-only participants are dropped and the connection stays.
 */
export class YjsSession implements RoomPeer {
  readonly kind = 'peer'
  readonly id: string
  participantId = ''
  room: Room | null = null
  private phase: Phase = 'authorizing'
  private early: Uint8Array[] = []
  private toldReadOnly = false
  /** Yjs client ids its last step 1 showed it holds more of than the room (its step 2 will send). */
  private ahead: number[] = []
  private readonly buckets: { sync: TokenBucket; awareness: TokenBucket; refusals: TokenBucket }
  private resync: NodeJS.Timeout | undefined
  private holdTimer: NodeJS.Timeout | undefined
  /** When the last frame went out (keep-alive, server/ywebsocket/door.ts). */
  lastSent: number
  /** Frames dropped as unreadable, and writes dropped from a read-only participant (figures). */
  dropped = 0
  refusedWrites = 0

  constructor(
    private readonly deps: SessionDeps,
    private readonly link: SessionLink,
    private readonly request: SessionRequest,
  ) {
    this.id = `yws:${deps.ids()}`
    const { rates, clock } = deps
    this.buckets = {
      sync: new TokenBucket(rates.updatesPerSec, rates.updateBurst, clock),
      awareness: new TokenBucket(rates.awarenessPerSec, rates.awarenessBurst, clock),
      refusals: new TokenBucket(rates.refusalsPerSec, rates.refusalBurst, clock),
    }
    this.lastSent = clock()
  }

  get open(): boolean {
    return this.phase === 'open'
  }

  /** Checks origin, token and review, then joins the room and answers what arrived meanwhile. */
  async start(): Promise<void> {
    const { reviewId, token, address, originAllowed } = this.request
    const { guesses, store, rooms } = this.deps
    if (!originAllowed) return this.refuse(CLOSE.forbidden, 'This page’s origin may not open the board.')
    if (guesses.blocked(address))
      return this.refuse(CLOSE.rateLimited, 'Too many failed token checks from your address; wait a minute.')
    try {
      const who = token && token.length <= 200 ? await authenticate(store, token) : null
      if (!who) {
        guesses.fail(address)
        const message = token
          ? 'Unknown or revoked token.'
          : 'A participant token is required: ?token=<token>.'
        return this.refuse(CLOSE.unauthenticated, message)
      }
      if (who.reviewId !== reviewId) {
        const exists = reviewId !== null && (await store.getReview(reviewId)) !== null
        return exists
          ? this.refuse(CLOSE.forbidden, 'This token belongs to another review.')
          : this.refuse(CLOSE.notFound, 'There is no such review.')
      }
      const room = await rooms.get(reviewId)
      if (this.phase !== 'authorizing') return // the client left meanwhile
      if (!room) return this.refuse(CLOSE.notFound, 'There is no such review.')
      const me = room.state.participants[who.participantId]
      if (!me || me.removed) return this.refuse(CLOSE.forbidden, 'You are no longer in this review.')
      this.participantId = who.participantId
      this.room = room
      this.phase = 'open'
      room.attachPeer(this)
      room.presence.sendAll(this)
      const early = this.early
      this.early = []
      for (const frame of early) this.receive(frame)
    } catch (e) {
      this.deps.logger.error({ err: e, review: reviewId, address }, 'y-websocket authorization failed')
      this.refuse(CLOSE.tryAgainLater, 'The server could not check your token; it retries shortly.', 500)
    }
  }

  /** One frame from the client: exactly one y-protocols message (y-websocket 3.x). */
  receive(bytes: Uint8Array): void {
    if (this.phase === 'authorizing') {
      if (this.early.length >= EARLY_FRAMES)
        return this.refuse(CLOSE.rateLimited, 'Too many messages before the token was checked.')
      this.early.push(bytes)
      return
    }
    if (this.phase !== 'open' || !this.room) return
    const frame = readFrame(bytes)
    if (!frame) {
      this.dropped++
      return
    }
    if (frame.type === MESSAGE_SYNC) return this.onSync(this.room, frame.syncType, frame.payload)
    if (frame.type === MESSAGE_AWARENESS) return this.onAwareness(this.room, frame.update)
    if (frame.type === MESSAGE_QUERY_AWARENESS) return this.room.presence.sendAll(this)
    // Auth messages from a client mean nothing to the server.
  }

  /** The connection went away (closed by either side): leave the room. */
  closed(): void {
    const was = this.phase
    this.phase = 'closed'
    this.early = []
    clearTimeout(this.resync)
    clearTimeout(this.holdTimer)
    const room = this.room
    if (!room || was === 'authorizing') return
    room.detachPeer(this)
    room.presence.leave(this)
    if (room.connections() === 0) this.deps.rooms.scheduleUnload(room)
  }

  /** Closes without a hold: the server is going away (1012) or the peer is dead. */
  shutdown(code: number, reason: string): void {
    if (this.phase === 'closed') return
    this.phase = 'refusing'
    this.link.close(code, reason)
  }

  // RoomPeer: what the room fans out.
  sendSync(message: Uint8Array): void {
    if (this.phase === 'open') this.send(frameOf(message))
  }

  sendAwareness(update: Uint8Array): void {
    if (this.phase === 'open') this.send(awarenessFrame(update))
  }

  stateChanged(): void {
    const me = this.room?.state.participants[this.participantId]
    if (this.phase === 'open' && (!me || me.removed))
      this.refuse(CLOSE.forbidden, 'The facilitator removed you from this review.', 0)
  }

  /**
   * `ws` closed the connection with 1009: a frame over the limit, unseen. Its changes are those
   * of its own client id and of what it held beyond the room: its next step 1 is refused 4413.
   */
  frameTooLarge(): void {
    const clientId = this.room?.presence.gate.boundId(this) ?? null
    const ids = clientId === null ? this.ahead : [...this.ahead, clientId]
    if (this.room && ids.length > 0) this.deps.oversized.add(this.room.id, ids)
    this.deps.logger.info(
      { review: this.request.reviewId, participant: this.participantId || undefined, code: 1009 },
      'y-websocket frame too large',
    )
  }

  send(frame: Uint8Array): void {
    this.lastSent = this.deps.clock()
    this.link.send(frame)
  }

  /**
   * Tells the client why (permission denied: it only logs it), stops reading it, and closes
   * after a hold: a client that ignores the code then retries at most once per hold.
   */
  refuse(code: number, reason: string, holdMs = HOLD_MS): void {
    if (this.phase === 'refusing' || this.phase === 'closed') return
    const wasOpen = this.phase === 'open'
    this.phase = 'refusing'
    this.early = []
    clearTimeout(this.resync)
    this.deps.logger.info(
      {
        review: this.request.reviewId,
        participant: this.participantId || undefined,
        address: this.request.address,
        code,
      },
      'y-websocket refused',
    )
    this.link.send(permissionDeniedFrame(reason))
    // A refused connection leaves the room at once: no more edits or carets reach it.
    if (wasOpen && this.room) {
      this.room.detachPeer(this)
      this.room.presence.leave(this)
    }
    const close = () => this.link.close(code, reason.slice(0, 120))
    if (holdMs <= 0) return close()
    this.holdTimer = setTimeout(close, holdMs + Math.random() * JITTER_MS)
    this.holdTimer.unref()
  }

  private mayWrite(room: Room): Result<true> {
    const me = room.state.participants[this.participantId]
    return me
      ? canEditDocument(room.state, me)
      : err('FORBIDDEN', 'You are not a participant of this review.')
  }

  private onSync(room: Room, syncType: number, payload: Uint8Array): void {
    if (!this.buckets.sync.take()) return this.rateLimited(room)
    if (syncType === 0) {
      let step2: Uint8Array
      try {
        this.ahead = []
        for (const [client, clock] of Y.decodeStateVector(payload))
          if (clock > Y.getState(room.doc.store, client)) this.ahead.push(client)
        const empty = payload.byteLength === 1 && payload[0] === 0
        step2 = empty ? room.fullMessage() : syncMessageOf(1, Y.encodeStateAsUpdate(room.doc, payload))
      } catch {
        this.dropped++
        return
      }
      if (this.deps.oversized.holdsAny(room.id, this.ahead))
        return this.refuse(
          CLOSE.tooLarge,
          'TOO_LARGE: this document copy holds a change too large to send; start from a fresh document.',
        )
      this.send(frameOf(step2))
      // Our step 1 asks for what the client has and we lack (offline edits): only from writers.
      if (this.mayWrite(room).ok) this.send(frameOf(serverStep1(room)))
      return
    }
    if (syncType !== 1 && syncType !== 2) {
      this.dropped++
      return
    }
    if (payload.byteLength > this.deps.config.limits.updateBytes)
      return this.refuse(
        CLOSE.tooLarge,
        'TOO_LARGE: this change is too large to save; split it into smaller edits.',
      )
    this.onUpdate(room, payload)
  }

  private onUpdate(room: Room, update: Uint8Array): void {
    let decoded: Decoded
    try {
      decoded = Y.decodeUpdate(update) // malformed bytes fail here, before anything is applied
    } catch {
      this.dropped++
      return
    }
    const me = room.state.participants[this.participantId]
    if (!me || me.removed) return this.refuse(CLOSE.forbidden, 'You are no longer in this review.', 0)
    const empty = decoded.structs.length === 0 && decoded.ds.clients.size === 0
    if (empty || containsUpdate(room.doc, decoded)) {
      // Nothing new: fine from anyone. From a writer (its step 2 after a reconnect) it stands for
      // what it sent before: whatever a failed write left behind is saved now, or it hears 1013.
      if (this.mayWrite(room).ok) void room.committedSoFar().then((saved) => !saved && this.notSaved())
      return
    }
    const allowed = (): Result<true> => this.mayWrite(room)
    const permission = allowed()
    if (!permission.ok) return this.refuseWrite(room, decoded, permission.error)
    if (decoded.structs.some((s) => room.refusedClients.has(s.id.client)))
      return this.refuseWrite(room, decoded, {
        code: 'PHASE_LOCKED',
        message: 'This document copy holds a change refused earlier; start from a fresh document.',
      })
    if (!fitsDocLimit(room, update))
      return this.refuse(
        CLOSE.tooLarge,
        'TOO_LARGE: the document has reached its size limit; remove something before adding more.',
      )
    // Synchronous up to here: the room queues a connection's updates in the order they came.
    void room.applyQueued(update, this, allowed).then(async ({ result, saved }) => {
      if (typeof result === 'object') return this.refuseWrite(room, decoded, result)
      if (result === 'unreadable') this.dropped++
      if (saved && !(await saved)) this.notSaved()
    })
  }

  /**
   * A write failed: the change is in the room, not relayed, and saved with the next write. The
   * client is closed with 1013 after a short hold; it comes back, and its step 2 retries the save.
   */
  private notSaved(): void {
    this.refuse(CLOSE.tryAgainLater, 'UNAVAILABLE: the change was not saved yet; reconnecting.', 1_000)
  }

  /**
   * A write the rules refuse. A read-only participant is told once and stays connected (its copy
   * diverges, never saved). A writer refused by the phase is told and closed 4423, and its client
   * id remembered: the same document copy will carry the refused change again later.
   */
  private refuseWrite(room: Room, decoded: Decoded, error: WireError): void {
    this.refusedWrites++
    const me = room.state.participants[this.participantId]
    if (!me || me.removed) return this.refuse(CLOSE.forbidden, 'You are no longer in this review.', 0)
    if (!me.roles.includes('author')) {
      if (!this.toldReadOnly) {
        this.toldReadOnly = true
        this.send(
          permissionDeniedFrame('read-only: your role cannot edit the document; your changes are not saved.'),
        )
      }
      return
    }
    for (const s of decoded.structs)
      if (!(s instanceof Y.Skip) && s.id.clock + s.length > Y.getState(room.doc.store, s.id.client))
        room.refusedClients.add(s.id.client)
    const clientId = room.presence.gate.boundId(this)
    if (clientId !== null) room.refusedClients.add(clientId)
    this.refuse(CLOSE.locked, `${error.code}: ${error.message}`)
  }

  private rateLimited(room: Room): void {
    if (!this.buckets.refusals.take())
      return this.refuse(CLOSE.rateLimited, 'RATE_LIMITED: far too many messages; reconnect later.')
    // What was dropped is asked for again once things calm down (our step 1 pulls it back).
    this.resync ??= setTimeout(() => {
      this.resync = undefined
      if (this.phase === 'open' && !room.destroyed && this.mayWrite(room).ok)
        this.send(frameOf(serverStep1(room)))
    }, 1_000)
  }

  /**
   * Awareness: the room's gate decides what this connection may set (its own client id, bound on
   * first use; states up to 4 KB: server/rooms/awarenessGate.ts, H2). y-websocket echoes others'
   * states back: dropped there, and only its own states count against the limit, so echoes of a
   * busy room's carets cost nothing.
   */
  private onAwareness(room: Room, update: Uint8Array): void {
    if (update.byteLength > AWARENESS_UPDATE_BYTES || readAwareness(update) === null) {
      this.dropped++
      return
    }
    const kept = room.presence.admit(this, update)
    if (!kept) return
    if (!this.buckets.awareness.take()) {
      if (!this.buckets.refusals.take(0.2))
        this.refuse(CLOSE.rateLimited, 'RATE_LIMITED: far too many messages; reconnect later.')
      return
    }
    room.presence.apply(this, kept)
  }
}

/** One frame per sync message, shared by every peer it goes to (the outbox sends one instance). */
const frames = new WeakMap<Uint8Array, Uint8Array>()
function frameOf(syncMessage: Uint8Array): Uint8Array {
  let frame = frames.get(syncMessage)
  if (!frame) frames.set(syncMessage, (frame = syncFrame(syncMessage)))
  return frame
}
