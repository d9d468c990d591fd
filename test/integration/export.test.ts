import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../server/app'
import { testConfig } from '../../server/config'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { BoardClient, joinAs } from './helpers/reviewFlow'
import { postJson, type CreatedReview } from './helpers/testServer'

// A server whose every log line (debug and up) is kept, to prove no token is ever written down.
let logs = ''
let app: App
let store: Store
let url = ''
beforeAll(async () => {
  store = createMemoryStore()
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString()
      done()
    },
  })
  app = createApp({
    store,
    config: testConfig({ clientDir: '/nonexistent' }),
    logger: pino({ level: 'debug' }, sink),
  })
  url = await app.listen()
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const TITLE = 'Pantry Plan: "spring" launch — Ünïcode'

async function create(): Promise<CreatedReview> {
  const res = await postJson(`${url}/api/reviews`, {
    title: TITLE,
    facilitator: { name: 'Ada', function: 'product' },
  })
  expect(res.status).toBe(201)
  return res.body as CreatedReview
}

const fetchExport = (path: string, token?: string) =>
  fetch(`${url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {})

describe('exports over HTTP', () => {
  it('[EXP1] [EXP2] answers a Bearer header or ?token= with private, uncached, named files; refuses anything else', async () => {
    const review = await create()
    const other = await create()
    const base = `/api/reviews/${review.reviewId}`

    const md = await fetchExport(`${base}/export.md`, review.token)
    expect(md.status).toBe(200)
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/)
    expect(md.headers.get('cache-control')).toBe('no-store')
    expect(md.headers.get('referrer-policy')).toBe('no-referrer')
    expect(md.headers.get('content-disposition')).toBe(
      `attachment; filename="Pantry-Plan-spring-launch-Unicode.md"; filename*=UTF-8''${encodeURIComponent(`${TITLE}.md`)}`,
    )
    expect(await md.text()).toContain('# Appendix A — Critique')

    const html = await fetchExport(`${base}/export.html?token=${review.token}`)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/)
    expect(html.headers.get('cache-control')).toBe('no-store')
    expect(html.headers.get('referrer-policy')).toBe('no-referrer')
    expect(html.headers.get('content-disposition')).toMatch(
      /^inline; filename="Pantry-Plan-spring-launch-Unicode.html"/,
    )
    // The page's own <style> must be allowed, or the print layout is lost.
    expect(html.headers.get('content-security-policy')).toMatch(/style-src [^;]*'unsafe-inline'/)
    const page = await html.text()
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('Pantry Plan: &quot;spring&quot; launch')

    const refused = await Promise.all([
      fetchExport(`${base}/export.md`),
      fetchExport(`${base}/export.md`, other.token), // a token of another review
      fetchExport(`${base}/export.html?token=${other.token}`),
      fetchExport(`${base}/export.html?token=not-a-token`),
      fetchExport(`${base}/rounds?token=${review.token}`), // the query form is for exports only
      fetchExport(`/api/reviews/${other.reviewId}/export.md`, review.token),
    ])
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401])
    expect(await refused[0]!.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } })
    expect(logs).not.toContain(review.token)
    expect(logs).not.toContain(other.token)
  })

  it('[EXP1] [CV6] [CV7] takes cards from the reader’s projection: blind cards absent, anonymous authors unnamed, text escaped', async () => {
    const review = await create()
    const base = `/api/reviews/${review.reviewId}`
    const fac = await new BoardClient(url, review).ready()
    const lawyer = await joinAs(url, review.invites.reviewer, 'Lou Lawyer', 'legal')
    const lou = await new BoardClient(url, lawyer).ready()
    await fac.ok('settings.update', { anonymousByFunction: true })
    await fac.advance('reading', 'critique')
    await lou.card('BLIND-LEGAL <script>alert(1)</script> consent is missing')

    const during = await Promise.all(
      ['export.md', 'export.html'].map((f) =>
        fetchExport(`${base}/${f}`, review.token).then((r) => r.text()),
      ),
    )
    for (const text of during) expect(text).not.toContain('BLIND-LEGAL')

    await fac.advance('discussion')
    const md = await fetchExport(`${base}/export.md`, review.token).then((r) => r.text())
    const page = await fetchExport(`${base}/export.html`, review.token).then((r) => r.text())
    expect(md).toContain('BLIND-LEGAL')
    expect(md).toContain('a Legal reviewer')
    expect(page).toContain('a Legal reviewer')
    expect(page).toContain('BLIND-LEGAL &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).not.toContain('<script>')
    // The author sees their own name on their card; everyone else does not.
    for (const text of [md, page]) expect(text).not.toContain('Lou Lawyer')
    const own = await fetchExport(`${base}/export.md`, lawyer.token).then((r) => r.text())
    expect(own).toContain('Lou Lawyer')
    fac.close()
    lou.close()
  })
})
