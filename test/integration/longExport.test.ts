import { monitorEventLoopDelay } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { MAX_MARKDOWN_CHARS } from '../../shared/doc/limits'
import { exportOf, sqliteServerForFile } from './helpers/sqliteServer'
import { createReview } from './helpers/testServer'

/**
 * H1 for the exports: a long review's export.md and export.html are rendered in the document
 * worker (server/doc/docWorker.ts) from the room's cached state, so the event loop — every other
 * room's acknowledgements — is not held while they run. A file of its own: a fresh process whose
 * heap holds no other test's megabyte documents (their garbage collection would be measured too).
 */
const server = sqliteServerForFile('prfaq-h1-export-')

describe('[H1] long exports', () => {
  it('[H1] exporting a long review (~1 MB, 35,000 sections) does not hold the event loop', async () => {
    const long = Array.from({ length: 35_000 }, (_, i) => `## Part ${i}\n\nSays ${i}.\n`)
      .join('\n')
      .slice(0, MAX_MARKDOWN_CHARS)
    const review = await createReview(server.url, long)
    // The first export loads the room; what is measured is the export alone.
    expect((await exportOf(server.url, review.reviewId, review.token, 'md')).status).toBe(200)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    const t = performance.now()
    const exports = await Promise.all([
      exportOf(server.url, review.reviewId, review.token, 'md'),
      exportOf(server.url, review.reviewId, review.token, 'html'),
    ])
    const ms = performance.now() - t
    loop.disable()
    console.log(
      `[H1] long export: ${JSON.stringify({ chars: long.length, exportMs: Math.round(ms), loopMaxDelayMs: Math.round(loop.max / 1e6) })}`,
    )
    expect(exports.map((e) => e.status)).toEqual([200, 200])
    expect(exports[0]!.text).toContain('## Part 34999')
    expect(exports[1]!.text).toContain('Part 34999')
    expect(loop.max / 1e6).toBeLessThanOrEqual(250)
  }, 120_000)
})
