import type { Command } from '../../../shared/protocol/commands'
import { decide, type DecideContext } from '../../../shared/domain/decide'
import type { DomainEvent, StoredEvent } from '../../../shared/domain/events'
import { evolve, initialState } from '../../../shared/domain/evolve'
import { joinEvents, reviewCreatedEvents } from '../../../shared/domain/lifecycle'
import type { Result } from '../../../shared/domain/result'
import type { Func, Participant, Phase, ReviewState, Role } from '../../../shared/domain/types'

/** A participant per role (plus a second reviewer), each of a different function. */
export const PEOPLE = {
  facilitator: person('fac', 'facilitator', 'product', ['facilitator']),
  author: person('aut', 'author', 'product', ['author']),
  reviewer: person('rev', 'reviewer', 'legal', ['reviewer']),
  reviewer2: person('rev2', 'reviewer2', 'engineering', ['reviewer']),
  decider: person('dec', 'decider', 'leadership', ['decider']),
  observer: person('obs', 'observer', 'finance', ['observer']),
} satisfies Record<string, Participant>

export type Who = keyof typeof PEOPLE

function person(id: string, name: string, fn: Func, roles: Role[]): Participant {
  return { id, name, function: fn, roles, joinedAt: 1 }
}

let clock = 1_000
let ids = 0
export function ctx(extra: Partial<DecideContext> = {}): DecideContext {
  return { now: ++clock, newId: () => `id${++ids}`, ...extra }
}

export function apply(state: ReviewState, events: readonly DomainEvent[], actorId = 'server'): ReviewState {
  return events.reduce(
    (s, e) => evolve(s, { ...e, seq: s.seq + 1, at: ++clock, actorId } as StoredEvent),
    state,
  )
}

/** A fresh review with everyone in PEOPLE joined, in draft. */
export function review(): ReviewState {
  let s = apply(
    initialState('r1'),
    reviewCreatedEvents({ title: 'Test', facilitator: PEOPLE.facilitator, now: 1 }),
  )
  for (const p of Object.values(PEOPLE)) s = apply(s, joinEvents(s, p))
  return s
}

/** Runs a command and returns the new state; throws when refused (for setting up scenes). */
export function run(
  state: ReviewState,
  who: Who | Participant,
  cmd: DistributiveOmit<Command, 'commandId'>,
): ReviewState {
  const res = tryRun(state, who, cmd)
  if (!res.ok) throw new Error(`${cmd.type} refused: ${res.error.code} ${res.error.message}`)
  return res.value.state
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never

export function tryRun(
  state: ReviewState,
  who: Who | Participant,
  cmd: DistributiveOmit<Command, 'commandId'>,
  extra: Partial<DecideContext> = {},
): Result<{ state: ReviewState; events: DomainEvent[]; cardId?: string }> {
  const actor = typeof who === 'string' ? PEOPLE[who] : who
  const res = decide(state, { ...cmd, commandId: `c${++ids}` } as Command, actor, ctx(extra))
  if (!res.ok) return res
  const cardId = res.value.cardId
  return {
    ok: true,
    value: { state: apply(state, res.value.events, actor.id), events: res.value.events, cardId },
  }
}

/** The path of phases from draft to each phase, in round 1. */
const PATH: Phase[] = ['reading', 'critique', 'discussion', 'triage', 'revision']
export function inPhase(phase: Phase, state: ReviewState = review()): ReviewState {
  if (phase === 'draft') return state
  let s = state
  if (phase === 'decision') {
    for (const to of ['reading', 'critique', 'discussion', 'triage', 'decision'] as Phase[])
      s = run(s, 'facilitator', { type: 'phase.advance', to })
    return s
  }
  if (phase === 'closed') {
    s = inPhase('decision', s)
    return run(s, 'facilitator', { type: 'decision.record', outcome: 'no-go', summary: 'Not now.' })
  }
  for (const to of PATH) {
    s = run(s, 'facilitator', { type: 'phase.advance', to })
    if (to === phase) return s
  }
  throw new Error(`no path to ${phase}`)
}
