import { describe, expect, it } from 'vitest'
import { confirmationFor } from '../../../shared/domain/allowed'
import { isRevisionItem, openRevisionItems } from '../../../shared/domain/revision'
import { nextPhases } from '../../../shared/domain/rules/phases'
import { roundStats } from '../../../shared/domain/stats'
import type { Kind, ReviewState } from '../../../shared/domain/types'
import { inPhase, run, tryRun } from './fixtures'

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)

/** Triage of round 1 with one card of each given kind, by the reviewer. */
function triageWith(...kinds: Kind[]): { s: ReviewState; ids: string[] } {
  let s = inPhase('critique')
  for (const [i, kind] of kinds.entries())
    s = run(s, 'reviewer', { type: 'card.create', body: `${kind} card ${i}`, severity: 'minor', kind })
  for (const to of ['discussion', 'triage'] as const) s = run(s, 'facilitator', { type: 'phase.advance', to })
  const ids = Object.values(s.cards)
    .sort((a, b) => a.createdAt - b.createdAt || a.body.localeCompare(b.body))
    .map((c) => c.id)
  return { s, ids }
}
const primaryOf = (s: ReviewState) =>
  nextPhases(s)
    .filter((p) => p.primary)
    .map((p) => p.to)

describe('the next step is obvious and the praise is no task', () => {
  it('[RV3] accepting praise makes no revision item: not listed, not tickable, not counted', () => {
    const scene = triageWith('praise', 'concern')
    let s = scene.s
    const ids = scene.ids
    const [praise, concern] = ids as [string, string]
    s = run(s, 'author', { type: 'card.triage', cardId: praise, disposition: 'accepted' })
    s = run(s, 'author', { type: 'card.triage', cardId: concern, disposition: 'accepted' })
    expect(isRevisionItem(s.cards[praise]!)).toBe(false)
    expect(isRevisionItem(s.cards[concern]!)).toBe(true)
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'revision' })
    expect(openRevisionItems(s).map((c) => c.id)).toEqual([concern])
    expect(code(tryRun(s, 'author', { type: 'revision.check', cardId: praise, done: true }))).toBe('INVALID')
    expect(code(tryRun(s, 'author', { type: 'revision.check', cardId: concern, done: true }))).toBe('ok')
    expect(roundStats(s, 1, 0)).toMatchObject({ revisionItems: 1, revisionDone: 0 })
  })

  it('[PH13] triage offers one primary step: revision while cards are open or accepted, else the decision', () => {
    const { s, ids } = triageWith('praise', 'concern')
    // Untriaged cards may still ask for a revision: the decision is not the obvious next step.
    expect(primaryOf(s)).toEqual(['revision'])
    const praised = run(s, 'author', { type: 'card.triage', cardId: ids[0]!, disposition: 'accepted' })
    expect(primaryOf(praised)).toEqual(['revision'])
    const rejected = run(praised, 'author', {
      type: 'card.triage',
      cardId: ids[1]!,
      disposition: 'rejected',
      reason: 'Out of scope.',
    })
    expect(primaryOf(rejected)).toEqual(['decision']) // all triaged, only praise accepted
    const accepted = run(s, 'author', { type: 'card.triage', cardId: ids[1]!, disposition: 'accepted' })
    expect(primaryOf(accepted)).toEqual(['revision'])
    expect(primaryOf(triageWith().s)).toEqual(['decision'])
    const revision = run(accepted, 'facilitator', { type: 'phase.advance', to: 'revision' })
    expect(primaryOf(revision)).toEqual(['reading'])
    for (const phase of ['draft', 'reading', 'critique', 'discussion'] as const)
      expect(nextPhases(inPhase(phase)).filter((p) => p.primary)).toHaveLength(1)
    expect(nextPhases(inPhase('decision')).filter((p) => p.primary)).toEqual([])
  })

  it('[RN6] starting reading from revision says it starts the next round and names what is not ticked', () => {
    const scene = triageWith('concern', 'suggestion', 'praise')
    let s = scene.s
    const ids = scene.ids
    for (const id of ids) s = run(s, 'author', { type: 'card.triage', cardId: id, disposition: 'accepted' })
    s = run(s, 'facilitator', { type: 'phase.advance', to: 'revision' })
    s = run(s, 'author', { type: 'revision.check', cardId: ids[0]!, done: true })
    const message = confirmationFor(s, 'reading')!
    expect(message).toContain('Round 1 closes and round 2 starts')
    expect(message).toContain('Not ticked off yet: “suggestion card 1”.')
    expect(message).not.toContain('concern card 0')
    expect(message).not.toContain('praise')
    s = run(s, 'author', { type: 'revision.check', cardId: ids[1]!, done: true })
    expect(confirmationFor(s, 'reading')).not.toContain('Not ticked')
  })
})
