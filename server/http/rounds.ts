import { Router } from 'express'
import * as Y from 'yjs'
import type { Block } from '../../shared/doc/blocks'
import { runChecks, type Check } from '../../shared/doc/checks'
import { diffOutlines, type DocumentDiff } from '../../shared/doc/diff'
import { exportMarkdown } from '../../shared/doc/exportMarkdown'
import { outlineFromBlocks, type Outline } from '../../shared/doc/outline'
import { readBlocks } from '../../shared/doc/yjsBlocks'
import { readConvergence, roundStats, type ConvergenceReading } from '../../shared/domain/stats'
import type { RoundRecord, RoundStats } from '../../shared/domain/types'
import { visibleCards } from '../../shared/domain/visibility'
import type { ReviewDeps } from '../reviews/reviewService'
import { countOpenRisks } from '../rooms/docEffects'
import type { Room } from '../rooms/room'
import { privateResponse, readerOf } from './access'
import { sendError } from './errors'

/** `GET /api/reviews/:id/rounds`: every round, the open one counted live (docs/protocol.md). */
export interface RoundsResponse {
  reviewId: string
  /** The round in progress (or the last one, once the review is closed). */
  current: number
  phase: string
  rounds: Array<RoundRecord & { stats: RoundStats; live: boolean }>
  convergence: ConvergenceReading
}

/** `GET /api/reviews/:id/rounds/:n/document`: one version of the document, three ways. */
export interface RoundDocument {
  round: number
  /** True for the live document (`current`, or a round that has not reached reading yet). */
  current: boolean
  closedAt?: number
  blocks: Block[]
  markdown: string
  outline: Outline
  checks: Check[]
  openRisks: number
}

/** `GET /api/reviews/:id/rounds/:from/diff/:to`: section by section, then word by word. */
export interface RoundDiff {
  from: number
  to: number
  diff: DocumentDiff
}

function roundsOf(room: Room, viewerId: string): RoundsResponse {
  const { state } = room
  // The open round is counted from the cards this reader may see: blind cards stay uncounted.
  const visible = Object.fromEntries(visibleCards(state, viewerId).cards.map((c) => [c.id, c]))
  const rounds = state.rounds.map((r) =>
    r.stats
      ? { ...r, stats: r.stats, live: false }
      : {
          ...r,
          stats: roundStats({ ...state, cards: visible }, r.round, countOpenRisks(room) ?? 0),
          live: true,
        },
  )
  return {
    reviewId: state.id,
    current: state.round,
    phase: state.phase,
    rounds,
    convergence: readConvergence(state.rounds),
  }
}

function describe(
  blocks: Block[],
): Pick<RoundDocument, 'blocks' | 'markdown' | 'outline' | 'checks' | 'openRisks'> {
  const outline = outlineFromBlocks(blocks)
  return {
    blocks,
    markdown: exportMarkdown(blocks),
    outline,
    checks: runChecks(outline),
    openRisks: outline.tbds.length,
  }
}

type Loaded = { ok: true; value: RoundDocument } | { ok: false; message: string }

/**
 * `current` is the live document. Round N is the document as round N's readers read and
 * critiqued it (stored as its reading began); a round that has not reached reading yet (a draft)
 * is the live document too.
 */
async function roundDocument(deps: ReviewDeps, room: Room, which: string): Promise<Loaded> {
  const { state } = room
  const n = which === 'current' ? state.round : /^\d{1,6}$/.test(which) ? Number(which) : NaN
  const record = state.rounds.find((r) => r.round === n)
  if (!record)
    return { ok: false, message: `There is no round ${which}; rounds are 1–${state.round} or "current".` }
  const closed = record.closedAt === undefined ? {} : { closedAt: record.closedAt }
  const snapshot = which === 'current' ? null : await deps.store.loadRoundSnapshot(room.id, n)
  if (!snapshot) {
    if (which === 'current' || n === state.round)
      return { ok: true, value: { round: n, current: true, ...closed, ...describe(readBlocks(room.doc)) } }
    return { ok: false, message: `Round ${n} has no stored document.` }
  }
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, snapshot)
    return { ok: true, value: { round: n, current: false, ...closed, ...describe(readBlocks(doc)) } }
  } finally {
    doc.destroy()
  }
}

/**
 * Rounds over HTTP (issue 5): the history with statistics and convergence, any round's document,
 * and the comparison of any two rounds. Any participant's Bearer token of the review.
 */
export function roundsRouter(deps: ReviewDeps): Router {
  const api = Router()

  api.get('/reviews/:id/rounds', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    privateResponse(res)
    res.json(roundsOf(reader.room, reader.participantId))
  })

  api.get('/reviews/:id/rounds/:round/document', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    privateResponse(res)
    const found = await roundDocument(deps, reader.room, String(req.params.round))
    if (!found.ok) return sendError(res, 'NOT_FOUND', found.message)
    res.json(found.value)
  })

  api.get('/reviews/:id/rounds/:from/diff/:to', async (req, res) => {
    const reader = await readerOf(deps, req, res)
    if (!reader) return
    privateResponse(res)
    const [from, to] = await Promise.all([
      roundDocument(deps, reader.room, String(req.params.from)),
      roundDocument(deps, reader.room, String(req.params.to)),
    ])
    if (!from.ok) return sendError(res, 'NOT_FOUND', from.message)
    if (!to.ok) return sendError(res, 'NOT_FOUND', to.message)
    const body: RoundDiff = {
      from: from.value.round,
      to: to.value.round,
      diff: diffOutlines(from.value.outline, to.value.outline),
    }
    res.json(body)
  })

  return api
}
