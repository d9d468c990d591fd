import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../shared/domain/events'
import { ClusterNode, clusterFence } from '../../server/cluster/cluster'
import type { StoreFence } from '../../server/cluster/fence'
import { silentLogger } from '../../server/logger'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'
import { createTestDatabase, type TestDatabase } from '../integration/helpers/postgres'

/**
 * Liveness, claim, takeover and the commit fence on a real PostgreSQL (SCALEOUT §2.2), with two
 * cluster nodes in this process, each with its own store. Processes come in processes.test.ts.
 */
let db: TestDatabase
const open: Array<{ close: () => Promise<void> }> = []
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  for (const o of open.reverse()) await o.close().catch(() => undefined)
  await db.drop()
})

interface Node {
  node: ClusterNode
  store: Store
  fencedReasons: string[]
  lost: string[]
}

async function startNode(name: string): Promise<Node> {
  const fence = clusterFence()
  const store = await createPostgresStore({ url: db.url, fence, foldOnOpen: false })
  const fencedReasons: string[] = []
  const lost: string[] = []
  const node = await ClusterNode.start({
    databaseUrl: db.url,
    nodeName: name,
    logger: silentLogger(),
    onFenced: (r) => fencedReasons.push(r),
  })
  fence.bind(node)
  const original = node.lost.bind(node)
  node.lost = (ids) => {
    lost.push(...ids)
    original(ids)
  }
  open.push(store, node)
  return { node, store, fencedReasons, lost }
}

const event = (seq: number, incarnation: string): StoredEvent =>
  ({ type: 'timer.set', seconds: seq, seq, at: seq, actorId: incarnation }) as unknown as StoredEvent

async function newReview(store: Store, id: string): Promise<void> {
  await store.write(id, { review: { id, title: id, createdAt: 0 }, events: [] })
}

/**
 * Ends a node's liveness session the way PostgreSQL does after `idle_session_timeout`, and waits
 * until that backend has exited (its locks released): without the timeout, pg_terminate_backend
 * only signals it, and a claim right after could still find the session alive.
 */
async function endLivenessSession(incarnation: string): Promise<void> {
  const rows = await db.query<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_locks
      WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [incarnation],
  )
  expect(rows.map((r) => r.ended)).toEqual([true])
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t = Date.now()
  while (!(await check())) {
    if (Date.now() - t > ms) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('one owner per review, fenced in PostgreSQL', () => {
  it('[X3] a review has one owner; another process claims it only once the owner is gone', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    expect(a.node.incarnation).not.toBe(b.node.incarnation)
    await newReview(a.store, 'r1')
    expect(await a.node.owners.claim('r1')).toEqual({ mine: true })
    expect(await a.node.owners.claim('r1')).toEqual({ mine: true }) // again: still ours
    expect(await b.node.owners.claim('r1')).toMatchObject({ mine: false, owner: a.node.incarnation })

    // The owner's writes commit and carry its incarnation; the other's are refused, nothing written.
    await a.store.write('r1', { events: [event(1, a.node.incarnation)] })
    await expect(b.store.write('r1', { events: [event(2, b.node.incarnation)] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    expect(b.lost).toEqual(['r1'])
    expect(await db.query('SELECT seq, incarnation::text FROM events WHERE review_id = $1', ['r1'])).toEqual([
      { seq: 1, incarnation: a.node.incarnation },
    ])

    // The owner's liveness session ends: it fences itself, and the other takes the review over.
    const t0 = Date.now()
    await endLivenessSession(a.node.incarnation)
    expect(await b.node.owners.claim('r1')).toEqual({ mine: true })
    const transferMs = Date.now() - t0
    await until(() => a.fencedReasons.length > 0, 3_000, 'the old owner fences itself')
    await expect(a.store.write('r1', { events: [event(2, a.node.incarnation)] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    await b.store.write('r1', { events: [event(2, b.node.incarnation)] })
    const [lease] = await db.query<{ dead: boolean }>('SELECT dead FROM node_lease WHERE incarnation = $1', [
      a.node.incarnation,
    ])
    expect(lease?.dead).toBe(true)
    console.log(`[X3] ownership moved ${transferMs} ms after the owner's session ended`)
  })

  it('[X4] a paused owner that has not noticed anything commits nothing once it was declared dead', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    await newReview(a.store, 'r2')
    expect(await a.node.owners.claim('r2')).toEqual({ mine: true })
    // The zombie: a's incarnation through a fence that still believes it is alive (a paused
    // process whose timers have not run yet), writing with its own pool.
    let toldDead = 0
    const zombieFence: StoreFence = {
      incarnation: a.node.incarnation,
      fenced: () => false,
      nodeDead: () => toldDead++,
      ownershipLost: () => undefined,
    }
    const zombie = await createPostgresStore({ url: db.url, fence: zombieFence, foldOnOpen: false })
    open.push(zombie)
    await zombie.write('r2', { updates: [new Uint8Array([1, 2, 3])] })

    await endLivenessSession(a.node.incarnation)
    expect(await b.node.owners.claim('r2')).toEqual({ mine: true })
    const before = await db.query('SELECT count(*)::int AS n FROM doc_updates WHERE incarnation = $1', [
      a.node.incarnation,
    ])
    await expect(zombie.write('r2', { updates: [new Uint8Array([4, 5, 6])] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    await expect(zombie.write('r2', { events: [event(1, 'z')] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    expect(toldDead).toBe(2)
    expect(
      await db.query('SELECT count(*)::int AS n FROM doc_updates WHERE incarnation = $1', [
        a.node.incarnation,
      ]),
    ).toEqual(before)
    expect(before).toEqual([{ n: 1 }])
    expect(await db.query('SELECT count(*)::int AS n FROM events WHERE review_id = $1', ['r2'])).toEqual([
      { n: 0 },
    ])
  })

  it('[X3] a released review is claimed by the next process without any takeover', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    await newReview(a.store, 'r3')
    expect(await a.node.owners.claim('r3')).toEqual({ mine: true })
    await a.node.owners.release('r3')
    expect(await b.node.owners.claim('r3')).toEqual({ mine: true })
    expect(await a.node.owners.claim('r3')).toMatchObject({ mine: false, owner: b.node.incarnation })
    // A graceful stop gives everything back and ends the lease: claimable at once, and a is dead.
    await b.node.close()
    expect(await a.node.owners.claim('r3')).toEqual({ mine: true })
    const [lease] = await db.query<{ dead: boolean }>('SELECT dead FROM node_lease WHERE incarnation = $1', [
      b.node.incarnation,
    ])
    expect(lease?.dead).toBe(true)
  })
})
