/**
 * The document worker's side (see docWorker.ts): Markdown in → the document's Yjs update out, or
 * a document's Yjs update and one reader's export input in → the rendered export out.
 */
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'
import { runChecks } from '../../shared/doc/checks'
import { renderExportMarkdown } from '../../shared/doc/exportDocument'
import { renderExportHtml } from '../../shared/doc/exportHtml'
import { importMarkdown } from '../../shared/doc/importMarkdown'
import { DocumentLimitError } from '../../shared/doc/limits'
import { readOutline } from '../../shared/doc/outline'
import type { WorkerTask } from './docWorker'

function run(task: WorkerTask): { update: Uint8Array } | { text: string } {
  const doc = new Y.Doc()
  try {
    if (task.task === 'import') {
      importMarkdown(doc, task.markdown)
      return { update: Y.encodeStateAsUpdate(doc) }
    }
    Y.applyUpdate(doc, task.update)
    const input = { ...task.input, doc, checks: runChecks(readOutline(doc)) }
    return { text: task.kind === 'md' ? renderExportMarkdown(input) : renderExportHtml(input) }
  } finally {
    doc.destroy()
  }
}

parentPort!.on('message', (task: WorkerTask & { id: number }) => {
  try {
    parentPort!.postMessage({ id: task.id, ...run(task) })
  } catch (e) {
    parentPort!.postMessage({
      id: task.id,
      error: e instanceof DocumentLimitError ? { limit: e.limit } : { message: String(e) },
    })
  }
})
