import type { RequestHandler } from 'express'
import type { Logger } from '../logger'
import { TokenBucket } from '../socket/rateLimit'
import { sendError } from './errors'

/**
 * Failed secret checks per address (S4). Invite codes carry 144 random bits and tokens 256, so
 * guessing is hopeless anyway; the limit keeps a guesser from even trying at speed, and keeps the
 * logs readable. Only failures count: a room of people joining from one office address is never
 * slowed down, a wrong link or token a few times neither.
 */
export class GuessLimiter {
  private readonly buckets = new Map<string, TokenBucket>()
  private sweeps = 0

  constructor(
    private readonly burst: number,
    private readonly perMin: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether this address has used up its failures: refuse before checking anything. */
  blocked(address: string): boolean {
    const bucket = this.buckets.get(address)
    return bucket !== undefined && !bucket.has(1)
  }

  /** Counts one failed check against the address. */
  fail(address: string): void {
    let bucket = this.buckets.get(address)
    if (!bucket)
      this.buckets.set(address, (bucket = new TokenBucket(this.perMin / 60, this.burst, this.clock)))
    bucket.take(1)
    if (++this.sweeps % 1000 === 0) this.sweep()
  }

  /** Forgets addresses whose allowance is whole again, so the map stays small. */
  private sweep(): void {
    for (const [address, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(address)
  }
}

const addressOf = (req: { ip?: string; socket: { remoteAddress?: string } }): string =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown'

/**
 * For the API: an address that failed too often gets 429 RATE_LIMITED (with Retry-After) before
 * its request is looked at; every 401 or 404 answer counts as a failure.
 */
export function limitGuesses(guesses: GuessLimiter, logger: Logger, retryAfterSec: number): RequestHandler {
  return (req, res, next) => {
    const address = addressOf(req)
    if (guesses.blocked(address)) {
      logger.warn({ address, path: req.baseUrl }, 'request refused: too many failed attempts')
      res.setHeader('Retry-After', String(retryAfterSec))
      return sendError(
        res,
        'RATE_LIMITED',
        'Too many failed attempts from your address; wait a minute and try again.',
      )
    }
    res.on('finish', () => {
      if (res.statusCode === 401 || res.statusCode === 404) guesses.fail(address)
    })
    next()
  }
}
