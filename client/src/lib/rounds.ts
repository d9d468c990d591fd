import type { BoardState } from '../../../shared/protocol/board'

const MARKED_PHASES: ReadonlySet<string> = new Set(['reading', 'critique', 'discussion'])

/**
 * The round a reader's "what changed" compares against [RD4]: the last round they finished
 * reading when that is earlier than the current one (they missed rounds in between), else the
 * previous round. Kept through critique and discussion of that round, when reviewers write about
 * the changes. Null when there is nothing earlier to compare with, or in other phases.
 */
export function changesSince(b: Pick<BoardState, 'phase' | 'round' | 'me'>): number | null {
  if (!MARKED_PHASES.has(b.phase) || b.round < 2) return null
  const last = b.me.lastReadRound
  const base = last !== undefined && last < b.round ? last : b.round - 1
  return Math.max(1, base)
}
