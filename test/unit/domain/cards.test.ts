import { describe, expect, it } from 'vitest'
import { untriagedCount } from '../../../shared/domain/allowed'
import type { ReviewState } from '../../../shared/domain/types'
import { inPhase, run, tryRun } from './fixtures'

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)

function discussion(): { s: ReviewState; legal: string; eng: string } {
  let s = inPhase('critique')
  s = run(s, 'reviewer', { type: 'card.create', body: 'Legal', severity: 'fatal', kind: 'concern' })
  s = run(s, 'reviewer2', { type: 'card.create', body: 'Eng', severity: 'minor', kind: 'question' })
  s = run(s, 'facilitator', { type: 'phase.advance', to: 'discussion' })
  const by = (id: string) => Object.values(s.cards).find((c) => c.authorId === id)!.id
  return { s, legal: by('rev'), eng: by('rev2') }
}

describe('cards', () => {
  it('[CD1][CD3] a card takes its writer’s function and round; the decision carries its id', () => {
    const res = tryRun(inPhase('critique'), 'reviewer', {
      type: 'card.create',
      body: 'x',
      severity: 'minor',
      kind: 'praise',
    })
    if (!res.ok) throw new Error()
    expect(res.value.cardId).toBeDefined()
    expect(res.value.state.cards[res.value.cardId!]).toMatchObject({
      function: 'legal',
      round: 1,
      authorId: 'rev',
    })
    expect(res.value.state.cards[res.value.cardId!]).not.toHaveProperty('late')
  })

  it('[CD2] a card written in discussion is marked late', () => {
    const res = tryRun(discussion().s, 'decider', {
      type: 'card.create',
      body: 'late',
      severity: 'minor',
      kind: 'concern',
    })
    if (!res.ok) throw new Error()
    expect(res.value.state.cards[res.value.cardId!]!.late).toBe(true)
  })

  it('[NT4] a note becomes a card in one action, anchor carried, note gone', () => {
    const anchor = { start: 's', end: 'e', quote: 'we believe', prefix: '', suffix: '' }
    let s = run(inPhase('reading'), 'reviewer', { type: 'note.save', body: 'claim', anchor })
    const noteId = Object.keys(s.notes)[0]!
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'critique' })
    expect(
      code(
        tryRun(s, 'reviewer2', {
          type: 'card.create',
          body: 'x',
          severity: 'minor',
          kind: 'concern',
          fromNoteId: noteId,
        }),
      ),
    ).toBe('NOT_FOUND')
    const res = tryRun(s, 'reviewer', {
      type: 'card.create',
      body: 'claim',
      severity: 'minor',
      kind: 'concern',
      fromNoteId: noteId,
    })
    if (!res.ok) throw new Error()
    expect(res.value.state.notes).toEqual({})
    expect(res.value.state.cards[res.value.cardId!]!.anchor).toEqual(anchor)
  })

  it('[CD4] only the author edits, only before triage, only this round’s cards', () => {
    const { s, legal } = discussion()
    expect(code(tryRun(s, 'reviewer2', { type: 'card.edit', cardId: legal, body: 'x' }))).toBe('FORBIDDEN')
    const edited = run(s, 'reviewer', { type: 'card.edit', cardId: legal, severity: 'structural' })
    expect(edited.cards[legal]).toMatchObject({ severity: 'structural', body: 'Legal' })
    expect(edited.cards[legal]!.editedAt).toBeDefined()
    let t = run(s, 'facilitator', { type: 'phase.advance', to: 'triage' })
    t = run(t, 'author', { type: 'card.triage', cardId: legal, disposition: 'deferred' })
    t = run(t, 'facilitator', { type: 'phase.advance', to: 'discussion' })
    expect(code(tryRun(t, 'reviewer', { type: 'card.delete', cardId: legal }))).toBe('CONFLICT')
  })

  it('[CD5][ID3] an edit that changes nothing adds no event', () => {
    const { s, legal } = discussion()
    const res = tryRun(s, 'reviewer', { type: 'card.edit', cardId: legal, body: 'Legal' })
    expect(res.ok && res.value.events).toEqual([])
  })

  it('[CD6] replies thread under a card, in discussion and triage', () => {
    const { s, legal } = discussion()
    const t = run(s, 'author', { type: 'card.reply', cardId: legal, body: 'Fair point' })
    expect(t.cards[legal]!.replies).toMatchObject([
      { authorId: 'aut', body: 'Fair point', function: 'product' },
    ])
    expect(code(tryRun(s, 'author', { type: 'card.reply', cardId: 'nope', body: 'x' }))).toBe('NOT_FOUND')
  })
})

describe('votes', () => {
  it('[VT3] the budget is spent per round and an unvote returns it', () => {
    const scene = discussion()
    let s = scene.s
    const { legal, eng } = scene
    s = run(s, 'facilitator', { type: 'settings.update', votesPerPerson: 1 })
    s = run(s, 'decider', { type: 'card.vote', cardId: legal, vote: true })
    expect(code(tryRun(s, 'decider', { type: 'card.vote', cardId: eng, vote: true }))).toBe('CONFLICT')
    s = run(s, 'decider', { type: 'card.vote', cardId: legal, vote: false })
    s = run(s, 'decider', { type: 'card.vote', cardId: eng, vote: true })
    expect(s.cards[eng]!.votes).toEqual(['dec'])
    expect(tryRun(s, 'decider', { type: 'card.vote', cardId: eng, vote: true })).toMatchObject({
      ok: true,
      value: { events: [] },
    })
  })

  it('[VT4] no vote for one’s own card, nor for a duplicate', () => {
    const scene = discussion()
    let s = scene.s
    const { legal, eng } = scene
    expect(code(tryRun(s, 'reviewer', { type: 'card.vote', cardId: legal, vote: true }))).toBe('FORBIDDEN')
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'triage' })
    s = run(s, 'author', { type: 'card.triage', cardId: eng, disposition: 'duplicate', duplicateOf: legal })
    expect(code(tryRun(s, 'decider', { type: 'card.vote', cardId: eng, vote: true }))).toBe('INVALID')
  })

  it('[VT4] votes are for this round’s cards', () => {
    const scene = discussion()
    let s = scene.s
    const { legal } = scene
    for (const to of ['triage', 'revision', 'reading', 'critique', 'discussion'] as const)
      s = run(s, 'facilitator', { type: 'phase.advance', to })
    expect(code(tryRun(s, 'decider', { type: 'card.vote', cardId: legal, vote: true }))).toBe('INVALID')
  })
})

describe('triage and revision', () => {
  const triage = () => {
    const d = discussion()
    return { ...d, s: run(d.s, 'facilitator', { type: 'phase.advance', to: 'triage' }) }
  }

  it.each([
    ['TR3', { disposition: 'rejected' as const }, 'INVALID'],
    ['TR3', { disposition: 'rejected' as const, reason: 'Out of scope' }, 'ok'],
    ['TR5', { disposition: 'answered' as const }, 'INVALID'],
    ['TR5', { disposition: 'answered' as const, answer: 'We checked.' }, 'ok'],
    ['TR4', { disposition: 'duplicate' as const }, 'INVALID'],
    ['TR4', { disposition: 'duplicate' as const, duplicateOf: 'nope' }, 'NOT_FOUND'],
    ['TR4', { disposition: 'duplicate' as const, duplicateOf: 'SELF' }, 'INVALID'],
    ['TR2', { disposition: 'accepted' as const }, 'ok'],
    ['TR2', { disposition: 'deferred' as const }, 'ok'],
  ])('[%s] triage %o → %s', (_id, fields, expected) => {
    const { s, legal } = triage()
    const f = {
      ...fields,
      ...('duplicateOf' in fields && fields.duplicateOf === 'SELF' ? { duplicateOf: legal } : {}),
    }
    expect(code(tryRun(s, 'author', { type: 'card.triage', cardId: legal, ...f }))).toBe(expected)
  })

  it('[TR4] no chains: a duplicate’s original cannot itself become a duplicate', () => {
    const d = discussion()
    const late = tryRun(d.s, 'decider', {
      type: 'card.create',
      body: 'Third',
      severity: 'minor',
      kind: 'concern',
    })
    if (!late.ok) throw new Error()
    const third = late.value.cardId!
    let s = run(late.value.state, 'facilitator', { type: 'phase.advance', to: 'triage' })
    s = run(s, 'author', {
      type: 'card.triage',
      cardId: d.eng,
      disposition: 'duplicate',
      duplicateOf: d.legal,
    })
    const dup = (cardId: string, duplicateOf: string) =>
      code(tryRun(s, 'author', { type: 'card.triage', cardId, disposition: 'duplicate', duplicateOf }))
    expect(dup(d.legal, third)).toBe('CONFLICT')
    expect(dup(third, d.eng)).toBe('INVALID')
    expect(dup(third, d.legal)).toBe('ok')
  })

  it('[TR6] an answered card cannot be answered again', () => {
    const scene = triage()
    let s = scene.s
    const { legal } = scene
    s = run(s, 'author', { type: 'card.triage', cardId: legal, disposition: 'answered', answer: 'Yes.' })
    expect(
      code(
        tryRun(s, 'author', { type: 'card.triage', cardId: legal, disposition: 'answered', answer: 'Again' }),
      ),
    ).toBe('CONFLICT')
  })

  it('[TR7][TR8][RV1][RV2] accepted cards become revision items; re-triage drops the tick', () => {
    const scene = triage()
    let s = scene.s
    const { legal, eng } = scene
    expect(untriagedCount(s)).toBe(2)
    s = run(s, 'author', { type: 'card.triage', cardId: legal, disposition: 'accepted' })
    expect(untriagedCount(s)).toBe(1)
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'revision' })
    expect(code(tryRun(s, 'author', { type: 'revision.check', cardId: eng, done: true }))).toBe('INVALID')
    s = run(s, 'author', { type: 'revision.check', cardId: legal, done: true })
    expect(s.cards[legal]!.done).toBe(true)
    s = run(s, 'author', { type: 'card.triage', cardId: legal, disposition: 'deferred' })
    expect(s.cards[legal]!.done).toBeUndefined()
  })
})

describe('notes', () => {
  it('[NT1][NT3] a note is saved in reading, edited in place, deleted by its writer only', () => {
    let s = run(inPhase('reading'), 'decider', { type: 'note.save', body: 'first' })
    const id = Object.keys(s.notes)[0]!
    s = run(s, 'decider', { type: 'note.save', noteId: id, body: 'second' })
    expect(s.notes[id]).toMatchObject({ body: 'second', round: 1 })
    expect(code(tryRun(s, 'reviewer', { type: 'note.delete', noteId: id }))).toBe('NOT_FOUND')
    expect(code(tryRun(s, 'reviewer', { type: 'note.save', noteId: id, body: 'mine now' }))).toBe('NOT_FOUND')
    s = run(s, 'decider', { type: 'note.delete', noteId: id })
    expect(s.notes).toEqual({})
  })
})
