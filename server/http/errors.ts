import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import type { ErrorCode } from '../../shared/protocol/errors'
import type { Logger } from '../logger'
import { DocumentLimitError } from '../../shared/doc/limits'

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
}

/** Every HTTP error is `{error: {code, message}}` with a fitting status (DESIGN §4). */
export function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(STATUS[code] ?? 400).json({ error: { code, message } })
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`

/** A body over the limit: the limit, this body's size, and what to do about it. */
function tooLargeMessage(e: unknown): string {
  const { limit, length } = e as { limit?: number; length?: number }
  const max = typeof limit === 'number' ? ` The limit is ${mb(limit)}` : ''
  const size = typeof length === 'number' && max ? `; this was ${mb(length)}` : ''
  return (
    `The request body is too large.${max}${size}${max ? '.' : ''} ` +
    'A PR/FAQ fits well within it: remove pasted images or data (for example base64 images in the ' +
    'Markdown), or split the document, and try again.'
  )
}

/** Body parser failures (malformed JSON, too large) and anything unexpected, as wire errors. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (e: unknown, _req, res, next) => {
    if (res.headersSent) return next(e)
    const type = (e as { type?: string }).type
    if (type === 'entity.too.large') return sendError(res, 'TOO_LARGE', tooLargeMessage(e))
    if (type === 'entity.parse.failed')
      return sendError(res, 'INVALID', 'The request body is not valid JSON.')
    // Markdown nested or sized past the document's limits: the limit, named (H1).
    if (e instanceof DocumentLimitError) return sendError(res, 'INVALID', e.message)
    const status = (e as { status?: number }).status
    if (status && status >= 400 && status < 500)
      return sendError(res, 'INVALID', 'The request could not be read.')
    logger.error({ err: e }, 'request failed')
    sendError(res, 'UNAVAILABLE', 'Something went wrong on the server; please try again.')
  }
}

/**
 * The last route: an unknown path is a wire error, not Express's bare page (which would also
 * replace the security headers). Without a built client, pages say how to build it.
 */
export function notFound(clientBuilt: boolean): RequestHandler {
  return (req, res) => {
    if (!clientBuilt && req.method === 'GET' && !req.path.startsWith('/api/'))
      return sendError(
        res,
        'NOT_FOUND',
        'The board client is not built yet: run `npm run build` (npm start does it).',
      )
    sendError(res, 'NOT_FOUND', `Nothing is at ${req.method} ${req.path}.`)
  }
}
