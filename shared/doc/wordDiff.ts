import { diffArrays } from 'diff'
import { countWords, WORD } from './text'

/**
 * Word-level diff on jsdiff (Myers' O(ND) algorithm). A token is a word or a single punctuation
 * mark, each with the whitespace that follows it, so "chains." → "chains, refreshed" keeps
 * "chains" and marks only "." and ", refreshed". The tokens of a text, joined, give the text back
 * (less leading whitespace), which is what the editor's change marks count on.
 *
 * Myers costs time proportional to the length times the number of edits, so the number of edits
 * it may look for is bounded by a budget of steps per call: two texts that differ beyond it are
 * answered as their common start and end with the middle replaced whole — what a reader of two
 * unrelated versions sees anyway — and no request waits on a quadratic search (TARGETS.md H1).
 */

export interface WordChange {
  op: 'equal' | 'insert' | 'delete'
  /** The tokens with their following spaces, as they read in the text. */
  text: string
}

/** Steps of Myers' search one call may take (length × edits); ~20 ms here. */
export const DIFF_BUDGET = 4_000_000

/** A word as the outline counts it ("3.5", "same-day", "don't" are one), or any other single mark. */
const TOKEN = new RegExp(String.raw`(?:${WORD.source}|[^\s\p{L}\p{N}])\s*`, 'gu')

export function tokens(text: string): string[] {
  return text.match(TOKEN) ?? []
}

export function diffWords(before: string, after: string): WordChange[] {
  const a = tokens(before)
  const b = tokens(after)
  // Whitespace never makes a change: tokens compare without it, and equal text reads as `after`.
  const keyA = a.map((t) => t.trimEnd())
  const keyB = b.map((t) => t.trimEnd())
  const out: WordChange[] = []
  const push = (op: WordChange['op'], text: string) => {
    if (!text) return
    const last = out[out.length - 1]
    if (last && last.op === op) last.text += text
    else out.push({ op, text })
  }
  let i = 0
  let j = 0
  for (const [pi, pj] of [...matchPairs(keyA, keyB), [a.length, b.length] as [number, number]]) {
    // Within a gap, what went reads before what came, as in any diff.
    push('delete', a.slice(i, pi).join(''))
    push('insert', b.slice(j, pj).join(''))
    if (pi < a.length) push('equal', b[pj]!)
    i = pi + 1
    j = pj + 1
  }
  return out
}

/**
 * Index pairs of equal elements, in order, as a longest common subsequence would give them:
 * the common start and end, and between them jsdiff's answer within DIFF_BUDGET (none beyond).
 */
export function matchPairs(a: string[], b: string[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = []
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) {
    pairs.push([start, start])
    start++
  }
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  if (midA.length && midB.length) {
    const maxEditLength = Math.max(1, Math.floor(DIFF_BUDGET / (midA.length + midB.length)))
    const changes = diffArrays(midA, midB, { maxEditLength })
    if (changes) {
      let x = start
      let y = start
      for (const c of changes) {
        const n = c.count ?? c.value.length
        if (c.added) y += n
        else if (c.removed) x += n
        else for (let k = 0; k < n; k++) pairs.push([x++, y++])
      }
    }
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k])
  return pairs
}

/** Words inserted and deleted by a diff. */
export function countChanges(changes: WordChange[]): { inserted: number; deleted: number } {
  let inserted = 0
  let deleted = 0
  for (const c of changes) {
    if (c.op === 'insert') inserted += countWords(c.text)
    else if (c.op === 'delete') deleted += countWords(c.text)
  }
  return { inserted, deleted }
}

/** Share of words two texts have in common (0–1), for pairing a rewritten paragraph with its old self. */
export function similarity(before: string, after: string): number {
  const total = Math.max(countWords(before), countWords(after))
  if (!total) return 1
  const same = diffWords(before, after)
    .filter((c) => c.op === 'equal')
    .reduce((n, c) => n + countWords(c.text), 0)
  return same / total
}
