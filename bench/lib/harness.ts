import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { FullClient, Observer, withTimeout, type Meters } from './clients'
import type { Address } from './wire'
import type { Fixture } from './fixtures'
import { pool } from './access'
import { sleep } from './stats'

/** Building blocks the scenarios share: seeding, open-loop editing, the convergence check. */

/** Pushes a fixture into a room over the wire, one message per fixture update, and waits until processed. */
export async function seed(addr: Address, fx: Fixture): Promise<void> {
  const c = await FullClient.open(addr, null)
  await withTimeout(c.synced, 30_000, 'seed sync')
  for (const u of fx.updates) {
    c.applyLocal(u)
    // Keep a bounded number in flight: large messages should not pile up in socket buffers.
    await c.flush(60_000)
  }
  if (c.ackFailures > 0) throw new Error(`seeding refused ${c.ackFailures} updates`)
  c.close()
}

let gc: (() => void) | undefined

/**
 * A full collection in the generator before a measured window. Setting up thousands of clients
 * leaves a heap whose first major collection otherwise lands in the window: the generator runs
 * pinned to one core with V8's marking threads, which then take most of that core from the
 * event loop for 100–300 ms, and arrivals are timed late — for either server.
 */
export function collectGeneratorGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

/**
 * Open loop: each writer edits at `rate`/s on a fixed schedule, whatever the server does; an
 * edit fired late by the generator keeps its scheduled time, so lateness counts as latency.
 */
export function openLoop(
  writers: FullClient[],
  rate: number,
  durationMs: number,
  stop: { stopped: boolean } = { stopped: false },
): Promise<void> {
  const period = 1000 / rate
  const start = performance.now() + 5
  const end = start + durationMs
  return Promise.all(
    writers.map(
      (w, i) =>
        new Promise<void>((resolve) => {
          let next = start + (i / writers.length) * period
          const tick = () => {
            const now = performance.now()
            while (next <= now && next < end) {
              w.edit(next)
              next += period
            }
            if (next >= end || stop.stopped) return resolve()
            setTimeout(tick, Math.max(0, next - performance.now()))
          }
          setTimeout(tick, Math.max(0, next - performance.now()))
        }),
    ),
  ).then(() => undefined)
}

export interface Convergence {
  ok: boolean
  detail: string
}

const svEqual = (a: Map<number, number>, b: Map<number, number>) => {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

/**
 * Every full client and the server (through a fresh joiner) must hold identical state:
 * the same state vector and the same content.
 */
export async function checkConvergence(
  fresh: Address,
  clients: FullClient[],
  timeoutMs = 15_000,
): Promise<Convergence> {
  try {
    await Promise.all(clients.map((c) => c.flush(timeoutMs)))
  } catch (e) {
    return { ok: false, detail: `flush: ${(e as Error).message}` }
  }
  const joiner = await FullClient.open(fresh, null)
  try {
    await withTimeout(joiner.synced, timeoutMs, 'fresh joiner sync')
    await joiner.flush(timeoutMs)
    const deadline = performance.now() + timeoutMs
    const target = joiner.stateVector()
    for (;;) {
      const lagging = clients.filter((c) => !svEqual(c.stateVector(), target))
      if (lagging.length === 0) break
      if (performance.now() > deadline)
        return { ok: false, detail: `${lagging.length} clients' state vectors differ from the server's` }
      await sleep(50)
    }
    const content = joiner.content()
    const differ = clients.filter((c) => c.content() !== content).length
    if (differ > 0) return { ok: false, detail: `${differ} clients' content differs from the server's` }
    const failures = clients.reduce((n, c) => n + c.ackFailures, 0)
    if (failures > 0) return { ok: false, detail: `${failures} updates refused` }
    return { ok: true, detail: `${clients.length} clients + fresh joiner identical` }
  } finally {
    joiner.close()
  }
}

export async function openFull(addrs: Address[], meters: Meters | null, seedBase = 1): Promise<FullClient[]> {
  const clients = await pool(addrs, 20, (a, i) => FullClient.open(a, meters, seedBase + i))
  await withTimeout(Promise.all(clients.map((c) => c.synced)), 60_000, 'full clients sync')
  return clients
}

export async function openObservers(addrs: Address[], meters: Meters | null): Promise<Observer[]> {
  const obs = await pool(addrs, 50, (a) => Observer.open(a, meters))
  await withTimeout(Promise.all(obs.map((o) => o.synced)), 120_000, 'observers sync')
  return obs
}

export function closeAll(list: { close(): void }[]): void {
  for (const c of list) {
    try {
      c.close()
    } catch {
      /* already closed */
    }
  }
}
