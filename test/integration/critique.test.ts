import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServer, type TestServer } from './helpers/testServer'
import { until } from './helpers/syncClient'
import {
  appendToSection,
  BoardClient,
  headingTexts,
  joinAs,
  Recorder,
  reviewWith,
} from './helpers/reviewFlow'

let server: TestServer
const open: Array<{ close: () => void }> = []
const track = <T extends { close: () => void }>(c: T): T => (open.push(c), c)

beforeAll(async () => {
  server = await startServer()
})
afterEach(() => {
  for (const c of open.splice(0)) c.close()
})
afterAll(() => server.close())

async function person(
  review: { invites: Record<string, string> },
  role: string,
  name: string,
  fn: Parameters<typeof joinAs>[3],
) {
  const p = await joinAs(server.url, review.invites[role]!, name, fn)
  return track(await new BoardClient(server.url, p).ready())
}

const get = (path: string, token: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
  }))

describe('blind critique through the wire', () => {
  it('[S3] [CV1] [CV7] a reviewer receives no other card, body or author before the reveal, and all of them after [CV2]', async () => {
    const { review, fac } = await reviewWith(server.url)
    track(fac)
    const listenerP = await joinAs(server.url, review.invites.reviewer!, 'Lee', 'legal')
    const eng = await person(review, 'reviewer', 'Eve', 'engineering')
    const fin = await person(review, 'reviewer', 'Fay', 'finance')
    const rec = new Recorder(server.url, listenerP.token)
    await rec.connect()
    await fac.advance('reading', 'critique')

    const listener = track(await new BoardClient(server.url, listenerP).ready())
    const mine = await listener.card('LISTENER-OWN concern about liability')
    const secrets: string[] = []
    const ids: string[] = []
    const write = async (c: BoardClient, body: string) => {
      secrets.push(body)
      ids.push(await c.card(body))
    }
    await write(eng, 'SECRET-ENG-1 the sync engine cannot scale')
    await write(fin, 'SECRET-FIN-1 margins are negative')
    await write(fac, 'SECRET-FAC-1 the headline is vague')
    // The listener drops and comes back mid-critique: its fresh board:state must stay blind too.
    rec.disconnect()
    await write(eng, 'SECRET-ENG-2 offline mode is missing')
    await rec.connect()
    await eng.ok('card.edit', { cardId: ids[3], body: 'SECRET-ENG-2b offline mode is missing entirely' })
    secrets.push('SECRET-ENG-2b offline mode is missing entirely')
    await write(fin, 'SECRET-FIN-2 to be deleted')
    await fin.ok('card.delete', { cardId: ids.at(-1) })
    await until(() => {
      const h = listener.board!.hiddenCardCounts
      return h.engineering === 2 && h.finance === 1 && h.product === 1
    })

    // Exports and the rounds list asked by the listener during critique are blind too.
    const exports = await Promise.all(
      ['/export.md', '/export.html', '/rounds'].map((p) =>
        get(`/api/reviews/${review.reviewId}${p}`, listenerP.token),
      ),
    )
    expect(exports.map((e) => e.status)).toEqual([200, 200, 200])
    expect(exports[0]!.text).toContain('LISTENER-OWN')

    const others = [eng, fin, fac].map((c) => c.person.participantId)
    // The roster is public (PA9); anywhere else an id of a writer would tie them to a card.
    const recorded = rec.text(['participants'])
    const leaked = [...secrets, ...ids, ...others].filter(
      (s) => recorded.includes(s) || exports.some((e) => e.text.includes(s)),
    )
    expect(leaked).toEqual([])
    expect(recorded).toContain('LISTENER-OWN')
    expect(recorded).toContain('hiddenCardCounts')
    expect(rec.log.some((r) => r.event === 'board:event')).toBe(true)
    expect(rec.log.filter((r) => r.event === 'board:state')).toHaveLength(2) // before and after the reconnect

    await fac.advance('discussion')
    await until(() => rec.text().includes('SECRET-FAC-1'))
    const after = rec.text()
    const visible = [
      ...secrets.filter((s) => !s.includes('to be deleted') && s !== 'SECRET-ENG-2 offline mode is missing'),
      mine,
    ]
    for (const s of visible) expect(after).toContain(s)
    await until(() => listener.board!.cards.length === 5)
    expect(listener.board!.hiddenCardCounts).toEqual({})
    expect(listener.board!.cards.filter((c) => c.authorId === eng.person.participantId)).toHaveLength(2)
    const md = await get(`/api/reviews/${review.reviewId}/export.md`, listenerP.token)
    for (const s of ['SECRET-ENG-1', 'SECRET-FIN-1', 'SECRET-FAC-1', 'SECRET-ENG-2b'])
      expect(md.text).toContain(s)
    expect(md.text).not.toContain('to be deleted')
    rec.disconnect()
  })
})

describe('idempotent commands', () => {
  it('[ID1] the same commandId, sent again and concurrently from two connections, takes effect once with one ack', async () => {
    const { review, fac } = await reviewWith(server.url)
    track(fac)
    const rev = await joinAs(server.url, review.invites.reviewer!, 'Rae', 'design')
    const a = track(await new BoardClient(server.url, rev).ready())
    const b = track(await new BoardClient(server.url, rev).ready())
    await fac.advance('reading', 'critique')
    const before = (await server.store.loadEvents(review.reviewId)).length
    const cmd = {
      type: 'card.create',
      commandId: 'same-1',
      body: 'Only once',
      severity: 'minor',
      kind: 'question',
    }
    const acks = await Promise.all([a.command(cmd), b.command(cmd), a.command(cmd)])
    const again = await b.command(cmd)
    expect(acks[0]).toMatchObject({ ok: true, seq: before + 1 })
    for (const ack of [...acks, again]) expect(ack).toEqual(acks[0])
    expect(await server.store.loadEvents(review.reviewId)).toHaveLength(before + 1)
    await until(() => a.board!.cards.length === 1 && b.board!.cards.length === 1)
    // The same id from another person is their own command.
    const theirs = await fac.command(cmd)
    expect(theirs).toMatchObject({ ok: true, seq: before + 2 })
    expect((theirs as { cardId: string }).cardId).not.toBe((acks[0] as { cardId: string }).cardId)
  })
})

describe('answer as FAQ', () => {
  it('[TR5] [TR6] [FAQ1] adds exactly one question and answer to the FAQ, seen live by a connected author and stored', async () => {
    const { review, fac } = await reviewWith(server.url)
    track(fac)
    const author = await person(review, 'author', 'Ann', 'product')
    const rev = await person(review, 'reviewer', 'Rob', 'marketing')
    const question = 'Does it work without a network connection?'
    await fac.advance('reading', 'critique')
    const cardId = await rev.card(question, 'minor', 'question')
    await fac.advance('discussion', 'triage')
    const faqBefore = headingTexts(author.doc).length
    const triage = {
      type: 'card.triage',
      commandId: 'answer-1',
      cardId,
      disposition: 'answered',
      answer: 'Yes: plans and lists are kept on the phone and sync when the network returns.',
    }
    expect(await author.command(triage)).toMatchObject({ ok: true })
    await until(() => headingTexts(author.doc).includes(question))
    await until(() => headingTexts(rev.doc).includes(question))
    // A retry and a second answer add nothing.
    expect(await author.command(triage)).toMatchObject({ ok: true })
    expect(await author.command({ ...triage, commandId: 'answer-2' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    await new Promise((r) => setTimeout(r, 100))
    const heads = headingTexts(author.doc)
    expect(heads).toHaveLength(faqBefore + 1)
    expect(heads.filter((h) => h === question)).toHaveLength(1)
    // In the external FAQ, before the internal one; the answer right under it.
    expect(heads.indexOf(question)).toBeGreaterThan(heads.indexOf('External FAQ'))
    expect(heads.indexOf(question)).toBeLessThan(heads.indexOf('Internal FAQ'))
    const md = (await get(`/api/reviews/${review.reviewId}/rounds/current/document`, rev.person.token)).text
    const { markdown } = JSON.parse(md) as { markdown: string }
    expect(markdown).toContain(`### ${question}\n\nYes: plans and lists are kept on the phone`)
    expect(markdown.split(question)).toHaveLength(2)

    // The stored document holds it once too (it was written with the triage event).
    const stored = new Y.Doc()
    for (const part of await server.store.loadDocument(review.reviewId)) Y.applyUpdate(stored, part)
    expect(headingTexts(stored).filter((h) => h === question)).toHaveLength(1)
    expect(Y.encodeStateVector(stored)).toEqual(
      Y.encodeStateVector(server.app.rooms.peek(review.reviewId)!.doc),
    )
    stored.destroy()

    // The author's own edits still flow after the server's change (revision).
    await fac.advance('revision')
    appendToSection(author.doc, 'The problem', ' Edited after the answer.')
    await author.settled()
    expect(author.acks.every((a) => a.ok)).toBe(true)
  })
  it('[TR9] the author chooses the FAQ: a customer-sounding question goes into the internal FAQ when asked', async () => {
    const { review, fac } = await reviewWith(server.url)
    track(fac)
    const author = await person(review, 'author', 'Ann', 'product')
    const rev = await person(review, 'reviewer', 'Rob', 'marketing')
    const question = 'Does it work without a network connection?' // reads as external (FAQ1)
    await fac.advance('reading', 'critique')
    const cardId = await rev.card(question, 'minor', 'question')
    await fac.advance('discussion', 'triage')
    const triage = { type: 'card.triage', commandId: 'answer-internal', cardId, disposition: 'answered' }
    expect(await author.command({ ...triage, answer: 'Not yet.', faq: 'sideways' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    })
    const answer = { ...triage, commandId: 'answer-internal-2', answer: 'Not yet: offline is round 2 work.' }
    expect(await author.command({ ...answer, faq: 'internal' })).toMatchObject({ ok: true })
    await until(() => headingTexts(author.doc).includes(question))
    const heads = headingTexts(author.doc)
    expect(heads.indexOf(question)).toBeGreaterThan(heads.indexOf('Internal FAQ'))
    await until(() => rev.board!.cards.some((c) => c.triage?.faq === 'internal'))
  })
})
