import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from './helpers/childServer'
import { SyncClient } from './helpers/syncClient'
import { createReview } from './helpers/testServer'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-kill-'))
const running: ChildServer[] = []
afterAll(async () => {
  for (const s of running) await s.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const TRIALS = Number(process.env.TRIALS ?? 30)

describe('crash safety', () => {
  it(`[R2] a server killed with SIGKILL right after an ack loses nothing acknowledged (${TRIALS} trials)`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 100000)
    const rand = random(seed)
    let server = await spawnServer(dir)
    running.push(server)
    const review = await createReview(server.url)
    const acked: string[] = []

    for (let trial = 0; trial < TRIALS; trial++) {
      const client = new SyncClient(server.url, review.token)
      await client.synced
      const text = client.text()
      const missing = acked.filter((m) => !text.includes(m))
      expect(missing, `seed ${seed}, trial ${trial}`).toEqual([])

      const edits = 1 + Math.floor(rand() * 4)
      const sends: Promise<unknown>[] = []
      for (let i = 0; i < edits; i++) {
        const marker = `[${trial}.${i}]`
        const t = client.doc.getText('t')
        t.insert(t.length, marker)
        const pending = [...client.pending].at(-1)!
        sends.push(pending.then((ack) => (ack as { ok: boolean }).ok && acked.push(marker)))
      }
      // Kill right after the first ack, at a random moment while the others may still be in flight.
      await Promise.race(sends)
      const delay = rand() * 5
      if (delay > 1) await new Promise((r) => setTimeout(r, delay))
      await server.kill('SIGKILL')
      client.close()
      await Promise.allSettled(sends)
      server = await spawnServer(dir)
      running.push(server)
    }
    const last = new SyncClient(server.url, review.token)
    await last.synced
    expect(
      acked.filter((m) => !last.text().includes(m)),
      `seed ${seed}`,
    ).toEqual([])
    expect(acked.length).toBeGreaterThanOrEqual(TRIALS)
    last.close()
    await server.kill('SIGTERM')
  }, 150_000) // ~30 process starts; slow when the two cores are busy

  it('stops with a clear message when DATA_DIR cannot be written', async () => {
    const file = path.join(dir, 'not-a-dir')
    fs.writeFileSync(file, 'x')
    await expect(spawnServer(path.join(file, 'data'))).rejects.toThrow(/DATA_DIR .* cannot be written/)
  })

  it('exits cleanly within 5 s on SIGTERM', async () => {
    const child = await spawnServer(path.join(dir, 'graceful'))
    running.push(child)
    const started = Date.now()
    expect(await child.kill('SIGTERM')).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
