import { createApp } from './app'
import { loadKey, secretBox } from './auth/secretBox'
import { clusterFence, type ClusterNode } from './cluster/cluster'
import { startClusterNode } from './cluster/start'
import { loadConfig } from './config'
import { createLogger } from './logger'
import { SchemaTooNewError } from './store/migrations/runner'
import { createPostgresStore, StoreUnreachableError } from './store/postgres'
import { createSqliteStore, DataDirError } from './store/sqlite'
import type { Store } from './store/types'

/** The one place that picks the real adapters. Prints the address it serves on. */
async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  let store: Store
  // Several processes (REDIS_URL): every commit fenced against this process's ownership.
  const fence = config.redisUrl ? clusterFence() : undefined
  try {
    store = config.databaseUrl
      ? await createPostgresStore({
          url: config.databaseUrl,
          pool: config.postgresPool,
          log: (message) => logger.error(message),
          fence,
        })
      : createSqliteStore({
          dataDir: config.dataDir,
          synchronous: config.synchronous,
          pageSize: Number(process.env.SQLITE_PAGE_SIZE) || undefined,
        })
  } catch (e) {
    if (e instanceof DataDirError || e instanceof StoreUnreachableError || e instanceof SchemaTooNewError) {
      console.error(`Cannot start: ${e.message}`)
      process.exit(1)
    }
    throw e
  }
  let secrets
  try {
    secrets = secretBox(loadKey(config.secretKey, config.dataDir))
  } catch (e) {
    console.error(`Cannot start: ${(e as Error).message}`)
    process.exit(1)
  }
  let cluster: ClusterNode | undefined
  if (fence && config.redisUrl && config.databaseUrl) {
    try {
      cluster = await startClusterNode(config, logger, fence)
    } catch (e) {
      console.error(`Cannot start: ${(e as Error).message}`)
      process.exit(1)
    }
  }
  const app = createApp({ store, config, logger, secrets, cluster })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      console.error('Shutdown took too long; exiting.')
      process.exit(1)
    }, config.limits.shutdownMs)
    force.unref()
    // Several processes: hand the reviews back first, spread out, so clients move over in a trickle.
    void (cluster?.drain() ?? Promise.resolve())
      .then(() => app.close())
      .then(() => cluster?.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e)
          process.exit(1)
        },
      )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))

  // Printed last: whoever reads the address may signal at once, so the handlers come first.
  const url = await app.listen()
  await cluster?.listening(url).catch(() => undefined)
  console.log(`PR/FAQ Board listening on ${url}`)
}

main().catch((e: unknown) => {
  console.error(`Cannot start: ${(e as Error).message}`)
  process.exit(1)
})
