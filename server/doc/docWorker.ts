import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import { runChecks } from '../../shared/doc/checks'
import { renderExportMarkdown } from '../../shared/doc/exportDocument'
import { renderExportHtml } from '../../shared/doc/exportHtml'
import type { ExportInput } from '../../shared/doc/exportModel'
import { importMarkdown } from '../../shared/doc/importMarkdown'
import { DocumentLimitError } from '../../shared/doc/limits'
import { readOutline } from '../../shared/doc/outline'

/**
 * The document's heavy text paths off the event loop when the text is long (TARGETS.md H1): a new
 * review's import from Markdown, and the exports. Both are linear, but at the 1 MB limit they
 * still take seconds on a small machine; run here they would stall every room's
 * acknowledgements for as long. Short texts (the template, a typical PR/FAQ) are handled in
 * place: a round trip to the worker costs more than they do.
 */
export const OFF_THREAD_CHARS = 50_000
/** A document whose Yjs state is at least this long is exported in the worker. */
export const OFF_THREAD_BYTES = 64 * 1024

/** What the export needs besides the document: plain data, copied to the worker as it is. */
export type ExportData = Omit<ExportInput, 'doc' | 'checks' | 'documentMarkdown'>

export type WorkerTask =
  | { task: 'import'; markdown: string }
  | { task: 'export'; kind: 'md' | 'html'; update: Uint8Array; input: ExportData }

type Reply = {
  id: number
  update?: Uint8Array
  text?: string
  error?: { limit?: 'nesting' | 'size'; message?: string }
}

let worker: Worker | null = null
let nextId = 0
const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()

function failAll(e: Error): void {
  for (const w of waiting.values()) w.reject(e)
  waiting.clear()
  worker = null
}

/**
 * From the TypeScript source, the worker registers tsx, as the server's own process does, then
 * loads its TypeScript side. From a bundle (esbuild: the bench's and the fault tests' server),
 * there is no `.ts` beside this code: the worker is the `docWorkerMain.mjs` built next to it
 * (scripts/bundleServer.ts builds both).
 */
function workerSource(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./docWorkerMain.mjs', import.meta.url)
  // tsx's ESM API as its exports map names it (its CommonJS build cannot register from a worker).
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('tsx/package.json')
  const entry = (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports[
    './esm/api'
  ]!.import.default
  const tsx = new URL(entry, pathToFileURL(pkg)).href
  const main = new URL('./docWorkerMain.ts', import.meta.url).href
  const src = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(main)});`
  return new URL('data:text/javascript,' + encodeURIComponent(src))
}

function start(): Worker {
  const w = new Worker(workerSource())
  w.on('message', (m: Reply) => {
    const entry = waiting.get(m.id)
    if (!entry) return
    waiting.delete(m.id)
    // An idle worker never holds a process open.
    if (!waiting.size) w.unref()
    if (m.error?.limit) entry.reject(new DocumentLimitError(m.error.limit))
    else if (m.error) entry.reject(new Error(m.error.message ?? 'the document worker failed'))
    else entry.resolve(m)
  })
  w.on('error', (e) => failAll(e))
  w.on('exit', () => failAll(new Error('the document worker stopped')))
  return w
}

function inWorker(task: WorkerTask): Promise<Reply> {
  worker ??= start()
  const id = nextId++
  const w = worker
  w.ref()
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject })
    w.postMessage({ id, ...task })
  })
}

/** The Yjs update of a document holding `markdown`; rejects with DocumentLimitError past the limits. */
export async function importedState(markdown: string): Promise<Uint8Array> {
  if (markdown.length >= OFF_THREAD_CHARS) return (await inWorker({ task: 'import', markdown })).update!
  const doc = new Y.Doc()
  try {
    importMarkdown(doc, markdown)
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

/**
 * One reader's export of the live document (anchors resolved against it, checks read from it):
 * rendered in place for a short document, else in the worker from its whole state as one update
 * (`update`: the room's cached full state, so a long document is not encoded again per export).
 */
export async function renderedExport(
  kind: 'md' | 'html',
  source: { doc: Y.Doc; update: () => Uint8Array },
  input: ExportData,
): Promise<string> {
  const update = source.update()
  if (update.byteLength >= OFF_THREAD_BYTES)
    return (await inWorker({ task: 'export', kind, update, input })).text!
  const doc = source.doc
  const full = { ...input, doc, checks: runChecks(readOutline(doc)) }
  return kind === 'md' ? renderExportMarkdown(full) : renderExportHtml(full)
}
