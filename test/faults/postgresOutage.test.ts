import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardSocket } from '../../client/src/composables/useSocket'
import { SocketYjsProvider, type SaveStatus } from '../../client/src/lib/socketYjsProvider'
import { createPostgresStore } from '../../server/store/postgres'
import { createReview, join, startServer } from '../integration/helpers/testServer'
import { wireSocket } from '../integration/helpers/wireSocket'
import { FaultClient } from './helpers/faultClient'
import { report, rng, seedFor, sleep } from './helpers/seed'
import { throwawayCluster, type ThrowawayCluster } from './helpers/throwawayPostgres'

/**
 * X8 / R4 on PostgreSQL for real: the database server is stopped with `pg_ctl stop -m immediate`
 * (what a crash or a kill of the database looks like) while clients edit and send commands, then
 * started again. A cluster of its own, so other tests sharing the machine's cluster go on.
 */
let cluster: ThrowawayCluster | undefined
afterAll(() => cluster?.destroy())

async function until(check: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${typeof what === 'string' ? what : what()}`)
    await sleep(10)
  }
}

// The app's provider needs only this of `window` outside a browser.
;(globalThis as { window?: unknown }).window ??= { addEventListener() {}, removeEventListener() {} }

describe('PostgreSQL stopped mid-run', () => {
  it('[X8] nothing acknowledged while it is down, the board shows "not saved", everything saved once it is back', async () => {
    const seed = seedFor('X8')
    cluster = await throwawayCluster()
    const store = await createPostgresStore({
      url: cluster.url,
      pool: { connectTimeoutMs: 1_000, queryTimeoutMs: 3_000 },
      log: () => undefined,
    })
    const server = await startServer({ store })
    const review = await createReview(server.url)
    const other = await join(server.url, review.invites.author, 'W1')
    // Retrying as the app does (one retry at a time, growing delay): retrying every refused
    // message on its own every 200 ms grows into a flood over a few seconds' outage, which the
    // server rightly refuses (RATE_LIMITED) and then disconnects for good.
    const clients = [review.token, other.token].map(
      (t) => new FaultClient(server.url, t, { reconnect: true, retry: 'resync' }),
    )
    await until(() => clients.every((c) => c.synced > 0), 10_000, 'sync')

    // The app's own provider, to read what the board would show.
    const socket = wireSocket(server.url, review.token, { reconnection: true, reconnectionDelay: 100 })
    const provider = new SocketYjsProvider(socket as unknown as BoardSocket, {})
    const statuses: SaveStatus[] = []
    provider.on('status', (s) => statuses.push(s))
    await until(() => provider.synced, 10_000, 'provider sync')

    let editing = true
    let n = 0
    const commandAcks: Array<{ id: string; ok: boolean; at: number; code?: string }> = []
    const editors = clients.map(async (c, i) => {
      const r = rng(seed + i)
      while (editing) {
        c.insert(`{${i}.${n++}}`, r)
        if (i === 0 && r() < 0.3) {
          const commandId = `x8-${n}`
          void c.command({ type: 'note.save', commandId, body: `note ${commandId}` }, 0).then(
            (ack) =>
              commandAcks.push({
                id: commandId,
                ok: ack.ok,
                at: Date.now(),
                code: ack.ok ? undefined : ack.error.code,
              }),
            () => commandAcks.push({ id: commandId, ok: false, at: Date.now(), code: 'TIMEOUT' }),
          )
        }
        await sleep(10 + r() * 30)
      }
    })
    let providerEdits = 0
    const typing = setInterval(() => provider.doc.getText('t').insert(0, `[p${providerEdits++}]`), 50)

    await sleep(1_500)
    const ackedBefore = new Set(clients.flatMap((c) => [...c.acked]))
    cluster.stopImmediate()
    const downAt = Date.now()
    const countAtStop = clients.map((c) => c.markers.length)
    await sleep(4_000)
    // While it is down: nothing inserted after the stop is acknowledged.
    const insertedWhileDown = clients.flatMap((c, i) => c.markers.slice(countAtStop[i]))
    const falseAcks = clients.flatMap((c, i) => c.markers.slice(countAtStop[i]).filter((m) => c.acked.has(m)))
    const statusWhileDown = provider.status
    const commandsAckedWhileDown = commandAcks.filter((a) => a.ok && a.at > downAt + 200)
    cluster.start()
    const upAt = Date.now()
    await sleep(500)
    editing = false
    clearInterval(typing)
    await Promise.all(editors)

    // Once it is back: every edit is saved (the clients' retries, the server's kept changes).
    await until(
      () => clients.every((c) => c.markers.every((m) => c.acked.has(m))),
      30_000,
      () =>
        `all saved after return (seed ${seed}): ` +
        clients
          .map(
            (c, i) =>
              `client ${i}: ${c.markers.filter((m) => !c.acked.has(m)).length} of ${c.markers.length} unacked, ` +
              `${c.socket.connected ? 'connected' : 'disconnected'}, closed with ${JSON.stringify(c.closedWith)}`,
          )
          .join('; '),
    )
    await until(() => provider.status === 'saved', 30_000, 'provider saved')
    for (const a of commandAcks.filter((x) => !x.ok)) {
      const retry = await clients[0]!.command({ type: 'note.save', commandId: a.id, body: `note ${a.id}` })
      expect(retry.ok, `seed ${seed}: retry of ${a.id}`).toBe(true)
    }
    const markers = clients.flatMap((c) => c.markers)
    const closedWith = clients.flatMap((c) => c.closedWith)
    const providerText = provider.doc.getText('t').toString()
    for (const c of clients) c.close()
    provider.destroy()
    socket.close()
    await server.close()
    await store.close()

    // From the database alone.
    const fresh = await createPostgresStore({ url: cluster.url })
    const doc = new Y.Doc()
    for (const part of await fresh.loadDocument(review.reviewId)) Y.applyUpdate(doc, part)
    const text = doc.getText('t').toString()
    const ids = (await fresh.loadEvents(review.reviewId)).flatMap((e) => (e.commandId ? [e.commandId] : []))
    await fresh.close()
    const lost = markers.filter((m) => text.split(m).length !== 2)
    const lostCommands = commandAcks.map((a) => a.id).filter((id) => ids.filter((x) => x === id).length !== 1)
    report('X8', {
      seed,
      downMs: upAt - downAt,
      edits: markers.length,
      ackedBeforeStop: ackedBefore.size,
      insertedWhileDown: insertedWhileDown.length,
      falseAcks: falseAcks.length,
      commandsRefused: commandAcks.filter((a) => !a.ok).length,
      statuses: [...new Set(statuses)],
      lost: lost.length,
      lostCommands: lostCommands.length,
    })
    expect(insertedWhileDown.length).toBeGreaterThan(0)
    expect(falseAcks, `seed ${seed}: acknowledged while PostgreSQL was down`).toEqual([])
    expect(commandsAckedWhileDown, `seed ${seed}`).toEqual([])
    expect(statusWhileDown).toBe('unsaved')
    expect(statuses).toContain('unsaved')
    expect(commandAcks.some((a) => !a.ok)).toBe(true)
    expect(commandAcks.filter((a) => !a.ok && a.code !== 'UNAVAILABLE' && a.code !== 'TIMEOUT')).toEqual([])
    expect(closedWith, `seed ${seed}: a client was closed by the server`).toEqual([])
    expect(lost, `seed ${seed}`).toEqual([])
    expect(lostCommands, `seed ${seed}`).toEqual([])
    expect(text).toContain(providerText.slice(0, 20))
    for (let i = 0; i < providerEdits; i++) expect(text).toContain(`[p${i}]`)
  }, 180_000)
})
