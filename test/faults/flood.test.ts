import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Ack } from '../../shared/protocol/events'
import { createReview, join, startServer, type TestServer } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { percentile, report, sleep } from './helpers/seed'
import { connected, wireSocket } from '../integration/helpers/wireSocket'

/** M3: per-socket rate limits with the default rates. */
let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error('timed out')
    await sleep(5)
  }
}

const connect = (token: string): Promise<Socket> => connected(wireSocket(server.url, token))

/** Small real updates from one Y.Doc, each wrapped as a y-protocols update message. */
function updates(n: number): Buffer[] {
  const doc = new Y.Doc()
  const out: Buffer[] = []
  doc.on('update', (u: Uint8Array) => out.push(Buffer.from([2, u.byteLength, ...u])))
  for (let i = 0; i < n; i++) doc.getText('t').insert(0, 'k')
  doc.destroy()
  return out
}

describe('flooding', () => {
  it('[M3] leaves room for typing and pasting: a burst of 200 updates and 50/s are all accepted', async () => {
    const review = await createReview(server.url)
    const s = await connect(review.token)
    const msgs = updates(300)
    const burst = await Promise.all(
      msgs.slice(0, 200).map((m) => s.emitWithAck('yjs:sync', m) as Promise<Ack>),
    )
    await sleep(1000)
    const steady: Ack[] = []
    for (const m of msgs.slice(200, 300)) {
      steady.push((await s.emitWithAck('yjs:sync', m)) as Ack)
      await sleep(20)
    }
    expect(burst.filter((a) => !a.ok)).toEqual([])
    expect(steady.filter((a) => !a.ok)).toEqual([])
    s.close()
  })

  it('[M3] a flooding client is refused RATE_LIMITED and disconnected within 1 s; others keep p99 ≤ 250 ms', async () => {
    const review = await createReview(server.url)
    const [writer, flooderP, watcher] = await Promise.all([
      join(server.url, review.invites.author, 'Writer'),
      join(server.url, review.invites.author, 'Flooder'),
      join(server.url, review.invites.observer, 'Watcher'),
    ])
    const elsewhere = await createReview(server.url)
    const a = new FaultClient(server.url, writer.token)
    const w = new FaultClient(server.url, watcher.token)
    const b = new FaultClient(server.url, elsewhere.token)
    await until(() => a.synced > 0 && w.synced > 0 && b.synced > 0)
    const flooder = await connect(flooderP.token)

    // Edit → seen by another client in the same room, and edit → acked in another room.
    const seen: number[] = []
    const acked: number[] = []
    let measuring = true
    const probe = (async () => {
      for (let i = 0; measuring; i++) {
        const marker = `<${i}>`
        const t = performance.now()
        a.insert(marker)
        b.insert(marker)
        await Promise.all([
          until(() => w.text().includes(marker), 5_000).then(() => seen.push(performance.now() - t)),
          until(() => b.acked.has(marker), 5_000).then(() => acked.push(performance.now() - t)),
        ])
        await sleep(20)
      }
    })()
    await sleep(200)

    let refusedAt = 0
    let refusals = 0
    let closedWith = ''
    flooder.on('board:closed', (e: { code: string }) => (closedWith = e.code))
    const disconnected = new Promise<number>((r) => flooder.once('disconnect', () => r(performance.now())))
    const started = performance.now()
    const msgs = updates(1000)
    let sent = 0
    while (flooder.connected && sent < 20_000) {
      for (let k = 0; k < 20; k++, sent++) {
        const onAck = (ack: Ack) => {
          if (!ack.ok && ack.error.code === 'RATE_LIMITED') {
            refusals++
            refusedAt ||= performance.now()
          }
        }
        if (sent % 3 === 0) flooder.emit('yjs:sync', msgs[sent % msgs.length], onAck)
        else if (sent % 3 === 1)
          flooder.emit('command', { type: 'note.save', commandId: `f${sent}`, body: 'flood' }, onAck)
        else flooder.emit('yjs:awareness', Buffer.from([1, 0]))
      }
      await sleep(1)
    }
    const disconnectAt = await Promise.race([disconnected, sleep(5_000).then(() => -1)])
    await sleep(500)
    measuring = false
    await probe
    const figures = {
      sent,
      refusals,
      floodToRefusalMs: Math.round(refusedAt - started),
      refusalToDisconnectMs: Math.round(disconnectAt - refusedAt),
      closedWith,
      sameRoomSeenP99Ms: Math.round(percentile(seen, 99)),
      otherRoomAckP99Ms: Math.round(percentile(acked, 99)),
      probes: seen.length,
    }
    report('M3', figures)
    expect(refusals).toBeGreaterThan(0)
    expect(disconnectAt).toBeGreaterThan(0)
    expect(disconnectAt - refusedAt).toBeLessThanOrEqual(1000)
    expect(closedWith).toBe('RATE_LIMITED')
    expect(percentile(seen, 99)).toBeLessThanOrEqual(250)
    expect(percentile(acked, 99)).toBeLessThanOrEqual(250)
    a.close()
    w.close()
    b.close()
  })
})
