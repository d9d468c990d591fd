import DiffMatchPatch from 'diff-match-patch'
import { countWords } from './text'
import { similarity } from './wordDiff'

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
export const FUZZY_THRESHOLD = 0.8
/** diff-match-patch's bitap threshold: 0 is exact, 1 anything; 0.25 lets ~8 of 32 characters differ. */
const MATCH_THRESHOLD = 0.25
/** Candidates of an exact or loose search compared by their context; more only repeat the same text. */
const MAX_CANDIDATES = 1000
const WORD_CHAR = /[\p{L}\p{N}]/u
/** Below this many words a near match is too likely to be a different passage. */
const FUZZY_MIN_WORDS = 4

/**
 * Finds a quote in the document text when its positions are gone: exactly, then ignoring case,
 * quotes and spacing, then (diff-match-patch) as a passage with ≥ 80 % of its words in order. Among several
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
  const step = Math.max(1, ctx.quote.length)
  for (
    let at = text.indexOf(ctx.quote);
    at >= 0 && found.length < MAX_CANDIDATES;
    at = text.indexOf(ctx.quote, at + step)
  ) {
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
  if (!q) return null
  const step = Math.max(1, q.length)
  for (let at = norm.indexOf(q); at >= 0 && found.length < MAX_CANDIDATES; at = norm.indexOf(q, at + step)) {
    found.push({ from: map[at]!, to: map[at + q.length - 1]! + 1 })
  }
  return pick(text, ctx, found, near)
}

/**
 * A passage that reads like the quote with a few letters changed, found by diff-match-patch's
 * bitap search (`match_main`): each search scans the text a bounded number of times (once per
 * allowed error in at most 32 characters), so its cost is linear in the document. A quote longer
 * than 32 characters is placed by its first 32 (or, failing that, its last 32), then stretched
 * to its end by its last 32. The passage is accepted only when ≥ 80 % of its words are the
 * quote's words in order (FUZZY_THRESHOLD), otherwise the quote is orphaned.
 */
function fuzzy(text: string, ctx: QuoteContext, near?: number): Found | null {
  if (countWords(ctx.quote) < FUZZY_MIN_WORDS) return null
  const { norm, map } = normalizeWithMap(text)
  const q = normalizeWithMap(ctx.quote.trim()).norm
  if (!norm || !q) return null
  const dmp = new DiffMatchPatch()
  dmp.Match_Threshold = MATCH_THRESHOLD
  // Where the passage was matters little: a moved paragraph is still the same passage.
  dmp.Match_Distance = 10 * norm.length
  const bits = dmp.Match_MaxBits
  const loc = Math.min(norm.length, near === undefined ? 0 : normOffset(map, near))
  let from: number
  let to: number
  if (q.length <= bits) {
    from = dmp.match_main(norm, q, loc)
    to = from + q.length
  } else {
    const tail = q.slice(-bits)
    from = dmp.match_main(norm, q.slice(0, bits), loc)
    if (from < 0) {
      const end = dmp.match_main(norm, tail, loc + q.length - bits)
      from = end < 0 ? -1 : Math.max(0, end + bits - q.length)
    }
    const end = from < 0 ? -1 : dmp.match_main(norm, tail, from + q.length - bits)
    to = end > from ? end + bits : from + q.length
  }
  if (from < 0) return null
  to = Math.min(norm.length, to)
  // Bitap places a pattern to within its errors: widen the passage to whole words.
  while (from > 0 && WORD_CHAR.test(norm[from - 1]!) && WORD_CHAR.test(norm[from]!)) from--
  while (to < norm.length && WORD_CHAR.test(norm[to]!) && WORD_CHAR.test(norm[to - 1]!)) to++
  if (similarity(q, norm.slice(from, to)) < FUZZY_THRESHOLD) return null
  while (from < to && norm[from] === ' ') from++
  while (to > from && norm[to - 1] === ' ') to--
  if (to <= from) return null
  return { from: map[from]!, to: map[to - 1]! + 1 }
}

/** The normalised offset of an original offset (the map is increasing). */
function normOffset(map: number[], offset: number): number {
  let lo = 0
  let hi = map.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (map[mid]! < offset) lo = mid + 1
    else hi = mid
  }
  return lo
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
