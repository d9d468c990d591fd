import { describe, expect, it } from 'vitest'
import { Decoder, Encoder, type Packet } from '../../../server/socket/cachingParser'

const decode = (frame: Uint8Array): Packet => {
  let out: Packet | undefined
  const d = new Decoder()
  d.on('decoded', (p: Packet) => (out = p))
  d.add(frame)
  return out!
}

describe('server wire encoder', () => {
  it('[P2] encodes one large binary event once for every socket, and each copy decodes to the same bytes', () => {
    const enc = new Encoder()
    const state = new Uint8Array(200_000).map((_, i) => i % 251)
    const a = enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', state] })
    const b = enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', state] })
    expect(b).toBe(a)
    expect(decode(a[0]!).data).toEqual(['yjs:sync', state])
  })

  it('never reuses a frame for another event, another payload, a small payload or an acked packet', () => {
    const enc = new Encoder()
    const state = new Uint8Array(100_000).fill(7)
    const first = enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', state] })
    expect(enc.encode({ type: 2, nsp: '/', data: ['other', state] })).not.toBe(first)
    expect(enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', state.slice()] })).not.toBe(first)
    const acked = enc.encode({ type: 2, nsp: '/', id: 5, data: ['yjs:sync', state] })
    expect(decode(acked[0]!).id).toBe(5)
    const small = new Uint8Array([1, 2, 3])
    expect(enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', small] })).not.toBe(
      enc.encode({ type: 2, nsp: '/', data: ['yjs:sync', small] }),
    )
  })
})
