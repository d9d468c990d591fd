import { describe, expect, it } from 'vitest'
import {
  createReviewBodySchema,
  joinBodySchema,
  LIMITS,
  parseCommand,
} from '../../../shared/protocol/commands'

/** Each class of text that breaks things later, as a value people could send [TX1] (TARGETS H4). */
const BAD: Array<[string, string]> = [
  ['a lone high surrogate', 'Lone \ud800 surrogate'],
  ['a lone low surrogate', 'end \udc00'],
  ['a right-to-left override', '\u202eevil\u202c Admin'],
  ['a bidi isolate', 'x \u2067y\u2069'],
  ['a left-to-right mark', 'mark\u200e here'],
  ['an Arabic letter mark', 'a\u061cb'],
  ['only zero-width characters', '\u200b\u200c\u200d\u2060\ufeff'],
  ['only spaces', '   \t  '],
  ['only a Hangul filler', '\u3164'],
  ['a control character', 'bell\u0007'],
  ['nothing', ''],
]

/** A command per text field, with `value` in that field and everything else valid. */
const FIELDS: Array<[string, (value: string) => unknown]> = [
  ['note.save body', (body) => ({ type: 'note.save', commandId: 'c', body })],
  [
    'card.create body',
    (body) => ({ type: 'card.create', commandId: 'c', body, severity: 'minor', kind: 'question' }),
  ],
  ['card.edit body', (body) => ({ type: 'card.edit', commandId: 'c', cardId: 'k', body })],
  ['card.reply body', (body) => ({ type: 'card.reply', commandId: 'c', cardId: 'k', body })],
  [
    'card.triage reason',
    (reason) => ({ type: 'card.triage', commandId: 'c', cardId: 'k', disposition: 'rejected', reason }),
  ],
  [
    'card.triage answer',
    (answer) => ({ type: 'card.triage', commandId: 'c', cardId: 'k', disposition: 'answered', answer }),
  ],
  [
    'decision.signoff rationale',
    (rationale) => ({ type: 'decision.signoff', commandId: 'c', stance: 'approve', rationale }),
  ],
  [
    'decision.record summary',
    (summary) => ({ type: 'decision.record', commandId: 'c', outcome: 'go', summary }),
  ],
]

describe('text fields are checked once, in the shared protocol', () => {
  it('[TX1] every command text field refuses each bad class with INVALID', () => {
    for (const [field, make] of FIELDS) {
      expect(parseCommand(make('A fine sentence.')).ok, field).toBe(true)
      for (const [what, value] of BAD) {
        const res = parseCommand(make(value))
        expect(res.ok ? 'accepted' : res.error.code, `${field} with ${what}`).toBe('INVALID')
      }
    }
  })

  it('[TX1] titles and names refuse each bad class; the reported title with a lone surrogate too', () => {
    const facilitator = { name: 'Ada', function: 'product' }
    expect(createReviewBodySchema.safeParse({ title: 'Launch', facilitator }).success).toBe(true)
    expect(createReviewBodySchema.safeParse({ title: 'Lone \ud800 surrogate', facilitator }).success).toBe(
      false,
    )
    for (const [what, value] of BAD) {
      expect(createReviewBodySchema.safeParse({ title: value, facilitator }).success, `title: ${what}`).toBe(
        false,
      )
      expect(joinBodySchema.safeParse({ name: value, function: 'legal' }).success, `name: ${what}`).toBe(
        false,
      )
    }
    const markdown = createReviewBodySchema.safeParse({ title: 'x', facilitator, markdown: '# a \udfff' })
    expect(markdown.success).toBe(false)
  })

  it('[TX1] text is stored NFC and trimmed; emoji joiners, Arabic and CJK are fine; lengths as before', () => {
    const res = parseCommand({ type: 'note.save', commandId: 'c', body: '  Cafe\u0301 👩‍💻 مرحبا 你好  ' })
    expect(res.ok && res.value.type === 'note.save' && res.value.body).toBe('Café 👩‍💻 مرحبا 你好')
    const name = joinBodySchema.parse({ name: 'Zoe\u0308', function: 'legal' })
    expect(name.name).toBe('Zoë')
    const long = parseCommand({ type: 'note.save', commandId: 'c', body: 'x'.repeat(LIMITS.noteBody + 1) })
    expect(!long.ok && long.error.code).toBe('TOO_LARGE')
    expect(parseCommand({ type: 'note.save', commandId: 'c', body: 'x'.repeat(LIMITS.noteBody) }).ok).toBe(
      true,
    )
    const conditions = parseCommand({
      type: 'decision.signoff',
      commandId: 'c',
      stance: 'approve',
      rationale: 'ok',
      conditions: '',
    })
    expect(conditions.ok).toBe(true)
    const rlo = parseCommand({
      type: 'decision.signoff',
      commandId: 'c',
      stance: 'approve',
      rationale: 'ok',
      conditions: '\u202e',
    })
    expect(!rlo.ok && rlo.error.code).toBe('INVALID')
  })
})
