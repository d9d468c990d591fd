import * as Y from 'yjs'
import { blockText, inlineText, type Block } from './blocks'
import { outlineFromBlocks, type Outline, type Section } from './outline'
import { normalize } from './text'
import { countChanges, diffWords, matchPairs, similarity, type WordChange } from './wordDiff'
import { readBlocks } from './yjsBlocks'

export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged'

/** One paragraph, heading or list item compared across two versions. */
export interface UnitDiff {
  status: ChangeStatus
  kind: UnitKind
  before?: string
  after?: string
  /** Word-level changes (for `changed`; all-insert or all-delete otherwise). */
  words: WordChange[]
}

export interface SectionDiff {
  status: ChangeStatus
  /** Section id and heading in the newer version (the older one when removed). */
  id: string
  heading: string
  level: number
  beforeHeading?: string
  /** Present when the heading itself was reworded. */
  headingWords?: WordChange[]
  units: UnitDiff[]
  inserted: number
  deleted: number
}

export interface DocumentDiff {
  sections: SectionDiff[]
  inserted: number
  deleted: number
  /** Sections added, removed or changed. */
  changedSections: number
}

type UnitKind = 'paragraph' | 'listItem' | 'quote' | 'code' | 'rule'
interface Unit {
  kind: UnitKind
  text: string
}

/** A document state as the rounds store it: a Y.Doc, its update bytes, blocks or an outline. */
export type DocState = Y.Doc | Uint8Array | Block[] | Outline

function toOutline(state: DocState): Outline {
  if (state instanceof Uint8Array) {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    return outlineFromBlocks(readBlocks(doc))
  }
  if (state instanceof Y.Doc) return outlineFromBlocks(readBlocks(state))
  if (Array.isArray(state)) return outlineFromBlocks(state)
  return state
}

/** Compares two versions section by section, then block by block, then word by word. */
export function diffDocuments(before: DocState, after: DocState): DocumentDiff {
  return diffOutlines(toOutline(before), toOutline(after))
}

export function diffOutlines(before: Outline, after: Outline): DocumentDiff {
  const a = before.sections
  const b = after.sections
  const sections: SectionDiff[] = []
  // Keys computed once: the LCS compares every pair.
  const key = (s: Section) => `${s.level}:${normalize(s.heading)}`
  const pairs = matchPairs(a.map(key), b.map(key))
  let i = 0
  let j = 0
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    sections.push(...diffGap(a.slice(i, pi), b.slice(j, pj)))
    if (pi < a.length && pj < b.length) sections.push(diffSection(a[pi]!, b[pj]!))
    i = pi + 1
    j = pj + 1
  }
  const inserted = sections.reduce((n, s) => n + s.inserted, 0)
  const deleted = sections.reduce((n, s) => n + s.deleted, 0)
  return {
    sections,
    inserted,
    deleted,
    changedSections: sections.filter((s) => s.status !== 'unchanged').length,
  }
}

/**
 * Unmatched sections between two matched ones. A section whose heading was reworded pairs with
 * its old self when the body still reads alike (or both are the same press-release part).
 */
function diffGap(removed: Section[], added: Section[]): SectionDiff[] {
  const out: SectionDiff[] = []
  let pending: SectionDiff[] = []
  let r = 0
  for (const s of added) {
    const k = findNear(removed, r, (x) => sameSection(x, s))
    if (k < 0) {
      pending.push(wholeSection(s, 'added'))
      continue
    }
    // Removed sections read before added ones, as in any diff.
    for (const gone of removed.slice(r, k)) out.push(wholeSection(gone, 'removed'))
    out.push(...pending, diffSection(removed[k]!, s))
    pending = []
    r = k + 1
  }
  for (const gone of removed.slice(r)) out.push(wholeSection(gone, 'removed'))
  return [...out, ...pending]
}

function sameSection(a: Section, b: Section): boolean {
  if (a.level !== b.level) return false
  if (a.kind && a.kind === b.kind) return true
  if (!a.text && !b.text) return similarity(a.heading, b.heading) >= 0.5
  return similarity(a.text, b.text) >= 0.4
}

function wholeSection(s: Section, status: 'added' | 'removed'): SectionDiff {
  const op = status === 'added' ? 'insert' : 'delete'
  const units = unitsOf(s.blocks).map<UnitDiff>((u) => ({
    status,
    kind: u.kind,
    [status === 'added' ? 'after' : 'before']: u.text,
    words: u.text ? [{ op, text: u.text }] : [],
  }))
  const words = countChanges([{ op, text: `${s.heading} ${s.text}` }])
  return { status, id: s.id, heading: s.heading, level: s.level, units, ...words }
}

function diffSection(a: Section, b: Section): SectionDiff {
  const units = diffUnits(unitsOf(a.blocks), unitsOf(b.blocks))
  let inserted = 0
  let deleted = 0
  for (const u of units) {
    const c = countChanges(u.words)
    inserted += c.inserted
    deleted += c.deleted
  }
  const renamed = a.heading !== b.heading
  const headingWords = renamed ? diffWords(a.heading, b.heading) : undefined
  if (headingWords) {
    const c = countChanges(headingWords)
    inserted += c.inserted
    deleted += c.deleted
  }
  const changed = renamed || units.some((u) => u.status !== 'unchanged')
  return {
    status: changed ? 'changed' : 'unchanged',
    id: b.id,
    heading: b.heading,
    level: b.level,
    ...(renamed ? { beforeHeading: a.heading, headingWords } : {}),
    units,
    inserted,
    deleted,
  }
}

function diffUnits(a: Unit[], b: Unit[]): UnitDiff[] {
  const out: UnitDiff[] = []
  const unitKey = (u: Unit) => `${u.kind}\u0000${u.text}`
  const pairs = matchPairs(a.map(unitKey), b.map(unitKey))
  let i = 0
  let j = 0
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    out.push(...unitGap(a.slice(i, pi), b.slice(j, pj)))
    if (pi < a.length && pj < b.length) {
      const u = b[pj]!
      out.push({
        status: 'unchanged',
        kind: u.kind,
        before: a[pi]!.text,
        after: u.text,
        words: [{ op: 'equal', text: u.text }],
      })
    }
    i = pi + 1
    j = pj + 1
  }
  return out
}

/** Pairs a rewritten paragraph with its old version when they still share words. */
function unitGap(removed: Unit[], added: Unit[]): UnitDiff[] {
  const out: UnitDiff[] = []
  let r = 0
  for (const u of added) {
    const k = findNear(removed, r, (x) => x.kind === u.kind && similarity(x.text, u.text) >= 0.3)
    if (k >= 0) {
      for (const gone of removed.slice(r, k)) out.push(removedUnit(gone))
      out.push({
        status: 'changed',
        kind: u.kind,
        before: removed[k]!.text,
        after: u.text,
        words: diffWords(removed[k]!.text, u.text),
      })
      r = k + 1
    } else
      out.push({
        status: 'added',
        kind: u.kind,
        after: u.text,
        words: u.text ? [{ op: 'insert', text: u.text }] : [],
      })
  }
  for (const gone of removed.slice(r)) out.push(removedUnit(gone))
  return out
}

function removedUnit(u: Unit): UnitDiff {
  return {
    status: 'removed',
    kind: u.kind,
    before: u.text,
    words: u.text ? [{ op: 'delete', text: u.text }] : [],
  }
}

/**
 * How far past the last pairing a rewritten section or paragraph is looked for. Bounded so two
 * versions that share nothing cost a number of comparisons linear in their length (H1).
 */
const PAIRING_WINDOW = 8

function findNear<T>(list: T[], from: number, match: (x: T) => boolean): number {
  for (let k = from; k < Math.min(list.length, from + PAIRING_WINDOW); k++) if (match(list[k]!)) return k
  return -1
}

/** Paragraph-sized pieces: list items and quoted paragraphs one by one, so a diff points at them. */
function unitsOf(blocks: Block[]): Unit[] {
  const out: Unit[] = []
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
      case 'paragraph': {
        const text = inlineText(b.content).trim()
        if (text) out.push({ kind: 'paragraph', text })
        break
      }
      case 'codeBlock':
        out.push({ kind: 'code', text: b.text })
        break
      case 'bulletList':
      case 'orderedList':
        for (const item of b.items) {
          const [first, ...rest] = item
          if (first) out.push({ kind: 'listItem', text: blockText(first).trim() })
          out.push(...unitsOf(rest))
        }
        break
      case 'blockquote':
        out.push(...unitsOf(b.children).map((u) => ({ ...u, kind: 'quote' as const })))
        break
      case 'horizontalRule':
        out.push({ kind: 'rule', text: '' })
        break
      case 'taskList':
        for (const item of b.items) {
          const [first, ...rest] = item.content
          if (first)
            out.push({ kind: 'listItem', text: `[${item.checked ? 'x' : ' '}] ${blockText(first).trim()}` })
          out.push(...unitsOf(rest))
        }
        break
      case 'table':
        for (const row of b.rows) {
          const text = row.map((c) => c.content.map(blockText).join(' ').trim()).join(' | ')
          if (text.replace(/[\s|]/g, '')) out.push({ kind: 'paragraph', text })
        }
        break
    }
  }
  return out
}
