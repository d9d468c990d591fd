import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReview, join, postJson, startServer, type TestServer } from './helpers/testServer'
import { connectOutcome, SyncClient, until } from './helpers/syncClient'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe('command', () => {
  it('acks with the seq after saving, and a retry with the same commandId takes effect once', async () => {
    const review = await createReview(server.url)
    const fac = new SyncClient(server.url, review.token)
    await fac.synced
    const before = (await server.store.loadEvents(review.reviewId)).length
    const cmd = { type: 'phase.advance', commandId: 'c-1', to: 'reading' }
    const first = await fac.command(cmd)
    expect(first).toMatchObject({ ok: true, seq: before + 1 })
    const again = await fac.command(cmd)
    expect(again).toEqual(first)
    expect(await server.store.loadEvents(review.reviewId)).toHaveLength(before + 1)
    await until(() => fac.events.some((e) => e.type === 'phase.changed' && e.patch.phase === 'reading'))
    fac.close()
  })

  it('[PH4] refuses document edits while reading with PHASE_LOCKED, and answers bad commands with INVALID', async () => {
    const review = await createReview(server.url)
    const fac = new SyncClient(server.url, review.token)
    await fac.synced
    expect(await fac.command({ type: 'phase.advance', commandId: 'c-2', to: 'reading' })).toMatchObject({
      ok: true,
    })
    fac.doc.getText('t').insert(0, 'during reading')
    await fac.settled()
    expect(fac.acks.at(-1)).toMatchObject({ ok: false, error: { code: 'PHASE_LOCKED' } })
    await until(() => fac.text() === '')
    expect(await fac.command({ type: 'nope', commandId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    })
    expect(await fac.command('garbage')).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    fac.close()
  })

  it('[PH12] two facilitators racing from triage (to revision and to decision) end in exactly one step', async () => {
    const review = await createReview(server.url)
    const other = await join(server.url, review.invites.reviewer, 'Cy')
    const a = new SyncClient(server.url, review.token)
    const b = new SyncClient(server.url, other.token)
    await Promise.all([a.synced, b.synced])
    const roles = { type: 'participant.update', commandId: 'roles', participantId: other.participantId }
    expect(await a.command({ ...roles, roles: ['facilitator', 'reviewer'] })).toMatchObject({ ok: true })
    for (const [from, to] of [
      ['draft', 'reading'],
      ['reading', 'critique'],
      ['critique', 'discussion'],
      ['discussion', 'triage'],
    ])
      expect(await a.command({ type: 'phase.advance', commandId: `p-${to}`, to, from })).toMatchObject({
        ok: true,
      })
    const [ra, rb] = await Promise.all([
      a.command({ type: 'phase.advance', commandId: 'race-a', to: 'revision', from: 'triage' }),
      b.command({ type: 'phase.advance', commandId: 'race-b', to: 'decision', from: 'triage' }),
    ])
    const answers = [ra, rb] as Array<{ ok: boolean; error?: { code: string } }>
    expect(answers.filter((r) => r.ok)).toHaveLength(1)
    expect(answers.find((r) => !r.ok)?.error?.code).toBe('CONFLICT')
    const changes = (await server.store.loadEvents(review.reviewId)).filter(
      (e) => e.type === 'phase.changed' && e.from === 'triage',
    )
    expect(changes).toHaveLength(1)
    a.close()
    b.close()
  })

  it('never sends review state to a room: a reviewer cannot advance the phase and nobody hears of it', async () => {
    const review = await createReview(server.url)
    const other = await join(server.url, review.invites.reviewer)
    const r = new SyncClient(server.url, other.token)
    await r.synced
    const refused = await r.command({ type: 'phase.advance', commandId: 'r-1', to: 'reading' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    r.close()
  })

  it('rotates an invite: the ack carries the new link and the old one stops working', async () => {
    const review = await createReview(server.url)
    const fac = new SyncClient(server.url, review.token)
    await fac.synced
    const ack = (await fac.command({ type: 'invite.rotate', commandId: 'rot-1', role: 'reviewer' })) as {
      ok: boolean
      invite?: string
    }
    expect(ack.ok).toBe(true)
    expect(ack.invite).toMatch(/\/join\/[A-Za-z0-9_-]{22,}$/)
    const oldCode = review.invites.reviewer.split('/join/')[1]
    const old = await postJson(`${server.url}/api/invites/${oldCode}/join`, { name: 'Z', function: 'legal' })
    expect(old.status).toBe(404)
    expect((await join(server.url, ack.invite!)).roles).toEqual(['reviewer'])
    fac.close()
  })

  it('[S4] removing a participant closes their socket at once and revokes their token', async () => {
    const review = await createReview(server.url)
    const other = await join(server.url, review.invites.reviewer)
    const fac = new SyncClient(server.url, review.token)
    const r = new SyncClient(server.url, other.token)
    await Promise.all([fac.synced, r.synced])
    let closedWith: unknown
    r.socket.on('board:closed', (reason) => (closedWith = reason))
    const ack = await fac.command({
      type: 'participant.remove',
      commandId: 'rm-1',
      participantId: other.participantId,
    })
    expect(ack).toMatchObject({ ok: true })
    await until(() => !r.socket.connected)
    expect(closedWith).toMatchObject({ code: 'UNAUTHORIZED' })
    const again = new SyncClient(server.url, other.token)
    expect(await connectOutcome(again)).toBe('unauthorized')
    again.close()
    fac.close()
  })
})
