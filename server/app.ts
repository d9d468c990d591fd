import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { Server } from 'socket.io'
import * as msgpackParser from './socket/cachingParser'
import { ephemeralSecretBox, keyFromSecret, secretBox, type SecretBox } from './auth/secretBox'
import { newId } from './auth/secrets'
import type { ClusterNode } from './cluster/cluster'
import { healthRoutes } from './cluster/health'
import { forwardToOwner } from './cluster/httpForward'
import type { Config } from './config'
import { apiRouter } from './http/api'
import { errorHandler, notFound } from './http/errors'
import { GuessLimiter, limitGuesses } from './http/rateLimit'
import { exportsRouter } from './http/exports'
import { securityHeaders } from './http/security'
import { roundsRouter } from './http/rounds'
import { serveClient } from './http/staticClient'
import { createLogger, type Logger } from './logger'
import type { RoomDeps } from './rooms/deps'
import { RoomRegistry } from './rooms/roomRegistry'
import { setupSockets } from './socket/connection'
import { guardSockets, ratesOf } from './socket/rateLimit'
import type { AppServer } from './socket/types'
import type { Store } from './store/types'
import { mountYjsDoor, type YjsDoor } from './ywebsocket/door'
import { OversizedClients } from './ywebsocket/oversized'
import { LATE, probeProblem } from './http/probe'

export interface AppDeps {
  store: Store
  config: Config
  clock?: () => number
  ids?: () => string
  logger?: Logger
  /** Seals invite and return codes; default: from `config.secretKey`, else a key for this process only. */
  secrets?: SecretBox
  /** One of several processes (REDIS_URL): ownership, fencing and relays (server/cluster). */
  cluster?: ClusterNode
}

export interface App {
  httpServer: http.Server
  io: AppServer
  rooms: RoomRegistry
  /** The y-websocket door (`/yjs/<reviewId>`). */
  yjs: YjsDoor
  /** The public base URL (PUBLIC_URL, or http://HOST:PORT once listening). */
  publicUrl: () => string
  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen: () => Promise<string>
  /** Stops accepting, flushes every room, closes sockets. Does not close the store. */
  close: () => Promise<void>
}

const HEALTH_READ_MS = 2_000

/** Why the store cannot answer a read within `HEALTH_READ_MS`, or null when it can. */
async function storeReadProblem(store: Store): Promise<string | null> {
  const problem = await probeProblem(() => store.getReview('healthz'), HEALTH_READ_MS)
  if (problem === null) return null
  return problem === LATE
    ? `the store did not answer a read within ${HEALTH_READ_MS} ms`
    : `the store cannot read: ${problem}`
}

/** Builds the server from its parts (CONVENTIONS §6); server/main.ts picks the real ones. */
export function createApp({
  store,
  config,
  clock = Date.now,
  ids = newId,
  logger,
  secrets,
  cluster,
}: AppDeps): App {
  const log = logger ?? createLogger(config.logLevel)
  const app = express()
  app.disable('x-powered-by')
  const httpServer = http.createServer(app)

  const publicUrl = (): string => {
    if (config.publicUrl) return config.publicUrl
    const addr = httpServer.address() as AddressInfo | null
    const port = addr?.port ?? config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`
  }

  const io: AppServer = new Server(httpServer, {
    parser: msgpackParser,
    maxHttpBufferSize: config.limits.frameBytes,
    serveClient: false,
    // engine.io would end upgrades on other paths (the y-websocket door) after 1 s otherwise.
    destroyUpgrade: false,
    // An idle client notices a paused or unplugged server within ~15 s, not the default 45 s
    // (SCALEOUT §2.4); then it reconnects to a process that can serve its review.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  })
  const box =
    secrets ?? (config.secretKey ? secretBox(keyFromSecret(config.secretKey)) : ephemeralSecretBox())
  const deps: RoomDeps = { store, config, clock, ids, logger: log, nsp: io.of('/'), publicUrl, secrets: box }
  const rooms = new RoomRegistry(deps, cluster?.hooks)
  // Rate limits and guess limits (M3, S4) run before the auth middleware and every handler.
  const rates = ratesOf(config.limits.rates)
  const guesses = new GuessLimiter(rates.guessBurst, rates.guessesPerMin, clock)
  guardSockets(io, { store, logger: log, guesses, rates, clock })
  setupSockets(io, deps, rooms, cluster?.remote)
  // One record of too-large document copies for the door's own sessions and relayed ones alike.
  const sessionDeps = { ...deps, rooms, rates, guesses, oversized: new OversizedClients(clock) }
  const yjs = mountYjsDoor(httpServer, { ...sessionDeps, relay: () => cluster?.remote })
  cluster?.attach({ rooms, io, closeDoor: () => yjs.close() })
  cluster?.remote?.bind({ rooms, store, sessionDeps })

  app.use(securityHeaders(publicUrl))
  app.use('/api', limitGuesses(guesses, log, Math.ceil(60 / rates.guessesPerMin)))
  if (cluster) app.use('/api', forwardToOwner(cluster, store, log))
  if (cluster) app.use(healthRoutes(cluster))
  // Up means able to read the store too: one indexed lookup, answered 503 with the reason [DB2].
  app.get('/healthz', async (_req, res) => {
    const reason = await storeReadProblem(store)
    if (reason) return res.status(503).json({ ok: false, reason })
    res.json({ ok: true })
  })
  app.get('/readyz', (_req, res) => {
    res.json({ ok: true })
  })
  app.use('/api', roundsRouter({ ...deps, rooms }), exportsRouter({ ...deps, rooms }))
  app.use('/api', express.json({ limit: config.limits.jsonBytes }), apiRouter({ ...deps, rooms }))
  app.use(notFound(serveClient(app, config.clientDir)))
  app.use(errorHandler(log))

  let closing: Promise<void> | undefined
  return {
    httpServer,
    io,
    rooms,
    yjs,
    publicUrl,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject)
          resolve(publicUrl())
        })
      }),
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
        // Closing the transports (not a Socket.IO "server disconnect") lets clients reconnect on
        // their own once the server is back: a restart must not leave every browser offline (R5).
        for (const socket of io.of('/').sockets.values()) socket.conn.close()
        yjs.close()
        await rooms.closeAll()
        await io.close().catch(() => undefined)
        httpServer.closeAllConnections()
        await stopped
      })()),
  }
}
