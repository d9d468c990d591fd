import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { pick } from './seed'

/** Malformed y-protocols sync messages for the M1 and Y4 fuzzing, from seeded randomness. */
export function wrap(type: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, type)
  encoding.writeVarUint8Array(enc, payload)
  return encoding.toUint8Array(enc)
}

/** Valid updates to mutate: text, formatting, XML, maps, deletes, from several client ids. */
export function seeds(rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < 8; i++) {
    const doc = new Y.Doc()
    doc.clientID = 1000 + Math.floor(rand() * 1e6)
    const t = doc.getText('t')
    t.insert(0, 'hello fuzz '.repeat(1 + i))
    t.format(0, 3, { bold: true })
    if (i % 2) t.delete(2, 4)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('para')])
    doc.getXmlFragment('prfaq').insert(0, [p])
    doc.getMap('m').set('k', i)
    out.push(Y.encodeStateAsUpdate(doc))
    doc.destroy()
  }
  return out
}

const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
]

/** One malformed message, of a kind picked by `rand`. */
export function malformed(rand: () => number, valid: Uint8Array[]): { kind: string; bytes: Uint8Array } {
  const base = pick(rand, valid)
  const kind = pick(rand, ['random', 'truncated', 'bitflip', 'hugeLength', 'badType', 'emptyish'])
  const bytesOf = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256))
  switch (kind) {
    case 'random':
      return {
        kind,
        bytes: rand() < 0.5 ? bytesOf(Math.floor(rand() * 300)) : wrap(2, bytesOf(Math.floor(rand() * 300))),
      }
    case 'truncated':
      return { kind, bytes: wrap(rand() < 0.5 ? 1 : 2, base.slice(0, Math.floor(rand() * base.length))) }
    case 'bitflip': {
      const b = base.slice()
      const flips = 1 + Math.floor(rand() * 4)
      for (let i = 0; i < flips; i++) b[Math.floor(rand() * b.length)]! ^= 1 << Math.floor(rand() * 8)
      return { kind, bytes: wrap(rand() < 0.5 ? 1 : 2, b) }
    }
    case 'hugeLength': {
      // A varint length far past the end, as the message's own length or inside the update.
      const v = pick(rand, HUGE_VARINTS)
      if (rand() < 0.5) return { kind, bytes: Uint8Array.from([2, ...v, ...base.slice(0, 16)]) }
      const at = Math.floor(rand() * base.length)
      return { kind, bytes: wrap(2, Uint8Array.from([...base.slice(0, at), ...v, ...base.slice(at)])) }
    }
    case 'badType':
      return { kind, bytes: wrap(3 + Math.floor(rand() * 300), base) }
    default:
      return {
        kind,
        bytes: pick(rand, [
          new Uint8Array(0),
          Uint8Array.from([2]),
          Uint8Array.from([1, 0]),
          Uint8Array.from([0, 5, 1]),
        ]),
      }
  }
}
