import { describe, expect, it } from 'vitest'
import { can } from '../../../shared/domain/allowed'
import { COMMAND_TYPES, type CommandType } from '../../../shared/protocol/commands'
import { PHASES, type Phase } from '../../../shared/domain/types'
import { PEOPLE, tryRun, type Who } from './fixtures'
import { SCENES, validCommand } from './scenes'

const OPEN: Phase[] = ['draft', 'reading', 'critique', 'discussion', 'triage', 'revision', 'decision']
const F: Who[] = ['facilitator']
const CONTRIB: Who[] = ['facilitator', 'author', 'reviewer', 'reviewer2', 'decider']
const ANYONE: Who[] = [...CONTRIB, 'observer']

/** Who and when, written from SPEC PA2 (independently of the code's own table). */
const EXPECTED: Record<CommandType, { who: Who[]; phases: Phase[]; ids: string }> = {
  'phase.advance': { who: F, phases: [...OPEN, 'closed'], ids: 'PH2 PH3' },
  'timer.set': { who: F, phases: OPEN, ids: 'TM1' },
  'reading.progress': { who: ANYONE, phases: ['reading'], ids: 'RD3' },
  'note.save': { who: CONTRIB, phases: OPEN, ids: 'NT1' },
  'note.delete': { who: CONTRIB, phases: OPEN, ids: 'NT1' },
  'card.create': { who: CONTRIB, phases: ['critique', 'discussion'], ids: 'CD1 CD2' },
  'card.edit': { who: CONTRIB, phases: ['critique', 'discussion'], ids: 'CD4' },
  'card.delete': { who: CONTRIB, phases: ['critique', 'discussion'], ids: 'CD4' },
  'card.vote': { who: CONTRIB, phases: ['discussion', 'triage'], ids: 'VT1' },
  'card.reply': { who: CONTRIB, phases: ['discussion', 'triage'], ids: 'CD6' },
  'card.spotlight': { who: F, phases: ['discussion', 'triage'], ids: 'CD7' },
  'card.triage': { who: ['author'], phases: ['triage', 'revision'], ids: 'TR1' },
  'revision.check': { who: ['author'], phases: ['revision'], ids: 'RV1' },
  'decision.signoff': { who: ['decider'], phases: ['decision'], ids: 'DC1' },
  'decision.record': { who: F, phases: ['decision'], ids: 'DC3' },
  'participant.update': { who: F, phases: OPEN, ids: 'PA4' },
  'participant.remove': { who: F, phases: OPEN, ids: 'PA5' },
  'participant.merge': { who: F, phases: OPEN, ids: 'PA10' },
  'invite.rotate': { who: F, phases: OPEN, ids: 'PA7' },
  'settings.update': { who: F, phases: OPEN, ids: 'ST1' },
}

/** PH10: closed, then the reading lock, then role, then phase. */
function expected(type: CommandType, phase: Phase, who: Who): string {
  const rule = EXPECTED[type]
  if (phase === 'closed' && type !== 'phase.advance') return 'PHASE_LOCKED' // PH8
  if (phase === 'reading' && !rule.phases.includes('reading')) return 'PHASE_LOCKED' // RD1
  if (!rule.who.includes(who)) return 'FORBIDDEN' // PA2
  if (!rule.phases.includes(phase)) return 'PHASE_LOCKED' // PH9
  return 'ok'
}

const ROWS = COMMAND_TYPES.flatMap((type) =>
  PHASES.flatMap((phase) =>
    (Object.keys(PEOPLE) as Who[]).map(
      (who) => [EXPECTED[type].ids, type, phase, who, expected(type, phase, who)] as const,
    ),
  ),
)

describe('every role × phase × command', () => {
  it('covers every command type', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...COMMAND_TYPES].sort())
    expect(ROWS.length).toBe(COMMAND_TYPES.length * PHASES.length * Object.keys(PEOPLE).length)
  })

  it.each(ROWS)('[%s][PH10] %s in %s by %s → %s', (_ids, type, phase, who, outcome) => {
    const scene = SCENES[phase]
    const before = JSON.stringify(scene)
    const res = tryRun(scene, who, validCommand(type, scene, who))
    expect(res.ok ? 'ok' : res.error.code).toBe(outcome)
    if (!res.ok) expect(res.error.message.length).toBeGreaterThan(10)
    expect(JSON.stringify(scene)).toBe(before) // PH11: decide never touches the state
    expect(can(scene, PEOPLE[who], type)).toBe(outcome === 'ok') // the client's buttons agree
  })

  it.each(COMMAND_TYPES)('[PA1] a removed participant can do nothing: %s', (type) => {
    for (const phase of PHASES) {
      const scene = tryRun(SCENES[phase === 'closed' ? 'decision' : phase], 'facilitator', {
        type: 'participant.remove',
        participantId: 'dec',
      })
      if (!scene.ok) throw new Error(scene.error.message)
      const res = tryRun(scene.value.state, 'decider', validCommand(type, scene.value.state, 'decider'))
      expect(res.ok ? 'ok' : res.error.code).toBe('FORBIDDEN')
    }
  })

  it.each(COMMAND_TYPES)('[PA1] a stranger can do nothing: %s', (type) => {
    const stranger = { ...PEOPLE.facilitator, id: 'stranger' }
    const res = tryRun(SCENES.discussion, stranger, validCommand(type, SCENES.discussion, 'facilitator'))
    expect(res.ok ? 'ok' : res.error.code).toBe('FORBIDDEN')
  })
})
