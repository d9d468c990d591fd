import * as Y from 'yjs'

/**
 * Folds a snapshot and the updates after it into one update. The parts are applied to ONE
 * Y.Doc in ONE transaction: `Y.mergeUpdates` over a long log is quadratic-ish (193 s for 100k
 * updates here, against 0.5 s this way, TARGETS.md).
 */
export function foldUpdates(parts: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const part of parts) Y.applyUpdate(doc, part)
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
