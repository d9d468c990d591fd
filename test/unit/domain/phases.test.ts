import { describe, expect, it } from 'vitest'
import { isIrreversible, nextPhases } from '../../../shared/domain/rules/phases'
import type { Phase } from '../../../shared/domain/types'
import { inPhase, review, run, tryRun } from './fixtures'

describe('phase machine', () => {
  it.each<[Phase, Phase, string]>([
    ['draft', 'reading', 'ok'], // PH3
    ['draft', 'critique', 'INVALID'], // PH3: no skipping
    ['reading', 'critique', 'ok'],
    ['reading', 'draft', 'INVALID'],
    ['critique', 'discussion', 'ok'],
    ['critique', 'reading', 'ok'], // PH4 safe step back
    ['discussion', 'triage', 'ok'],
    ['discussion', 'critique', 'INVALID'], // PH4: would un-reveal
    ['triage', 'revision', 'ok'],
    ['triage', 'decision', 'ok'],
    ['triage', 'discussion', 'ok'], // PH4
    ['revision', 'reading', 'ok'], // RN1
    ['revision', 'decision', 'ok'],
    ['revision', 'triage', 'INVALID'],
    ['decision', 'triage', 'ok'], // PH4
    ['decision', 'closed', 'INVALID'], // PH6: only by recording go / no-go
    ['decision', 'revision', 'INVALID'], // PH6: iterate is a decision
    ['closed', 'reading', 'ok'], // PH7 reopen after no-go
    ['closed', 'critique', 'INVALID'],
  ])('[PH3][PH4][PH6][PH7] %s → %s by the facilitator: %s', (from, to, expected) => {
    const res = tryRun(inPhase(from), 'facilitator', { type: 'phase.advance', to })
    if (expected === 'ok') {
      expect(res.ok).toBe(true)
      if (res.ok) expect(res.value.state.phase).toBe(to)
    } else {
      expect(res.ok ? 'ok' : res.error.code).toBe(expected)
    }
  })

  it('[PH12] a step from a phase the facilitator no longer sees is CONFLICT; without `from` it still works', () => {
    const stale = tryRun(inPhase('revision'), 'facilitator', {
      type: 'phase.advance',
      to: 'decision',
      from: 'triage',
    })
    expect(stale.ok ? 'ok' : stale.error.code).toBe('CONFLICT')
    if (!stale.ok) expect(stale.error.message).toMatch(/moved to revision/)
    const fresh = tryRun(inPhase('triage'), 'facilitator', {
      type: 'phase.advance',
      to: 'decision',
      from: 'triage',
    })
    expect(fresh.ok && fresh.value.state.phase).toBe('decision')
    const old = tryRun(inPhase('triage'), 'facilitator', { type: 'phase.advance', to: 'decision' })
    expect(old.ok && old.value.state.phase).toBe('decision')
  })

  it.each(['author', 'reviewer', 'decider', 'observer'] as const)('[PH2] %s cannot move phases', (who) => {
    const res = tryRun(review(), who, { type: 'phase.advance', to: 'reading' })
    expect(res.ok ? 'ok' : res.error.code).toBe('FORBIDDEN')
  })

  it('[PH1] a review starts in draft, round 1', () => {
    const s = review()
    expect(s.phase).toBe('draft')
    expect(s.round).toBe(1)
    expect(s.rounds).toEqual([{ round: 1, openedAt: 1 }])
  })

  it('[RN1] leaving revision for reading closes round 1 with its stats and opens round 2', () => {
    const s = inPhase('revision')
    const res = tryRun(s, 'facilitator', { type: 'phase.advance', to: 'reading' }, { openRisks: 3 })
    if (!res.ok) throw new Error(res.error.message)
    expect(res.value.events.map((e) => e.type)).toEqual(['round.closed', 'phase.changed'])
    const next = res.value.state
    expect(next.round).toBe(2)
    expect(next.rounds[0]).toMatchObject({ round: 1, outcome: 'revised', stats: { cards: 0, openRisks: 3 } })
    expect(next.rounds[1]).toMatchObject({ round: 2 })
  })

  it('[PH7] a go review stays frozen: reopening is refused', () => {
    let s = inPhase('decision')
    s = run(s, 'facilitator', { type: 'decision.record', outcome: 'go', summary: 'Ship it.' })
    const res = tryRun(s, 'facilitator', { type: 'phase.advance', to: 'reading' })
    expect(res.ok ? 'ok' : res.error.code).toBe('PHASE_LOCKED')
    expect(nextPhases(s)).toEqual([])
  })

  it('[PH7][RN4] reopening a no-go review starts a new round and lifts the archive', () => {
    const s = run(inPhase('closed'), 'facilitator', { type: 'phase.advance', to: 'reading' })
    expect(s).toMatchObject({ phase: 'reading', round: 2, archived: false })
  })

  it('[PH5] irreversible steps are the forward steps with no step back', () => {
    expect(isIrreversible('critique', 'discussion')).toBe(true)
    expect(isIrreversible('revision', 'reading')).toBe(true)
    expect(isIrreversible('draft', 'reading')).toBe(true)
    expect(isIrreversible('reading', 'critique')).toBe(false)
    expect(isIrreversible('critique', 'reading')).toBe(false)
    expect(isIrreversible('discussion', 'triage')).toBe(false)
  })

  it('[PH5][PH13] nextPhases lists forward steps (one primary) and safe steps back', () => {
    expect(nextPhases(inPhase('triage'))).toEqual([
      { to: 'revision', direction: 'forward', irreversible: true, primary: false },
      { to: 'decision', direction: 'forward', irreversible: false, primary: true },
      { to: 'discussion', direction: 'back', irreversible: false, primary: false },
    ])
  })

  it('[TM1][TM2][TM3] the timer is set by the facilitator, moves nothing and ends with its phase', () => {
    let s = inPhase('reading')
    s = run(s, 'facilitator', { type: 'timer.set', seconds: 300 })
    expect(s.timer).toMatchObject({ seconds: 300 })
    expect(s.phase).toBe('reading')
    expect(tryRun(s, 'reviewer', { type: 'timer.set', seconds: 10 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'critique' })
    expect(s.timer).toBeNull()
  })

  it('[RD3][RD4] a reader reports progress; done marks the round read', () => {
    let s = inPhase('reading')
    s = run(s, 'reviewer', { type: 'reading.progress', percent: 100, sectionsRead: ['Problem'], done: true })
    expect(s.progress.rev).toMatchObject({ percent: 100, done: true, round: 1 })
    expect(s.participants.rev!.lastReadRound).toBe(1)
    expect(
      tryRun(inPhase('critique'), 'reviewer', {
        type: 'reading.progress',
        percent: 1,
        sectionsRead: [],
        done: false,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'PHASE_LOCKED' },
    })
  })
})
