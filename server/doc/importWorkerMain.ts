/** The import worker's side (see importOffThread.ts): Markdown in, the document's Yjs update out. */
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'
import { importMarkdown } from '../../shared/doc/importMarkdown'
import { DocumentLimitError } from '../../shared/doc/limits'

parentPort!.on('message', ({ id, markdown }: { id: number; markdown: string }) => {
  const doc = new Y.Doc()
  try {
    importMarkdown(doc, markdown)
    parentPort!.postMessage({ id, update: Y.encodeStateAsUpdate(doc) })
  } catch (e) {
    parentPort!.postMessage({
      id,
      error: e instanceof DocumentLimitError ? { limit: e.limit } : { message: String(e) },
    })
  } finally {
    doc.destroy()
  }
})
