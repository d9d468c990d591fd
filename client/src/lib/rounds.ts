import type { BoardState } from '../../../shared/protocol/board'

/**
 * The round a reader's "what changed" compares against [RD4]: the last round they finished
 * reading when that is earlier than the current one (they missed rounds in between), else the
 * previous round. Null when there is nothing earlier to compare with, or outside reading.
 */
export function changesSince(b: Pick<BoardState, 'phase' | 'round' | 'me'>): number | null {
  if (b.phase !== 'reading' || b.round < 2) return null
  const last = b.me.lastReadRound
  const base = last !== undefined && last < b.round ? last : b.round - 1
  return Math.max(1, base)
}
