import { describe, expect, it } from 'vitest'
import { LATE, probeProblem } from '../../../server/http/probe'

/**
 * /healthz asks the store (one process) or PostgreSQL and Redis (several) through one probe: an
 * answer is healthy, a failure is reported by its message, and a probe that hangs is LATE within
 * its time, so a stuck store makes /healthz answer 503 instead of hanging too [DB2] [X].
 */
describe('the health probe', () => {
  it('is null when the probe answers', async () => {
    expect(await probeProblem(() => Promise.resolve('ok'), 1_000)).toBeNull()
  })

  it('names the failure when the probe fails, even when it throws before returning a promise', async () => {
    expect(await probeProblem(() => Promise.reject(new Error('disk I/O error')), 1_000)).toBe(
      'disk I/O error',
    )
    expect(
      await probeProblem(() => {
        throw new Error('no connection')
      }, 1_000),
    ).toBe('no connection')
  })

  it('is LATE when the probe does not settle within its time, and answers in about that time', async () => {
    const t = performance.now()
    expect(await probeProblem(() => new Promise(() => {}), 50)).toBe(LATE)
    expect(performance.now() - t).toBeLessThan(1_000)
  })
})
