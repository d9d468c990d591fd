import { Router, type Response } from 'express'
import { project } from '../../shared/domain/projection'
import { renderedExport, type ExportData } from '../doc/docWorker'
import { fullUpdate } from '../rooms/docSync'
import type { ReviewDeps } from '../reviews/reviewService'
import type { Reader } from './access'
import { privateResponse, readerOf } from './access'

/**
 * What an export holds for ONE reader: cards come from that reader's projection (`project`), so a
 * card still blind to them — or its author — never reaches the file [CV7]. The document is the
 * room's live Y.Doc (`renderedExport`), so anchors are resolved against the text as it stands.
 */
function exportData(deps: ReviewDeps, { room, participantId }: Reader): ExportData {
  const view = project(room.state, participantId, room.online())
  return {
    title: view.title,
    cards: view.cards,
    participants: view.participants,
    rounds: view.rounds,
    decision: view.decision,
    exportedAt: deps.clock(),
  }
}

const documentOf = ({ room }: Reader) => ({ doc: room.doc, update: () => fullUpdate(room) })

/**
 * A title as it may appear in a file name: a lone surrogate (stored before titles were checked,
 * TX1) becomes U+FFFD, so `encodeURIComponent` cannot throw and an export never fails on it [TX2];
 * direction and other control characters are dropped.
 */
const fileSafe = (title: string): string =>
  title.replace(/\p{Cs}/gu, '\uFFFD').replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu, '')

/** A file name from the title: ASCII for old clients, the full title as RFC 5987 `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', rawTitle: string, ext: string): string {
  const title = fileSafe(rawTitle)
  const ascii =
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'prfaq'
  const full = encodeURIComponent(`${title.trim() || 'prfaq'}.${ext}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${kind}; filename="${ascii}.${ext}"; filename*=UTF-8''${full}`
}

function send(res: Response, type: string, disposition: string, body: string): void {
  privateResponse(res)
  res.set('Content-Type', type)
  res.set('Content-Disposition', disposition)
  res.send(body)
}

/**
 * `GET /api/reviews/:id/export.md` and `/export.html` (issue 5): the document, then appendices
 * (critique by round and function, rounds and convergence, checks, decision). Any participant's
 * token, as a Bearer header or `?token=` so a plain link or button works; a query token is
 * scrubbed from the URL before anything could log it, and the answer is never cached.
 */
export function exportsRouter(deps: ReviewDeps): Router {
  const api = Router()

  api.get('/reviews/:id/export.md', async (req, res) => {
    const reader = await readerOf(deps, req, res, { allowQuery: true })
    if (!reader) return
    const input = exportData(deps, reader)
    const body = await renderedExport('md', documentOf(reader), input)
    send(res, 'text/markdown; charset=utf-8', contentDisposition('attachment', input.title, 'md'), body)
  })

  api.get('/reviews/:id/export.html', async (req, res) => {
    const reader = await readerOf(deps, req, res, { allowQuery: true })
    if (!reader) return
    const input = exportData(deps, reader)
    const body = await renderedExport('html', documentOf(reader), input)
    // Inline: the page opens in the browser, ready for "print to PDF".
    send(res, 'text/html; charset=utf-8', contentDisposition('inline', input.title, 'html'), body)
  })

  return api
}
