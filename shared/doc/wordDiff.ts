/** Word-level diff: a longest-common-subsequence over whitespace-separated tokens. */

export interface WordChange {
  op: 'equal' | 'insert' | 'delete'
  /** The words with their following spaces, as they read in the text. */
  text: string
}

/** Beyond this many cells the LCS table costs too much; the middle is then replaced whole. */
const MAX_CELLS = 4_000_000

export function tokens(text: string): string[] {
  return text.match(/\S+\s*/g) ?? []
}

export function diffWords(before: string, after: string): WordChange[] {
  const a = tokens(before)
  const b = tokens(after)
  const key = (t: string) => t.trimEnd()
  let start = 0
  while (start < a.length && start < b.length && key(a[start]!) === key(b[start]!)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && key(a[endA - 1]!) === key(b[endB - 1]!)) {
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
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  if (midA.length * midB.length > MAX_CELLS) {
    push('delete', midA.join(''))
    push('insert', midB.join(''))
  } else {
    for (const [op, t] of lcsOps(midA.map(key), midB.map(key), midA, midB)) push(op, t)
  }
  push('equal', b.slice(endB).join(''))
  return out
}

function lcsOps(a: string[], b: string[], rawA: string[], rawB: string[]): Array<[WordChange['op'], string]> {
  const n = a.length
  const m = b.length
  // table[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const table = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number) => i * (m + 1) + j
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] =
        a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!)
    }
  }
  const ops: Array<[WordChange['op'], string]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push(['equal', rawB[j]!])
      i++
      j++
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) ops.push(['delete', rawA[i++]!])
    else ops.push(['insert', rawB[j++]!])
  }
  while (i < n) ops.push(['delete', rawA[i++]!])
  while (j < m) ops.push(['insert', rawB[j++]!])
  return ops
}

/** Words inserted and deleted by a diff. */
export function countChanges(changes: WordChange[]): { inserted: number; deleted: number } {
  let inserted = 0
  let deleted = 0
  for (const c of changes) {
    const n = tokens(c.text).length
    if (c.op === 'insert') inserted += n
    else if (c.op === 'delete') deleted += n
  }
  return { inserted, deleted }
}

/** Share of words two texts have in common (0–1), for pairing a rewritten paragraph with its old self. */
export function similarity(before: string, after: string): number {
  const total = Math.max(tokens(before).length, tokens(after).length)
  if (!total) return 1
  const same = diffWords(before, after)
    .filter((c) => c.op === 'equal')
    .reduce((n, c) => n + tokens(c.text).length, 0)
  return same / total
}

/** Longest common subsequence of two key lists, as index pairs in order. */
export function lcsPairs<A, B>(a: A[], b: B[], eq: (x: A, y: B) => boolean): Array<[number, number]> {
  const n = a.length
  const m = b.length
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
