import * as Y from 'yjs'
import type { Room } from './room'

/** A review's whole document, encoded; an edit that would pass it is refused TOO_LARGE (M2). */
export const DEFAULT_DOC_BYTES = 8 * 1024 * 1024

/** Per room: an upper bound of the encoded document's size, corrected when it nears the cap. */
const estimates = new WeakMap<Room, number>()

const exactSize = (room: Room): number => Y.encodeStateAsUpdate(room.doc).byteLength

/**
 * Whether the document may grow by `update`. Encoding the document on every keystroke would
 * cost too much on large documents, so the check adds update sizes to an estimate (an update
 * never grows the document by more than its own size, give or take a few bytes of header) and
 * measures exactly only when the estimate reaches the cap.
 */
export function fitsDocLimit(room: Room, update: Uint8Array): boolean {
  const cap = room.deps.config.limits.docBytes ?? DEFAULT_DOC_BYTES
  let estimate = estimates.get(room) ?? exactSize(room)
  if (estimate + update.byteLength > cap) {
    estimate = exactSize(room)
    if (estimate + update.byteLength > cap) {
      estimates.set(room, estimate)
      return false
    }
  }
  estimates.set(room, estimate + update.byteLength)
  return true
}
