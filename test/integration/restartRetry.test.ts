import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../server/store/sqlite'
import { BoardClient, joinAs, reviewWith } from './helpers/reviewFlow'
import { startServer } from './helpers/testServer'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/**
 * A client that never got its ack (the server restarted first) sends the same command again:
 * the answers are rebuilt from the stored log, so it takes effect once and gets the same ack [ID1].
 */
describe('a retried command after a restart', () => {
  it('[ID1] is applied once and answered as the first time (seq and cardId), rebuilt from the log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-retry-'))
    dirs.push(dir)
    let store = createSqliteStore({ dataDir: dir })
    let server = await startServer({ store })
    const { review, fac } = await reviewWith(server.url)
    const reviewer = await joinAs(server.url, review.invites.reviewer, 'Rae', 'legal')
    await fac.advance('reading', 'critique')
    let rae = await new BoardClient(server.url, reviewer).ready()
    const card = {
      type: 'card.create',
      commandId: 'rae-card-1',
      body: 'Who pays?',
      severity: 'minor',
      kind: 'question',
    }
    const note = { type: 'note.save', commandId: 'rae-note-1', body: 'Check the pricing' }
    const first = await rae.command(card)
    const firstNote = await rae.command(note)
    expect(first.ok && first.cardId).toBeTruthy()
    expect(firstNote.ok).toBe(true)
    rae.close()
    fac.close()
    await server.close()
    await store.close()

    // A new process on the same data: nothing in memory but the log.
    store = createSqliteStore({ dataDir: dir })
    server = await startServer({ store })
    try {
      rae = await new BoardClient(server.url, reviewer).ready()
      const again = await rae.command(card)
      const noteAgain = await rae.command(note)
      expect(again).toEqual(first)
      expect(noteAgain).toEqual(firstNote)
      const events = await store.loadEvents(review.reviewId)
      expect(events.filter((e) => e.commandId === 'rae-card-1').map((e) => e.type)).toEqual(['card.created'])
      expect(events.filter((e) => e.commandId === 'rae-note-1')).toHaveLength(1)
      expect(rae.board?.cards.filter((c) => c.body === 'Who pays?')).toHaveLength(1)
      // A new commandId is a new card: the retry rule is per commandId, not per body.
      const other = await rae.command({ ...card, commandId: 'rae-card-2' })
      expect(other.ok && other.cardId).not.toBe(first.ok && first.cardId)
      rae.close()
    } finally {
      await server.close()
      await store.close()
    }
  })
})
