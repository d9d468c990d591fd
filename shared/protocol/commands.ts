import { z } from 'zod'
import {
  DISPOSITIONS,
  FUNCTIONS,
  INVITE_ROLES,
  KINDS,
  OUTCOMES,
  PHASES,
  ROLES,
  SEVERITIES,
  STANCES,
} from '../domain/types'
import { err, ok, type Result } from '../domain/result'
import { userText, wellFormed } from './text'

/** Limits that keep one command small; the server also caps frames (M2). */
export const LIMITS = {
  cardBody: 4000,
  replyBody: 2000,
  noteBody: 4000,
  rationale: 4000,
  summary: 8000,
  reason: 2000,
  answer: 8000,
  quote: 1000,
  name: 80,
  title: 200,
  id: 64,
  maxTimerSeconds: 24 * 3600,
  maxVotesPerPerson: 50,
} as const

const id = z.string().min(1).max(LIMITS.id)
/** Every text people type goes through `userText`: well-formed, no bidi controls, visible, NFC [TX1]. */
const text = (max: number) => userText(max)

const anchorSchema = z.strictObject({
  start: z.string().min(1).max(512),
  end: z.string().min(1).max(512),
  quote: z.string().min(1).max(LIMITS.quote),
  prefix: z.string().max(200),
  suffix: z.string().max(200),
  section: z.string().max(300).optional(),
})

const base = { commandId: id }

const commandSchema = z.discriminatedUnion('type', [
  // `from` is the phase the facilitator saw: two clicks racing end in one step, not two [PH12].
  z.strictObject({
    ...base,
    type: z.literal('phase.advance'),
    to: z.enum(PHASES),
    from: z.enum(PHASES).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('timer.set'),
    seconds: z.number().int().min(1).max(LIMITS.maxTimerSeconds).nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('reading.progress'),
    percent: z.number().min(0).max(100),
    sectionsRead: z.array(z.string().max(300)).max(200),
    done: z.boolean(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('note.save'),
    noteId: id.optional(),
    body: text(LIMITS.noteBody),
    anchor: anchorSchema.optional(),
  }),
  z.strictObject({ ...base, type: z.literal('note.delete'), noteId: id }),
  z.strictObject({
    ...base,
    type: z.literal('card.create'),
    body: text(LIMITS.cardBody),
    severity: z.enum(SEVERITIES),
    kind: z.enum(KINDS),
    anchor: anchorSchema.optional(),
    fromNoteId: id.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('card.edit'),
    cardId: id,
    body: text(LIMITS.cardBody).optional(),
    severity: z.enum(SEVERITIES).optional(),
    kind: z.enum(KINDS).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('card.delete'), cardId: id }),
  z.strictObject({ ...base, type: z.literal('card.vote'), cardId: id, vote: z.boolean() }),
  z.strictObject({ ...base, type: z.literal('card.reply'), cardId: id, body: text(LIMITS.replyBody) }),
  z.strictObject({ ...base, type: z.literal('card.spotlight'), cardId: id.nullable() }),
  z.strictObject({
    ...base,
    type: z.literal('card.triage'),
    cardId: id,
    disposition: z.enum(DISPOSITIONS),
    reason: text(LIMITS.reason).optional(),
    duplicateOf: id.optional(),
    answer: text(LIMITS.answer).optional(),
    /** With `answered`: the FAQ the answer goes into; guessed from the question when absent [TR9]. */
    faq: z.enum(['external', 'internal']).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('revision.check'), cardId: id, done: z.boolean() }),
  z.strictObject({
    ...base,
    type: z.literal('decision.signoff'),
    stance: z.enum(STANCES),
    rationale: text(LIMITS.rationale),
    conditions: userText(LIMITS.rationale, { allowEmpty: true }).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('decision.record'),
    outcome: z.enum(OUTCOMES),
    summary: text(LIMITS.summary),
  }),
  z.strictObject({
    ...base,
    type: z.literal('participant.update'),
    participantId: id,
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('participant.remove'), participantId: id }),
  z.strictObject({ ...base, type: z.literal('participant.merge'), participantId: id, into: id }),
  z.strictObject({ ...base, type: z.literal('invite.rotate'), role: z.enum(INVITE_ROLES) }),
  z.strictObject({
    ...base,
    type: z.literal('settings.update'),
    blindCritique: z.boolean().optional(),
    anonymousByFunction: z.boolean().optional(),
    votesPerPerson: z.number().int().min(0).max(LIMITS.maxVotesPerPerson).optional(),
  }),
])

export type Command = z.infer<typeof commandSchema>
export type CommandType = Command['type']
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>
export const COMMAND_TYPES = commandSchema.options.map((o) => o.shape.type.value) as CommandType[]

/** The one door for untrusted command payloads: the server trusts only what this returns. */
export function parseCommand(raw: unknown): Result<Command> {
  const parsed = commandSchema.safeParse(raw)
  if (parsed.success) return ok(parsed.data)
  // Strict schemas: a typo or a junk field is reported by name, never silently ignored.
  const unknown = parsed.error.issues.find((i) => i.code === 'unrecognized_keys')
  if (unknown) {
    const fields = unknown.keys.map((k) => `"${[...unknown.path, k].join('.')}"`).join(', ')
    return err('INVALID', `The command has unknown field(s) ${fields}; remove them.`)
  }
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
  const tooBig = issue?.code === 'too_big'
  return err(
    tooBig ? 'TOO_LARGE' : 'INVALID',
    `The command was not understood${where}: ${issue?.message ?? 'invalid'}.`,
  )
}

/**
 * The facilitator's timer is set in whole minutes (the wire carries seconds): 0.1 or 0 is refused
 * with a sentence, before anything is sent [TM4].
 */
export const timerMinutes = z
  .number({ error: 'Enter the timer in minutes, e.g. 5.' })
  .int({ error: 'Use whole minutes: 1 or more.' })
  .min(1, { error: 'Use whole minutes: 1 or more.' })
  .max(LIMITS.maxTimerSeconds / 60, { error: `At most ${LIMITS.maxTimerSeconds / 60} minutes (a day).` })

export const joinBodySchema = z.strictObject({
  name: text(LIMITS.name),
  function: z.enum(FUNCTIONS),
})

export const createReviewBodySchema = z.strictObject({
  title: text(LIMITS.title),
  facilitator: joinBodySchema,
  markdown: wellFormed(1_000_000).optional(),
})

/** The fields each command type may carry (strict: anything else is `INVALID`). */
export const COMMAND_FIELDS = Object.fromEntries(
  commandSchema.options.map((o) => [o.shape.type.value, Object.keys(o.shape)]),
) as Record<CommandType, string[]>
