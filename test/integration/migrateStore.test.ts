import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BoardState } from '../../shared/protocol/board'
import { createSqliteStore } from '../../server/store/sqlite'
import { spawnServer, type ChildServer } from './helpers/childServer'
import { createTestDatabase, type TestDatabase } from './helpers/postgres'
import { appendToSection, BoardClient, joinAs, reviewWith } from './helpers/reviewFlow'
import { SyncClient, until } from './helpers/syncClient'
import { postJson, startServer } from './helpers/testServer'

/**
 * [STO1] A team that started on SQLite moves to PostgreSQL: reviews made through the real server
 * (edits, cards, votes, triage, a closed round, a decision) are copied with
 * `npm run migrate-store`, and a server started with DATABASE_URL on the copy (the real
 * server/main.ts in its own process) shows the same document, board, rounds and exports, and the
 * old tokens, invite links and return links still work.
 */
const SECRET_KEY = 'migrate-store-test-key-of-some-length'
const dirs: string[] = []
const tmp = (name: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), name))
  dirs.push(d)
  return d
}
let database: TestDatabase | undefined
let child: ChildServer | undefined
afterAll(async () => {
  await child?.kill('SIGKILL')
  await database?.drop()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/** `npm run migrate-store -- …` as a user runs it (tsx, its own process). */
function migrateStore(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate-store.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()))
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()))
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, out, err })))
}

interface Seen {
  xml: string
  board: BoardState
  summary: unknown
  rounds: unknown
  round1: unknown
  markdown: string
  html: string
  invites: unknown
  returnLink: unknown
}

async function getText(url: string, token: string): Promise<string> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status, url).toBe(200)
  return res.text()
}

/** An export says when it was made (to the minute): the one line two exports may differ by. */
const undated = (s: string) => s.replace(/Exported \d{4}-\d\d-\d\d \d\d:\d\d UTC/g, 'Exported (when)')

/** Everything a participant can read of a review, as a fresh client sees it. */
async function look(base: string, reviewId: string, token: string): Promise<Seen> {
  const reader = await new BoardClient(base, { participantId: '', token }).ready()
  const xml = reader.doc.getXmlFragment('prfaq').toString()
  const board = reader.board!
  reader.close()
  const api = `${base}/api/reviews/${reviewId}`
  const json = async (p: string) => JSON.parse(await getText(`${api}${p}`, token)) as unknown
  return {
    xml,
    board,
    summary: await json(''),
    rounds: await json('/rounds'),
    round1: board.rounds.length > 0 ? await json('/rounds/1/document') : null,
    markdown: undated(await getText(`${api}/export.md`, token)),
    html: undated(await getText(`${api}/export.html`, token)),
    invites: board.me.roles.includes('facilitator') ? await json('/invites') : null,
    returnLink: await json('/return-link'),
  }
}

/** The board as anyone sees it, minus who happens to be online right now. */
const stable = (b: BoardState) => ({
  ...b,
  seq: undefined,
  me: { ...b.me, online: undefined },
  participants: b.participants.map((p) => ({ ...p, online: undefined })),
})

/** A review summary minus who is online. */
const offline = (s: unknown) => {
  const summary = s as { participants: Array<{ online?: boolean }> }
  return { ...summary, participants: summary.participants.map((p) => ({ ...p, online: undefined })) }
}

describe('npm run migrate-store: SQLite to PostgreSQL', () => {
  it('[STO1] copies every review, verified by content; a server on DATABASE_URL reads them the same and the old tokens work', async () => {
    const dataDir = tmp('prfaq-migrate-src-')
    const store = createSqliteStore({ dataDir })
    const server = await startServer({ store, config: { secretKey: SECRET_KEY } })
    const url = server.url

    // A review through two rounds' worth of work: edits, cards, votes, triage, a closed round, a decision.
    const { review, fac } = await reviewWith(url)
    const join = async (role: 'reviewer' | 'decider', name: string, fn: 'engineering' | 'leadership') =>
      new BoardClient(url, await joinAs(url, review.invites[role], name, fn)).ready()
    const eng = await join('reviewer', 'Eve', 'engineering')
    const dee = await join('decider', 'Dee', 'leadership')
    appendToSection(fac.doc, 'The problem', ' Written on SQLite.')
    await fac.settled()
    await fac.advance('reading', 'critique')
    const c1 = await eng.card('Pricing is unproven', 'fatal', 'concern')
    const c2 = await eng.card('Add a retention section', 'structural', 'suggestion')
    await fac.advance('discussion')
    await dee.ok('card.vote', { cardId: c1, vote: true })
    await fac.ok('card.reply', { cardId: c1, body: 'Interviews are in the appendix' })
    await fac.advance('triage')
    await fac.ok('card.triage', { cardId: c1, disposition: 'accepted' })
    await fac.ok('card.triage', { cardId: c2, disposition: 'deferred' })
    await fac.advance('revision')
    appendToSection(fac.doc, 'How it works', ' Revised in round one.')
    await fac.settled()
    await fac.ok('revision.check', { cardId: c1, done: true })
    await fac.advance('reading') // closes round 1: its document snapshot is stored
    await until(() => fac.board!.round === 2)
    await fac.advance('critique', 'discussion', 'triage', 'revision', 'decision')
    await dee.ok('decision.signoff', {
      stance: 'approve',
      rationale: 'Evidence is solid',
      conditions: 'Price first',
    })
    await fac.ok('decision.record', { outcome: 'go', summary: 'Go for the spring launch' })
    await until(() => fac.board!.phase === 'closed')
    // A second review, only edited.
    const small = await reviewWith(url, '# Small review\n\nOne paragraph.')
    appendToSection(small.fac.doc, 'Small review', ' Typed on SQLite.')
    await small.fac.settled()
    expect([...fac.acks, ...small.fac.acks].every((a) => a.ok)).toBe(true)

    const before = {
      fac: await look(url, review.reviewId, review.token),
      eng: await look(url, review.reviewId, eng.person.token),
      small: await look(url, small.review.reviewId, small.review.token),
    }
    expect(before.fac.xml).toContain('Written on SQLite.')
    expect(before.fac.markdown).toContain('Exported (when)')
    expect(before.fac.board.cards.map((c) => c.body).sort()).toEqual(
      ['Add a retention section', 'Pricing is unproven'].sort(),
    )
    expect(before.fac.board.rounds.length).toBeGreaterThan(0)
    for (const c of [fac, eng, dee, small.fac]) c.close()
    await server.close()
    await store.close()

    // The copy, as a user runs it.
    database = await createTestDatabase()
    const run = await migrateStore(['--from', dataDir, '--to', database.url])
    expect(run.err).toBe('')
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(
      new RegExp(`${review.reviewId} "Launch plan": \\d+ events, .*copied, reads the same`),
    )
    expect(run.out).toMatch(new RegExp(`${small.review.reviewId} .*copied, reads the same`))
    expect(run.out).toContain('2 copied and verified, 0 skipped, 0 failed.')
    expect(run.out).toContain('SECRET_KEY')
    // Again: refused before anything is written, unless told to skip what is there.
    const again = await migrateStore(['--from', path.join(dataDir, 'prfaq.sqlite'), '--to', database.url])
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/already holds 2 of these reviews .*nothing was copied.*--skip-existing/s)
    const skipping = await migrateStore(['--from', dataDir, '--to', database.url, '--skip-existing'])
    expect(skipping.code, skipping.out + skipping.err).toBe(0)
    expect(skipping.out).toContain('0 copied and verified, 2 skipped, 0 failed.')

    // The board on PostgreSQL: the real server, started with DATABASE_URL (another DATA_DIR).
    child = await spawnServer(tmp('prfaq-migrate-pg-'), { DATABASE_URL: database.url, SECRET_KEY })
    const after = {
      fac: await look(child.url, review.reviewId, review.token),
      eng: await look(child.url, review.reviewId, eng.person.token),
      small: await look(child.url, small.review.reviewId, small.review.token),
    }
    for (const who of ['fac', 'eng', 'small'] as const) {
      const [b, a] = [before[who], after[who]]
      expect(a.xml, who).toBe(b.xml)
      expect(stable(a.board), who).toEqual(stable(b.board))
      expect(a.rounds, who).toEqual(b.rounds)
      expect(a.round1, who).toEqual(b.round1)
      expect(a.markdown, who).toBe(b.markdown)
      expect(a.html.replaceAll(url, child.url), who).toBe(b.html)
      expect(a.invites, who).toEqual(JSON.parse(JSON.stringify(b.invites ?? null).replaceAll(url, child.url)))
      expect(a.returnLink, who).toEqual(JSON.parse(JSON.stringify(b.returnLink).replaceAll(url, child.url)))
      expect(offline(a.summary), who).toEqual(offline(b.summary))
    }
    // The old invite code still lets someone join, and the old return link still signs its owner in.
    const code = review.invites.reviewer.split('/join/')[1]
    expect(
      (await postJson(`${child.url}/api/invites/${code}/join`, { name: 'Lou', function: 'legal' })).status,
    ).toBe(201)
    const back = (before.eng.returnLink as { url: string }).url.split('/back/')[1]
    const returned = await postJson(`${child.url}/api/back/${back}`, {})
    expect(returned.status).toBe(201)
    expect(returned.body.participantId).toBe(eng.person.participantId)
    // And an edit on PostgreSQL is saved.
    const writer = new SyncClient(child.url, small.review.token)
    await writer.synced
    appendToSection(writer.doc, 'Small review', ' Typed on PostgreSQL.')
    await writer.settled()
    expect(writer.acks.every((a) => a.ok)).toBe(true)
    writer.close()
    const rows = await database.query<{ n: string }>(
      'SELECT count(*) AS n FROM doc_updates WHERE review_id = $1',
      [small.review.reviewId],
    )
    expect(Number(rows[0]?.n)).toBeGreaterThan(0)
  }, 120_000)
})
