import { afterAll, describe, expect, it } from 'vitest'
import { createReview, join } from '../integration/helpers/testServer'
import { BACKENDS, createBackend, sized, type Backend } from './helpers/backends'
import { FaultClient } from './helpers/faultClient'
import { freePort, restartProcess, type ServerProcess } from './helpers/processes'
import { LONG, percentile, report, rng, seedFor, sleep } from './helpers/seed'

/**
 * R1, R2: the server process killed with SIGKILL at random moments while clients edit and send
 * commands. Whatever was acknowledged must be there when a fresh process loads the data.
 */
const R2_TRIALS = Number(process.env.R2_TRIALS) || (LONG ? 1000 : 15)
const R1_KILLS = LONG ? 20 : 3
const R1_CLIENTS = 20

const backends: Backend[] = []
const live = new Set<ServerProcess>()
afterAll(async () => {
  for (const s of live) await s.kill('SIGKILL')
  for (const b of backends) await b.cleanup()
})

async function backendFor(name: Backend['name']): Promise<Backend> {
  const b = await createBackend(name)
  backends.push(b)
  return b
}

async function start(b: Backend, port: number): Promise<ServerProcess> {
  const s = await restartProcess(b.dataDir, port, b.env)
  live.add(s)
  return s
}

async function kill(s: ServerProcess): Promise<void> {
  await s.kill('SIGKILL')
  live.delete(s)
}

/** How often each marker (`<trial.client.k>`, `{client.n}`) occurs: one pass over the text, not one per marker. */
const markerCounts = (text: string): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const [m] of text.matchAll(/<\d+\.\d+\.\d+>|\{\d+\.\d+\}/g)) counts.set(m, (counts.get(m) ?? 0) + 1)
  return counts
}
const notOnce = (text: string, markers: string[]): string[] => {
  const counts = markerCounts(text)
  return markers.filter((m) => counts.get(m) !== 1)
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`)
    await sleep(10)
  }
  return Date.now() - t
}

/** Reads the stored log straight from the store, with no server running. */
async function storedCommandIds(b: Backend, reviewId: string): Promise<string[]> {
  const store = await b.open()
  try {
    return (await store.loadEvents(reviewId)).flatMap((e) => (e.commandId ? [e.commandId] : []))
  } finally {
    await store.close()
  }
}

describe.each(BACKENDS)('crash (kill -9) on %s', (backend) => {
  const R2_TRIALS_HERE = sized(backend, R2_TRIALS, Math.min(R2_TRIALS, 6))
  const R1_KILLS_HERE = sized(backend, R1_KILLS, 2)
  it(
    `[R2] ack then immediate kill: everything acknowledged survives (${R2_TRIALS_HERE} trials)`,
    async () => {
      const R2_TRIALS = R2_TRIALS_HERE
      const seed = seedFor('R2')
      const rand = rng(seed)
      const dir = await backendFor(backend)
      const port = await freePort()
      let server = await start(dir, port)
      const review = await createReview(server.url)
      const authors = await Promise.all(
        [1, 2, 3].map((i) => join(server.url, review.invites.author, `A${i}`)),
      )
      const tokens = [review.token, ...authors.map((a) => a.token)]
      const acked: string[] = []
      const ackedCommands: string[] = []
      let missing: string[]

      for (let trial = 0; trial < R2_TRIALS; trial++) {
        const clients = tokens.map((t) => new FaultClient(server.url, t))
        await Promise.all(clients.map((c) => until(() => c.synced > 0 && c.board !== null, 10_000, 'sync')))
        await sleep(20)
        // Fresh process: every marker and command acknowledged before any earlier kill is here.
        const text = clients[0]!.text()
        missing = notOnce(text, acked)
        expect(missing, `seed ${seed}, trial ${trial}: acknowledged edits lost or duplicated`).toEqual([])

        const killAt = 1 + Math.floor(rand() * 8)
        let acks = 0
        const victim = server
        const fire = () => {
          if (++acks === killAt) victim.proc.kill('SIGKILL') // synchronously, in the ack's own tick
        }
        for (const c of clients) c.onAck = fire
        const writing = clients.map(async (c, i) => {
          for (let k = 0; k < 40 && acks < killAt; k++) {
            c.insert(`<${trial}.${i}.${k}>`)
            if (i === 0 && k % 3 === 0) {
              const commandId = `n-${trial}-${k}`
              void c.command({ type: 'note.save', commandId, body: `note ${commandId}` }, 0).then(
                (ack) => {
                  if (ack.ok) {
                    ackedCommands.push(commandId)
                    fire()
                  }
                },
                () => undefined,
              )
            }
            await sleep(rand() * 4)
          }
        })
        await Promise.all(writing)
        await until(() => acks >= killAt || victim.proc.exitCode !== null, 10_000, 'acks')
        victim.proc.kill('SIGKILL')
        await kill(victim)
        for (const c of clients) {
          for (const m of c.acked) acked.push(m)
          c.close()
        }
        server = await start(dir, port)
      }
      await kill(server)
      // Verified from the data alone, then through a fresh process.
      const ids = await storedCommandIds(dir, review.reviewId)
      const lostCommands = ackedCommands.filter((id) => ids.filter((x) => x === id).length !== 1)
      server = await start(dir, port)
      const check = new FaultClient(server.url, review.token)
      await until(() => check.synced > 0, 10_000, 'final sync')
      await sleep(50)
      missing = notOnce(check.text(), acked)
      check.close()
      await kill(server)
      report('R2', {
        backend,
        seed,
        trials: R2_TRIALS,
        ackedEdits: acked.length,
        ackedCommands: ackedCommands.length,
        lost: missing.length,
        lostCommands: lostCommands.length,
      })
      expect(missing, `seed ${seed}`).toEqual([])
      expect(lostCommands, `seed ${seed}`).toEqual([])
      expect(acked.length).toBeGreaterThanOrEqual(R2_TRIALS)
    },
    60_000 + R2_TRIALS_HERE * 8_000,
  )

  it(
    `[R1] ${R1_CLIENTS} clients editing, server killed at random moments (${R1_KILLS_HERE} kills): nothing acknowledged lost, all converge ≤ 10 s`,
    async () => {
      const R1_KILLS = R1_KILLS_HERE
      const seed = seedFor('R1')
      const rand = rng(seed)
      const dir = await backendFor(backend)
      const port = await freePort()
      let server = await start(dir, port)
      const review = await createReview(server.url)
      const joined = await Promise.all(
        Array.from({ length: R1_CLIENTS - 1 }, (_, i) => join(server.url, review.invites.author, `W${i}`)),
      )
      const clients = [review.token, ...joined.map((j) => j.token)].map(
        (t) => new FaultClient(server.url, t, { reconnect: true }),
      )
      await Promise.all(clients.map((c) => until(() => c.synced > 0 && c.board !== null, 15_000, 'sync')))
      const ackedCommands = new Set<string>()
      const convergeMs: number[] = []
      let n = 0
      let editing = true
      const editors = clients.map(async (c, i) => {
        const r = rng(seed + i + 1)
        while (editing) {
          c.insert(`{${i}.${n++}}`, r)
          if (i === 0 && r() < 0.3) {
            const commandId = `r1-${n}`
            void c.command({ type: 'note.save', commandId, body: `note ${commandId}` }).then(
              (ack) => ack.ok && ackedCommands.add(commandId),
              () => undefined,
            )
          }
          await sleep(20 + r() * 60)
        }
      })

      for (let k = 0; k < R1_KILLS; k++) {
        await sleep(300 + rand() * 1200)
        const before = new Map(clients.map((c) => [c, new Set(c.acked)]))
        await kill(server)
        const ackedAtKill = [...before.values()].flatMap((s) => [...s])
        await sleep(rand() * 300) // edits go on offline meanwhile
        server = await start(dir, port)
        const restartedAt = Date.now()
        // Everyone reconnects by itself; edits go on for a moment, then we wait for agreement.
        await sleep(200)
        editing = false
        await Promise.all(editors.splice(0))
        await until(
          () => {
            const first = clients[0]!.text()
            return clients.every(
              (c) => c.socket.connected && c.text() === first && c.markers.every((m) => c.acked.has(m)),
            )
          },
          15_000,
          `convergence after kill ${k} (seed ${seed})`,
        ).catch((e: unknown) => {
          const texts = new Set(clients.map((c) => c.text()))
          const state = clients.map((c) => ({
            connected: c.socket.connected,
            unacked: c.markers.filter((m) => !c.acked.has(m)),
            hs: c.handshakeCount,
            synced: c.synced,
            refusals: c.refusals.map((r) => r.code),
          }))
          throw new Error(`${String(e)}; ${texts.size} distinct texts; ${JSON.stringify(state)}`)
        })
        convergeMs.push(Date.now() - restartedAt)
        const text = clients[0]!.text()
        expect(notOnce(text, ackedAtKill), `seed ${seed}, kill ${k}`).toEqual([])
        if (k < R1_KILLS - 1) {
          editing = true
          editors.push(
            ...clients.map(async (c, i) => {
              const r = rng(seed + 100 * (k + 1) + i)
              while (editing) {
                c.insert(`{${i}.${n++}}`, r)
                await sleep(20 + r() * 60)
              }
            }),
          )
        }
      }
      const allMarkers = clients.flatMap((c) => c.markers)
      for (const c of clients) c.close()
      await kill(server)
      const ids = await storedCommandIds(dir, review.reviewId)
      server = await start(dir, port)
      const check = new FaultClient(server.url, review.token)
      await until(() => check.synced > 0, 10_000, 'final sync')
      await sleep(50)
      const lost = notOnce(check.text(), allMarkers)
      const lostCommands = [...ackedCommands].filter((id) => ids.filter((x) => x === id).length !== 1)
      check.close()
      await kill(server)
      report('R1', {
        backend,
        seed,
        clients: R1_CLIENTS,
        kills: R1_KILLS,
        edits: allMarkers.length,
        ackedCommands: ackedCommands.size,
        lost: lost.length,
        lostCommands: lostCommands.length,
        convergeMsMax: Math.max(...convergeMs),
        convergeMsP50: percentile(convergeMs, 50),
      })
      expect(lost, `seed ${seed}`).toEqual([])
      expect(lostCommands, `seed ${seed}`).toEqual([])
      expect(Math.max(...convergeMs)).toBeLessThanOrEqual(10_000)
    },
    60_000 + R1_KILLS_HERE * 20_000,
  )
})
