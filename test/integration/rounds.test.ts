import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DocumentDiff } from '../../shared/doc/diff'
import type { RoundRecord, RoundStats } from '../../shared/domain/types'
import { startServer, type TestServer } from './helpers/testServer'
import { until } from './helpers/syncClient'
import { appendToSection, BoardClient, joinAs, reviewWith } from './helpers/reviewFlow'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

async function getJson<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

const changed = (diff: DocumentDiff) =>
  diff.sections.filter((s) => s.status !== 'unchanged').map((s) => `${s.status}:${s.heading}`)

describe('two rounds and a decision through the wire', () => {
  it('[RN1] [RN2] [RN5] [DIFF1] [DC5] [DOC3] rounds close with their statistics and documents, diff, decide go and freeze', async () => {
    const { review, fac } = await reviewWith(server.url)
    const join = async (role: keyof typeof review.invites, name: string, fn: Parameters<typeof joinAs>[3]) =>
      new BoardClient(server.url, await joinAs(server.url, review.invites[role]!, name, fn)).ready()
    const author = await join('author', 'Ann', 'design')
    const eng = await join('reviewer', 'Eve', 'engineering')
    const legal = await join('reviewer', 'Lou', 'legal')
    const dee = await join('decider', 'Dee', 'leadership')
    const clients = [fac, author, eng, legal, dee]
    const base = `/api/reviews/${review.reviewId}`

    // Round 1: critique, votes, a reply, one card of each disposition (and one left untriaged).
    await fac.advance('reading', 'critique')
    const c1 = await eng.card('R1 pricing model is unproven', 'fatal', 'concern')
    const c2 = await eng.card('R1 the problem lacks evidence', 'structural', 'concern')
    const c3 = await legal.card('R1 add a data retention section', 'structural', 'suggestion')
    const c4 = await legal.card('R1 pricing is not explained', 'structural', 'concern')
    const c5 = await legal.card('Who can see my pantry data?', 'minor', 'question')
    const c6 = await dee.card('R1 strong customer quote', 'minor', 'praise')
    await fac.advance('discussion')
    await legal.ok('card.vote', { cardId: c1, vote: true })
    await dee.ok('card.vote', { cardId: c1, vote: true })
    await eng.ok('card.vote', { cardId: c4, vote: true })
    await author.ok('card.reply', { cardId: c2, body: 'R1 reply: interviews are in the appendix' })
    await fac.advance('triage')
    await author.ok('card.triage', { cardId: c1, disposition: 'accepted' })
    await author.ok('card.triage', { cardId: c2, disposition: 'rejected', reason: 'R1 evidence exists' })
    await author.ok('card.triage', { cardId: c3, disposition: 'deferred' })
    await author.ok('card.triage', { cardId: c4, disposition: 'duplicate', duplicateOf: c1 })
    await author.ok('card.triage', {
      cardId: c5,
      disposition: 'answered',
      answer: 'Only you and your store.',
    })
    await until(() => fac.board!.cards.find((c) => c.id === c1)?.votes === 3) // [VT5] duplicate's vote merged
    expect(c6).toBeTruthy()

    await fac.advance('revision')
    appendToSection(author.doc, 'The problem', ' Revised problem text.')
    appendToSection(author.doc, 'How it works', ' Revised steps.')
    appendToSection(author.doc, 'Call to action', ' Price: TBD.')
    await author.settled()
    expect(author.acks.every((a) => a.ok)).toBe(true)
    await author.ok('revision.check', { cardId: c1, done: true })
    await fac.advance('reading')

    const expected1: Partial<RoundStats> = {
      cards: 6,
      bySeverity: { fatal: 1, structural: 3, minor: 2 },
      byKind: { concern: 3, suggestion: 1, question: 1, praise: 1 },
      byFunction: { engineering: 2, legal: 3, leadership: 1 },
      byDisposition: { accepted: 1, rejected: 1, deferred: 1, duplicate: 1, answered: 1, untriaged: 1 },
      revisionItems: 1,
      revisionDone: 1,
      openRisks: 1,
    }
    await until(() => clients.every((c) => c.board!.round === 2 && c.board!.rounds.length === 2))
    for (const c of clients) {
      expect(c.board!.rounds[0]).toMatchObject({ round: 1, outcome: 'revised', stats: expected1 })
    }

    // What changed since round 1: the revision's edits and the answered question, nothing else.
    const diff1 = await getJson<{ from: number; to: number; diff: DocumentDiff }>(
      `${base}/rounds/1/diff/2`,
      eng.person.token,
    )
    expect(diff1).toMatchObject({ from: 1, to: 2 })
    expect(changed(diff1.diff).sort()).toEqual(
      [
        'added:Who can see my pantry data?',
        'changed:Call to action',
        'changed:How it works',
        'changed:The problem',
      ].sort(),
    )
    const problem = diff1.diff.sections.find((s) => s.heading === 'The problem')!
    expect(
      problem.units
        .flatMap((u) => u.words)
        .filter((w) => w.op === 'insert')
        .map((w) => w.text)
        .join(''),
    ).toContain('Revised')

    // Round 2: minor critique only, one more edit, then the decision.
    await fac.advance('critique')
    const c7 = await eng.card('R2 tighten the wording of the solution', 'minor', 'suggestion')
    const c8 = await legal.card('R2 use the brand name consistently', 'minor', 'suggestion')
    await fac.advance('discussion', 'triage')
    await author.ok('card.triage', { cardId: c7, disposition: 'accepted' })
    await author.ok('card.triage', { cardId: c8, disposition: 'rejected', reason: 'R2 house style' })
    await fac.advance('revision')
    appendToSection(author.doc, 'The solution', ' Tightened in round two.')
    await author.settled()
    await author.ok('revision.check', { cardId: c7, done: true })
    const diff2 = await getJson<{ diff: DocumentDiff }>(`${base}/rounds/2/diff/current`, dee.person.token)
    expect(changed(diff2.diff)).toEqual(['changed:The solution'])

    await fac.advance('decision')
    await dee.ok('decision.signoff', {
      stance: 'approve',
      rationale: 'R2 sign-off: evidence is solid',
      conditions: 'Price set before launch',
    })
    await fac.ok('decision.record', { outcome: 'go', summary: 'R2 decision: go for the spring launch' })
    await until(() => clients.every((c) => c.board!.phase === 'closed' && c.board!.frozen))

    const rounds = await getJson<{
      current: number
      rounds: Array<RoundRecord & { live: boolean }>
      convergence: { ready: boolean }
    }>(`${base}/rounds`, legal.person.token)
    expect(rounds.current).toBe(2)
    expect(rounds.rounds.map((r) => [r.round, r.outcome, r.live])).toEqual([
      [1, 'revised', false],
      [2, 'go', false],
    ])
    expect(rounds.rounds[0]!.stats).toMatchObject(expected1)
    expect(rounds.rounds[1]!.stats).toMatchObject({
      cards: 2,
      bySeverity: { minor: 2 },
      byDisposition: { accepted: 1, rejected: 1 },
      revisionDone: 1,
      openRisks: 1,
    })
    expect(rounds.convergence.ready).toBe(true)

    // Each round's document is the text that round read: round 1 without, round 2 with the revision.
    const doc1 = await getJson<{ markdown: string; current: boolean }>(
      `${base}/rounds/1/document`,
      eng.person.token,
    )
    const doc2 = await getJson<{ markdown: string; openRisks: number }>(
      `${base}/rounds/2/document`,
      eng.person.token,
    )
    expect(doc1.current).toBe(false)
    expect(doc1.markdown).not.toContain('Revised problem text.')
    expect(doc2.markdown).toContain('Revised problem text.')
    expect(doc2.markdown).not.toContain('Tightened in round two.')
    expect(doc2.openRisks).toBe(1)

    // Frozen: an author's update is refused and undone on their side; the server text stays.
    const frozenText = (
      await getJson<{ markdown: string }>(`${base}/rounds/current/document`, fac.person.token)
    ).markdown
    expect(frozenText).toContain('Tightened in round two.')
    const refusedAt = author.acks.length
    appendToSection(author.doc, 'The solution', ' AFTER-GO edit.')
    await author.settled()
    expect(author.acks.slice(refusedAt)).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'PHASE_LOCKED' }) }),
    ])
    const after = (await getJson<{ markdown: string }>(`${base}/rounds/current/document`, fac.person.token))
      .markdown
    expect(after).toBe(frozenText)
    await until(() => !JSON.stringify(author.doc.getXmlFragment('prfaq').toJSON()).includes('AFTER-GO'))
    expect(await fac.command({ type: 'phase.advance', commandId: 'reopen', to: 'reading' })).toMatchObject({
      ok: false,
      error: { code: 'PHASE_LOCKED' },
    })

    // The export has the final document, every card with its disposition, and the decision.
    const md = await fetch(`${server.url}${base}/export.md`, {
      headers: { authorization: `Bearer ${eng.person.token}` },
    }).then((r) => r.text())
    for (const text of [
      'Revised problem text.',
      'Tightened in round two.',
      'R1 pricing model is unproven',
      'R1 strong customer quote',
      'R2 use the brand name consistently',
      'Rejected — R1 evidence exists',
      'Only you and your store.',
      'R1 reply: interviews are in the appendix',
      'R2 sign-off: evidence is solid',
      'R2 decision: go for the spring launch',
      '**Outcome: Go**',
    ])
      expect(md).toContain(text)
    expect(md).not.toContain('AFTER-GO')
    const html = await fetch(`${server.url}${base}/export.html?token=${legal.person.token}`).then((r) =>
      r.text(),
    )
    for (const text of [
      'Tightened in round two.',
      'R2 tighten the wording of the solution',
      'R2 decision: go for the spring launch',
    ])
      expect(html).toContain(text)

    for (const c of clients) c.close()
  })
})
