import type { CommandType } from '../../protocol/commands'
import { err, ok, type Result } from '../result'
import { PHASES, type Participant, type Phase, type ReviewState, type Role } from '../types'

/** The id the server acts under for system events (e.g. answering a card as FAQ). */
const SERVER_ID = 'server'

/** The server as an actor: it holds every role, but phases still bind it. */
export const SERVER_ACTOR: Participant = {
  id: SERVER_ID,
  name: 'Server',
  function: 'other',
  roles: ['facilitator', 'author', 'reviewer', 'decider'],
  joinedAt: 0,
}

export const isServer = (actor: Participant): boolean => actor.id === SERVER_ID

/** Who may send a command: `active` = anyone present, `contributor` = anyone but observers. */
export type Who = Role | 'active' | 'contributor'

export interface CommandRule {
  who: Who
  /** Phases the command is accepted in; `open` = every phase but closed. */
  phases: readonly Phase[] | 'open'
}

const OPEN: readonly Phase[] = PHASES.filter((p) => p !== 'closed')

/** Who and when, per command (SPEC: PA, RD, NT, CD, VT, TR, RV, DC, ST, TM). */
const COMMAND_RULES: Record<CommandType, CommandRule> = {
  'phase.advance': { who: 'facilitator', phases: PHASES }, // [PH2]
  'timer.set': { who: 'facilitator', phases: 'open' }, // [TM1]
  'reading.progress': { who: 'active', phases: ['reading'] }, // [RD3]
  'note.save': { who: 'contributor', phases: 'open' }, // [NT1]
  'note.delete': { who: 'contributor', phases: 'open' }, // [NT1]
  'card.create': { who: 'contributor', phases: ['critique', 'discussion'] }, // [CD1] [CD2]
  'card.edit': { who: 'contributor', phases: ['critique', 'discussion'] }, // [CD4]
  'card.delete': { who: 'contributor', phases: ['critique', 'discussion'] }, // [CD4]
  'card.vote': { who: 'contributor', phases: ['discussion', 'triage'] }, // [VT1]
  'card.reply': { who: 'contributor', phases: ['discussion', 'triage'] }, // [CD6]
  'card.spotlight': { who: 'facilitator', phases: ['discussion', 'triage'] }, // [CD7]
  'card.triage': { who: 'author', phases: ['triage', 'revision'] }, // [TR1]
  'revision.check': { who: 'author', phases: ['revision'] }, // [RV1]
  'decision.signoff': { who: 'decider', phases: ['decision'] }, // [DC1]
  'decision.record': { who: 'facilitator', phases: ['decision'] }, // [DC3]
  'participant.update': { who: 'facilitator', phases: 'open' }, // [PA4]
  'participant.remove': { who: 'facilitator', phases: 'open' }, // [PA5]
  'participant.merge': { who: 'facilitator', phases: 'open' }, // [PA10]
  'invite.rotate': { who: 'facilitator', phases: 'open' }, // [PA7]
  'settings.update': { who: 'facilitator', phases: 'open' }, // [ST1]
}

const ROLE_NAMES: Record<Who, string> = {
  facilitator: 'the facilitator',
  author: 'authors',
  reviewer: 'reviewers',
  decider: 'deciders',
  observer: 'observers',
  active: 'participants',
  contributor: 'participants other than observers',
}

function holds(actor: Participant, who: Who): boolean {
  if (isServer(actor)) return true
  if (who === 'active') return true
  if (who === 'contributor') return actor.roles.some((r) => r !== 'observer')
  return actor.roles.includes(who)
}

/** The actor as the review knows them: roles come from the state, not from the caller's copy. */
function member(state: ReviewState, actor: Participant): Result<Participant> {
  if (isServer(actor)) return ok(actor)
  const known = state.participants[actor.id]
  if (!known)
    return err('FORBIDDEN', 'You are not a participant of this review; join it with an invite link.')
  if (known.removed) return err('FORBIDDEN', 'You were removed from this review and can no longer act in it.')
  return ok(known)
}

const PHASE_WORDS = (phases: readonly Phase[]): string =>
  phases.length === 1 ? phases[0]! : `${phases.slice(0, -1).join(', ')} or ${phases[phases.length - 1]}`

/**
 * The generic gate, in a fixed order so every refusal has one reason: membership [PA1], closed
 * review [PH8], the reading lock [RD1] (before roles, so a command refused during reading always
 * says PHASE_LOCKED), role [PA2], then phase [PH9].
 */
export function gate(state: ReviewState, actor: Participant, type: CommandType): Result<Participant> {
  const who = member(state, actor)
  if (!who.ok) return who
  const rule = COMMAND_RULES[type]
  const phases = rule.phases === 'open' ? OPEN : rule.phases
  if (state.phase === 'closed' && type !== 'phase.advance')
    return err('PHASE_LOCKED', 'This review is closed; it is read-only unless the facilitator reopens it.')
  if (state.phase === 'reading' && !phases.includes('reading'))
    return err(
      'PHASE_LOCKED',
      'Everyone is reading in silence: critique, votes and decisions wait until the facilitator opens critique.',
    )
  if (!holds(who.value, rule.who))
    return err('FORBIDDEN', `Only ${ROLE_NAMES[rule.who]} can do this (${type}).`)
  if (!phases.includes(state.phase))
    return err('PHASE_LOCKED', `This can be done during ${PHASE_WORDS(phases)}, not during ${state.phase}.`)
  return who
}
