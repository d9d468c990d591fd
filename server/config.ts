import type { RateLimits } from './socket/rateLimit'
import type { PostgresPoolOptions } from './store/postgres'

/** Server configuration from the environment (DESIGN §7), with the limits of the wire. */
export interface Config {
  port: number
  host: string
  dataDir: string
  /** DATABASE_URL=postgres://…: the store runs on PostgreSQL; unset: SQLite in dataDir. */
  databaseUrl?: string
  /** PG_POOL_MAX, PG_CONNECT_TIMEOUT_MS, PG_QUERY_TIMEOUT_MS, PG_IDLE_TIMEOUT_MS (docs/operations.md). */
  postgresPool: PostgresPoolOptions
  /** The address browsers use; undefined → http://HOST:PORT of the listening socket. */
  publicUrl?: string
  /** SQLite durability: FULL survives power loss, NORMAL a process crash. */
  synchronous: 'FULL' | 'NORMAL'
  logLevel: string
  limits: Limits
  /** Where the built client lives (served when it exists). */
  clientDir: string
  /** `SECRET_KEY`: seals invite and return codes at rest; unset → a key file in `dataDir` [PA13]. */
  secretKey?: string
  /**
   * `REDIS_URL=redis://…` with a PostgreSQL DATABASE_URL: one of several processes serving the
   * same reviews (server/cluster, docs/operations.md "Several processes"). Unset: one process.
   */
  redisUrl?: string
  /** `NODE_NAME`: this process in logs and node_lease (default host:port). */
  nodeName?: string
}

export interface Limits {
  /** JSON request bodies (M2: larger gets 413). */
  jsonBytes: number
  /** One Socket.IO frame: must exceed the largest state sent, so states travel in one piece. */
  frameBytes: number
  /** One Yjs update from a client; larger gets TOO_LARGE. */
  updateBytes: number
  /** An empty room stays loaded this long after its last client left (reconnects are cheap). */
  roomIdleMs: number
  /** Graceful shutdown gives up after this long. */
  shutdownMs: number
  /** A review's whole encoded document; edits past it get TOO_LARGE (default in rooms/docLimit.ts). */
  docBytes?: number
  /** Per-socket and per-address rate limits (M3, S4); defaults in socket/rateLimit.ts. */
  rates?: Partial<RateLimits>
}

export const DEFAULT_LIMITS: Limits = {
  jsonBytes: 2 * 1024 * 1024,
  frameBytes: 16 * 1024 * 1024,
  updateBytes: 2 * 1024 * 1024,
  roomIdleMs: 5_000,
  shutdownMs: 5_000,
}

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0–65535, got ${raw}.`)
  return port
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${raw}.`)
  return n
}

function parseRedisUrl(raw: string | undefined, databaseUrl: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!/^rediss?:\/\//.test(raw)) throw new Error('REDIS_URL must start with redis:// or rediss://.')
  if (!databaseUrl)
    throw new Error(
      'REDIS_URL needs DATABASE_URL=postgres://…: several processes share one PostgreSQL database.',
    )
  return raw
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!/^postgres(ql)?:\/\//.test(raw))
    throw new Error('DATABASE_URL must start with postgres:// (unset it to use SQLite in DATA_DIR).')
  return raw
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT)
  const host = env.HOST || '127.0.0.1'
  const synchronous = env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL)
  return {
    port,
    host,
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    redisUrl: parseRedisUrl(env.REDIS_URL, databaseUrl),
    nodeName: env.NODE_NAME || undefined,
    postgresPool: {
      max: positive(env, 'PG_POOL_MAX'),
      connectTimeoutMs: positive(env, 'PG_CONNECT_TIMEOUT_MS'),
      queryTimeoutMs: positive(env, 'PG_QUERY_TIMEOUT_MS'),
      idleTimeoutMs: positive(env, 'PG_IDLE_TIMEOUT_MS'),
    },
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    synchronous,
    logLevel: env.LOG_LEVEL || 'info',
    limits: { ...DEFAULT_LIMITS },
    clientDir: env.CLIENT_DIR || 'dist/client',
    secretKey: env.SECRET_KEY || undefined,
  }
}

/** A config for tests and embedding: defaults, overridable field by field. */
export type ConfigOverrides = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Limits> }

export function testConfig(overrides: ConfigOverrides = {}): Config {
  return { ...loadConfig({}), port: 0, ...overrides, limits: { ...DEFAULT_LIMITS, ...overrides.limits } }
}
