import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createSqliteStore } from '../../server/store/sqlite'
import type { Store } from '../../server/store/types'
import { createReview, join, startServer, type TestServer } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { freePort } from './helpers/processes'
import { LONG, report, rng, seedFor, sleep } from './helpers/seed'

/**
 * C1: a fast-check model over the REAL server and real sockets. Replicas are clients that edit
 * at random while their own network path drops, duplicates and reorders messages; partitions
 * cut a replica off for a while; restarts close the server and open it again on the same SQLite
 * file and port. Healing lets held messages through, reconnects everyone and runs the
 * y-protocols handshake again; then every replica, the server's document and the stored
 * document must be equal. Real sockets rather than an in-memory transport: the server's sync
 * code is exercised as deployed, and the faults sit where a network puts them (between client
 * and server), which the model controls from the client side.
 */
const RUNS = LONG ? 300 : 25
const REPLICAS = 3

type Step =
  | { kind: 'edit'; replica: number; len: number }
  | { kind: 'delete'; replica: number }
  | { kind: 'partition'; replica: number }
  | { kind: 'rejoin'; replica: number }
  | { kind: 'release'; replica: number }
  | { kind: 'restart' }
  | { kind: 'wait'; ms: number }

const replica = fc.nat({ max: REPLICAS - 1 })
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      replica,
      len: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), replica }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), replica }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rejoin' as const), replica }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), replica }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  },
)

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${what}`)
    await sleep(5)
  }
}

describe('convergence model', () => {
  it(`[C1] replicas with drops, duplicates, reorders, partitions and restarts equal the server after healing (${RUNS} runs)`, async () => {
    const seed = seedFor('C1')
    let steps = 0
    let restarts = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 10, maxLength: 40 }),
        fc.integer(),
        async (plan, netSeed) => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-c1-'))
          dirs.push(dir)
          const port = await freePort()
          let store: Store = createSqliteStore({ dataDir: dir })
          let server: TestServer = await startServer({ store, config: { port, limits: { roomIdleMs: 0 } } })
          const review = await createReview(server.url)
          const tokens = [review.token]
          for (let i = 1; i < REPLICAS; i++)
            tokens.push((await join(server.url, review.invites.author, `R${i}`)).token)
          const rand = rng(netSeed)
          const clients = tokens.map((t) => new FaultClient(server.url, t, { reconnect: true }))
          const reasons: string[] = []
          clients.forEach((c, i) => {
            c.socket.on('disconnect', (r) => reasons.push(`${i}:${r}`))
            c.socket.on('connect_error', (e) => reasons.push(`${i}:err:${e.message}`))
          })
          await until(() => clients.every((c) => c.synced > 0), 10_000, 'first sync')
          for (const c of clients) {
            c.retryRefused = 0 // healing, not retries, must repair what the network broke
            c.faults = { rand, drop: 0.15, duplicate: 0.1, hold: 0.15 }
          }
          let n = 0
          try {
            for (const s of plan) {
              steps++
              if (s.kind === 'edit')
                clients[s.replica]!.insert(`{${s.replica}.${n++}.${'x'.repeat(s.len)}}`, rand)
              else if (s.kind === 'delete') {
                const t = clients[s.replica]!.doc.getText('t')
                if (t.length > 0) t.delete(Math.floor(rand() * t.length), 1 + Math.floor(rand() * 3))
              } else if (s.kind === 'partition') {
                // Only a live link can be cut (closing an engine mid-open leaves socket.io-client stuck).
                const c = clients[s.replica]!
                if (c.socket.connected) c.socket.io.engine.close()
              } else if (s.kind === 'rejoin') clients[s.replica]!.resync()
              else if (s.kind === 'release') clients[s.replica]!.releaseHeld(rand)
              else if (s.kind === 'restart') {
                restarts++
                await server.close()
                await store.close()
                store = createSqliteStore({ dataDir: dir })
                server = await startServer({ store, config: { port, limits: { roomIdleMs: 0 } } })
              } else await sleep(s.ms)
            }
            // Heal: held messages go through late, the network turns reliable, everyone resyncs.
            for (const c of clients) c.releaseHeld(rand)
            for (const c of clients) c.faults = null
            await until(() => clients.every((c) => c.socket.connected), 10_000, 'reconnect').catch(
              (e: unknown) => {
                throw new Error(
                  `${String(e)} ${JSON.stringify(clients.map((c) => ({ connected: c.socket.connected, active: c.socket.active, reasons, closed: c.closedWith })))}`,
                )
              },
            )
            await sleep(50)
            for (const c of clients) c.resync()
            const room = () => server.app.rooms.peek(review.reviewId)
            await until(
              () => {
                const r = room()
                if (!r) return false
                const want = r.doc.getText('t').toString()
                return clients.every((c) => c.text() === want)
              },
              10_000,
              `convergence (seed ${seed})`,
            )
            const r = room()!
            await r.flush()
            const stored = new Y.Doc()
            for (const p of await store.loadDocument(review.reviewId)) Y.applyUpdate(stored, p)
            const want = r.doc.getText('t').toString()
            expect(stored.getText('t').toString()).toBe(want)
            for (const c of clients) expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(r.doc))
            stored.destroy()
          } finally {
            for (const c of clients) c.close()
            await server.close()
            await store.close()
          }
        },
      ),
      { seed, numRuns: RUNS, endOnFailure: true },
    )
    report('C1', { seed, runs: RUNS, replicas: REPLICAS, steps, restarts })
  }, 300_000)
})
