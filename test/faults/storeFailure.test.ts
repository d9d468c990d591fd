import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createReview, join, startServer } from '../integration/helpers/testServer'
import { BACKENDS, createBackend, sized, type Backend } from './helpers/backends'
import { FaultClient } from './helpers/faultClient'
import { faultyStore, type StoreFault } from './helpers/faultyStore'
import { LONG, pick, report, rng, seedFor, sleep } from './helpers/seed'

const backends: Backend[] = []
afterAll(async () => {
  for (const b of backends) await b.cleanup()
})

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${what}`)
    await sleep(10)
  }
}

const WINDOWS = LONG ? 30 : 6
const WRITERS = 5

describe.each(BACKENDS)('store failures under load on %s', (backend) => {
  const windows = sized(backend, WINDOWS, 4)
  it(`[R4] throwing, locked and full store (${windows} fault windows): no false ack, UNAVAILABLE, server up, nothing lost after recovery`, async () => {
    const WINDOWS = windows
    const seed = seedFor('R4')
    const rand = rng(seed)
    const b = await createBackend(backend)
    backends.push(b)
    const store = faultyStore(await b.open())
    const server = await startServer({ store })
    const review = await createReview(server.url)
    const joined = await Promise.all(
      Array.from({ length: WRITERS - 1 }, (_, i) => join(server.url, review.invites.author, `W${i}`)),
    )
    const clients = [review.token, ...joined.map((j) => j.token)].map((t) => new FaultClient(server.url, t))
    await until(() => clients.every((c) => c.synced > 0), 10_000, 'sync')

    let editing = true
    let n = 0
    const commandAcks: Array<{ id: string; ok: boolean; code?: string }> = []
    const editors = clients.map(async (c, i) => {
      const r = rng(seed + i + 1)
      while (editing) {
        c.insert(`{${i}.${n++}}`, r)
        if (i === 0 && r() < 0.3) {
          const commandId = `r4-${n}`
          void c
            .command({ type: 'note.save', commandId, body: `note ${commandId}` })
            .then((ack) =>
              commandAcks.push({ id: commandId, ok: ack.ok, code: ack.ok ? undefined : ack.error.code }),
            )
        }
        await sleep(5 + r() * 25)
      }
    })
    const faults: StoreFault[] = []
    for (let w = 0; w < WINDOWS; w++) {
      await sleep(100 + rand() * 200)
      const fault = pick(rand, ['throw', 'busy', 'full'] as const)
      faults.push(fault)
      store.fault = fault
      await sleep(150 + rand() * 300)
      store.fault = 'none'
    }
    editing = false
    await Promise.all(editors)

    // Server up the whole time.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(clients.every((c) => c.socket.connected)).toBe(true)
    // Recovery: every client's retries go through once the store works again.
    await until(
      () => clients.every((c) => c.markers.every((m) => c.acked.has(m))),
      20_000,
      'all saved after recovery',
    )
    const failedCommands = commandAcks.filter((a) => !a.ok)
    for (const a of failedCommands) {
      const retry = await clients[0]!.command({ type: 'note.save', commandId: a.id, body: `note ${a.id}` })
      expect(retry.ok, `seed ${seed}: retry of ${a.id}`).toBe(true)
    }
    const unavailable = clients.flatMap((c) => c.refusals).filter((r) => r.code === 'UNAVAILABLE').length
    const otherRefusals = clients.flatMap((c) => c.refusals).filter((r) => r.code !== 'UNAVAILABLE')
    const markers = clients.flatMap((c) => c.markers)
    for (const c of clients) c.close()
    await server.close()
    await store.close()

    // No false ack, nothing lost: the store alone holds every marker and every acked command once.
    const fresh = await b.open()
    const doc = new Y.Doc()
    for (const part of await fresh.loadDocument(review.reviewId)) Y.applyUpdate(doc, part)
    const text = doc.getText('t').toString()
    const ids = (await fresh.loadEvents(review.reviewId)).flatMap((e) => (e.commandId ? [e.commandId] : []))
    await fresh.close()
    const lost = markers.filter((m) => text.split(m).length !== 2)
    const commandIds = commandAcks.map((a) => a.id)
    const lostCommands = commandIds.filter((id) => ids.filter((x) => x === id).length !== 1)
    report('R4', {
      backend,
      seed,
      windows: WINDOWS,
      faults,
      refusedWrites: store.failed,
      unavailableAcks: unavailable,
      commandsRefused: failedCommands.length,
      edits: markers.length,
      lost: lost.length,
      lostCommands: lostCommands.length,
    })
    expect(otherRefusals, `seed ${seed}`).toEqual([])
    expect(store.failed).toBeGreaterThan(0)
    expect(unavailable + failedCommands.length).toBeGreaterThan(0)
    expect(failedCommands.every((a) => a.code === 'UNAVAILABLE')).toBe(true)
    expect(lost, `seed ${seed}`).toEqual([])
    expect(lostCommands, `seed ${seed}`).toEqual([])
  })
})
