import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Ack } from '../../shared/protocol/events'
import { createReview, join, postJson, startServer, type TestServer } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { report, sleep } from './helpers/seed'
import { wireSocket } from '../integration/helpers/wireSocket'

/** M2: every size limit answers TOO_LARGE (413 over HTTP) with a sentence, and the server stays up. */
const LIMITS = { frameBytes: 64 * 1024, updateBytes: 16 * 1024, docBytes: 48 * 1024, jsonBytes: 8 * 1024 }

let server: TestServer
beforeAll(async () => {
  server = await startServer({ config: { limits: LIMITS } })
})
afterAll(() => server.close())

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error('timed out')
    await sleep(10)
  }
}

function updateOfSize(bytes: number): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, 'x'.repeat(bytes))
  const u = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return u
}

function wrap(update: Uint8Array): Buffer {
  // y-protocols "update" (2) + varuint length + bytes
  const len: number[] = []
  let n = update.byteLength
  while (n > 0x7f) {
    len.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  len.push(n)
  return Buffer.from([2, ...len, ...update])
}

describe('size limits', () => {
  it('[M2] a frame over maxHttpBufferSize closes only that connection; others carry on', async () => {
    const review = await createReview(server.url)
    const other = new FaultClient(server.url, review.token)
    const big = wireSocket(server.url, review.token)
    await until(() => big.connected && other.synced > 0)
    const reason = new Promise<string>((r) => big.once('disconnect', r))
    big.emit('yjs:sync', Buffer.alloc(LIMITS.frameBytes + 1024, 1))
    expect(await reason).toMatch(/transport (close|error)/)
    other.insert('<still here>')
    await until(() => other.acked.has('<still here>'))
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    other.close()
  })

  it('[M2] an update over the update limit gets TOO_LARGE with a message', async () => {
    const review = await createReview(server.url)
    const c = new FaultClient(server.url, review.token)
    await until(() => c.synced > 0)
    const ack = (await c.socket.emitWithAck('yjs:sync', wrap(updateOfSize(LIMITS.updateBytes + 100)))) as Ack
    expect(ack).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    if (!ack.ok) expect(ack.error.message).toMatch(/too large/i)
    c.close()
  })

  it('[M2] a document at its size cap refuses growth with TOO_LARGE; what was saved stays', async () => {
    const review = await createReview(server.url)
    const c = new FaultClient(server.url, review.token)
    await until(() => c.synced > 0)
    const acks: Ack[] = []
    for (let i = 0; i < 10; i++)
      acks.push((await c.socket.emitWithAck('yjs:sync', wrap(updateOfSizeFrom(i, 10_000)))) as Ack)
    const firstRefused = acks.findIndex((a) => !a.ok)
    const refused = acks[firstRefused]
    const room = server.app.rooms.peek(review.reviewId)!
    const size = Y.encodeStateAsUpdate(room.doc).byteLength
    report('M2-doc', { cap: LIMITS.docBytes, acceptedChunks: firstRefused, docBytes: size })
    expect(firstRefused).toBeGreaterThan(0)
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    if (refused && !refused.ok) expect(refused.error.message).toMatch(/size limit/)
    expect(acks.slice(firstRefused).every((a) => !a.ok)).toBe(true)
    expect(size).toBeLessThanOrEqual(LIMITS.docBytes)
    c.close()
  })

  it('[M2] a card body over its limit gets TOO_LARGE; an HTTP body over its limit gets 413', async () => {
    const review = await createReview(server.url)
    const reviewer = await join(server.url, review.invites.reviewer)
    const c = new FaultClient(server.url, reviewer.token)
    await until(() => c.synced > 0)
    const ack = await c.command({
      type: 'card.create',
      commandId: 'big',
      body: 'x'.repeat(4001),
      severity: 'minor',
      kind: 'concern',
    })
    expect(ack).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    const res = await postJson(`${server.url}/api/reviews`, {
      title: 't',
      facilitator: { name: 'A', function: 'product' },
      markdown: 'x'.repeat(LIMITS.jsonBytes * 2),
    })
    expect(res.status).toBe(413)
    expect(res.body).toMatchObject({ error: { code: 'TOO_LARGE' } })
    expect(res.body.error.message).toMatch(/too large/i)
    c.close()
  })
})

/** Chunks from distinct client ids, so each one adds its full size to the document. */
function updateOfSizeFrom(i: number, bytes: number): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 5000 + i
  doc.getText('t').insert(0, String(i).repeat(bytes))
  const u = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return u
}
