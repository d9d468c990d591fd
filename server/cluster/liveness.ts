import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Liveness of this process in PostgreSQL (SCALEOUT §2.2): a random 63-bit incarnation per start,
 * its `node_lease` row, and a session advisory lock on that number held by ONE dedicated
 * connection (never the pool, never through PgBouncer). While the lock is held the process is
 * alive for everyone; when the connection ends — the process was killed, or it paused and
 * PostgreSQL ended the idle session after `idle_session_timeout` — any process may take the lock
 * and so mark this incarnation dead. No clock decides it: the database session does.
 *
 * A 1 s heartbeat keeps the session from idling out while the process runs. If the heartbeat
 * fails or goes unanswered for `LOST_AFTER_MS`, or the connection ends, `onLost` runs once: the
 * process must stop acknowledging and close every socket (self-fence, server/cluster/cluster.ts).
 */
export const HEARTBEAT_MS = 1_000
/** PostgreSQL ends the liveness session after this long without a statement (the pause → takeover time). */
export const IDLE_SESSION_TIMEOUT = '5s'
/** Below the idle timeout: a process that cannot reach PostgreSQL fences itself before it can be replaced. */
const LOST_AFTER_MS = 3_000

export interface LivenessOptions {
  url: string
  /** Shown in node_lease and logs (host:port). */
  nodeName: string
  /** Where other processes reach this one over HTTP (node_lease.address). */
  address?: string
  onLost: (reason: string) => void
}

export interface Liveness {
  /** This start's number, as a decimal string (bigint in PostgreSQL). */
  readonly incarnation: string
  /** False once the session was lost (onLost has run). */
  readonly alive: boolean
  /** Ends the session: the lock goes, the row is marked dead (graceful stop). */
  close(): Promise<void>
}

/** A random positive 63-bit number, never 0. */
export function newIncarnation(): string {
  for (;;) {
    const n = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn
    if (n !== 0n) return n.toString()
  }
}

export async function startLiveness(options: LivenessOptions): Promise<Liveness> {
  const incarnation = newIncarnation()
  const client = new pg.Client({
    connectionString: options.url,
    keepAlive: true,
    keepAliveInitialDelayMillis: 2_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'prfaq-liveness',
  })
  client.on('error', () => undefined) // reported through 'end' and the heartbeat
  await client.connect()
  let alive = true
  let closing = false
  const timer: { id?: NodeJS.Timeout } = {}
  const lost = (reason: string) => {
    if (!alive || closing) return
    alive = false
    clearInterval(timer.id)
    client.end().catch(() => undefined)
    options.onLost(reason)
  }
  try {
    await client.query(
      `SET idle_session_timeout = '${IDLE_SESSION_TIMEOUT}';
       SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3`,
    )
    await client.query('INSERT INTO node_lease (incarnation, node_name, address) VALUES ($1, $2, $3)', [
      incarnation,
      options.nodeName,
      options.address ?? null,
    ])
    await client.query('SELECT pg_advisory_lock($1::bigint)', [incarnation])
  } catch (e) {
    await client.end().catch(() => undefined)
    throw e
  }
  client.on('end', () => lost('the liveness connection to PostgreSQL ended'))
  let waiting = false
  let since = 0
  timer.id = setInterval(() => {
    if (waiting) {
      if (Date.now() - since > LOST_AFTER_MS) lost('PostgreSQL did not answer the liveness heartbeat')
      return
    }
    waiting = true
    since = Date.now()
    client.query('SELECT 1').then(
      () => (waiting = false),
      (e: unknown) => lost(`the liveness heartbeat failed: ${(e as Error).message}`),
    )
  }, HEARTBEAT_MS)
  timer.id.unref()

  return {
    incarnation,
    get alive() {
      return alive
    },
    async close() {
      if (closing) return
      closing = true
      clearInterval(timer.id)
      if (!alive) return
      alive = false
      try {
        await client.query('UPDATE node_lease SET dead = true, died_at = now() WHERE incarnation = $1', [
          incarnation,
        ])
      } finally {
        await client.end().catch(() => undefined)
      }
    },
  }
}
