/** Small text helpers shared by the outline, checks, diffs and anchors. */

/** A word as a reader counts it: a run of letters or digits (with inner apostrophes, dots, dashes). */
export const WORD = /[\p{L}\p{N}]+(?:['’.,\-/][\p{L}\p{N}]+)*/u
const WORDS = new RegExp(WORD.source, 'gu')

export function countWords(text: string): number {
  return text.match(WORDS)?.length ?? 0
}

/** Lower case, straight quotes, single spaces: for comparing text that may have been retyped. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Splits prose into sentences, keeping each sentence's own text. */
export function sentences(text: string): string[] {
  // A sentence ends at . ! or ? followed by a space and a capital, digit or quote ("$4.99" stays whole).
  return text
    .split(/(?<=[.!?]["”’)]?)\s+(?=[\p{Lu}\p{N}"“‘(])|\n+/u)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** A stable id for a heading: lower-case words joined by dashes. */
export function slug(text: string): string {
  return (
    normalize(text)
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  )
}
