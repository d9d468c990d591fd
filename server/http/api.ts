import { Router, type Request } from 'express'
import type { z } from 'zod'
import { createReviewBodySchema, joinBodySchema } from '../../shared/protocol/commands'
import { bearerToken, hashSecret } from '../auth/secrets'
import {
  authenticate,
  createReview,
  joinReview,
  returnByLink,
  reviewSummary,
  type ReviewDeps,
} from '../reviews/reviewService'
import { canSeeInvites } from '../../shared/domain/permissions'
import { currentInvites, returnLinkOf } from '../reviews/links'
import { privateResponse, readerOf } from './access'
import { sendError } from './errors'

function validate<T extends z.ZodType>(
  schema: T,
  req: Request,
): { ok: true; value: z.infer<T> } | { ok: false; message: string } {
  const parsed = schema.safeParse(req.body)
  if (parsed.success) return { ok: true, value: parsed.data }
  // Strict bodies, as commands: a typo or a junk field is named, never silently ignored.
  const unknown = parsed.error.issues.find((i) => i.code === 'unrecognized_keys')
  if (unknown) {
    const fields = unknown.keys.map((k) => `"${[...unknown.path, k].join('.')}"`).join(', ')
    return { ok: false, message: `The request has unknown field(s) ${fields}; remove them.` }
  }
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
  return { ok: false, message: `The request was not understood${where}: ${issue?.message ?? 'invalid'}.` }
}

/** The HTTP routes of DESIGN §4 (health, create, join, summary). */
export function apiRouter(deps: ReviewDeps): Router {
  const api = Router()

  api.post('/reviews', async (req, res) => {
    const body = validate(createReviewBodySchema, req)
    if (!body.ok) return sendError(res, 'INVALID', body.message)
    const { title, facilitator, markdown } = body.value
    res.status(201).json(await createReview(deps, title, facilitator, markdown))
  })

  // What the join page names before anyone joins; a miss is a 404 the guess limiter counts (S4).
  api.get('/invites/:code', async (req, res) => {
    const invite = await deps.store.findInvite(hashSecret(String(req.params.code)))
    if (!invite)
      return sendError(res, 'NOT_FOUND', 'This invite link does not work (any more); ask for a new one.')
    const { title } = await reviewSummary(deps, invite.reviewId)
    // The review id lets a browser that already joined this review open it as that person.
    res.json({ title, role: invite.role, reviewId: invite.reviewId })
  })

  api.post('/invites/:code/join', async (req, res) => {
    const body = validate(joinBodySchema, req)
    if (!body.ok) return sendError(res, 'INVALID', body.message)
    const joined = await joinReview(deps, String(req.params.code), body.value)
    if (!joined)
      return sendError(res, 'NOT_FOUND', 'This invite link does not work (any more); ask for a new one.')
    res.status(201).json(joined)
  })

  api.get('/reviews/:id', async (req, res) => {
    const token = bearerToken(req.get('authorization'))
    const who = token ? await authenticate(deps.store, token) : null
    if (!who || who.reviewId !== req.params.id)
      return sendError(
        res,
        'UNAUTHORIZED',
        'Send a participant token of this review as "Authorization: Bearer <token>".',
      )
    res.json(await reviewSummary(deps, who.reviewId))
  })

  // Every facilitator sees the current invite links, from any device [PA12].
  api.get('/reviews/:id/invites', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    const allowed = canSeeInvites(reader.room.state, reader.participantId)
    if (!allowed.ok) return sendError(res, allowed.error.code, allowed.error.message)
    privateResponse(res)
    res.json({ invites: await currentInvites(deps, reader.room.id) })
  })

  // Your own return link [PA11]: read it (made on first ask), or rotate it (the old one stops).
  api.get('/reviews/:id/return-link', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    privateResponse(res)
    res.json({ url: await returnLinkOf(deps, reader.room, reader.participantId, false) })
  })
  api.post('/reviews/:id/return-link', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    privateResponse(res)
    res.status(201).json({ url: await returnLinkOf(deps, reader.room, reader.participantId, true) })
  })

  // Opening a return link: a new token for this device, as the link's owner [PA11].
  api.post('/back/:code', async (req, res) => {
    const back = await returnByLink(deps, String(req.params.code))
    if (!back)
      return sendError(
        res,
        'NOT_FOUND',
        'This return link does not work (any more): it was replaced by a newer one. Use your newest link, or ask the facilitator.',
      )
    privateResponse(res)
    res.status(201).json(back)
  })

  api.use((_req, res) => sendError(res, 'NOT_FOUND', 'There is no such API route.'))
  return api
}
