import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import * as Y from 'yjs'
import { BoardClient, Recorder, appendToSection, joinAs } from '../integration/helpers/reviewFlow'
import { until } from '../integration/helpers/syncClient'
import { createReview } from '../integration/helpers/testServer'
import { percentile } from '../faults/helpers/seed'
import { ywsClient } from '../integration/helpers/ywsClient'
import { FaultClient } from '../faults/helpers/faultClient'
import { startCluster, type TestCluster } from './helpers/cluster'

/**
 * Three processes on loopback, one review, participants spread over all of them (SCALEOUT §2.3):
 * the owner alone applies the rules; clients on the other two are relayed to it over Redis.
 */
let cluster: TestCluster
const clients: Array<{ disconnect?: () => void; socket?: { close(): void } }> = []
beforeAll(async () => {
  cluster = await startCluster(3)
})
afterAll(async () => {
  for (const c of clients) c.socket?.close()
  await cluster?.stop()
})
const track = <T extends { socket: { close(): void } }>(c: T): T => {
  clients.push(c)
  return c
}
const url = (i: number) => cluster.nodes[i]!.url

const text = (doc: Y.Doc) => JSON.stringify(doc.getXmlFragment('prfaq').toJSON())

describe('several processes serve one review', () => {
  it('[X5] [X6] the review flow with participants on three processes: edits converge, commands acked once, reading lock and blind critique hold', async () => {
    // Created on node 2, joined on node 3: HTTP reaches whichever process, the owner answers.
    const review = await createReview(url(1))
    const fac = track(await new BoardClient(url(0), review).ready())
    const owner = await cluster.ownerOf(review.reviewId)
    expect(cluster.indexOf(owner?.address ?? null)).toBe(0)

    const authorP = await joinAs(url(2), review.invites.author!, 'Ann', 'engineering')
    const revP = await joinAs(url(1), review.invites.reviewer!, 'Rex', 'legal')
    const spyP = await joinAs(url(2), review.invites.reviewer!, 'Sid', 'finance')
    const author = track(await new BoardClient(url(1), authorP).ready()) // relayed
    const rev = track(await new BoardClient(url(2), revP).ready()) // relayed
    // Every frame the spy's process relays to it, and everything on Redis.
    const spy = new Recorder(url(1), spyP.token)
    await spy.connect()
    clients.push(spy)
    const admin = new Redis(cluster.redis.url)
    const monitor = await admin.monitor() // a connection of its own
    admin.disconnect()
    const redisTraffic: string[] = []
    monitor.on('monitor', (_t: string, args: string[]) => redisTraffic.push(args.join(' ')))
    expect((await cluster.ownerOf(review.reviewId))?.incarnation).toBe(owner?.incarnation)

    // Edits from the owner's client and a relayed one reach everyone.
    appendToSection(author.doc, 'The problem', ' RELAYED-EDIT')
    appendToSection(fac.doc, 'The solution', ' LOCAL-EDIT')
    await until(
      () =>
        [fac, author, rev].every(
          (c) => text(c.doc).includes('RELAYED-EDIT') && text(c.doc).includes('LOCAL-EDIT'),
        ),
      10_000,
    )
    await Promise.all([...author.pending, ...fac.pending])
    expect(author.acks.every((a) => a.ok)).toBe(true)
    expect(text(author.doc)).toBe(text(fac.doc))

    // A command through a relay, sent twice with the same id: one effect, the same ack.
    const note = { type: 'note.save', commandId: 'relayed-note-1', body: 'my own note' }
    const first = await author.command(note)
    const second = await author.command(note)
    expect(first.ok).toBe(true)
    expect(second).toEqual(first)
    await until(() => author.board?.notes.length === 1)
    // A refusal comes from the owner's rules: a reviewer may not set the timer.
    expect(await rev.command({ type: 'timer.set', commandId: 't1', seconds: 60 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    await fac.ok('timer.set', { seconds: 60 })
    await until(() => author.board?.timer !== null && rev.board?.seq === fac.board?.seq, 5_000)
    expect(author.board?.notes).toHaveLength(1)

    // The reading lock holds for a relayed author: its edit is refused by the owner.
    await fac.advance('reading')
    await until(() => author.board?.phase === 'reading')
    const acksBefore = author.acks.length
    appendToSection(author.doc, 'The problem', ' LOCKED-EDIT')
    await until(() => author.acks.length > acksBefore, 5_000)
    expect(author.acks.at(-1)).toMatchObject({ ok: false, error: { code: 'PHASE_LOCKED' } })
    await until(() => !text(author.doc).includes('LOCKED-EDIT'), 5_000) // rebuilt from the owner's state
    expect(text(fac.doc)).not.toContain('LOCKED-EDIT')

    // Blind critique: a card written through one relay never reaches another relayed reviewer.
    await fac.advance('critique')
    await until(() => rev.board?.phase === 'critique')
    const secret = 'SECRET-RELAYED-CARD the pricing is unproven'
    const cardId = await rev.card(secret)
    await until(() => spy.text().includes('"legal":1'), 5_000)
    expect(spy.text()).not.toContain(secret)
    expect(spy.text()).not.toContain(cardId)
    // On Redis the body travels only between its author's process (node 3) and the owner (node 1).
    const onRedis = redisTraffic.filter((l) => l.includes('SECRET-RELAYED-CARD'))
    const incarnations = await cluster.db.query<{ incarnation: string; address: string }>(
      'SELECT incarnation::text, address FROM node_lease WHERE NOT dead',
    )
    const channelOf = (i: number) =>
      `prfaq:node:${incarnations.find((r) => r.address === url(i))!.incarnation}`
    expect(onRedis.length).toBeGreaterThan(0)
    // Its author's process sends it to the owner, the owner's answers go back there: nothing
    // carrying it is published to the spy's process (node 2).
    expect(onRedis.every((l) => l.includes(channelOf(2)) || l.includes(channelOf(0)))).toBe(true)
    expect(onRedis.some((l) => l.includes(channelOf(1)))).toBe(false)
    expect(redisTraffic.some((l) => l.includes(channelOf(1)))).toBe(true) // the spy's channel was watched
    await fac.advance('discussion')
    await until(() => spy.text().includes(secret), 5_000)
    monitor.disconnect()

    // Triage by the relayed author, a round closed, a relayed decider signs off, the export read
    // through a third process: the rest of the flow with participants on every process.
    await fac.advance('triage')
    await author.ok('card.triage', { cardId, disposition: 'accepted' })
    await fac.advance('revision')
    appendToSection(author.doc, 'The solution', ' REVISED-THROUGH-RELAY')
    await author.settled()
    await author.ok('revision.check', { cardId, done: true })
    await fac.advance('reading')
    await until(() => rev.board?.round === 2)
    const deciderP = await joinAs(url(1), review.invites.decider!, 'Dot', 'leadership')
    const decider = track(await new BoardClient(url(2), deciderP).ready())
    await fac.advance('critique', 'discussion', 'triage', 'decision')
    await decider.ok('decision.signoff', {
      stance: 'approve',
      rationale: 'RELAYED-SIGNOFF evidence is solid',
    })
    await fac.ok('decision.record', { outcome: 'go', summary: 'go for launch' })
    await until(() => [author, rev, decider].every((c) => c.board?.phase === 'closed'), 5_000)
    const md = await fetch(`${url(2)}/api/reviews/${review.reviewId}/export.md`, {
      headers: { authorization: `Bearer ${revP.token}` },
    }).then(async (r) => ({ status: r.status, text: await r.text() }))
    expect(md.status).toBe(200)
    for (const s of [secret, 'REVISED-THROUGH-RELAY', 'RELAYED-SIGNOFF']) expect(md.text).toContain(s)
    // The owner never changed: one process ordered the whole review.
    expect((await cluster.ownerOf(review.reviewId))?.incarnation).toBe(owner?.incarnation)
  })

  it('[X5] a relayed edit is seen and acknowledged within a few ms of an owner-local one (same run)', async () => {
    const review = await createReview(url(0))
    const fac = track(await new BoardClient(url(0), review).ready())
    const p = await joinAs(url(0), review.invites.author!, 'Ada', 'product')
    const local = track(await new BoardClient(url(0), p).ready())
    const relayed = track(await new BoardClient(url(1), p).ready())
    const measure = async (c: BoardClient, n: number) => {
      const acked: number[] = []
      const seen: number[] = []
      for (let i = 0; i < n; i++) {
        const mark = `M${i}-${c === local ? 'L' : 'R'}`
        const t = performance.now()
        appendToSection(c.doc, 'The problem', mark)
        const ack = [...c.pending].at(-1)!
        const visible = until(() => text(fac.doc).includes(mark), 5_000).then(() =>
          seen.push(performance.now() - t),
        )
        await ack.then(() => acked.push(performance.now() - t))
        await visible
      }
      return { ack: acked, seen }
    }
    await measure(local, 10) // warm up both paths
    await measure(relayed, 10)
    const l = await measure(local, 60)
    const r = await measure(relayed, 60)
    const fig = (xs: number[]) =>
      `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`
    console.log(
      `[X5] owner-local ack ${fig(l.ack)}, seen ${fig(l.seen)}; relayed ack ${fig(r.ack)}, seen ${fig(r.seen)}`,
    )
    expect(r.ack.length).toBe(60)
  })

  it('[X6] a y-websocket client on another process is relayed too: synced, edits saved, the reading lock holds', async () => {
    const review = await createReview(url(0))
    const fac = track(await new BoardClient(url(0), review).ready())
    const p = await joinAs(url(0), review.invites.author!, 'Yan', 'design')
    const yws = ywsClient(url(2), review.reviewId, p.token)
    try {
      await until(() => yws.synced(), 10_000)
      const frag = yws.doc.getXmlFragment('prfaq')
      expect(frag.length).toBeGreaterThan(0)
      yws.doc.transact(() => {
        const para = new Y.XmlElement('paragraph')
        para.insert(0, [new Y.XmlText('YWS-RELAYED')])
        frag.push([para])
      })
      await until(() => text(fac.doc).includes('YWS-RELAYED'), 5_000)
      const [row] = await cluster.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM doc_updates WHERE review_id = $1 AND position('YWS-RELAYED'::bytea in data) > 0`,
        [review.reviewId],
      )
      expect(row?.n).toBeGreaterThan(0) // saved before anyone saw it
      await fac.advance('reading')
      yws.doc.transact(() => {
        const para = new Y.XmlElement('paragraph')
        para.insert(0, [new Y.XmlText('YWS-LOCKED')])
        frag.push([para])
      })
      await until(() => yws.closes.includes(4423), 8_000) // refused by the owner, closed with its code
      expect(text(fac.doc)).not.toContain('YWS-LOCKED')
    } finally {
      yws.destroy()
    }
  })

  it('[X3] /healthz names PostgreSQL and Redis; SIGTERM drains: reviews handed back, clients move over, nothing lost', async () => {
    const health = await fetch(`${url(1)}/healthz`).then((r) => r.json())
    expect(health).toMatchObject({ ok: true, postgres: true, redis: true })
    expect(await fetch(`${url(1)}/readyz`).then((r) => r.status)).toBe(200)

    const review = await createReview(url(1))
    const fac = track(await new BoardClient(url(1), review).ready())
    const p = await joinAs(url(0), review.invites.author!, 'Dee', 'design')
    const far = new FaultClient(url(0), p.token, { reconnect: true }) // relayed to node 2
    clients.push(far)
    await until(() => far.synced > 0, 10_000)
    const before = await cluster.ownerOf(review.reviewId)
    expect(cluster.indexOf(before?.address ?? null)).toBe(1)
    far.insert('{BEFORE-DRAIN}')
    await until(() => far.acked.has('{BEFORE-DRAIN}'), 5_000)

    const t0 = Date.now()
    expect(await cluster.nodes[1]!.kill('SIGTERM')).toBe(0)
    const drainMs = Date.now() - t0
    // Given back, not taken over: the row is gone and the incarnation ended itself.
    const [lease] = await cluster.db.query<{ dead: boolean }>(
      'SELECT dead FROM node_lease WHERE incarnation = $1::bigint',
      [before!.incarnation],
    )
    expect(lease?.dead).toBe(true)
    // The relayed client reconnects (its landing claims the review) and goes on saving.
    far.insert('{AFTER-DRAIN}')
    await until(() => far.acked.has('{AFTER-DRAIN}'), 10_000)
    const owner = await cluster.ownerOf(review.reviewId)
    expect(cluster.indexOf(owner?.address ?? null)).toBe(0)
    await cluster.start(1)
    const check = new FaultClient(url(1), review.token)
    clients.push(check)
    await until(() => check.synced > 0, 10_000)
    expect(check.text()).toContain('{BEFORE-DRAIN}')
    expect(check.text()).toContain('{AFTER-DRAIN}')
    console.log(`[X3] SIGTERM drain took ${drainMs} ms`)
    fac.socket.close()
  })
})
