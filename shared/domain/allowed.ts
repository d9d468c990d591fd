import type { CommandType } from '../protocol/commands'
import { gate } from './rules/guards'
import { openRevisionItems } from './revision'
import { isIrreversible } from './rules/phases'
import type { Participant, Phase, ReviewState } from './types'

/** The client enables buttons from the same rules the server enforces: role, phase and lock. */
export function can(state: ReviewState, actor: Participant, type: CommandType): boolean {
  return gate(state, actor, type).ok
}

/** Cards no author has triaged yet, in any round (leaving triage names the count) [TR8]. */
export function untriagedCount(state: ReviewState): number {
  return Object.values(state.cards).filter((c) => !c.triage).length
}

/**
 * Participants (observers included: everyone reads) who have not said they are done reading this
 * round; pass `online` to name only those in the room [RD6].
 */
export function unfinishedReaders(state: ReviewState, online?: ReadonlySet<string>): Participant[] {
  return Object.values(state.participants).filter(
    (p) =>
      !p.removed &&
      (!online || online.has(p.id)) &&
      !(state.progress[p.id]?.done && state.progress[p.id]?.round === state.round),
  )
}

const names = (people: readonly Participant[]): string =>
  people.length <= 3
    ? people.map((p) => p.name).join(', ')
    : `${people
        .slice(0, 3)
        .map((p) => p.name)
        .join(', ')} and ${people.length - 3} more`

/**
 * The confirmation the phase bar asks before a step, or null when none is needed: unfinished
 * readers by name [RD6], untriaged cards by count [TR8], and what an irreversible step does [PH5].
 */
export function confirmationFor(state: ReviewState, to: Phase, online?: ReadonlySet<string>): string | null {
  const from = state.phase
  const lines: string[] = []
  if (from === 'reading') {
    const unfinished = unfinishedReaders(state, online)
    if (unfinished.length > 0) lines.push(`Still reading: ${names(unfinished)}.`)
  }
  if (from === 'triage' && to !== 'discussion') {
    const n = untriagedCount(state)
    if (n > 0) lines.push(`${n} card${n === 1 ? ' is' : 's are'} not triaged yet.`)
  }
  if (from === 'revision' && to === 'reading') {
    // [RN6] the step really starts the next round: say so, and what the plan still has open.
    lines.push(
      `Round ${state.round} closes and round ${state.round + 1} starts: everyone reads the revised document again.`,
    )
    const open = openRevisionItems(state)
    if (open.length > 0) lines.push(`Not ticked off yet: ${quotes(open.map((c) => c.body))}.`)
    return lines.join(' ')
  }
  if (isIrreversible(from, to))
    lines.push(IRREVERSIBLE[`${from}>${to}`] ?? `There is no step back to ${from}.`)
  return lines.length > 0 ? lines.join(' ') : null
}

/** Up to three card texts, each cut to a short quote, then how many more. */
function quotes(bodies: readonly string[]): string {
  const cut = (b: string) => {
    const t = b.replace(/\s+/g, ' ').trim()
    return `“${t.length > 60 ? `${t.slice(0, 59)}…` : t}”`
  }
  const shown = bodies.slice(0, 3).map(cut).join(', ')
  return bodies.length > 3 ? `${shown} and ${bodies.length - 3} more` : shown
}

const IRREVERSIBLE: Record<string, string> = {
  'draft>reading': 'The document locks for silent reading; draft editing ends.',
  'critique>discussion': 'Every card is revealed to everyone at once; this cannot be undone.',
  'triage>revision': 'Triage ends for this round (authors can still triage during revision).',
  'revision>decision': 'Revision ends; deciders sign off on the document as it is.',
  'closed>reading': 'The archived review reopens as a new round.',
}
