import * as Y from 'yjs'
import { rng, word } from './editlog'
import { FRAGMENT } from './clients'

/**
 * Deterministic documents in the editor's shape (`prfaq` fragment of headings and paragraphs, each
 * holding a Y.XmlText), grown by an editing history rather than one bulk insert: several sessions
 * (client ids) type chunks at random places and delete a little, as people do. Returned as the
 * list of updates that built it, each small enough to travel as one message; the same seed and
 * size give the same bytes.
 */

export interface Fixture {
  updates: Uint8Array[]
  bytes: number
  text: string
}

const cache = new Map<string, Fixture>()

export function fixture(seed: number, targetBytes: number): Fixture {
  const key = `${seed}:${targetBytes}`
  const hit = cache.get(key)
  if (hit) return hit
  const r = rng(seed)
  const doc = new Y.Doc({ gc: true })
  const frag = doc.getXmlFragment(FRAGMENT)
  const updates: Uint8Array[] = []
  let raw = 0
  let nextCheck = targetBytes / 2
  doc.on('update', (u: Uint8Array) => {
    updates.push(u)
    raw += u.byteLength
  })
  const blocks: Y.XmlText[] = []
  const sentence = (n: number) => Array.from({ length: n }, () => word(r)).join(' ') + '. '
  let session = 0
  let bytes: number
  for (let batch = 0; ; batch++) {
    if (batch % 25 === 0) doc.clientID = 1000 + seed * 100 + (session++ % 7)
    doc.transact(() => {
      for (let op = 0; op < 40; op++) {
        const x = r()
        if (blocks.length < 3 || x < 0.08) {
          const heading = r() < 0.2
          const el = new Y.XmlElement(heading ? 'heading' : 'paragraph')
          if (heading) el.setAttribute('level', String(2 + Math.floor(r() * 2)))
          const text = new Y.XmlText()
          el.insert(0, [text])
          frag.insert(frag.length, [el])
          text.insert(0, sentence(3 + Math.floor(r() * 8)))
          blocks.push(text)
        } else if (x < 0.93) {
          const t = blocks[Math.floor(r() * blocks.length)] as Y.XmlText
          t.insert(Math.floor(r() * (t.length + 1)), sentence(1 + Math.floor(r() * 6)))
        } else {
          const t = blocks[Math.floor(r() * blocks.length)] as Y.XmlText
          if (t.length > 20) t.delete(Math.floor(r() * (t.length - 10)), 1 + Math.floor(r() * 8))
        }
      }
    })
    // Encoding is costly on large documents: encode only when the raw bytes should have reached the target.
    if (raw >= nextCheck) {
      bytes = Y.encodeStateAsUpdate(doc).byteLength
      if (bytes >= targetBytes) break
      nextCheck = raw + (targetBytes - bytes) * (raw / bytes) * 0.95 + 1
    }
  }
  const out: Fixture = { updates: batchUpdates(updates, 60_000), bytes, text: frag.toString() }
  doc.destroy()
  cache.set(key, out)
  return out
}

/** Merges consecutive small updates into messages of at most ~`max` bytes. */
function batchUpdates(updates: Uint8Array[], max: number): Uint8Array[] {
  const out: Uint8Array[] = []
  let group: Uint8Array[] = []
  let size = 0
  for (const u of updates) {
    if (size + u.byteLength > max && group.length > 0) {
      out.push(Y.mergeUpdates(group))
      group = []
      size = 0
    }
    group.push(u)
    size += u.byteLength
  }
  if (group.length > 0) out.push(Y.mergeUpdates(group))
  return out
}
