import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Folds a snapshot and the updates after it into one update on a worker thread, so a long log
 * (100k rows after a crash) never holds the event loop. Same fold as compaction.ts: ONE Y.Doc,
 * ONE transaction. The worker source is a string for the same reason as the SQLite writer's
 * (the server also runs bundled into one file); yjs arrives as a resolved path.
 */
const SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const Y = require(workerData.yjsPath)
parentPort.on('message', (msg) => {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const part of msg.parts) Y.applyUpdate(doc, part)
    })
    parentPort.postMessage({ id: msg.id, folded: Y.encodeStateAsUpdate(doc) })
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.message) || e) })
  } finally {
    doc.destroy()
  }
})
`

export interface Folder {
  fold(parts: readonly Uint8Array[]): Promise<Uint8Array>
  close(): Promise<void>
}

export function createFolder(): Folder {
  const yjsPath = createRequire(import.meta.url).resolve('yjs')
  let worker: Worker | null = null
  let nextId = 1
  const waiting = new Map<number, { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }>()

  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
  }
  const start = (): Worker => {
    const w = new Worker(SOURCE, { eval: true, workerData: { yjsPath } })
    w.on('message', (m: { id: number; folded?: Uint8Array; error?: string }) => {
      const p = waiting.get(m.id)
      waiting.delete(m.id)
      if (m.error !== undefined || !m.folded) p?.reject(new Error(`folding failed: ${m.error}`))
      else p?.resolve(m.folded)
      if (waiting.size === 0) w.unref()
    })
    const lost = (e: Error) => {
      if (worker !== w) return
      worker = null
      failAll(e)
    }
    w.on('error', lost)
    w.on('exit', (code) => lost(new Error(`the fold worker stopped (exit ${code})`)))
    return w
  }

  return {
    fold: (parts) => {
      worker ??= start()
      const w = worker
      const id = nextId++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        w.ref()
        w.postMessage({ id, parts })
      })
    },
    close: async () => {
      const w = worker
      worker = null
      failAll(new Error('the store is closed'))
      if (w) await w.terminate()
    },
  }
}
