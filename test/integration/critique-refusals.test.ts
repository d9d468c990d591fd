import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../server/store/sqlite'
import type { Store } from '../../server/store/types'
import type { BoardState } from '../../shared/protocol/board'
import { startServer, type TestServer } from './helpers/testServer'
import { BoardClient, joinAs, reviewWith } from './helpers/reviewFlow'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function sqliteServer(dir: string): Promise<{ server: TestServer; store: Store }> {
  const store = createSqliteStore({ dataDir: dir })
  const server = await startServer({ store })
  return { server, store }
}

/** What a participant sees, without who is online (that changes with every connection). */
const seen = (b: BoardState) => ({
  ...b,
  participants: b.participants.map(({ online: _o, ...p }) => p),
  me: { ...b.me, online: undefined },
})

describe('card commands refused through the wire', () => {
  it('[S1] [PH9] [PA2] [CV7] [TR3] [VT4] wrong phase or role: the right code, nothing logged, the same after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-refusals-'))
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    let { server, store } = await sqliteServer(dir)
    const stop = async () => {
      await server.close()
      await store.close()
    }
    cleanup.push(() => stop())

    const { review, fac } = await reviewWith(server.url)
    const people = {
      rev: await joinAs(server.url, review.invites.reviewer, 'Rae', 'engineering'),
      other: await joinAs(server.url, review.invites.reviewer, 'Oli', 'finance'),
      obs: await joinAs(server.url, review.invites.observer, 'Obi', 'other'),
    }
    const rev = await new BoardClient(server.url, people.rev).ready()
    const other = await new BoardClient(server.url, people.other).ready()
    const obs = await new BoardClient(server.url, people.obs).ready()
    const clients = [fac, rev, other, obs]
    cleanup.push(() => clients.forEach((c) => c.close()))

    const refuse = async (who: BoardClient, cmd: Record<string, unknown>, code: string) => {
      const before = await store.loadEvents(review.reviewId)
      const ack = await who.command({ commandId: who.nextId(), ...cmd })
      expect(ack, `${String(cmd.type)} → ${code}`).toMatchObject({ ok: false, error: { code } })
      if (!ack.ok) expect(ack.error.message.length).toBeGreaterThan(10)
      expect(await store.loadEvents(review.reviewId)).toEqual(before)
    }
    const card = { type: 'card.create', body: 'A concern', severity: 'minor', kind: 'concern' }

    await refuse(rev, card, 'PHASE_LOCKED') // draft
    await fac.advance('reading')
    await refuse(rev, card, 'PHASE_LOCKED') // reading lock
    await fac.advance('critique')
    await refuse(obs, card, 'FORBIDDEN') // observers only read
    const theirs = await other.card('Oli blind card')
    const mine = await rev.card('Rae own card')
    await refuse(rev, { type: 'card.edit', cardId: theirs, body: 'hijack' }, 'NOT_FOUND') // blind: as if unknown
    await refuse(rev, { type: 'card.vote', cardId: mine, vote: true }, 'PHASE_LOCKED')
    await refuse(rev, { type: 'card.reply', cardId: mine, body: 'early' }, 'PHASE_LOCKED')
    await fac.advance('discussion')
    await refuse(rev, { type: 'card.vote', cardId: mine, vote: true }, 'FORBIDDEN') // own card
    await refuse(rev, { type: 'card.edit', cardId: theirs, body: 'hijack' }, 'FORBIDDEN') // not the author
    await refuse(rev, { type: 'card.triage', cardId: theirs, disposition: 'accepted' }, 'FORBIDDEN')
    await fac.advance('triage')
    await refuse(fac, { type: 'card.triage', cardId: theirs, disposition: 'rejected' }, 'INVALID') // no reason
    await refuse(fac, { type: 'card.triage', cardId: 'no-such-card', disposition: 'accepted' }, 'NOT_FOUND')
    await refuse(fac, { type: 'revision.check', cardId: theirs, done: true }, 'PHASE_LOCKED')
    await refuse(obs, { type: 'card.reply', cardId: theirs, body: 'observer says' }, 'FORBIDDEN')

    // A restart on the same data: everyone sees exactly what they saw before.
    const boards = await Promise.all(clients.map(async (c) => seen(c.board!)))
    const events = await store.loadEvents(review.reviewId)
    clients.forEach((c) => c.close())
    await stop()
    ;({ server, store } = await sqliteServer(dir))
    expect(await store.loadEvents(review.reviewId)).toEqual(events)
    const again = await Promise.all(
      [review, people.rev, people.other, people.obs].map((p) => new BoardClient(server.url, p).ready()),
    )
    clients.splice(0, clients.length, ...again)
    expect(again.map((c) => seen(c.board!))).toEqual(boards)
  })
})
