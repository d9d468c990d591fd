import { describe, expect, it } from 'vitest'
import { confirmationFor, unfinishedReaders } from '../../../shared/domain/allowed'
import { joinEvents, reviewCreatedEvents } from '../../../shared/domain/lifecycle'
import { canEditDocument } from '../../../shared/domain/permissions'
import { SERVER_ACTOR } from '../../../shared/domain/rules/guards'
import { PEOPLE, inPhase, review, run, tryRun } from './fixtures'

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)

describe('participants', () => {
  it('[PA8][PH1] creating a review makes its creator facilitator; joining twice adds nothing', () => {
    const events = reviewCreatedEvents({ title: 'T', facilitator: { ...PEOPLE.author, roles: [] }, now: 5 })
    expect(events[1]).toMatchObject({
      type: 'participant.joined',
      participant: { roles: ['facilitator', 'author'] },
    })
    const s = review()
    expect(joinEvents(s, PEOPLE.reviewer)).toEqual([])
    expect(joinEvents(s, { ...PEOPLE.reviewer, id: 'new' })).toHaveLength(1)
  })

  it('[PA3][PA4] roles change by the facilitator; observer stands alone', () => {
    const s = review()
    const ok = run(s, 'facilitator', {
      type: 'participant.update',
      participantId: 'rev',
      roles: ['reviewer', 'decider'],
    })
    expect(ok.participants.rev!.roles).toEqual(['reviewer', 'decider'])
    expect(
      code(
        tryRun(s, 'facilitator', {
          type: 'participant.update',
          participantId: 'rev',
          roles: ['observer', 'reviewer'],
        }),
      ),
    ).toBe('INVALID')
    expect(
      code(
        tryRun(s, 'facilitator', { type: 'participant.update', participantId: 'ghost', roles: ['reviewer'] }),
      ),
    ).toBe('NOT_FOUND')
  })

  it('[PA6] facilitation never lapses: no self-removal, no dropping the last facilitator', () => {
    const s = review()
    expect(code(tryRun(s, 'facilitator', { type: 'participant.remove', participantId: 'fac' }))).toBe(
      'CONFLICT',
    )
    expect(
      code(tryRun(s, 'facilitator', { type: 'participant.update', participantId: 'fac', roles: ['author'] })),
    ).toBe('CONFLICT')
    const two = run(s, 'facilitator', {
      type: 'participant.update',
      participantId: 'aut',
      roles: ['author', 'facilitator'],
    })
    const handed = run(two, 'author', {
      type: 'participant.update',
      participantId: 'fac',
      roles: ['reviewer'],
    })
    expect(handed.participants.fac!.roles).toEqual(['reviewer'])
    expect(code(tryRun(handed, 'facilitator', { type: 'phase.advance', to: 'reading' }))).toBe('FORBIDDEN')
  })

  it('[PA5][PA1] a removed participant stays listed, flagged, and can do nothing', () => {
    const s = run(inPhase('reading'), 'facilitator', { type: 'participant.remove', participantId: 'rev' })
    expect(s.participants.rev!.removed).toBe(true)
    expect(
      code(tryRun(s, 'reviewer', { type: 'reading.progress', percent: 1, sectionsRead: [], done: false })),
    ).toBe('FORBIDDEN')
    expect(code(tryRun(s, 'facilitator', { type: 'participant.remove', participantId: 'rev' }))).toBe(
      'INVALID',
    )
  })

  it('[PA7] rotating an invite bumps its version', () => {
    const s = run(review(), 'facilitator', { type: 'invite.rotate', role: 'reviewer' })
    expect(s.inviteVersions).toEqual({ reviewer: 1 })
  })
})

describe('settings', () => {
  it('[ST2] blind critique cannot flip during critique', () => {
    expect(
      code(tryRun(inPhase('critique'), 'facilitator', { type: 'settings.update', blindCritique: false })),
    ).toBe('PHASE_LOCKED')
    expect(
      code(tryRun(inPhase('reading'), 'facilitator', { type: 'settings.update', blindCritique: false })),
    ).toBe('ok')
  })

  it('[ST3] anonymity can be turned on any time, off only before any card exists', () => {
    let s = run(inPhase('critique'), 'facilitator', { type: 'settings.update', anonymousByFunction: true })
    expect(code(tryRun(s, 'facilitator', { type: 'settings.update', anonymousByFunction: false }))).toBe('ok')
    s = run(s, 'reviewer', { type: 'card.create', body: 'x', severity: 'minor', kind: 'concern' })
    expect(code(tryRun(s, 'facilitator', { type: 'settings.update', anonymousByFunction: false }))).toBe(
      'CONFLICT',
    )
  })

  it('[ST4][ST5] votes per person change any time; no change adds nothing', () => {
    const s = run(inPhase('discussion'), 'facilitator', { type: 'settings.update', votesPerPerson: 9 })
    expect(s.settings.votesPerPerson).toBe(9)
    expect(tryRun(s, 'facilitator', { type: 'settings.update', votesPerPerson: 9 })).toMatchObject({
      ok: true,
      value: { events: [] },
    })
  })
})

describe('document permission', () => {
  it.each([
    ['draft', 'author', 'ok'],
    ['draft', 'reviewer', 'FORBIDDEN'], // DOC1
    ['reading', 'author', 'PHASE_LOCKED'], // RD1
    ['reading', 'facilitator', 'PHASE_LOCKED'], // RD1: the lock answers first, whatever the role
    ['critique', 'author', 'PHASE_LOCKED'], // DOC2
    ['revision', 'author', 'ok'],
    ['decision', 'author', 'PHASE_LOCKED'],
    ['closed', 'author', 'PHASE_LOCKED'], // DOC3
  ] as const)('[DOC1][DOC2][DOC3][RD1] %s, %s → %s', (phase, who, expected) => {
    expect(code(canEditDocument(inPhase(phase), PEOPLE[who]))).toBe(expected)
  })

  it('[DOC4] the server edits in triage (answer as FAQ), never in reading or once closed', () => {
    expect(code(canEditDocument(inPhase('triage'), SERVER_ACTOR))).toBe('ok')
    expect(code(canEditDocument(inPhase('reading'), SERVER_ACTOR))).toBe('PHASE_LOCKED')
    expect(code(canEditDocument(inPhase('closed'), SERVER_ACTOR))).toBe('PHASE_LOCKED')
  })

  it('[DOC5][DOC3] removed authors and a go review refuse edits', () => {
    const s = run(inPhase('draft'), 'facilitator', { type: 'participant.remove', participantId: 'aut' })
    expect(code(canEditDocument(s, PEOPLE.author))).toBe('FORBIDDEN')
    const go = run(inPhase('decision'), 'facilitator', {
      type: 'decision.record',
      outcome: 'go',
      summary: 'Ship.',
    })
    expect(go).toMatchObject({ phase: 'closed', frozen: true })
    expect(code(canEditDocument(go, PEOPLE.author))).toBe('PHASE_LOCKED')
  })
})

describe('facilitator confirmations', () => {
  it('[RD6] leaving reading names the readers who are not done', () => {
    let s = inPhase('reading')
    for (const who of ['facilitator', 'author', 'reviewer', 'decider', 'observer'] as const)
      s = run(s, who, { type: 'reading.progress', percent: 100, sectionsRead: [], done: true })
    expect(unfinishedReaders(s).map((p) => p.name)).toEqual(['reviewer2'])
    expect(confirmationFor(s, 'critique')).toBe('Still reading: reviewer2.')
    expect(unfinishedReaders(s, new Set(['fac']))).toEqual([])
  })

  it('[TR8][PH5] leaving triage names the untriaged count; reveals ask for confirmation', () => {
    let s = inPhase('critique')
    expect(confirmationFor(s, 'discussion')).toMatch(/revealed/)
    s = run(s, 'reviewer', { type: 'card.create', body: 'x', severity: 'minor', kind: 'concern' })
    for (const to of ['discussion', 'triage'] as const)
      s = run(s, 'facilitator', { type: 'phase.advance', to })
    expect(confirmationFor(s, 'decision')).toBe('1 card is not triaged yet.')
    expect(confirmationFor(s, 'discussion')).toBeNull()
  })
})

describe('decision', () => {
  it('[DC2][DC7] one sign-off per decider per round, the later one replacing it', () => {
    let s = inPhase('decision')
    s = run(s, 'decider', { type: 'decision.signoff', stance: 'concern', rationale: 'Costs' })
    s = run(s, 'decider', {
      type: 'decision.signoff',
      stance: 'approve',
      rationale: 'Fine now',
      conditions: 'Legal review',
    })
    expect(Object.values(s.signoffs)).toEqual([
      expect.objectContaining({
        participantId: 'dec',
        stance: 'approve',
        function: 'leadership',
        conditions: 'Legal review',
        round: 1,
      }),
    ])
  })

  it('[DC4][RN3] iterate returns to revision without closing the round', () => {
    const s = run(inPhase('decision'), 'facilitator', {
      type: 'decision.record',
      outcome: 'iterate',
      summary: 'More.',
    })
    expect(s).toMatchObject({ phase: 'revision', round: 1, frozen: false, archived: false })
    expect(s.rounds[0]!.outcome).toBeUndefined()
  })

  it('[DC6][RN3] no-go closes the round and archives the review', () => {
    const s = inPhase('closed')
    expect(s).toMatchObject({ phase: 'closed', archived: true, frozen: false })
    expect(s.rounds[0]).toMatchObject({ outcome: 'no-go' })
    expect(s.decisions).toEqual([expect.objectContaining({ outcome: 'no-go', by: 'fac' })])
  })

  it('[PH8] a closed review refuses everything but reopening', () => {
    const s = inPhase('closed')
    expect(code(tryRun(s, 'facilitator', { type: 'timer.set', seconds: 5 }))).toBe('PHASE_LOCKED')
    expect(code(tryRun(s, 'reviewer', { type: 'note.save', body: 'x' }))).toBe('PHASE_LOCKED')
  })

  it('[ID2] the server acts with every role but phases still bind it', () => {
    expect(code(tryRun(inPhase('draft'), SERVER_ACTOR, { type: 'phase.advance', to: 'reading' }))).toBe('ok')
    expect(
      code(
        tryRun(inPhase('reading'), SERVER_ACTOR, {
          type: 'card.create',
          body: 'x',
          severity: 'minor',
          kind: 'concern',
        }),
      ),
    ).toBe('PHASE_LOCKED')
  })
})
