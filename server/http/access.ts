import type { Request, Response } from 'express'
import { bearerToken } from '../auth/secrets'
import { authenticate, type ReviewDeps } from '../reviews/reviewService'
import type { Room } from '../rooms/room'
import { sendError } from './errors'

export interface Reader {
  room: Room
  participantId: string
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/

/**
 * The token of a read request: the Bearer header, or (when `allowQuery`) `?token=` so a plain
 * browser link can download an export. A query token is scrubbed from the request's URL at
 * once, so no logger that runs later can ever write it down.
 */
function tokenOf(req: Request, allowQuery: boolean): string | null {
  const header = bearerToken(req.get('authorization'))
  if (header) return header
  if (!allowQuery) return null
  const raw = req.query.token
  if (raw === undefined) return null
  const scrub = (url: string) => url.replace(/([?&]token=)[^&#]*/g, '$1redacted')
  req.url = scrub(req.url)
  req.originalUrl = scrub(req.originalUrl)
  return typeof raw === 'string' && TOKEN_SHAPE.test(raw) ? raw : null
}

/**
 * Any participant of the review may read it (DESIGN §4): the token must belong to this review
 * and to a participant who was not removed. Answers 401 itself and resolves null otherwise.
 */
export async function readerOf(
  deps: ReviewDeps,
  req: Request,
  res: Response,
  opts: { allowQuery?: boolean } = {},
): Promise<Reader | null> {
  const token = tokenOf(req, opts.allowQuery ?? false)
  const who = token ? await authenticate(deps.store, token) : null
  const room = who && who.reviewId === req.params.id ? await deps.rooms.get(who.reviewId) : null
  const me = who && room ? room.state.participants[who.participantId] : undefined
  if (!who || !room || !me || me.removed) {
    const how = opts.allowQuery ? ' (or ?token=<token> on a link)' : ''
    sendError(
      res,
      'UNAUTHORIZED',
      `Send a participant token of this review as "Authorization: Bearer <token>"${how}.`,
    )
    return null
  }
  return { room, participantId: who.participantId }
}

/** Review content is per participant and may hold critique: never cached, never a referrer. */
export function privateResponse(res: Response): void {
  res.set('Cache-Control', 'no-store')
  res.set('Referrer-Policy', 'no-referrer')
}
