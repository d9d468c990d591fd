import type { CommandOf } from '../../protocol/commands'
import type { DomainEvent } from '../events'
import { err, ok, type Result } from '../result'
import { isRevisionItem } from '../revision'
import { roundStats } from '../stats'
import type { Phase, ReviewState } from '../types'
import type { DecideContext, Decision } from './context'

/** Forward steps of the phase machine [PH3]. `closed → reading` reopens a no-go review [PH7]. */
const FORWARD: Record<Phase, readonly Phase[]> = {
  draft: ['reading'],
  reading: ['critique'],
  critique: ['discussion'],
  discussion: ['triage'],
  triage: ['revision', 'decision'],
  revision: ['reading', 'decision'],
  decision: [],
  closed: ['reading'],
}

/** Safe steps back: only where nothing un-revealed would be revealed or lost [PH4]. */
const BACK: Record<Phase, readonly Phase[]> = {
  draft: [],
  reading: [],
  critique: ['reading'],
  discussion: [],
  triage: ['discussion'],
  revision: [],
  decision: ['triage'],
  closed: [],
}

export interface PhaseStep {
  to: Phase
  direction: 'forward' | 'back'
  /** No step leads back: the client asks for a confirmation first. */
  irreversible: boolean
  /** The one step the phase bar offers as the obvious next one [PH13]. */
  primary: boolean
}

/**
 * The usual next step where there are two ways forward [PH13]: from triage, revision when the
 * round left revision items or cards not yet triaged (an open fatal card is no ground for a
 * decision), else the decision; from revision, the next round's reading.
 */
function recommended(state: ReviewState): Phase | undefined {
  if (state.phase === 'triage') return mayNeedRevision(state) ? 'revision' : 'decision'
  return FORWARD[state.phase][0]
}

function mayNeedRevision(state: ReviewState): boolean {
  return Object.values(state.cards).some((c) => c.round === state.round && (!c.triage || isRevisionItem(c)))
}

/**
 * A step that cannot be undone by a step back: e.g. `critique → discussion` reveals every card,
 * `revision → reading` closes the round. Steps back are never irreversible. [PH5]
 */
export function isIrreversible(from: Phase, to: Phase): boolean {
  if (!FORWARD[from].includes(to)) return false
  return !BACK[to].includes(from)
}

/** The steps the facilitator may take from here (the phase bar's buttons). */
export function nextPhases(state: ReviewState): PhaseStep[] {
  if (state.phase === 'closed' && state.frozen) return [] // [PH7] a go review stays frozen
  const primary = recommended(state)
  const forward = FORWARD[state.phase].map((to) => ({
    to,
    direction: 'forward' as const,
    irreversible: isIrreversible(state.phase, to),
    primary: to === primary,
  }))
  const back = BACK[state.phase].map((to) => ({
    to,
    direction: 'back' as const,
    irreversible: false,
    primary: false,
  }))
  return [...forward, ...back]
}

const list = (phases: readonly Phase[]): string => phases.join(' or ')

export function advancePhase(
  state: ReviewState,
  cmd: CommandOf<'phase.advance'>,
  ctx: DecideContext,
): Result<Decision> {
  const from = state.phase
  const to = cmd.to
  // Two facilitators clicking at once: the second click was meant for a phase that is gone [PH12].
  if (cmd.from !== undefined && cmd.from !== from)
    return err(
      'CONFLICT',
      `The review moved to ${from} meanwhile (you saw ${cmd.from}); look at the board again before moving on.`,
    )
  if (to === from) return err('INVALID', `The review is already in ${to}.`)
  if (to === 'closed')
    return err('INVALID', 'A review closes when the facilitator records go or no-go in the decision phase.') // [PH6]
  if (from === 'closed' && state.frozen)
    return err(
      'PHASE_LOCKED',
      'This review was decided go: its document is the frozen reference and stays closed.',
    ) // [PH7]
  const steps = [...FORWARD[from], ...BACK[from]]
  if (!steps.includes(to)) {
    const where = steps.length > 0 ? `it can move to ${list(steps)}` : 'record the decision to move on'
    return err('INVALID', `The review cannot move from ${from} to ${to}; ${where}.`) // [PH3]
  }
  const events: DomainEvent[] = []
  if (from === 'revision' && to === 'reading') {
    // Leaving revision for reading closes round N and opens N+1 [RN1].
    const stats = roundStats(state, state.round, ctx.openRisks ?? 0)
    events.push({ type: 'round.closed', round: state.round, stats, outcome: 'revised' })
    events.push({ type: 'phase.changed', from, to, round: state.round + 1 })
  } else if (from === 'closed') {
    // Reopening a no-go review starts a new round [PH7] [RN4]; its round was closed by the decision.
    events.push({ type: 'phase.changed', from, to, round: state.round + 1 })
  } else {
    events.push({ type: 'phase.changed', from, to, round: state.round })
  }
  return ok({ events })
}
