import { countWords, WORD } from './text'

/**
 * Word-level diff: a longest-common-subsequence over tokens. A token is a word or a single
 * punctuation mark, each with the whitespace that follows it, so "chains." → "chains, refreshed"
 * keeps "chains" and marks only "." and ", refreshed". The tokens of a text, joined, give the
 * text back (less leading whitespace), which is what the editor's change marks count on.
 */

export interface WordChange {
  op: 'equal' | 'insert' | 'delete'
  /** The tokens with their following spaces, as they read in the text. */
  text: string
}

/** Beyond this many cells the LCS table costs too much; the middle is then replaced whole. */
const MAX_CELLS = 4_000_000

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
  let start = 0
  while (start < a.length && start < b.length && keyA[start] === keyB[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && keyA[endA - 1] === keyB[endB - 1]) {
    endA--
    endB--
  }
  const out: WordChange[] = []
  const push = (op: WordChange['op'], text: string) => {
    if (!text) return
    const last = out[out.length - 1]
    if (last && last.op === op) last.text += text
    else out.push({ op, text })
  }
  push('equal', b.slice(0, start).join(''))
  const n = endA - start
  const m = endB - start
  const pairs =
    n * m > MAX_CELLS ? [] : lcsPairs(keyA.slice(start, endA), keyB.slice(start, endB), (x, y) => x === y)
  let i = start
  let j = start
  for (const [pi, pj] of [...pairs, [n, m] as [number, number]]) {
    // Within a gap, what went reads before what came, as in any diff.
    push('delete', a.slice(i, start + pi).join(''))
    push('insert', b.slice(j, start + pj).join(''))
    if (pi < n) push('equal', b[start + pj]!)
    i = start + pi + 1
    j = start + pj + 1
  }
  push('equal', b.slice(endB).join(''))
  return out
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

/** Longest common subsequence of two key lists, as index pairs in order. */
export function lcsPairs<A, B>(a: A[], b: B[], eq: (x: A, y: B) => boolean): Array<[number, number]> {
  const n = a.length
  const m = b.length
  // table[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const table = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number) => i * (m + 1) + j
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = eq(a[i]!, b[j]!)
        ? table[at(i + 1, j + 1)]! + 1
        : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!)
    }
  }
  const pairs: Array<[number, number]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (eq(a[i]!, b[j]!)) {
      pairs.push([i++, j++])
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++
    else j++
  }
  return pairs
}
