import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ack } from '../../shared/protocol/events'
import type { Store } from '../../server/store/types'
import { QUOTAS } from '../../shared/domain/rules/quotas'
import { createReview, join, startServer, type TestServer } from '../integration/helpers/testServer'
import { connected, wireSocket } from '../integration/helpers/wireSocket'
import { createBackend, type Backend } from './helpers/backends'
import { percentile, report, sleep } from './helpers/seed'

/**
 * H3: one person with several sockets, each at the per-socket limit, must not stall the room
 * for the others. On SQLite with FULL sync (one fsync per commit): a room whose commands each
 * wait for their own commit manages about 60 a second, so 4 × 48 a second used to queue the
 * facilitator's commands for seconds.
 */
let backend: Backend
let store: Store
let server: TestServer
beforeAll(async () => {
  backend = await createBackend('sqlite')
  store = await backend.open()
  server = await startServer({ store })
})
afterAll(async () => {
  await server.close()
  await store.close()
  await backend.cleanup()
})

const connect = (token: string): Promise<Socket> => connected(wireSocket(server.url, token))
const send = (s: Socket, cmd: Record<string, unknown>, ms = 5_000): Promise<Ack | null> =>
  Promise.race([new Promise<Ack>((resolve) => s.emit('command', cmd, resolve)), sleep(ms).then(() => null)])

const card = (commandId: string) => ({
  type: 'card.create',
  commandId,
  body: `card ${commandId}`,
  severity: 'minor',
  kind: 'concern',
})

/** A review in critique, its facilitator's socket, and a reviewer who joined it. */
async function inCritique(url: string) {
  const review = await createReview(url)
  const reviewer = await join(url, review.invites.reviewer, 'Flood')
  const fac = await connected(wireSocket(url, review.token))
  for (const to of ['reading', 'critique'])
    expect(await send(fac, { type: 'phase.advance', commandId: `p-${to}`, to })).toMatchObject({ ok: true })
  return { review, reviewer, fac }
}

describe('fairness', () => {
  it('[H3] the command limit is per person: a second socket of the same person gets no fresh allowance', async () => {
    // A slow refill, so what is measured is the allowance itself, whatever the machine's load.
    const slow = await startServer({ config: { limits: { rates: { commandsPerSec: 1, commandBurst: 20 } } } })
    try {
      const { review, reviewer, fac } = await inCritique(slow.url)
      const a = await connected(wireSocket(slow.url, reviewer.token))
      const b = await connected(wireSocket(slow.url, reviewer.token))
      const other = await join(slow.url, review.invites.reviewer, 'Other')
      const c = await connected(wireSocket(slow.url, other.token))
      // The person's whole allowance from one socket and 10 more from their second, at once.
      const [first, second] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, (_, i) => send(a, card(`a${i}`)))),
        Promise.all(Array.from({ length: 10 }, (_, i) => send(b, card(`b${i}`)))),
      ])
      const elsewhere = await Promise.all(Array.from({ length: 10 }, (_, i) => send(c, card(`c${i}`))))
      const refused = [...first, ...second].filter((x) => x && !x.ok)
      expect(refused.length).toBeGreaterThanOrEqual(9) // a token may come back meanwhile
      for (const r of refused)
        expect(r).toMatchObject({
          ok: false,
          error: { code: 'RATE_LIMITED', message: expect.stringMatching(/limit is 1 a second per person/) },
        })
      expect(elsewhere.filter((x) => !x?.ok)).toEqual([])
      for (const s of [a, b, c, fac]) s.close()
    } finally {
      await slow.close()
    }
  })

  /**
   * `people` reviewers, each with `socketsEach` sockets sending 48 commands a second apiece (under
   * the old per-socket 50), cards and notes alternately, while the facilitator sets the timer
   * (or rotates an invite) every 40 ms; the facilitator's acks are timed.
   */
  async function floodWhileTiming(people: number, socketsEach: number) {
    const { review, reviewer, fac } = await inCritique(server.url)
    const others = await Promise.all(
      Array.from({ length: people - 1 }, (_, i) => join(server.url, review.invites.reviewer, `Flood ${i}`)),
    )
    const tokens = [reviewer, ...others].map((p) => p.token)
    const sockets = await Promise.all(
      tokens.flatMap((token) => Array.from({ length: socketsEach }, () => connect(token))),
    )
    let flooding = true
    const outcomes = { ok: 0, limited: 0, other: 0 }
    const floods = sockets.map(async (s, k) => {
      for (let i = 0; flooding; i++) {
        const t = performance.now()
        for (let j = 0; j < 12; j++) {
          const id = `f${k}-${i}-${j}`
          const cmd = j % 2 === 0 ? card(id) : { type: 'note.save', commandId: id, body: `note ${id}` }
          void send(s, cmd).then((a) => {
            if (a?.ok) outcomes.ok++
            else if (a && a.error.code === 'RATE_LIMITED') outcomes.limited++
            else outcomes.other++
          })
        }
        await sleep(Math.max(0, 250 - (performance.now() - t)))
      }
    })
    await sleep(300)
    const latencies: number[] = []
    let timedOut = 0
    const until = performance.now() + 4_000
    for (let i = 0; performance.now() < until; i++) {
      const t = performance.now()
      // Now and then a command with effects beyond the log (a new invite link), which the
      // room commits in a batch of its own: it must not be overtaken by the flood either.
      const cmd =
        i % 5 === 4
          ? { type: 'invite.rotate', commandId: `t${i}`, role: 'observer' }
          : { type: 'timer.set', commandId: `t${i}`, seconds: 60 + (i % 100) }
      const ack = await send(fac, cmd)
      if (!ack) timedOut++
      else expect(ack).toMatchObject({ ok: true })
      latencies.push(performance.now() - t)
      await sleep(40)
    }
    flooding = false
    await Promise.all(floods)
    await sleep(500)
    for (const s of sockets) s.close()
    fac.close()
    return {
      probes: latencies.length,
      timedOut,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(Math.max(...latencies)),
      flood: outcomes,
    }
  }

  it('[H3] one participant flooding from 4 sockets at the limit: another participant’s command p99 ≤ 250 ms', async () => {
    const figures = await floodWhileTiming(1, 4)
    report('H3 facilitator under one person’s 4-socket flood', figures)
    expect(figures.timedOut).toBe(0)
    expect(figures.p99Ms).toBeLessThanOrEqual(250)
  })

  it('[H3] a room commits its commands in batches: 4 people × 40 commands at once take a few store commits, not 160', async () => {
    const { review, reviewer, fac } = await inCritique(server.url)
    const others = await Promise.all(
      [1, 2, 3].map((i) => join(server.url, review.invites.reviewer, `Burst ${i}`)),
    )
    const sockets = await Promise.all([reviewer, ...others].map((p) => connect(p.token)))
    const before = store.metrics.commits
    const acks = await Promise.all(
      sockets.flatMap((s, k) => Array.from({ length: 40 }, (_, i) => send(s, card(`b${k}-${i}`)))),
    )
    const commits = store.metrics.commits - before
    report('H3 batched commits', { commands: acks.length, commits })
    expect(acks.filter((a) => !a?.ok)).toEqual([])
    // Each ack came after its commit, and the log holds each card once, in one order.
    const seqs = acks.map((a) => (a as unknown as { seq: number }).seq)
    expect(new Set(seqs).size).toBe(acks.length)
    expect(commits).toBeLessThanOrEqual(acks.length / 4)
    for (const s of [...sockets, fac]) s.close()
  })

  it(`[H3] [QT1] the ${QUOTAS.cards + 1}th card of one person in a round is refused RATE_LIMITED, the limit named`, async () => {
    // Rates raised so the quota, not the rate limit, is what stops them.
    const fast = await startServer({
      config: { limits: { rates: { commandsPerSec: 10_000, commandBurst: 1_000 } } },
    })
    try {
      const { reviewer, fac } = await inCritique(fast.url)
      const s = await connected(wireSocket(fast.url, reviewer.token))
      const acks = await Promise.all(
        Array.from({ length: QUOTAS.cards + 1 }, (_, i) => send(s, card(`q${i}`))),
      )
      expect(acks.slice(0, QUOTAS.cards).filter((x) => !x?.ok)).toEqual([])
      expect(acks.at(-1)).toMatchObject({
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/200 cards in round 1.*200 per person per round/),
        },
      })
      s.close()
      fac.close()
    } finally {
      await fast.close()
    }
  })
})
