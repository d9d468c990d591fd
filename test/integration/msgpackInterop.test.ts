import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import * as officialParser from 'socket.io-msgpack-parser'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { createReview, startServer, type TestServer } from './helpers/testServer'
import { syncMessage, until } from './helpers/syncClient'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

describe('socket.io-msgpack-parser interop', () => {
  it('a Node client using the published parser and sending Buffers syncs, edits and gets acks', async () => {
    const review = await createReview(server.url)
    const doc = new Y.Doc()
    const socket = io(server.url, {
      parser: officialParser,
      transports: ['websocket'],
      auth: { token: review.token },
      reconnection: false,
      forceNew: true,
    })
    const received: Buffer[] = []
    socket.on('yjs:sync', (msg: Buffer) => {
      received.push(msg)
      const dec = decoding.createDecoder(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength))
      const type = decoding.readVarUint(dec)
      const payload = decoding.readVarUint8Array(dec)
      if (type === 1 || type === 2) Y.applyUpdate(doc, payload)
    })
    let board: unknown
    socket.on('board:state', (s: unknown) => (board = s))
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    const step1Ack = await socket.emitWithAck('yjs:sync', asBuffer(syncMessage(0, Y.encodeStateVector(doc))))
    expect(step1Ack).toEqual({ ok: true })
    await until(() => doc.getXmlFragment('prfaq').length > 0)
    expect(received.every((m) => Buffer.isBuffer(m))).toBe(true)
    expect(board).toMatchObject({ reviewId: review.reviewId })

    let update: Uint8Array | undefined
    doc.once('update', (u: Uint8Array) => (update = u))
    doc.getText('t').insert(0, 'from a Buffer client')
    const ack = await socket.emitWithAck('yjs:sync', asBuffer(syncMessage(2, update!)))
    expect(ack).toEqual({ ok: true })
    expect(server.app.rooms.peek(review.reviewId)!.doc.getText('t').toString()).toBe('from a Buffer client')
    socket.close()
    doc.destroy()
  })
})
