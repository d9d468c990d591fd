import { Router } from 'express'
import { probeProblem } from '../http/probe'
import type { ClusterNode } from './cluster'

/** A probe that does not answer within this long counts as unreachable. */
const PROBE_MS = 1_000

const within = async (probe: () => Promise<unknown>): Promise<boolean> =>
  (await probeProblem(probe, PROBE_MS)) === null

/**
 * Health for several processes (docs/operations.md "Several processes"):
 * - `/healthz`: 200 when PostgreSQL and Redis both answer, else 503; the body says which.
 * - `/readyz`: for the proxy's health check: 503 while draining (SIGTERM), once fenced, or while
 *   the liveness session is lost — this process takes no new review then.
 */
export function healthRoutes(cluster: ClusterNode): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      within(() => cluster.pingPostgres()),
      within(() => cluster.pingRedis()),
    ])
    const ok = postgres && redis
    res.status(ok ? 200 : 503).json({ ok, postgres, redis, incarnation: cluster.incarnation })
  })
  router.get('/readyz', (_req, res) => {
    const ready = cluster.ready
    const state = cluster.fenced ? 'fenced' : cluster.draining ? 'draining' : ready ? 'ready' : 'lease lost'
    res.status(ready ? 200 : 503).json({ ok: ready, state, incarnation: cluster.incarnation })
  })
  return router
}
