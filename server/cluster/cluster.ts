import pg from 'pg'
import type { Logger } from '../logger'
import type { RoomHooks, RoomRegistry } from '../rooms/roomRegistry'
import type { AppServer } from '../socket/types'
import type { StoreFence } from './fence'
import { startLiveness, type Liveness } from './liveness'
import { ownership, type Ownership } from './ownership'
import type { RemoteSessions } from './remote'

/**
 * One process among several (SCALEOUT §2, docs/operations.md "Several processes"): active only
 * with REDIS_URL and a PostgreSQL DATABASE_URL. Ties together liveness (liveness.ts), ownership
 * (ownership.ts), the store's fence (fence.ts) and the rooms:
 *
 * - a room loads only after this process claimed its review, and releases it once unloaded;
 * - a commit that finds a review owned by another makes that room step down (clients reconnect);
 * - losing the liveness session, or being found dead, fences the whole process: nothing more is
 *   acknowledged (every write fails the fence), every socket is closed, and `onFenced` runs
 *   (server/main.ts exits non-zero; the supervisor starts a new incarnation).
 */
/** A drain closes its rooms over this long (docs/operations.md "Several processes"). */
export const DRAIN_SPREAD_MS = 1_500

/** This process takes no review now (draining or fenced): the client should come back elsewhere. */
export class NotServingError extends Error {}

export class NotOwnerError extends Error {
  constructor(
    readonly reviewId: string,
    readonly owner: string,
    readonly address: string | null,
  ) {
    super(`review ${reviewId} is owned by incarnation ${owner}`)
    this.name = 'NotOwnerError'
  }
}

/** What the cluster closes when it fences itself or drains. */
export interface ClusterMembers {
  rooms: RoomRegistry
  io: AppServer
  /** Closes every y-websocket session with 1012. */
  closeDoor: () => void
}

export interface ClusterOptions {
  databaseUrl: string
  nodeName: string
  /** This process's own HTTP address (node_lease.address). */
  address?: string
  logger: Logger
  /** Runs once after a self-fence closed the sockets (main: exit non-zero). */
  onFenced: (reason: string) => void
}

/** The fence handed to the store before the cluster starts (the store runs the migrations first). */
export function clusterFence(): StoreFence & { bind(node: ClusterNode): void } {
  let node: ClusterNode | null = null
  return {
    get incarnation() {
      if (!node) throw new Error('the cluster has not started')
      return node.incarnation
    },
    fenced: () => node === null || node.fenced,
    nodeDead: () => node?.fence('another process declared this one dead'),
    ownershipLost: (ids) => node?.lost(ids),
    bind: (n) => (node = n),
  }
}

export class ClusterNode {
  fenced = false
  draining = false
  /** Sessions relayed to and from other processes over Redis (set by server/cluster/start.ts). */
  remote?: RemoteSessions
  private members: ClusterMembers | null = null
  readonly hooks: RoomHooks

  private constructor(
    private readonly options: ClusterOptions,
    private readonly liveness: Liveness,
    private readonly pool: pg.Pool,
    readonly owners: Ownership,
  ) {
    this.hooks = {
      beforeLoad: async (id) => {
        if (this.fenced || this.draining) throw new NotServingError('this process is not taking reviews')
        const claim = await owners.claim(id)
        if (!claim.mine) throw new NotOwnerError(id, claim.owner, claim.address)
        options.logger.debug({ review: id }, 'review claimed')
      },
      afterUnload: (id) => {
        if (this.fenced) return
        owners.release(id).catch((e: unknown) => {
          // Harmless: the row stays until this incarnation ends and is then claimable.
          options.logger.warn({ err: e, review: id }, 'releasing a review failed')
        })
      },
    }
  }

  static async start(options: ClusterOptions): Promise<ClusterNode> {
    let node: ClusterNode | null = null
    const liveness = await startLiveness({
      url: options.databaseUrl,
      nodeName: options.nodeName,
      address: options.address,
      onLost: (reason) => node?.fence(reason),
    })
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 3,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
      application_name: 'prfaq-ownership',
    })
    pool.on('error', () => undefined)
    node = new ClusterNode(options, liveness, pool, ownership(pool, liveness.incarnation))
    options.logger.info({ incarnation: liveness.incarnation, node: options.nodeName }, 'cluster node started')
    return node
  }

  get incarnation(): string {
    return this.liveness.incarnation
  }

  /** Whether the liveness session is held and the process takes reviews (readiness). */
  get ready(): boolean {
    return !this.fenced && !this.draining && this.liveness.alive
  }

  attach(members: ClusterMembers): void {
    this.members = members
  }

  /** Ownership of these reviews moved to another process: their rooms step down. */
  lost(ids: readonly string[]): void {
    for (const id of ids) this.members?.rooms.stepDown(id, 'another server owns this review now')
  }

  /** Self-fence: nothing more is acknowledged, every connection is closed, then `onFenced`. */
  fence(reason: string): void {
    if (this.fenced) return
    this.fenced = true
    this.options.logger.error(
      { incarnation: this.incarnation, reason },
      'self-fenced: closing every connection',
    )
    const m = this.members
    if (m) {
      for (const socket of m.io.of('/').sockets.values()) socket.conn.close()
      m.closeDoor()
      for (const id of m.rooms.ids()) m.rooms.stepDown(id, 'this server was fenced')
    }
    this.options.onFenced(reason)
  }

  /** PostgreSQL answers (health). */
  pingPostgres(): Promise<unknown> {
    return this.pool.query('SELECT 1')
  }

  /** Redis answers (health); set by the relay. */
  pingRedis: () => Promise<unknown> = () => Promise.reject(new Error('no Redis'))

  /**
   * SIGTERM: take no new review, then hand every room back one by one — connections closed,
   * writes flushed, ownership released — spread over `spreadMs`, so their clients reconnect to
   * the other processes in a trickle, not a storm.
   */
  async drain(spreadMs = DRAIN_SPREAD_MS): Promise<void> {
    this.draining = true
    const m = this.members
    if (!m) return
    const ids = m.rooms.ids()
    this.options.logger.info({ rooms: ids.length, spreadMs }, 'draining: handing reviews back')
    const gap = ids.length > 1 ? spreadMs / (ids.length - 1) : 0
    const handed: Array<Promise<void>> = []
    for (let i = 0; i < ids.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, gap))
      handed.push(m.rooms.handOver(ids[i]!))
    }
    await Promise.allSettled(handed)
  }

  /** Records where other processes reach this one over HTTP, once listening. */
  async listening(address: string): Promise<void> {
    await this.pool.query('UPDATE node_lease SET address = $2 WHERE incarnation = $1', [
      this.incarnation,
      address,
    ])
  }

  /** Graceful stop, after the rooms were flushed and unloaded: give every review back, end the lease. */
  async close(): Promise<void> {
    await this.remote?.close().catch(() => undefined)
    if (!this.fenced) await this.owners.releaseAll().catch(() => undefined)
    await this.liveness.close().catch(() => undefined)
    await this.pool.end().catch(() => undefined)
  }
}
