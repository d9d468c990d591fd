import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createReview, join } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { freePort, restartProcess, type ServerProcess } from './helpers/processes'
import { report, sleep } from './helpers/seed'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-term-'))
const live = new Set<ServerProcess>()
afterAll(async () => {
  for (const s of live) await s.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

async function until(check: () => boolean, ms: number): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error('timed out')
    await sleep(10)
  }
}

describe('graceful shutdown', () => {
  it('SIGTERM with clients editing: exits 0 within 5 s, everything acknowledged is there after a restart', async () => {
    const port = await freePort()
    const server = await restartProcess(dir, port)
    live.add(server)
    const review = await createReview(server.url)
    const others = await Promise.all([1, 2, 3].map((i) => join(server.url, review.invites.author, `A${i}`)))
    const clients = [review.token, ...others.map((o) => o.token)].map((t) => new FaultClient(server.url, t))
    await until(() => clients.every((c) => c.synced > 0), 10_000)
    let editing = true
    let n = 0
    const editors = clients.map(async (c, i) => {
      while (editing) {
        c.insert(`{${i}.${n++}}`)
        await sleep(5)
      }
    })
    await sleep(300)
    const started = Date.now()
    const code = await server.kill('SIGTERM')
    const exitMs = Date.now() - started
    live.delete(server)
    editing = false
    await Promise.all(editors)
    const acked = clients.flatMap((c) => [...c.acked])
    for (const c of clients) c.close()

    const again = await restartProcess(dir, port)
    live.add(again)
    const check = new FaultClient(again.url, review.token)
    await until(() => check.synced > 0, 10_000)
    const text = check.text()
    const lost = acked.filter((m) => text.split(m).length !== 2)
    check.close()
    await again.kill('SIGTERM')
    live.delete(again)
    report('shutdown', { exitCode: code, exitMs, acked: acked.length, lost: lost.length })
    expect(code).toBe(0)
    expect(exitMs).toBeLessThan(5_000)
    expect(acked.length).toBeGreaterThan(10)
    expect(lost).toEqual([])
  })
})
