import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, type DecideContext } from '../../../shared/domain/decide'
import type { StoredEvent } from '../../../shared/domain/events'
import { evolve } from '../../../shared/domain/evolve'
import { project } from '../../../shared/domain/projection'
import { nextPhases } from '../../../shared/domain/rules/phases'
import {
  DISPOSITIONS,
  OUTCOMES,
  PHASES,
  ROLES,
  type Participant,
  type ReviewState,
} from '../../../shared/domain/types'
import { applyPatch, diffBoard } from '../../../shared/protocol/patch'
import type { Command } from '../../../shared/protocol/commands'
import { PEOPLE, review } from './fixtures'

const VIEWERS = Object.values(PEOPLE)
const ACTORS: Participant[] = [
  ...VIEWERS,
  PEOPLE.facilitator,
  PEOPLE.facilitator,
  { ...PEOPLE.reviewer, id: 'stranger' },
]
const ONLINE = new Set(['fac', 'rev', 'obs'])

/** Command types, weighted so the walk moves through phases and writes cards. */
const TYPES: Command['type'][] = [
  'phase.advance',
  'phase.advance',
  'phase.advance',
  'phase.advance',
  'phase.advance',
  'card.create',
  'card.create',
  'card.create',
  'card.edit',
  'card.delete',
  'card.vote',
  'card.vote',
  'card.reply',
  'card.spotlight',
  'card.triage',
  'card.triage',
  'revision.check',
  'note.save',
  'note.delete',
  'reading.progress',
  'timer.set',
  'decision.signoff',
  'decision.record',
  'participant.update',
  'participant.remove',
  'participant.merge',
  'invite.rotate',
  'settings.update',
]

const step = fc.record({
  actor: fc.nat(),
  type: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  flag: fc.boolean(),
  pick: fc.nat(),
})
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never

const at = <T>(list: readonly T[], i: number): T => list[i % list.length]!
const anyOf = (ids: string[], i: number): string => (i % 7 === 0 || ids.length === 0 ? 'unknown' : at(ids, i))

/** Builds a plausible command from the step's numbers against the current state. */
function commandFor(s: ReviewState, st: Step, n: number): Command {
  const type = at(TYPES, st.type)
  const cards = Object.keys(s.cards)
  const notes = Object.keys(s.notes)
  const people = Object.keys(s.participants)
  const base = { commandId: `cmd${n}` }
  const body = `text-${n}-end`
  switch (type) {
    case 'phase.advance': {
      const steps = nextPhases(s)
      const to = st.a % 5 === 0 || steps.length === 0 ? at(PHASES, st.b) : at(steps, st.b).to
      return { ...base, type, to }
    }
    case 'card.create':
      return {
        ...base,
        type,
        body,
        severity: at(['fatal', 'structural', 'minor'] as const, st.a),
        kind: 'concern',
        ...(st.flag && notes.length ? { fromNoteId: at(notes, st.b) } : {}),
      }
    case 'card.edit':
      return { ...base, type, cardId: anyOf(cards, st.a), body }
    case 'card.delete':
      return { ...base, type, cardId: anyOf(cards, st.a) }
    case 'card.vote':
      return { ...base, type, cardId: anyOf(cards, st.a), vote: st.flag || st.b % 3 !== 0 }
    case 'card.reply':
      return { ...base, type, cardId: anyOf(cards, st.a), body }
    case 'card.spotlight':
      return { ...base, type, cardId: st.flag ? null : anyOf(cards, st.a) }
    case 'card.triage': {
      const disposition = at(DISPOSITIONS, st.b)
      return {
        ...base,
        type,
        cardId: anyOf(cards, st.a),
        disposition,
        ...(st.flag || disposition !== 'rejected' ? { reason: 'because' } : {}),
        ...(disposition === 'duplicate' ? { duplicateOf: anyOf(cards, st.pick) } : {}),
        ...(disposition === 'answered' && st.flag ? { answer: 'the answer' } : {}),
      }
    }
    case 'revision.check':
      return { ...base, type, cardId: anyOf(cards, st.a), done: st.flag }
    case 'note.save':
      return { ...base, type, body, ...(st.flag && notes.length ? { noteId: anyOf(notes, st.a) } : {}) }
    case 'note.delete':
      return { ...base, type, noteId: anyOf(notes, st.a) }
    case 'reading.progress':
      return { ...base, type, percent: st.a % 101, sectionsRead: [], done: st.flag }
    case 'timer.set':
      return { ...base, type, seconds: st.flag ? null : 1 + (st.a % 600) }
    case 'decision.signoff':
      return { ...base, type, stance: at(['approve', 'concern', 'block'] as const, st.a), rationale: body }
    case 'decision.record':
      // Mostly iterate or no-go, so the walk goes on after a decision.
      return { ...base, type, outcome: st.a % 6 === 0 ? 'go' : at(OUTCOMES.slice(1), st.b), summary: body }
    case 'participant.update':
      return {
        ...base,
        type,
        participantId: anyOf(people, st.a),
        roles: [at(ROLES, st.b), ...(st.flag ? [at(ROLES, st.pick)] : [])],
      }
    case 'participant.remove':
      return { ...base, type, participantId: anyOf(people, st.a) }
    case 'participant.merge':
      return { ...base, type, participantId: anyOf(people, st.a), into: anyOf(people, st.b) }
    case 'invite.rotate':
      return { ...base, type, role: 'reviewer' }
    case 'settings.update':
      return {
        ...base,
        type,
        votesPerPerson: st.a % 4,
        ...(st.flag ? { blindCritique: st.b % 2 === 0 } : { anonymousByFunction: st.b % 2 === 0 }),
      }
  }
}

/** Independent of the code under test: which cards must not reach this viewer [CV1]. */
function mustBeHidden(s: ReviewState, viewerId: string): { id: string; body: string }[] {
  if (!s.settings.blindCritique || (s.phase !== 'critique' && s.phase !== 'reading')) return []
  return Object.values(s.cards).filter((c) => c.round === s.round && c.authorId !== viewerId)
}

type Boards = Map<string, ReturnType<typeof project>>
const boardsOf = (s: ReviewState): Boards => new Map(VIEWERS.map((v) => [v.id, project(s, v.id, ONLINE)]))

/** Checks the new projections against the rules and against the previous ones; returns them. */
function checkInvariants(previous: Boards, after: ReviewState): Boards {
  const boards = boardsOf(after)
  for (const viewer of VIEWERS) {
    const board = boards.get(viewer.id)!
    const wire = JSON.stringify(board)
    for (const hidden of mustBeHidden(after, viewer.id)) {
      // [CV7] no id, no text of another's blind card anywhere in the projection
      expect(wire.includes(`"${hidden.id}"`), `${viewer.id} sees hidden card ${hidden.id}`).toBe(false)
      expect(wire.includes(hidden.body), `${viewer.id} sees hidden text`).toBe(false)
    }
    if (after.settings.anonymousByFunction) {
      // [CV6] no author on others' cards and replies
      for (const c of board.cards) {
        if (!c.mine) expect(c.authorId).toBeUndefined()
        for (const r of c.replies) if (r.authorId !== undefined) expect(r.authorId).toBe(viewer.id)
      }
    }
    // Patches rebuild the projection exactly.
    const old = previous.get(viewer.id)!
    expect(applyPatch(old, diffBoard(old, board), board.seq)).toEqual(board)
  }
  return boards
}

describe('seeded random walk through decide + evolve', () => {
  it('[PH11][CV7][CV6] refusals change nothing, hidden cards never leak, patches rebuild the board', () => {
    let accepted = 0
    let refused = 0
    let hiddenChecks = 0
    let maxRound = 0
    let cardsMade = 0
    const phasesSeen = new Set<string>()
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 150, maxLength: 300 }),
        fc.boolean(),
        fc.boolean(),
        (steps, blind, anonymous) => {
          let s: ReviewState = {
            ...review(),
            settings: { blindCritique: blind, anonymousByFunction: anonymous, votesPerPerson: 3 },
          }
          let n = 0
          let boards = boardsOf(s)
          let clock = 10_000
          const ctx = (): DecideContext => ({ now: ++clock, newId: () => `#${++n}#`, openRisks: n % 3 })
          steps.forEach((st, i) => {
            const actor = at(ACTORS, st.actor)
            const cmd = commandFor(s, st, i)
            const snapshot = JSON.stringify(s)
            const res = decide(s, cmd, actor, ctx())
            expect(JSON.stringify(s)).toBe(snapshot) // [PH11]
            if (!res.ok) {
              refused++
              return
            }
            accepted++
            const before = s
            for (const e of res.value.events)
              s = evolve(s, { ...e, seq: s.seq + 1, at: ++clock, actorId: actor.id } as StoredEvent)
            expect(JSON.stringify(before)).toBe(snapshot) // evolve never mutates
            phasesSeen.add(s.phase)
            maxRound = Math.max(maxRound, s.round)
            cardsMade += res.value.events.filter((e) => e.type === 'card.created').length
            hiddenChecks += VIEWERS.filter((v) => mustBeHidden(s, v.id).length > 0).length
            boards = checkInvariants(boards, s)
          })
        },
      ),
      { seed: 20260514, numRuns: 25 },
    )
    // The walk must actually exercise the rules, not just bounce off them.
    expect(accepted).toBeGreaterThan(500)
    expect(refused).toBeGreaterThan(500)
    expect(cardsMade).toBeGreaterThan(50)
    expect(hiddenChecks).toBeGreaterThan(100)
    expect(maxRound).toBeGreaterThanOrEqual(2)
    expect([...phasesSeen].sort()).toEqual([...PHASES].sort())
  }, 120_000)
})
