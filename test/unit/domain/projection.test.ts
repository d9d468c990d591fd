import { describe, expect, it } from 'vitest'
import { project } from '../../../shared/domain/projection'
import { inPhase, run } from './fixtures'

const online = new Set(['fac', 'rev'])

describe('projection: session', () => {
  it('[RD5] the facilitator sees everyone’s reading progress, others only their own', () => {
    let s = inPhase('reading')
    s = run(s, 'reviewer', { type: 'reading.progress', percent: 40, sectionsRead: ['Problem'], done: false })
    s = run(s, 'decider', { type: 'reading.progress', percent: 100, sectionsRead: [], done: true })
    expect(project(s, 'fac', online).progress.map((p) => p.participantId)).toEqual(['dec', 'rev'])
    expect(project(s, 'rev', online).progress).toEqual([
      expect.objectContaining({ participantId: 'rev', percent: 40, done: false }),
    ])
    expect(project(s, 'obs', online).progress).toEqual([])
  })

  it('[PA9] participants carry roles, function and who is online', () => {
    const board = project(inPhase('draft'), 'rev', online)
    expect(board.me).toMatchObject({ id: 'rev', roles: ['reviewer'], online: true })
    expect(board.participants.find((p) => p.id === 'obs')).toMatchObject({
      online: false,
      function: 'finance',
    })
    expect(board).toMatchObject({ phase: 'draft', round: 1, title: 'Test', timer: null })
  })
})
