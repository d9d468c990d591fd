import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { resolveAnchor } from '../../../shared/doc/anchors'
import type { Block } from '../../../shared/doc/blocks'
import { runChecks } from '../../../shared/doc/checks'
import { diffDocuments } from '../../../shared/doc/diff'
import { renderExportMarkdown } from '../../../shared/doc/exportDocument'
import { renderExportHtml } from '../../../shared/doc/exportHtml'
import { exportMarkdown } from '../../../shared/doc/exportMarkdown'
import type { ExportInput } from '../../../shared/doc/exportModel'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { DocumentLimitError, MAX_MARKDOWN_CHARS, MAX_NESTING } from '../../../shared/doc/limits'
import { parseInline, parseMarkdown } from '../../../shared/doc/markdown'
import { pastedMarkdown } from '../../../shared/doc/markdownPaste'
import { outlineFromBlocks, readOutline } from '../../../shared/doc/outline'
import { diffWords } from '../../../shared/doc/wordDiff'
import { blocksToYElements, FRAGMENT, readBlocks } from '../../../shared/doc/yjsBlocks'

/**
 * TARGETS.md H1: every text path stays linear on hostile input. Each input is built at N and 2N
 * characters and sent through every path (import, inline marks, paste, export.md, export.html,
 * the rounds document and diff, outline, checks, quote search); the time at 2N (fastest of a few
 * runs, measured in this process, interleaved) must stay within RATIO of the time at N. When it
 * does not, the next doubling decides (2N → 4N, then 4N → 8N): a step in the memory hierarchy
 * makes one doubling cost more than twice, once, while a quadratic path is ×4 at every doubling.
 * Linear extrapolation to the 1 MB limit stays under CEILING_MS.
 */

/**
 * Doubling the input may cost at most this much: 2, plus room for a loaded two-core machine and
 * for the garbage collector, whose share grows with the heap (a CPU profile of the nested-list
 * export is 55 % GC). Quoted lists 10 deep, whose code is linear, went 2.2, 3.5, 2.5 per doubling
 * from 10k to 80k characters with GC pauses taken out (the heap outgrowing the young generation),
 * and 3.16 once from 10k to 20k in CI: hence the next doubling.
 */
const RATIO = 3
/** Doublings tried, from N → 2N up to 4N → 8N. */
const DOUBLINGS = 3
/**
 * A time too short to tell: even if the path were quadratic, t × (1 MB / size)² stays under this
 * (TARGETS H1: 2 s at the limit). At 48k characters that is 4.6 ms; at 20k, 0.8 ms.
 */
const HARMLESS_MS = 2_000
/**
 * Time at the 1 MB limit, extrapolated linearly. H1 says 2 s on a quiet machine; this runs
 * beside other suites on two cores (load 10 when measured), and the import path parses twice.
 */
const CEILING_MS = 30_000
const REPS = 3
/** Character runs at RUN_N; structured inputs (one block per few characters) at BLOCK_N. */
const RUN_N = 24_000
const BLOCK_N = 10_000

interface Input {
  name: string
  n: number
  make: (n: number) => string
}

const run = (c: string): Input => ({ name: `${JSON.stringify(c)} × n`, n: RUN_N, make: (n) => c.repeat(n) })
const repeat = (name: string, unit: string, n = BLOCK_N): Input => ({
  name,
  n,
  make: (size) => unit.repeat(Math.ceil(size / unit.length)),
})

const INPUTS: Input[] = [
  ...[' ', '\t', '[', ']', '(', '*', '_', '`', '#', '>', '-', '|', '\\', '“'].map(run),
  { name: 'nested brackets [[[a]]]', n: RUN_N, make: (n) => '['.repeat(n / 2) + 'a' + ']'.repeat(n / 2) },
  { name: "'# a' + spaces + 'b'", n: RUN_N, make: (n) => '# a' + ' '.repeat(n) + 'b' },
  { name: "'**a' + spaces + 'b**'", n: RUN_N, make: (n) => '**a' + ' '.repeat(n) + 'b**' },
  { name: "'[a](' + spaces", n: RUN_N, make: (n) => '[a](' + ' '.repeat(n) + 'b' },
  repeat('links [a]( × n', '[a]('),
  repeat('emphasis runs _a **a `a', '_a **a `a ', RUN_N),
  repeat('headings # h', '# h\n'),
  { name: 'table rows', n: BLOCK_N, make: (n) => '| a | b |\n| - | - |\n' + '| x | y |\n'.repeat(n / 10) },
  repeat('task items', '- [ ] t\n'),
  repeat('quoted lists 10 deep', '> - '.repeat(10) + 'x\n\n'),
  repeat('prose with TBD and claims', 'The best TBD tool, 10x faster. '),
]

/** What each path works on, built before the clock starts. */
interface Stage {
  markdown: string
  imported: Y.Doc | null
  /** The input as text typed into the editor: one plain paragraph and one bold one. */
  typed: Y.Doc
  typedEdited: Y.Doc
  importedEdited: Y.Doc | null
}

function docOf(blocks: Block[]): Y.Doc {
  const doc = new Y.Doc()
  doc.getXmlFragment(FRAGMENT).insert(0, blocksToYElements(blocks))
  return doc
}

function typedDoc(text: string): Y.Doc {
  return docOf([
    { type: 'heading', level: 1, content: [{ text: 'PantryPlan launches' }] },
    { type: 'paragraph', content: [{ text }] },
    { type: 'paragraph', content: [{ text, marks: { bold: true } }] },
  ])
}

function stage(markdown: string): Stage {
  let imported: Y.Doc | null = new Y.Doc()
  let importedEdited: Y.Doc | null = new Y.Doc()
  try {
    importMarkdown(imported, markdown)
    importMarkdown(importedEdited, markdown + '\n\nA paragraph added in round two.\n')
  } catch (e) {
    if (!(e instanceof DocumentLimitError)) throw e
    imported = importedEdited = null
  }
  const half = markdown.length >> 1
  return {
    markdown,
    imported,
    typed: typedDoc(markdown),
    typedEdited: typedDoc(markdown.slice(0, half) + ' words inserted here ' + markdown.slice(half)),
    importedEdited,
  }
}

function exportInput(doc: Y.Doc): ExportInput {
  return {
    title: 'Hostile',
    doc,
    cards: [],
    participants: {},
    rounds: [],
    decision: { signoffs: [], records: [] } as unknown as ExportInput['decision'],
    checks: runChecks(readOutline(doc)),
  }
}

/** A card whose stored positions are gone: resolving it searches the whole text (exact, loose, fuzzy). */
const LOST = {
  start: 'AAAA',
  end: 'AAAA',
  quote: 'families throw away a third of their food every single week',
  prefix: 'In our interviews, ',
  suffix: ' and said so.',
}

const docs = (s: Stage) => [s.imported, s.typed].filter((d): d is Y.Doc => d !== null)

const PATHS: Record<string, (s: Stage) => unknown> = {
  import: (s) => {
    try {
      parseMarkdown(s.markdown)
      importMarkdown(new Y.Doc(), s.markdown)
    } catch (e) {
      if (!(e instanceof DocumentLimitError)) throw e
    }
  },
  'inline marks': (s) => parseInline(s.markdown),
  paste: (s) => pastedMarkdown(s.markdown),
  'export.md': (s) => docs(s).map((d) => renderExportMarkdown(exportInput(d))),
  'export.html': (s) => docs(s).map((d) => renderExportHtml(exportInput(d))),
  'round document': (s) =>
    docs(s).map((d) => {
      const blocks = readBlocks(d)
      return [exportMarkdown(blocks), runChecks(outlineFromBlocks(blocks))]
    }),
  diff: (s) => [
    diffDocuments(s.typed, s.typedEdited),
    s.imported && s.importedEdited ? diffDocuments(s.imported, s.importedEdited) : null,
    diffWords(s.markdown, s.markdown.slice(1) + ' tail'),
  ],
  outline: (s) => docs(s).map((d) => readOutline(d)),
  checks: (s) => docs(s).map((d) => runChecks(readOutline(d))),
  'quote search': (s) => docs(s).map((d) => resolveAnchor(d, LOST)),
}

function timeOnce(f: () => unknown): number {
  const t = performance.now()
  f()
  return performance.now() - t
}

interface Doubling {
  from: Stage
  to: Stage
  t1: number
  t2: number
}

/**
 * The fastest of the repetitions, N and 2N interleaved so a burst of load hits both: on a shared
 * machine noise only ever adds time (other processes, GC), so the minimum is the steadiest
 * estimate of a path's own cost; a median of three still carried one burst in five here.
 */
function measure(path: (s: Stage) => unknown, from: Stage, to: Stage): Doubling {
  path(from) // warm up the code path
  const a: number[] = []
  const b: number[] = []
  for (let k = 0; k < REPS; k++) {
    a.push(timeOnce(() => path(from)))
    b.push(timeOnce(() => path(to)))
  }
  return { from, to, t1: Math.min(...a), t2: Math.min(...b) }
}

const rows: Array<{ input: string; path: string; from: string; to: string; ms: string; ratio: string }> = []
afterAll(() => {
  console.log(`H1 timings (ms, fastest of ${REPS}; N = ${RUN_N} for runs, ${BLOCK_N} for blocks):`)
  console.table(rows)
})

const ratio = ({ t1, t2 }: Doubling) => t2 / t1
const harmless = ({ t2, to }: Doubling) => t2 * (MAX_MARKDOWN_CHARS / to.markdown.length) ** 2 <= HARMLESS_MS
const isOver = (d: Doubling) => ratio(d) > RATIO && !harmless(d)

/** A burst of load on a shared machine is not a trend: up to `tries` measurements, keeping the best. */
function bestOf(path: (s: Stage) => unknown, from: Stage, to: Stage, tries: number): Doubling {
  let best = measure(path, from, to)
  for (let k = 1; k < tries && isOver(best); k++) {
    const again = measure(path, from, to)
    if (ratio(again) < ratio(best)) best = again
  }
  return best
}

describe('[H1] every text path is linear on hostile input', () => {
  it.each(INPUTS)('[H1] $name', { timeout: 90_000 }, ({ name, n, make }) => {
    const stages = new Map<number, Stage>()
    const at = (k: number) => stages.get(k) ?? stages.set(k, stage(make(k * n))).get(k)!
    for (const [pathName, path] of Object.entries(PATHS)) {
      let m = bestOf(path, at(1), at(2), 5)
      for (let k = 2; k < 2 ** DOUBLINGS && isOver(m); k *= 2) {
        const next = bestOf(path, at(k), at(2 * k), 3)
        if (ratio(next) < ratio(m)) m = next
      }
      const { t1, t2 } = m
      const [from, to] = [m.from.markdown.length, m.to.markdown.length]
      rows.push({
        input: name,
        path: pathName,
        from: `${from}`,
        to: `${to}`,
        ms: `${t1.toFixed(1)} → ${t2.toFixed(1)}`,
        ratio: ratio(m).toFixed(2),
      })
      const where = `${name} through ${pathName}: ${t1.toFixed(1)} ms at ${from} characters, ${t2.toFixed(1)} ms at ${to}`
      if (!harmless(m)) expect(ratio(m), where).toBeLessThanOrEqual(RATIO)
      const atLimit = (t2 * MAX_MARKDOWN_CHARS) / to
      expect(atLimit, `${where}: ${atLimit.toFixed(0)} ms at 1 MB`).toBeLessThanOrEqual(CEILING_MS)
    }
  })
})

describe('[H1] nesting past the limit is refused INVALID, naming it, in time linear in the input', () => {
  const DEEP: Array<[string, string]> = [
    ["'- ' × 10000", '- '.repeat(10_000) + 'x'],
    ["'>' × 10000", '>'.repeat(10_000) + ' x'],
    ["'> ' × 10000", '> '.repeat(10_000) + 'x'],
    ["'1. ' × 10000", '1. '.repeat(10_000) + 'x'],
    ["'> - ' × 5000", '> - '.repeat(5_000) + 'x'],
    ['indented lists 150 deep', Array.from({ length: 150 }, (_, k) => '  '.repeat(k) + '- x').join('\n')],
    ['quotes then lists, 10000 deep', '>'.repeat(5_000) + ' ' + '- '.repeat(5_000) + 'x'],
  ]
  it.each(DEEP)('[H1] %s', (_name, markdown) => {
    for (const f of [() => parseMarkdown(markdown), () => importMarkdown(new Y.Doc(), markdown)]) {
      let error: unknown
      try {
        f()
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(DocumentLimitError)
      const e = error as DocumentLimitError
      expect(e.code).toBe('INVALID')
      expect(e.limit).toBe('nesting')
      expect(e.message).toContain(`${MAX_NESTING} levels`)
    }
    // Pasting it is plain text, never an exception.
    expect(pastedMarkdown(markdown)).toBeNull()
  })

  it('[H1] exactly the limit is accepted, one deeper is refused', () => {
    const nested = (depth: number) =>
      Array.from({ length: depth }, (_, k) => '  '.repeat(k) + '- x').join('\n')
    expect(parseMarkdown(nested(MAX_NESTING))).toHaveLength(1)
    expect(() => parseMarkdown(nested(MAX_NESTING + 1))).toThrow(DocumentLimitError)
  })

  it('[H1] Markdown over the size limit is refused INVALID, naming it', () => {
    const big = 'a'.repeat(MAX_MARKDOWN_CHARS + 1)
    expect(() => parseMarkdown(big)).toThrow(/1,000,000 characters/)
    expect(() => parseInline(big)).toThrow(DocumentLimitError)
    expect(pastedMarkdown(big)).toBeNull()
  })
})
