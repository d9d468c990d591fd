import { describe, expect, it } from 'vitest'
import * as official from 'socket.io-msgpack-parser'
import { Decoder, Encoder, type Packet } from '../../../shared/protocol/msgpackParser'

function roundTrip(
  packet: Packet,
  decoder = new Decoder(),
  encoder: { encode: (p: Packet) => unknown[] } = new Encoder(),
): Packet {
  const frames = encoder.encode(packet)
  expect(frames).toHaveLength(1)
  let out: Packet | undefined
  decoder.on('decoded', (p: Packet) => (out = p))
  decoder.add(frames[0])
  return out!
}

describe('msgpack parser', () => {
  it('encodes a subarray view as exactly its bytes, never its backing buffer', () => {
    const pool = new Uint8Array(8192).fill(0xee)
    pool.set([1, 2, 3], 100)
    const view = pool.subarray(100, 103)
    const [frame] = new Encoder().encode({ type: 2, nsp: '/', data: ['yjs:sync', view] })
    expect(frame!.byteLength).toBeLessThan(40)
    expect(frame!.buffer.byteLength).toBe(frame!.byteLength)
    const out = roundTrip({ type: 2, nsp: '/', data: ['yjs:sync', view] })
    expect(out.data).toEqual(['yjs:sync', new Uint8Array([1, 2, 3])])
  })

  it('encodes Node Buffers, DataViews and ArrayBuffers as bin and decodes them as Uint8Array', () => {
    const buf = Buffer.from([9, 8, 7])
    const ab = new Uint8Array([4, 5]).buffer
    const dv = new DataView(new Uint8Array([0, 6, 6, 0]).buffer, 1, 2)
    const out = roundTrip({ type: 2, nsp: '/', data: ['x', buf, ab, dv, { nested: [ab] }], id: 7 })
    const [, a, b, c, d] = out.data as [string, Uint8Array, Uint8Array, Uint8Array, { nested: Uint8Array[] }]
    for (const bin of [a, b, c, d.nested[0]!]) {
      expect(bin).toBeInstanceOf(Uint8Array)
      expect(Buffer.isBuffer(bin)).toBe(false)
    }
    expect([...a]).toEqual([9, 8, 7])
    expect([...b]).toEqual([4, 5])
    expect([...c]).toEqual([6, 6])
    expect(out.id).toBe(7)
  })

  it('copies decoded binary out of the frame', () => {
    const [frame] = new Encoder().encode({ type: 2, nsp: '/', data: ['x', new Uint8Array(300).fill(1)] })
    const out = roundTrip({ type: 2, nsp: '/', data: [] }, undefined, { encode: () => [frame] })
    const bin = (out.data as unknown[])[1] as Uint8Array
    expect(bin.buffer).not.toBe(frame!.buffer)
    expect(bin.buffer.byteLength).toBe(300)
  })

  it('carries a 300 KB state intact', () => {
    const state = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff)
    const out = roundTrip({ type: 2, nsp: '/', data: ['yjs:sync', state] })
    const got = (out.data as Uint8Array[])[1]!
    expect(got.byteLength).toBe(state.byteLength)
    expect(Buffer.compare(got, state)).toBe(0)
  })

  it('leaves out undefined fields so an ack-less packet has no id', () => {
    const out = roundTrip({ type: 2, nsp: '/', data: ['e', { a: undefined, b: 1 }], id: undefined })
    expect('id' in out).toBe(false)
    expect(out.data).toEqual(['e', { b: 1 }])
  })

  it.each([
    ['a text frame', 'hello'],
    ['garbage bytes', new Uint8Array([0xc1, 0xff, 0x00])],
    ['a packet with a bad type', new Encoder().encode({ type: 9, nsp: '/', data: [] })[0]],
    ['an event without array data', new Encoder().encode({ type: 2, nsp: '/', data: 'x' })[0]],
    ['a packet without namespace', new Encoder().encode({ type: 2, data: [] } as unknown as Packet)[0]],
  ])('refuses %s', (_name, frame) => {
    expect(() => new Decoder().add(frame)).toThrow()
  })

  it('reads frames written by socket.io-msgpack-parser, Buffers and undefined included', () => {
    const frames = new official.Encoder().encode({
      type: 2,
      nsp: '/',
      data: ['yjs:sync', Buffer.from([0, 1, 2]), undefined, { options: { compress: true } }],
      id: 3,
    } as never)
    const out = roundTrip({ type: 2, nsp: '/', data: [] }, undefined, {
      encode: () => frames as unknown as unknown[],
    })
    expect(out.data).toEqual([
      'yjs:sync',
      new Uint8Array([0, 1, 2]),
      undefined,
      { options: { compress: true } },
    ])
    expect(out.id).toBe(3)
    expect(Buffer.isBuffer((out.data as unknown[])[1])).toBe(false)
  })

  it('writes frames socket.io-msgpack-parser reads, binary arriving as Buffer', () => {
    const decoder = new official.Decoder()
    let out: Packet | undefined
    decoder.on('decoded', (p: Packet) => (out = p))
    const view = new Uint8Array([5, 5, 1, 2, 5]).subarray(2, 4)
    decoder.add(Buffer.from(new Encoder().encode({ type: 2, nsp: '/', data: ['yjs:sync', view] })[0]!))
    const bin = (out!.data as unknown[])[1] as Buffer
    expect(Buffer.isBuffer(bin)).toBe(true)
    expect([...bin]).toEqual([1, 2])
    expect(out!.id).toBeUndefined()
  })
})
