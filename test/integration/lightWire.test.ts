import { afterEach, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { createRoom } from '../../bench/lib/access'
import { FullClient, withTimeout } from '../../bench/lib/clients'
import { fixture } from '../../bench/lib/fixtures'
import { seed } from '../../bench/lib/harness'
import { readPacket } from '../../bench/lib/lightWire'
import type { ServerHandle } from '../../bench/lib/servers'
import { connect, connectFull, connectObserver, type Wire } from '../../bench/lib/wire'
import { updateMessage } from '../../server/rooms/outbox'
import { Encoder, PacketType } from '../../shared/protocol/msgpackParser'
import { startServer, type TestServer } from './helpers/testServer'

/**
 * The bench's light client (raw `ws`, bench/lib/lightWire.ts) must see exactly what a
 * `socket.io-client` client sees: the same sync messages, byte for byte, in the same order, and
 * the same acks — or the bench's P2 / P4 / P5 figures would measure a different workload.
 */
let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** An observer's side of the handshake, recording a copy of every sync message it receives. */
function record(wire: Wire): Uint8Array[] {
  const got: Uint8Array[] = []
  wire.listen((msg) => {
    got.push(Uint8Array.from(msg))
    if (msg[0] === 0) wire.sendSync(new Uint8Array([1, 2, 0, 0])) // empty step 2
  })
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 0)
  encoding.writeVarUint8Array(enc, new Uint8Array([0]))
  wire.sendSync(encoding.toUint8Array(enc))
  return got
}

/** A one-character insert by a Yjs client of its own (a change nobody else made). */
function fixtureUpdate(client: number): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = client
  let update: Uint8Array = new Uint8Array()
  doc.on('update', (u: Uint8Array) => (update = u))
  doc.getText('t').insert(0, 'x')
  doc.destroy()
  return update
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('bench light observer', () => {
  it('[P15] receives the same sync messages as socket.io-client, large and small, in order', async () => {
    server = await startServer()
    const room = await createRoom({ kind: 'ours', url: server.url } as ServerHandle, 'light')
    await seed(room.owner, fixture(11, 160_000)) // the full state is > 64 KB: a bin32 on the wire
    const full = record(await connectFull(await room.observer()))
    const light = record(await connectObserver(await room.observer()))
    const writer = await FullClient.open(await room.writer(), null, 7)
    await withTimeout(writer.synced, 10_000, 'writer sync')
    for (let i = 0; i < 60; i++) {
      writer.edit(performance.now())
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5))
    }
    await writer.flush()
    // step 2 (the full state), the server's step 1, then one message per change or per merged batch.
    await until(() => full.length >= 3 && light.length === full.length)
    await new Promise((r) => setTimeout(r, 200))
    expect(light.length).toBe(full.length)
    expect(full[0]![0]).toBe(1)
    expect(full[0]!.byteLength).toBeGreaterThan(65_536)
    for (let i = 0; i < full.length; i++)
      expect(Buffer.from(light[i]!).equals(Buffer.from(full[i]!))).toBe(true)
    writer.close()
  })

  it('[P15] a writer on it gets the acks socket.io-client gets: ok once saved, refused for a reader', async () => {
    server = await startServer()
    const room = await createRoom({ kind: 'ours', url: server.url } as ServerHandle, 'light-acks')
    await seed(room.owner, fixture(5, 2000))
    const writer = await FullClient.open(await room.writer(), null, 3) // the light client: `connect`
    await withTimeout(writer.synced, 10_000, 'writer sync')
    for (let i = 0; i < 20; i++) writer.edit(performance.now())
    await writer.flush()
    expect(writer.ackFailures).toBe(0)
    // A reader's change is refused: both clients hear "not ok" for it.
    const change = (client: number) => updateMessage(fixtureUpdate(client))
    const answers: Record<string, boolean[]> = { light: [], full: [] }
    const light = await connect(await room.observer())
    const full = await connectFull(await room.observer())
    light.sendSync(change(101), (ok) => answers.light!.push(ok))
    full.sendSync(change(102), (ok) => answers.full!.push(ok))
    await until(() => answers.light!.length === 1 && answers.full!.length === 1)
    expect(answers).toEqual({ light: [false], full: [false] })
    writer.close()
    light.close()
    full.close()
  })

  it('[P15] reads a sync event whatever the key order, and skips every other packet', () => {
    const enc = new Encoder()
    const bytes = new Uint8Array([2, 3, 1, 2, 3])
    const frame = (p: object) => enc.encode(p as never)[0]!
    const sync = readPacket(frame({ nsp: '/', id: 4, data: ['yjs:sync', bytes], type: PacketType.EVENT }))
    expect(sync.kind === 'sync' && Array.from(sync.bytes)).toEqual([2, 3, 1, 2, 3])
    const board = {
      type: PacketType.EVENT,
      nsp: '/',
      data: ['board:state', { a: [1, 2.5, null, 'x'], b: true }],
    }
    expect(readPacket(frame(board)).kind).toBe('other')
    expect(readPacket(frame({ type: PacketType.ACK, nsp: '/', id: 1, data: [{ ok: true }] }))).toEqual({
      kind: 'ack',
      id: 1,
      ok: true,
    })
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: 'ok: true' } }
    expect(readPacket(frame({ data: [refused], id: 300, type: PacketType.ACK, nsp: '/' }))).toEqual({
      kind: 'ack',
      id: 300,
      ok: false,
    })
    expect(readPacket(frame({ type: PacketType.CONNECT, nsp: '/', data: { sid: 'x' } })).kind).toBe('connect')
    expect(
      readPacket(frame({ type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'no' } })).kind,
    ).toBe('connect_error')
    expect(() => readPacket(frame(board).subarray(0, 12))).toThrow(/truncated/)
  })
})
