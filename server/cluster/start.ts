import type { Config } from '../config'
import type { Logger } from '../logger'
import { ClusterNode, type clusterFence } from './cluster'
import { Relay } from './relay'
import { RemoteSessions } from './remote'

/** Exit code of a self-fenced process (EX_TEMPFAIL): the supervisor starts a new incarnation. */
export const FENCED_EXIT_CODE = 75

/**
 * Starts this process as one of several (REDIS_URL + a PostgreSQL DATABASE_URL): liveness and
 * ownership in PostgreSQL, relays over Redis. A self-fenced process exits with 75 once its
 * sockets are closed; run it under a supervisor that restarts it (docs/operations.md).
 */
export async function startClusterNode(
  config: Config,
  logger: Logger,
  fence: ReturnType<typeof clusterFence>,
): Promise<ClusterNode> {
  const node = await ClusterNode.start({
    databaseUrl: config.databaseUrl!,
    nodeName: config.nodeName ?? `${config.host}:${config.port}`,
    logger,
    onFenced: (reason) => {
      console.error(`Fenced (${reason}): every connection closed; exiting so a new incarnation can start.`)
      setTimeout(() => process.exit(FENCED_EXIT_CODE), 200)
    },
  })
  fence.bind(node)
  const relay = new Relay(config.redisUrl!, node.incarnation, logger)
  node.remote = new RemoteSessions(relay, node, logger)
  node.pingRedis = () => relay.ping()
  return node
}
