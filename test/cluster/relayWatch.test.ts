import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Relay, type RelayLink } from '../../server/cluster/relay'
import { silentLogger } from '../../server/logger'
import { startRedis, type RedisServer } from './helpers/cluster'

/**
 * The relay's watch (SCALEOUT §2.3) on a real redis-server, two relay ends in this process:
 * correctness never depends on Redis delivering, so every way a session can silently break must
 * end it on both sides — a missing frame, Redis stalling, the other process gone.
 */
let redis: RedisServer
const relays: Relay[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  for (const r of relays) await r.close().catch(() => undefined)
  await redis.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(check: () => boolean, ms: number, what: string): Promise<number> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${what}`)
    await sleep(10)
  }
  return Date.now() - t
}

/** A landing end and an owner end with one open session between them. */
async function pair(): Promise<{
  landing: RelayLink
  owner: RelayLink
  ownerRelay: Relay
  frames: string[]
}> {
  const a = new Relay(redis.url, `1${relays.length}`, silentLogger())
  const b = new Relay(redis.url, `2${relays.length}`, silentLogger())
  relays.push(a, b)
  await sleep(200) // both subscribed
  const frames: string[] = []
  let owner: RelayLink | null = null
  b.onOpen = (_f, link) => {
    owner = link
    link.onFrame = (ev) => frames.push(ev)
  }
  const landing = a.open(b.incarnation, {
    transport: 'sio',
    token: 't',
    reviewId: 'r',
    address: '127.0.0.1',
    originAllowed: true,
  })
  await until(() => owner !== null, 2_000, 'open arrives')
  landing.send('one')
  await until(() => frames.length === 1, 2_000, 'a frame arrives')
  return { landing, owner: owner!, ownerRelay: b, frames }
}

describe('a relayed session is watched', () => {
  it('[X7] a frame that never arrives ends the session on both sides', async () => {
    const { landing, owner, frames } = await pair()
    const lost: string[] = []
    owner.onLost = (r) => lost.push(r)
    let closed = false
    landing.onClose = () => (closed = true)
    landing.sent++ // frame 2 "lost" on the way
    landing.send('three')
    await until(() => lost.length > 0, 2_000, 'the owner notices the gap')
    expect(lost[0]).toMatch(/gap/)
    expect(frames).toEqual(['one']) // nothing after the gap was handed on
    await until(() => closed, 2_000, 'the landing is told')
  })

  it('[X7] Redis stalled (DEBUG SLEEP) ends sessions within 3 s on both sides', async () => {
    const { landing, owner } = await pair()
    const lostAt: number[] = []
    landing.onLost = () => lostAt.push(Date.now())
    owner.onLost = () => lostAt.push(Date.now())
    const admin = new Redis(redis.url)
    const t0 = Date.now()
    void admin.call('DEBUG', 'SLEEP', '5').catch(() => undefined)
    await until(() => lostAt.length === 2, 8_000, 'both sides give up')
    const after = lostAt.map((t) => t - t0)
    expect(Math.max(...after)).toBeLessThanOrEqual(3_000)
    console.log(`[X7] Redis stalled: sessions ended after ${after.join(' and ')} ms`)
    await admin.ping() // answered once Redis wakes up
    admin.disconnect()
  })

  it('[X7] a session to a process that is gone (nobody listens on its channel) ends at once', async () => {
    const a = new Relay(redis.url, '31', silentLogger())
    relays.push(a)
    await sleep(200)
    const link = a.open('999', {
      transport: 'sio',
      token: 't',
      reviewId: 'r',
      address: '-',
      originAllowed: true,
    })
    let reason = ''
    link.onLost = (r) => (reason = r)
    const ms = await until(() => reason !== '', 2_000, 'the landing gives up')
    expect(reason).toMatch(/no longer listens/)
    expect(ms).toBeLessThan(500)
  })
})
