import { lcsPairs } from './wordDiff'

export interface QuoteContext {
  quote: string
  prefix: string
  suffix: string
}

export interface Found {
  from: number
  to: number
}

/** How alike a re-found passage must be to the quote, in shared words (brief: ≥ 80 %). */
const FUZZY_THRESHOLD = 0.8
/** Below this many words a near match is too likely to be a different passage. */
const FUZZY_MIN_WORDS = 4

/**
 * Finds a quote in the document text when its positions are gone: exactly, then ignoring case,
 * quotes and spacing, then as a passage with ≥ 80 % of its words in order. Among several
 * candidates the one whose surroundings match the stored prefix and suffix wins, then the one
 * nearest to where the passage was.
 */
export function findQuote(text: string, ctx: QuoteContext, near?: number): Found | null {
  if (!ctx.quote.trim()) return null
  return exact(text, ctx, near) ?? loose(text, ctx, near) ?? fuzzy(text, ctx, near)
}

function pick(text: string, ctx: QuoteContext, candidates: Found[], near?: number): Found | null {
  let best: Found | null = null
  let bestScore = -Infinity
  for (const c of candidates) {
    const score =
      commonSuffix(text.slice(Math.max(0, c.from - ctx.prefix.length), c.from), ctx.prefix) +
      commonPrefix(text.slice(c.to, c.to + ctx.suffix.length), ctx.suffix) -
      (near === undefined ? 0 : Math.abs(c.from - near) / 1e6)
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}

function exact(text: string, ctx: QuoteContext, near?: number): Found | null {
  const found: Found[] = []
  for (let at = text.indexOf(ctx.quote); at >= 0; at = text.indexOf(ctx.quote, at + 1)) {
    found.push({ from: at, to: at + ctx.quote.length })
  }
  return pick(text, ctx, found, near)
}

/** Lower case, straight quotes, plain dashes, single spaces — with a map back to the original offsets. */
function normalizeWithMap(text: string): { norm: string; map: number[] } {
  const out: string[] = []
  const map: number[] = []
  let space = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\u00a0') {
      if (space) continue
      space = true
      out.push(' ')
    } else {
      space = false
      out.push(FOLD[c] ?? c.toLowerCase())
    }
    map.push(i)
  }
  return { norm: out.join(''), map }
}

const FOLD: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-' }

function loose(text: string, ctx: QuoteContext, near?: number): Found | null {
  const { norm, map } = normalizeWithMap(text)
  const q = normalizeWithMap(ctx.quote.trim()).norm
  const found: Found[] = []
  for (let at = norm.indexOf(q); at >= 0; at = norm.indexOf(q, at + 1)) {
    found.push({ from: map[at]!, to: map[at + q.length - 1]! + 1 })
  }
  return pick(text, ctx, found, near)
}

interface Word {
  w: string
  from: number
  to: number
}

function wordsOf(text: string): Word[] {
  const out: Word[] = []
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    out.push({ w: m[0].toLowerCase().replace(/’/g, "'"), from: m.index, to: m.index + m[0].length })
  }
  return out
}

function fuzzy(text: string, ctx: QuoteContext, near?: number): Found | null {
  const q = wordsOf(ctx.quote).map((w) => w.w)
  const n = q.length
  if (n < FUZZY_MIN_WORDS) return null
  const doc = wordsOf(text)
  const want = new Map<string, number>()
  for (const w of q) want.set(w, (want.get(w) ?? 0) + 1)

  // Bag-of-words overlap over a sliding window of n words, to keep the LCS for likely places.
  const have = new Map<string, number>()
  let overlap = 0
  const add = (w: string, d: 1 | -1) => {
    const before = Math.min(have.get(w) ?? 0, want.get(w) ?? 0)
    have.set(w, (have.get(w) ?? 0) + d)
    overlap += Math.min(have.get(w)!, want.get(w) ?? 0) - before
  }
  const starts: Array<{ i: number; overlap: number }> = []
  for (let i = 0; i < doc.length; i++) {
    add(doc[i]!.w, 1)
    if (i >= n) add(doc[i - n]!.w, -1)
    const start = Math.max(0, i - n + 1)
    if (overlap >= 0.6 * n) starts.push({ i: start, overlap })
  }
  starts.sort((a, b) => b.overlap - a.overlap)

  // Long quotes make each LCS costly: try fewer places and only the quote's own length.
  const long = n > 40
  const lengths = long ? [n] : range(Math.ceil(0.8 * n), Math.ceil(1.25 * n))
  const candidates: Array<Found & { score: number }> = []
  for (const { i } of starts.slice(0, long ? 8 : 50)) {
    for (const len of lengths) {
      const window = doc.slice(i, i + len)
      if (window.length < len) break
      const common = lcsPairs(q, window, (a, b) => a === b.w).length
      const score = (2 * common) / (n + len)
      if (score >= FUZZY_THRESHOLD) candidates.push({ from: window[0]!.from, to: window[len - 1]!.to, score })
    }
  }
  if (!candidates.length) return null
  const top = Math.max(...candidates.map((c) => c.score))
  return pick(
    text,
    ctx,
    candidates.filter((c) => c.score === top),
    near,
  )
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k)
}

function commonPrefix(a: string, b: string): number {
  let k = 0
  while (k < a.length && k < b.length && a[k] === b[k]) k++
  return k
}

function commonSuffix(a: string, b: string): number {
  let k = 0
  while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++
  return k
}
