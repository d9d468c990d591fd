import type { CommandOf } from '../../protocol/commands'
import { err, ok, type Result } from '../result'
import type { Participant, ReviewState, Role, Settings } from '../types'
import type { DecideContext, Decision } from './context'

const one = (event: Decision['events'][number]): Result<Decision> => ok({ events: [event] })

/** The timer informs; it never moves the phase [TM1] [TM2]. */
export function setTimer(cmd: CommandOf<'timer.set'>, ctx: DecideContext): Result<Decision> {
  const timer = cmd.seconds === null ? null : { seconds: cmd.seconds, startedAt: ctx.now }
  return one({ type: 'timer.set', timer })
}

/** Each reader reports their own progress in reading [RD3]; done marks the round as read [RD4]. */
export function reportProgress(
  state: ReviewState,
  cmd: CommandOf<'reading.progress'>,
  actor: Participant,
  ctx: DecideContext,
): Result<Decision> {
  const progress = {
    percent: cmd.percent,
    sectionsRead: [...new Set(cmd.sectionsRead)],
    done: cmd.done,
    round: state.round,
    at: ctx.now,
  }
  return one({ type: 'reading.progressed', participantId: actor.id, progress })
}

const activeFacilitators = (state: ReviewState): Participant[] =>
  Object.values(state.participants).filter((p) => !p.removed && p.roles.includes('facilitator'))

function target(state: ReviewState, participantId: string): Result<Participant> {
  const p = state.participants[participantId]
  if (!p) return err('NOT_FOUND', 'There is no participant with that id in this review.')
  if (p.removed) return err('INVALID', `${p.name} was removed from this review.`)
  return ok(p)
}

/** Roles change only by the facilitator, and facilitation never lapses [PA4] [PA6]. */
export function updateParticipant(
  state: ReviewState,
  cmd: CommandOf<'participant.update'>,
  actor: Participant,
): Result<Decision> {
  const p = target(state, cmd.participantId)
  if (!p.ok) return p
  if (!cmd.roles) return ok({ events: [] })
  const roles = [...new Set(cmd.roles)] as Role[]
  if (roles.includes('observer') && roles.length > 1)
    return err('INVALID', 'An observer only reads; choose observer alone or drop it.') // [PA3]
  const losesFacilitation = p.value.roles.includes('facilitator') && !roles.includes('facilitator')
  if (losesFacilitation && p.value.id === actor.id)
    return err('CONFLICT', 'You cannot drop your own facilitator role; make someone else facilitator first.')
  if (losesFacilitation && activeFacilitators(state).length <= 1)
    return err('CONFLICT', 'A review always keeps a facilitator; make someone else facilitator first.')
  return one({ type: 'participant.updated', participantId: p.value.id, roles })
}

/** Removal is the facilitator's; they cannot remove themself [PA5] [PA6]. */
export function removeParticipant(
  state: ReviewState,
  cmd: CommandOf<'participant.remove'>,
  actor: Participant,
): Result<Decision> {
  const p = target(state, cmd.participantId)
  if (!p.ok) return p
  if (p.value.id === actor.id)
    return err('CONFLICT', 'You cannot remove yourself; hand facilitation to someone else first.')
  if (p.value.roles.includes('facilitator') && activeFacilitators(state).length <= 1)
    return err('CONFLICT', 'A review always keeps a facilitator; make someone else facilitator first.')
  return one({ type: 'participant.removed', participantId: p.value.id })
}

export function rotateInvite(cmd: CommandOf<'invite.rotate'>): Result<Decision> {
  return one({ type: 'invite.rotated', role: cmd.role }) // [PA7]
}

/**
 * Settings change by the facilitator. Blind critique cannot flip while cards of this round are
 * unrevealed or being written [ST2]; anonymity, once cards exist, can be turned on but not off,
 * because it would name authors who wrote under it [ST3].
 */
export function updateSettings(state: ReviewState, cmd: CommandOf<'settings.update'>): Result<Decision> {
  const changes: Partial<Settings> = {}
  const s = state.settings
  if (cmd.blindCritique !== undefined && cmd.blindCritique !== s.blindCritique) {
    const roundHasCards = Object.values(state.cards).some((c) => c.round === state.round)
    const unrevealed = state.phase === 'critique' || (state.phase === 'reading' && roundHasCards)
    if (unrevealed)
      return err(
        'PHASE_LOCKED',
        'Blind or open critique is chosen before critique starts; it cannot change while cards are unrevealed.',
      )
    changes.blindCritique = cmd.blindCritique
  }
  if (cmd.anonymousByFunction !== undefined && cmd.anonymousByFunction !== s.anonymousByFunction) {
    if (!cmd.anonymousByFunction && Object.keys(state.cards).length > 0)
      return err(
        'CONFLICT',
        'Cards were written anonymously; turning anonymity off would name their authors.',
      )
    changes.anonymousByFunction = cmd.anonymousByFunction
  }
  if (cmd.votesPerPerson !== undefined && cmd.votesPerPerson !== s.votesPerPerson)
    changes.votesPerPerson = cmd.votesPerPerson // [ST4]
  if (Object.keys(changes).length === 0) return ok({ events: [] })
  return one({ type: 'settings.updated', settings: changes })
}
