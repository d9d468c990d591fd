import type { CountBy, Func, ReviewState, RoundRecord, RoundStats, Severity } from './types'
import { isRevisionItem } from './revision'

const bump = <K extends string>(counts: CountBy<K>, key: K): void => {
  counts[key] = (counts[key] ?? 0) + 1
}

/** A round with nothing counted yet. */
export function emptyStats(openRisks = 0): RoundStats {
  return {
    cards: 0,
    bySeverity: {},
    byKind: {},
    byFunction: {},
    byDisposition: {},
    severityByFunction: {},
    revisionItems: 0,
    revisionDone: 0,
    openRisks,
  }
}

/**
 * The statistics of one round's cards: by severity, kind, function and disposition, and the
 * revision items done. Stored with `round.closed` and charted for convergence. [RN2]
 */
export function roundStats(state: ReviewState, round: number, openRisks: number): RoundStats {
  const stats = emptyStats(openRisks)
  for (const card of Object.values(state.cards)) {
    if (card.round !== round) continue
    stats.cards += 1
    bump(stats.bySeverity, card.severity)
    bump(stats.byKind, card.kind)
    bump(stats.byFunction, card.function)
    bump(stats.byDisposition, card.triage?.disposition ?? 'untriaged')
    const perFunction: CountBy<Severity> = (stats.severityByFunction[card.function as Func] ??= {})
    bump(perFunction, card.severity)
    if (isRevisionItem(card)) {
      stats.revisionItems += 1
      if (card.done) stats.revisionDone += 1
    }
  }
  return stats
}

export interface ConvergenceReading {
  ready: boolean
  message: string
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

function weighty(stats: RoundStats): { fatal: number; structural: number } {
  return { fatal: stats.bySeverity.fatal ?? 0, structural: stats.bySeverity.structural ?? 0 }
}

/**
 * The board's reading of the convergence chart: the document looks ready for a decision when the
 * latest round brought only minor refinements — no fatal and no structural critique. [RN5]
 * Rounds without statistics (still open and not computed) are skipped.
 */
export function readConvergence(rounds: readonly RoundRecord[]): ConvergenceReading {
  const measured = rounds.filter((r): r is RoundRecord & { stats: RoundStats } => r.stats !== undefined)
  const latest = measured[measured.length - 1]
  if (!latest)
    return { ready: false, message: 'No round has been critiqued yet, so there is nothing to read.' }
  const previous = measured[measured.length - 2]
  const { fatal, structural } = weighty(latest.stats)
  const risks = latest.stats.openRisks
  const riskNote = risks > 0 ? ` ${plural(risks, 'open risk')} (TBD) still stand in the document.` : ''
  if (latest.stats.cards === 0) {
    if (!previous)
      return {
        ready: false,
        message: `Round ${latest.round} drew no critique at all; hold a critique round before judging readiness.`,
      }
    return {
      ready: true,
      message: `Round ${latest.round} drew no new critique: the document looks ready for a decision.${riskNote}`,
    }
  }
  const minor = latest.stats.bySeverity.minor ?? 0
  if (fatal === 0 && structural === 0)
    return {
      ready: true,
      message:
        `Round ${latest.round} brought only minor refinements (${plural(minor, 'minor card')}, ` +
        `no fatal or structural critique): the document looks ready for a decision.${riskNote}`,
    }
  const parts = [
    fatal > 0 ? plural(fatal, 'fatal card') : '',
    structural > 0 ? plural(structural, 'structural card') : '',
  ]
  let trend = ''
  if (previous) {
    const before = weighty(previous.stats)
    const was = before.fatal + before.structural
    const now = fatal + structural
    trend =
      now < was
        ? ` (down from ${was} in round ${previous.round})`
        : now > was
          ? ` (up from ${was} in round ${previous.round})`
          : ` (as many as in round ${previous.round})`
  }
  return {
    ready: false,
    message:
      `Round ${latest.round} still raised ${parts.filter(Boolean).join(' and ')}${trend}; ` +
      `keep revising until a round brings only minor refinements.${riskNote}`,
  }
}
