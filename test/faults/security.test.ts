import fs from 'node:fs'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../server/app'
import { newInviteCode, newToken } from '../../server/auth/secrets'
import { testConfig } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import { createReview, join, postJson } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { report, sleep } from './helpers/seed'
import { handshake } from '../integration/helpers/wireSocket'

/**
 * S4, S5, W1 against a server whose logger writes into memory, so the test can read every log
 * line: refusals are logged as structured data, and no token or invite code ever is.
 */
const logLines: string[] = []
const secrets: string[] = []
const apps: App[] = []
const clientDir = fs.existsSync('dist/client/index.html') ? 'dist/client' : '/nonexistent'

async function start(): Promise<string> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString())
      done()
    },
  })
  const app = createApp({
    store: createMemoryStore(),
    config: testConfig({ clientDir }),
    logger: pino({ level: 'debug' }, sink),
  })
  apps.push(app)
  return app.listen()
}

let url: string
beforeAll(async () => {
  url = await start()
})
afterAll(async () => {
  for (const a of apps) await a.close()
})

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error('timed out')
    await sleep(5)
  }
}

const codeOf = (invite: string) => invite.split('/join/')[1]!

describe('guessing, revocation, origin, headers, logs', () => {
  it('[S4] guessed invite codes and tokens: 0 hits, and the address is rate-limited after a few', async () => {
    const base = await start() // a fresh limiter: this test spends its address's allowance
    const review = await createReview(base)
    secrets.push(review.token, ...Object.values(review.invites).map(codeOf))
    const joins: number[] = []
    for (let i = 0; i < 60; i++)
      joins.push(
        (await postJson(`${base}/api/invites/${newInviteCode()}/join`, { name: 'G', function: 'other' }))
          .status,
      )
    const reads: number[] = []
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/api/reviews/${review.reviewId}`, {
        headers: { authorization: `Bearer ${newToken()}` },
      })
      reads.push(res.status)
    }
    const sockets: string[] = []
    for (let i = 0; i < 20; i++) sockets.push(await handshake(base, newToken()))
    const hits =
      [...joins, ...reads].filter((s) => s < 400).length + sockets.filter((s) => s === 'connected').length
    report('S4-guess', {
      joinGuesses: joins.length,
      join404: joins.filter((s) => s === 404).length,
      join429: joins.filter((s) => s === 429).length,
      read429: reads.filter((s) => s === 429).length,
      socketRateLimited: sockets.filter((s) => s === 'rate limited').length,
      hits,
    })
    expect(hits).toBe(0)
    expect(joins.filter((s) => s === 404).length).toBeLessThanOrEqual(20)
    expect(joins.at(-1)).toBe(429)
    expect(reads.every((s) => s === 429)).toBe(true)
    expect(sockets.every((s) => s === 'rate limited')).toBe(true)
  })

  it('[S4] rotation and removal take effect within 1 s: old link refused, socket closed, token refused', async () => {
    const review = await createReview(url)
    secrets.push(review.token, ...Object.values(review.invites).map(codeOf))
    const fac = new FaultClient(url, review.token)
    const bo = await join(url, review.invites.reviewer, 'Bo')
    secrets.push(bo.token)
    const boClient = new FaultClient(url, bo.token)
    await until(() => fac.synced > 0 && boClient.synced > 0)

    const rotated = await fac.command({ type: 'invite.rotate', commandId: 'rot', role: 'reviewer' })
    const t0 = Date.now()
    const old = await postJson(`${url}/api/invites/${codeOf(review.invites.reviewer)}/join`, {
      name: 'Late',
      function: 'other',
    })
    const rotationMs = Date.now() - t0
    expect(rotated.ok).toBe(true)
    expect(old.status).toBe(404)
    const fresh = (rotated as { invite?: string }).invite!
    secrets.push(codeOf(fresh))
    expect((await join(url, fresh, 'New')).roles).toEqual(['reviewer'])

    const closed = new Promise<number>((r) => boClient.socket.once('disconnect', () => r(Date.now())))
    const t1 = Date.now()
    expect(
      await fac.command({ type: 'participant.remove', commandId: 'rm', participantId: bo.participantId }),
    ).toMatchObject({ ok: true })
    const removalMs = (await closed) - t1
    const read = await fetch(`${url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${bo.token}` },
    })
    report('S4-revoke', { rotationMs, removalMs })
    expect(removalMs).toBeLessThanOrEqual(1000)
    expect(boClient.closedWith[0]?.code).toBe('UNAUTHORIZED')
    expect(read.status).toBe(401)
    expect(await handshake(url, bo.token)).toBe('unauthorized')
    fac.close()
    boClient.close()
  })

  it('[S5] handshake: no token, bad token and foreign Origin refused; no Origin judged by the token', async () => {
    const review = await createReview(url)
    secrets.push(review.token)
    expect(await handshake(url, undefined)).toBe('unauthorized')
    expect(await handshake(url, 'x'.repeat(43))).toBe('unauthorized')
    expect(await handshake(url, review.token, 'https://evil.example')).not.toBe('connected')
    expect(await handshake(url, review.token, url)).toBe('connected')
    expect(await handshake(url, review.token)).toBe('connected')
  })

  it('[W1] helmet headers on API, health, 404, static files and the invite page; no referrer', async () => {
    const asset =
      clientDir === 'dist/client'
        ? fs.readdirSync('dist/client/assets').find((f) => f.endsWith('.js'))
        : undefined
    const paths = [
      '/healthz',
      '/api/reviews/nope',
      '/api/nothing-here',
      '/join/some-invite-code',
      '/no/such/page',
    ]
    if (asset) paths.push(`/assets/${asset}`)
    for (const p of paths) {
      const res = await fetch(`${url}${p}`)
      const h = res.headers
      expect(h.get('content-security-policy'), p).toMatch(/default-src 'self'/)
      expect(h.get('x-content-type-options'), p).toBe('nosniff')
      expect(h.get('referrer-policy'), p).toBe('no-referrer')
      expect(h.get('x-frame-options'), p).toBe('SAMEORIGIN')
      expect(h.get('cross-origin-opener-policy'), p).toBe('same-origin')
      expect(h.get('x-powered-by'), p).toBeNull()
    }
    report('W1', { paths })
  })

  it('[W1] refusals and faults are logged as structured JSON, and no token or invite code is ever logged', async () => {
    const review = await createReview(url)
    secrets.push(review.token, ...Object.values(review.invites).map(codeOf))
    const reader = await join(url, review.invites.reviewer, 'Reader')
    secrets.push(reader.token)
    const c = new FaultClient(url, reader.token)
    await until(() => c.synced > 0)
    c.insert('not allowed')
    await until(() => c.refusals.length > 0)
    await c.command({ type: 'phase.advance', commandId: 'nope', to: 'reading' })
    await handshake(url, `${review.token}x`)
    c.close()
    await sleep(50)
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const refusals = entries.filter((e) => e.msg === 'refused')
    expect(refusals.some((e) => e.code === 'FORBIDDEN' && e.event === 'yjs:sync')).toBe(true)
    expect(refusals.some((e) => e.code === 'FORBIDDEN' && e.event === 'command')).toBe(true)
    const all = logLines.join('\n')
    const leaked = secrets.filter((s) => all.includes(s))
    report('W1-logs', {
      lines: logLines.length,
      refusalsLogged: refusals.length,
      secretsChecked: secrets.length,
      leaked: leaked.length,
    })
    expect(secrets.length).toBeGreaterThan(10)
    expect(leaked).toEqual([])
  })
})
