import type { CommandOf } from '../../protocol/commands'
import type { DomainEvent } from '../events'
import { ok, type Result } from '../result'
import { roundStats } from '../stats'
import type { Participant, ReviewState } from '../types'
import type { DecideContext, Decision } from './context'

/** One sign-off per decider per round; a later one replaces it [DC1] [DC2]. */
export function signoff(
  state: ReviewState,
  cmd: CommandOf<'decision.signoff'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const conditions = cmd.conditions?.trim()
  return ok({
    events: [
      {
        type: 'decision.signedoff',
        signoff: {
          participantId: actor.id,
          function: actor.function,
          stance: cmd.stance,
          rationale: cmd.rationale,
          ...(conditions ? { conditions } : {}),
          round: state.round,
          at: ctx.now,
        },
      },
    ],
  })
}

/**
 * The facilitator records the outcome [DC3]: `go` closes the round and freezes the document as the
 * reference [DC5]; `no-go` closes it and archives the review read-only [DC6]; `iterate` returns to
 * revision in the same round [DC4].
 */
export function record(
  state: ReviewState,
  cmd: CommandOf<'decision.record'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const events: DomainEvent[] = [
    {
      type: 'decision.recorded',
      record: { outcome: cmd.outcome, summary: cmd.summary, by: actor.id, round: state.round, at: ctx.now },
    },
  ]
  if (cmd.outcome === 'iterate') {
    events.push({ type: 'phase.changed', from: 'decision', to: 'revision', round: state.round })
  } else {
    const stats = roundStats(state, state.round, ctx.openRisks ?? 0)
    events.push({ type: 'round.closed', round: state.round, stats, outcome: cmd.outcome })
    events.push({ type: 'phase.changed', from: 'decision', to: 'closed', round: state.round })
  }
  return ok({ events })
}
