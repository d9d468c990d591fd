import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportOf } from '../integration/helpers/sqliteServer'
import { createReview } from '../integration/helpers/testServer'
import { freePort, restartProcess, type ServerProcess } from './helpers/processes'

/**
 * The server bundled with esbuild (as the bench and these fault tests run it) has no TypeScript
 * beside it: a long import and a long export still go through the document worker [H1], built
 * next to the bundle (scripts/bundleServer.ts), instead of answering 503.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-bundle-'))
let server: ServerProcess | undefined
afterAll(async () => {
  await server?.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the bundled server', () => {
  it('[H1] imports ~60,000 characters and exports them, both in the document worker', async () => {
    server = await restartProcess(dir, await freePort())
    const long = Array.from({ length: 2_000 }, (_, i) => `## Part ${i}\n\nSays ${i} at length.\n`).join('\n')
    expect(long.length).toBeGreaterThan(50_000) // OFF_THREAD_CHARS: imported in the worker
    const review = await createReview(server.url, long)
    const md = await exportOf(server.url, review.reviewId, review.token, 'md')
    expect(md.status).toBe(200)
    expect(md.text).toContain('## Part 1999')
    const html = await exportOf(server.url, review.reviewId, review.token, 'html')
    expect(html.status).toBe(200)
    expect(html.text).toContain('Part 1999')
  }, 60_000)
})
