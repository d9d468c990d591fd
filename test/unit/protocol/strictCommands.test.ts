import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  COMMAND_FIELDS,
  COMMAND_TYPES,
  parseCommand,
  type CommandType,
} from '../../../shared/protocol/commands'

const ANCHOR = { start: 'a', end: 'b', quote: 'q', prefix: '', suffix: '', section: 'S' }

/** One valid command of every type, every optional field filled, so junk is the only fault. */
const VALID: Record<CommandType, Record<string, unknown>> = {
  'phase.advance': { to: 'reading', from: 'draft' },
  'timer.set': { seconds: 300 },
  'reading.progress': { percent: 50, sectionsRead: ['Problem'], done: false },
  'note.save': { noteId: 'n', body: 'A note', anchor: ANCHOR },
  'note.delete': { noteId: 'n' },
  'card.create': { body: 'A card', severity: 'minor', kind: 'question', anchor: ANCHOR, fromNoteId: 'n' },
  'card.edit': { cardId: 'k', body: 'Edited', severity: 'fatal', kind: 'concern' },
  'card.delete': { cardId: 'k' },
  'card.vote': { cardId: 'k', vote: true },
  'card.reply': { cardId: 'k', body: 'A reply' },
  'card.spotlight': { cardId: null },
  'card.triage': {
    cardId: 'k',
    disposition: 'answered',
    reason: 'Why',
    duplicateOf: 'j',
    answer: 'The answer',
    faq: 'internal',
  },
  'revision.check': { cardId: 'k', done: true },
  'decision.signoff': { stance: 'approve', rationale: 'Sound', conditions: 'None' },
  'decision.record': { outcome: 'go', summary: 'Ship it' },
  'participant.update': { participantId: 'p', roles: ['reviewer'] },
  'participant.remove': { participantId: 'p' },
  'participant.merge': { participantId: 'p', into: 'q' },
  'invite.rotate': { role: 'reviewer' },
  'settings.update': { blindCritique: true, anonymousByFunction: false, votesPerPerson: 3 },
}

/** Sets an own, enumerable property (so "__proto__" is a field, as JSON.parse makes it). */
function withField(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  return obj
}

describe('strict command schemas', () => {
  it('[M2] the reported junk command is INVALID and names both fields', () => {
    const res = parseCommand({ type: 'settings.update', commandId: 'c', to: '__proto__', body: -1 })
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('INVALID')
      expect(res.error.message).toContain('"to"')
      expect(res.error.message).toContain('"body"')
    }
  })

  it('[M2] an own "__proto__" field and a junk field inside an anchor are named', () => {
    const proto = parseCommand(
      JSON.parse('{"type":"timer.set","commandId":"c","seconds":5,"__proto__":{"x":1}}'),
    )
    expect(!proto.ok && proto.error.message).toContain('"__proto__"')
    const anchor = {
      start: 'a',
      end: 'b',
      quote: 'q',
      prefix: '',
      suffix: '',
      colour: 'red',
    }
    const nested = parseCommand({ type: 'note.save', commandId: 'c', body: 'b', anchor })
    expect(!nested.ok && nested.error.message).toContain('"anchor.colour"')
  })

  it('[M2] every command type refuses a field it does not define, even with its other fields wrong', () => {
    for (const type of COMMAND_TYPES) {
      expect(COMMAND_FIELDS[type]).toContain('commandId')
      const res = parseCommand({ type, commandId: 'c', tpyo: 1 })
      expect(res.ok ? 'ok' : res.error.message, type).toContain('"tpyo"')
    }
  })

  it('[M2] fuzz: random junk fields with random values on every command type, each INVALID and named', () => {
    for (const type of COMMAND_TYPES) {
      const ok = parseCommand({ type, commandId: 'c', ...VALID[type] })
      expect(ok.ok ? 'ok' : ok.error.message, type).toBe('ok')
    }
    const junkKey = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'Type', 'commandID', 'body '),
    )
    fc.assert(
      fc.property(
        fc.constantFrom(...COMMAND_TYPES),
        fc.uniqueArray(junkKey, { minLength: 1, maxLength: 3 }),
        fc.jsonValue(),
        fc.boolean(),
        (type, keys, value, inAnchor) => {
          const junk = keys.filter((k) => !COMMAND_FIELDS[type].includes(k))
          fc.pre(junk.length > 0)
          const cmd: Record<string, unknown> = { type, commandId: 'c', ...VALID[type] }
          const nested = inAnchor && 'anchor' in cmd
          const target = nested ? (cmd.anchor = { ...ANCHOR }) : cmd
          for (const k of junk) {
            if (nested && Object.keys(ANCHOR).includes(k)) continue
            withField(target as Record<string, unknown>, k, value)
          }
          const named = junk.filter((k) => !(nested && Object.keys(ANCHOR).includes(k)))
          fc.pre(named.length > 0)
          const res = parseCommand(cmd)
          expect(res.ok).toBe(false)
          if (res.ok) return
          expect(res.error.code).toBe('INVALID')
          for (const k of named) expect(res.error.message).toContain(`"${nested ? `anchor.${k}` : k}"`)
        },
      ),
      { numRuns: 2000 },
    )
  })
})
