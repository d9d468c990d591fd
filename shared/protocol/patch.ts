import type { BoardPatch, BoardState, CardView, ProgressView } from './board'
import type { Note } from '../domain/types'

type Keyed = { id: string } | { participantId: string }
const keyOf = (x: Keyed): string => ('id' in x ? x.id : x.participantId)
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function diffList<T extends Keyed>(before: T[], after: T[]): { upserts: T[]; removed: string[] } {
  const old = new Map(before.map((x) => [keyOf(x), x]))
  const upserts = after.filter((x) => !same(old.get(keyOf(x)), x))
  const present = new Set(after.map(keyOf))
  const removed = [...old.keys()].filter((k) => !present.has(k))
  return { upserts, removed }
}

const LISTS = [
  ['participants', 'removedParticipants'],
  ['cards', 'removedCards'],
  ['notes', 'removedNotes'],
  ['progress', 'removedProgress'],
] as const

const VALUES = [
  'title',
  'phase',
  'round',
  'timer',
  'settings',
  'me',
  'hiddenCardCounts',
  'spotlight',
  'rounds',
  'decision',
  'frozen',
  'archived',
  'votesLeft',
] as const

/** The patch that turns one projection into another; `{}` when nothing the viewer sees changed. */
export function diffBoard(before: BoardState, after: BoardState): BoardPatch {
  const patch: Record<string, unknown> = {}
  for (const [list, removedKey] of LISTS) {
    const { upserts, removed } = diffList<Keyed>(before[list], after[list])
    if (upserts.length > 0) patch[list] = upserts
    if (removed.length > 0) patch[removedKey] = removed
  }
  for (const key of VALUES) if (!same(before[key], after[key])) patch[key] = after[key]
  return patch as BoardPatch
}

const byTimeThenId = (a: { at: number; id: string }, b: { at: number; id: string }): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The one order of each keyed list, shared by the projection and `applyPatch`, so a patched board
 * equals the server's projection even when many cards appear at once (the reveal). Participants
 * need none: they are only ever appended (a removed one stays, flagged).
 */
export const BOARD_ORDER = {
  cards: (a: CardView, b: CardView): number =>
    byTimeThenId({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }),
  notes: (a: Note, b: Note): number => byTimeThenId(a, b),
  progress: (a: ProgressView, b: ProgressView): number =>
    a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0,
}

function applyList<T extends Keyed>(
  list: T[],
  upserts: T[] | undefined,
  removed: string[] | undefined,
  order?: (a: T, b: T) => number,
): T[] {
  if (!upserts && !removed) return list
  const gone = new Set(removed ?? [])
  const byKey = new Map(upserts?.map((x) => [keyOf(x), x]))
  const next = list.filter((x) => !gone.has(keyOf(x))).map((x) => byKey.get(keyOf(x)) ?? x)
  const known = new Set(next.map(keyOf))
  for (const x of upserts ?? []) if (!known.has(keyOf(x))) next.push(x)
  return order ? next.sort(order) : next
}

/** Applies a patch from the server to the client's copy of its projection. */
export function applyPatch(board: BoardState, patch: BoardPatch, seq?: number): BoardState {
  const next: BoardState = { ...board, seq: seq ?? board.seq }
  next.participants = applyList(board.participants, patch.participants, patch.removedParticipants)
  next.cards = applyList(board.cards, patch.cards, patch.removedCards, BOARD_ORDER.cards)
  next.notes = applyList(board.notes, patch.notes, patch.removedNotes, BOARD_ORDER.notes)
  next.progress = applyList(board.progress, patch.progress, patch.removedProgress, BOARD_ORDER.progress)
  for (const key of VALUES) if (key in patch) (next as unknown as Record<string, unknown>)[key] = patch[key]
  return next
}
