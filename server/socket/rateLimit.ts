import type { AppServer, AppSocket } from './types'
import type { Logger } from '../logger'
import type { Store } from '../store/types'
import type { WireError } from '../../shared/protocol/errors'
import { authenticate } from '../reviews/reviewService'
import { serverStep1 } from '../rooms/docSync'
import type { GuessLimiter } from '../http/rateLimit'

/**
 * Rate limits (M3, H3) and the handshake's guess limit (S4).
 *
 * Commands are limited per person in a room (`personBuckets`), across all of their sockets and
 * y-websocket sessions: a second tab, or a script opening ten connections, gets no fresh
 * allowance, and a room's commands are what one person could make everybody wait for (H3).
 * Document updates and awareness are limited per connection (each is cheap for the room: updates
 * are applied and saved in one batch per turn, and what awareness keeps and relays is bounded
 * per person in bytes by server/rooms/awarenessGate.ts, H2). The defaults leave room for fast
 * typing and pasting (DESIGN §4: at least 50 updates a second and bursts of 200; 50 commands a
 * second). A message over its bucket is refused with RATE_LIMITED, the limit named (awareness is
 * dropped: it has no ack, and the next one carries the latest state anyway). Refusals draw on a
 * bucket of each connection's own: a client that keeps flooding empties it within a second and
 * is disconnected.
 */
export interface RateLimits {
  updatesPerSec: number
  updateBurst: number
  commandsPerSec: number
  commandBurst: number
  awarenessPerSec: number
  awarenessBurst: number
  /** Refusals a socket may collect at once, and how fast that allowance comes back. */
  refusalBurst: number
  refusalsPerSec: number
  /** Failed invite or token checks per address (HTTP and handshake), and the refill per minute. */
  guessBurst: number
  guessesPerMin: number
}

export const DEFAULT_RATES: RateLimits = {
  updatesPerSec: 60,
  updateBurst: 240,
  commandsPerSec: 50,
  commandBurst: 50,
  awarenessPerSec: 60,
  awarenessBurst: 120,
  refusalBurst: 100,
  refusalsPerSec: 20,
  guessBurst: 20,
  guessesPerMin: 12,
}

/** A classic token bucket: `burst` tokens at most, `perSec` come back each second. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = burst
    this.last = clock()
  }

  private refill(): void {
    const now = this.clock()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSec)
    this.last = now
  }

  /** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(n = 1): boolean {
    this.refill()
    if (this.tokens < n) return false
    this.tokens -= n
    return true
  }

  /** Whether `n` tokens are there, without taking them. */
  has(n = 1): boolean {
    this.refill()
    return this.tokens >= n
  }

  /** True when the bucket is full again (its owner can be forgotten). */
  full(): boolean {
    this.refill()
    return this.tokens >= this.burst
  }
}

/** Per room (weakly: an unloaded room takes its buckets with it), per participant. */
const people = new WeakMap<object, Map<string, TokenBucket>>()

/** The command bucket of one person in one room: every connection of theirs draws on it (H3). */
export function personCommands(
  room: object,
  participantId: string,
  rates: RateLimits,
  clock: () => number = Date.now,
): TokenBucket {
  let inRoom = people.get(room)
  if (!inRoom) people.set(room, (inRoom = new Map()))
  let bucket = inRoom.get(participantId)
  if (!bucket)
    inRoom.set(participantId, (bucket = new TokenBucket(rates.commandsPerSec, rates.commandBurst, clock)))
  return bucket
}

/** The refusal of a message over its bucket, naming the limit (H3). */
export function limitedError(kind: 'sync' | 'command', rates: RateLimits): WireError {
  return {
    code: 'RATE_LIMITED',
    message:
      kind === 'command'
        ? `Too many commands at once: the limit is ${rates.commandsPerSec} a second per person, across all your tabs and connections; the app retries in a moment.`
        : `Too many document updates at once: the limit is ${rates.updatesPerSec} a second per connection; the app retries in a moment.`,
  }
}
const FLOODING: WireError = {
  code: 'RATE_LIMITED',
  message: 'This connection sent far too many messages and was closed; reload to continue.',
}

type Ack = (r: unknown) => void
type Kind = 'sync' | 'command' | 'awareness'
const kindOf = (event: unknown): Kind =>
  event === 'yjs:sync' ? 'sync' : event === 'yjs:awareness' ? 'awareness' : 'command'

/** Awareness drops weigh less: a fast selection drag must never cost the connection. */
const REFUSAL_WEIGHT: Record<Kind, number> = { sync: 1, command: 1, awareness: 0.2 }

export interface SocketGuardDeps {
  rates: RateLimits
  logger: Logger
  clock?: () => number
}

/**
 * Installs the limits on one socket (a Socket.IO packet middleware, so it runs before every
 * handler). It also logs every refusal any handler answers, as structured data without secrets.
 */
export function limitSocket(socket: AppSocket, { rates, logger, clock = Date.now }: SocketGuardDeps): void {
  // The auth middleware pinned the room: commands draw on the person's bucket there (H3).
  const room = socket.data.room
  const buckets: Record<Kind, TokenBucket> = {
    sync: new TokenBucket(rates.updatesPerSec, rates.updateBurst, clock),
    command: room
      ? personCommands(room, socket.data.participantId, rates, clock)
      : new TokenBucket(rates.commandsPerSec, rates.commandBurst, clock),
    awareness: new TokenBucket(rates.awarenessPerSec, rates.awarenessBurst, clock),
  }
  const refusals = new TokenBucket(rates.refusalsPerSec, rates.refusalBurst, clock)
  const who = () => ({ review: socket.data.reviewId, participant: socket.data.participantId })
  let resync: NodeJS.Timeout | undefined
  let lastLog = 0
  let closed = false

  socket.use((packet, next) => {
    const event = packet[0]
    const kind = kindOf(event)
    const last = packet.length - 1
    const ack = packet.length > 1 && typeof packet[last] === 'function' ? (packet[last] as Ack) : undefined
    if (buckets[kind].take()) {
      if (ack)
        packet[last] = (r: unknown) => {
          const error = (r as { ok?: boolean; error?: WireError } | null)?.error
          if (error && (r as { ok?: boolean }).ok === false)
            logger.info({ ...who(), event: String(event), code: error.code }, 'refused')
          ack(r)
        }
      return next()
    }
    if (closed) return
    if (ack) ack({ ok: false, error: limitedError(kind === 'sync' ? 'sync' : 'command', rates) })
    const now = clock()
    if (now - lastLog > 1000) {
      lastLog = now
      logger.warn({ ...who(), event: String(event) }, 'rate limited')
    }
    // The client may have dropped what was refused: ask it, once things calm down, for whatever
    // the server still lacks (its answer to our step 1 is a step 2 carrying exactly that).
    if (kind === 'sync' && !resync)
      resync = setTimeout(() => {
        resync = undefined
        const room = socket.data.room
        if (socket.connected && room && !room.destroyed) socket.emit('yjs:sync', serverStep1(room))
      }, 1000)
    if (!refusals.take(REFUSAL_WEIGHT[kind])) {
      closed = true
      logger.warn({ ...who() }, 'flooding socket disconnected')
      socket.emit('board:closed', FLOODING)
      socket.disconnect(true)
    }
  })
  socket.on('disconnect', () => clearTimeout(resync))
}

export interface HandshakeGuardDeps {
  store: Store
  guesses: GuessLimiter
  logger: Logger
}

/**
 * Runs before the auth middleware: an address with too many failed token checks is refused
 * outright (connect_error "rate limited"), and every failed check counts against it (S4). The
 * token itself is never logged.
 */
export function guardHandshakes(io: AppServer, { store, guesses, logger }: HandshakeGuardDeps): void {
  io.use(async (socket, next) => {
    const address = socket.handshake.address
    if (guesses.blocked(address)) {
      logger.warn({ address }, 'handshake refused: too many failed token checks')
      return next(new Error('rate limited'))
    }
    try {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
      const who = typeof token === 'string' && token.length <= 200 ? await authenticate(store, token) : null
      if (!who) {
        guesses.fail(address)
        logger.info({ address }, 'handshake with an unknown token')
      }
    } catch {
      // The auth middleware after this one answers store failures.
    }
    next()
  })
}

/** The configured rates over the defaults. */
export const ratesOf = (overrides: Partial<RateLimits> | undefined): RateLimits => ({
  ...DEFAULT_RATES,
  ...overrides,
})

/** Both guards at once; call before the auth middleware is installed so they run first. */
export function guardSockets(
  io: AppServer,
  deps: HandshakeGuardDeps & { rates: RateLimits; clock?: () => number },
): void {
  guardHandshakes(io, deps)
  io.on('connection', (socket) => limitSocket(socket, deps))
}
