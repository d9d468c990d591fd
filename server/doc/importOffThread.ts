import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import { importMarkdown } from '../../shared/doc/importMarkdown'
import { DocumentLimitError } from '../../shared/doc/limits'

/**
 * A new review's first document state from its Markdown, off the event loop when the Markdown is
 * long (TARGETS.md H1). The import is linear, but at the 1 MB limit it still takes seconds on a
 * small machine; run here it would stall every room's acknowledgements for as long. Short
 * Markdown (the template, a typical PR/FAQ) is imported in place: a worker costs more than it.
 */
export const OFF_THREAD_CHARS = 50_000

type Reply = { id: number; update?: Uint8Array; error?: { limit?: 'nesting' | 'size'; message?: string } }

let worker: Worker | null = null
let nextId = 0
const waiting = new Map<number, { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }>()

function failAll(e: Error): void {
  for (const w of waiting.values()) w.reject(e)
  waiting.clear()
  worker = null
}

/** The worker registers tsx, as the server's own process does, then loads its TypeScript side. */
function workerSource(): URL {
  // tsx's ESM API as its exports map names it (its CommonJS build cannot register from a worker).
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('tsx/package.json')
  const entry = (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports[
    './esm/api'
  ]!.import.default
  const tsx = new URL(entry, pathToFileURL(pkg)).href
  const main = new URL('./importWorkerMain.ts', import.meta.url).href
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
    if (m.update) entry.resolve(m.update)
    else if (m.error?.limit) entry.reject(new DocumentLimitError(m.error.limit))
    else entry.reject(new Error(m.error?.message ?? 'import failed'))
  })
  w.on('error', (e) => failAll(e))
  w.on('exit', () => failAll(new Error('the import worker stopped')))
  return w
}

/** The Yjs update of a document holding `markdown`; rejects with DocumentLimitError past the limits. */
export function importedState(markdown: string): Promise<Uint8Array> {
  if (markdown.length < OFF_THREAD_CHARS) {
    const doc = new Y.Doc()
    try {
      importMarkdown(doc, markdown)
      return Promise.resolve(Y.encodeStateAsUpdate(doc))
    } catch (e) {
      return Promise.reject(e as Error)
    } finally {
      doc.destroy()
    }
  }
  worker ??= start()
  const id = nextId++
  const w = worker
  w.ref()
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject })
    w.postMessage({ id, markdown })
  })
}
