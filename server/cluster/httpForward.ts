import http from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { hashSecret } from '../auth/secrets'
import type { Logger } from '../logger'
import type { Store } from '../store/types'
import type { ClusterNode } from './cluster'

/** A request forwarded once is served where it arrives: no loops, whatever the table says. */
const FORWARDED = 'x-prfaq-forwarded'
const FORWARD_TIMEOUT_MS = 5_000

/**
 * HTTP requests about a review another live process owns (SCALEOUT §2.3): joins, return links,
 * exports and the rest go through the review's room, and only the owner may load it. Such a
 * request is passed on, as it came (body unread), to the owner's own address (node_lease); its
 * answer comes back as it is. The owner is found by claiming: a review with no owner, or a dead
 * one, becomes this process's (the room then loads here). An owner that does not answer gets a
 * 503 with Retry-After: it is taken over once PostgreSQL has ended its session.
 */
export function forwardToOwner(cluster: ClusterNode, store: Store, logger: Logger) {
  async function reviewOf(req: Request): Promise<string | null> {
    const parts = req.path.split('/').filter(Boolean)
    const [head, key] = parts
    if (!key) return null
    if (head === 'reviews') return key
    if (head === 'invites') return (await store.findInvite(hashSecret(key)))?.reviewId ?? null
    if (head === 'back') return (await store.findReturnLink(hashSecret(key)))?.reviewId ?? null
    return null
  }

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.get(FORWARDED)) return next()
    let target: string | null = null
    try {
      const id = await reviewOf(req)
      // A claim, not a look-up: a dead owner is taken over here rather than forwarded to.
      const claim = id && !cluster.fenced ? await cluster.owners.claim(id) : null
      target = claim && !claim.mine ? claim.address : null
    } catch {
      return next() // answered here, with the store's own error if it is down
    }
    if (!target) return next()
    const url = new URL(req.originalUrl, target)
    const upstream = http.request(url, {
      method: req.method,
      headers: { ...req.headers, host: url.host, [FORWARDED]: '1' },
      timeout: FORWARD_TIMEOUT_MS,
    })
    let answered = false
    upstream.on('response', (answer) => {
      answered = true
      res.status(answer.statusCode ?? 502)
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined) res.setHeader(k, v)
      answer.pipe(res)
    })
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')))
    upstream.on('error', (e) => {
      if (answered || res.headersSent) return void res.destroy()
      logger.warn({ err: e.message, owner: target }, 'owner unreachable over HTTP')
      res.set('Retry-After', '1')
      res.status(503).json({
        error: { code: 'UNAVAILABLE', message: 'The server holding this review did not answer; try again.' },
      })
    })
    req.pipe(upstream)
  }
}
