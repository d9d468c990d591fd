import { normalizeInline, type Inline, type LinkMark, type Marks } from './blocks'

/**
 * Inline Markdown (CommonMark's common subset): `code`, **bold**, *italic* / _italic_,
 * ~~strike~~, [links](href "title"), <autolinks> and backslash escapes. Emphasis is matched by
 * delimiter runs, so nested `**bold *and italic***` works; anything unmatched stays literal text.
 */
export function parseInline(src: string, marks: Marks = {}): Inline[] {
  const out: Inline[] = []
  let buf = ''
  const flush = () => {
    if (buf) out.push(withMarks(buf, marks))
    buf = ''
  }
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === '\\' && i + 1 < src.length && PUNCT.test(src[i + 1]!)) {
      buf += src[i + 1]
      i += 2
      continue
    }
    if (c === '`') {
      const code = codeSpanAt(src, i)
      if (code) {
        flush()
        // Tiptap's code mark excludes every other mark.
        out.push({ text: code.text, marks: { code: true } })
        i = code.end
        continue
      }
      const run = runLength(src, i, '`')
      buf += src.slice(i, i + run)
      i += run
      continue
    }
    if (c === '[') {
      const link = linkAt(src, i)
      if (link) {
        flush()
        out.push(...parseInline(link.label, { ...marks, link: link.link }))
        i = link.end
        continue
      }
    }
    if (c === '<') {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/.exec(src.slice(i))
      if (auto) {
        flush()
        out.push(withMarks(auto[1]!, { ...marks, link: { href: auto[1]! } }))
        i += auto[0].length
        continue
      }
    }
    if (c === '*' || c === '_' || c === '~') {
      const emph = emphasisAt(src, i, marks)
      if (emph) {
        flush()
        out.push(...emph.inlines)
        i = emph.end
        continue
      }
      const run = runLength(src, i, c)
      buf += src.slice(i, i + run)
      i += run
      continue
    }
    buf += c
    i++
  }
  flush()
  return normalizeInline(out)
}

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/
const SPACE = /\s/
const ALNUM = /[\p{L}\p{N}]/u

function withMarks(text: string, marks: Marks): Inline {
  return Object.keys(marks).length ? { text, marks: { ...marks } } : { text }
}

function runLength(src: string, i: number, ch: string): number {
  let n = 0
  while (src[i + n] === ch) n++
  return n
}

function codeSpanAt(src: string, i: number): { text: string; end: number } | null {
  const n = runLength(src, i, '`')
  let j = i + n
  while (j < src.length) {
    const k = src.indexOf('`', j)
    if (k < 0) return null
    const m = runLength(src, k, '`')
    if (m === n) {
      let text = src.slice(i + n, k).replace(/\n/g, ' ')
      if (text.length > 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim())
        text = text.slice(1, -1)
      return { text, end: k + m }
    }
    j = k + m
  }
  return null
}

/** Index just past the `]` that closes the `[` at i, skipping escapes and code spans. */
function closingBracket(src: string, i: number): number {
  let depth = 0
  for (let j = i; j < src.length; j++) {
    const c = src[j]
    if (c === '\\') j++
    else if (c === '`') {
      const code = codeSpanAt(src, j)
      if (code) j = code.end - 1
    } else if (c === '[') depth++
    else if (c === ']' && --depth === 0) return j
  }
  return -1
}

function linkAt(src: string, i: number): { label: string; link: LinkMark; end: number } | null {
  const close = closingBracket(src, i)
  if (close < 0 || src[close + 1] !== '(') return null
  const rest = src.slice(close + 2)
  const m =
    /^\s*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))(?:\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)/.exec(
      rest,
    )
  if (!m) return null
  const href = unescape(m[1] ?? m[2] ?? '')
  const title = m[3] ? unescape(m[3].slice(1, -1)) : null
  const link: LinkMark = title ? { href, title } : { href }
  return { label: src.slice(i + 1, close), link, end: close + 2 + m[0].length }
}

function unescape(s: string): string {
  return s.replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, '$1')
}

function canOpen(src: string, i: number, n: number, ch: string): boolean {
  const next = src[i + n]
  if (next === undefined || SPACE.test(next)) return false
  const prev = src[i - 1]
  // `_` inside a word (snake_case) is never emphasis.
  return !(ch === '_' && prev !== undefined && ALNUM.test(prev))
}

function canClose(src: string, j: number, m: number, ch: string): boolean {
  const prev = src[j - 1]
  if (prev === undefined || SPACE.test(prev)) return false
  const next = src[j + m]
  return !(ch === '_' && next !== undefined && ALNUM.test(next))
}

/** Finds the closing delimiter run for an opener of length n; returns where the closer's n chars start. */
function findCloser(src: string, from: number, n: number, ch: string): number {
  let j = from
  while (j < src.length) {
    const c = src[j]
    if (c === '\\') {
      j += 2
      continue
    }
    if (c === '`') {
      const code = codeSpanAt(src, j)
      if (code) {
        j = code.end
        continue
      }
    }
    if (c === '[') {
      const link = linkAt(src, j)
      if (link) {
        j = link.end
        continue
      }
    }
    if (c !== ch) {
      j++
      continue
    }
    const m = runLength(src, j, ch)
    // A run of two inside a single-delimiter span is a nested strong span, not our closer.
    const fits = n === 1 ? m === 1 || m >= 3 : m >= n
    if (fits && j > from && canClose(src, j, m, ch)) return j + m - n
    j += m
  }
  return -1
}

function emphasisAt(src: string, i: number, marks: Marks): { inlines: Inline[]; end: number } | null {
  const ch = src[i]!
  const run = runLength(src, i, ch)
  if (ch === '~') {
    if (run !== 2 || !canOpen(src, i, 2, ch)) return null
    const close = findCloser(src, i + 2, 2, ch)
    if (close < 0) return null
    return { inlines: parseInline(src.slice(i + 2, close), { ...marks, strike: true }), end: close + 2 }
  }
  const n = Math.min(run, 3)
  if (!canOpen(src, i + run - n, n, ch)) return null
  const close = findCloser(src, i + run, n, ch)
  if (close < 0) return null
  const inner = src.slice(i + run, close)
  const added: Marks = n === 1 ? { italic: true } : n === 2 ? { bold: true } : { bold: true, italic: true }
  const lead = run > n ? [withMarks(ch.repeat(run - n), marks)] : []
  return { inlines: [...lead, ...parseInline(inner, { ...marks, ...added })], end: close + n }
}
