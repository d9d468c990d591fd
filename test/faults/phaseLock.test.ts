import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createSqliteStore } from '../../server/store/sqlite'
import { createReview, join, startServer } from '../integration/helpers/testServer'
import { FaultClient } from './helpers/faultClient'
import { sleep } from './helpers/seed'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-r3-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const t = Date.now()
  while (!check()) {
    if (Date.now() - t > ms) throw new Error('timed out')
    await sleep(10)
  }
}

describe('offline work across a phase change', () => {
  it('[R3] edits and commands queued offline into reading are refused PHASE_LOCKED, nothing stored, the client reset and told why', async () => {
    const store = createSqliteStore({ dataDir: dir })
    const server = await startServer({ store })
    const review = await createReview(server.url)
    const author = await join(server.url, review.invites.author, 'Offline author')
    const fac = new FaultClient(server.url, review.token)
    const a = new FaultClient(server.url, author.token)
    await until(() => fac.synced > 0 && a.synced > 0)
    a.insert('<before>')
    await until(() => a.acked.has('<before>'))

    // Offline: three edits and three commands, queued by the socket until it reconnects.
    a.socket.disconnect()
    for (const m of ['<off1>', '<off2>', '<off3>']) a.insert(m)
    const queued = [1, 2, 3].map((i) =>
      a.socket.timeout(10_000).emitWithAck('command', {
        type: 'card.create',
        commandId: `offline-${i}`,
        body: `A concern written offline ${i}`,
        severity: 'structural',
        kind: 'concern',
      }),
    )
    expect(
      await fac.command({ type: 'phase.advance', commandId: 'to-reading', to: 'reading' }),
    ).toMatchObject({
      ok: true,
    })
    await server.app.rooms.peek(review.reviewId)!.flush()
    const eventsBefore = await store.loadEvents(review.reviewId)
    const docBefore = Y.encodeStateVector(server.app.rooms.peek(review.reviewId)!.doc)

    a.socket.connect()
    const acks = (await Promise.all(queued)) as Array<{
      ok: boolean
      error?: { code: string; message: string }
    }>
    await until(() => a.refusals.some((r) => r.code === 'PHASE_LOCKED'))
    const serverText = () => server.app.rooms.peek(review.reviewId)!.doc.getText('t').toString()
    await until(() => a.text() === serverText())

    expect(acks.map((x) => x.error?.code)).toEqual(['PHASE_LOCKED', 'PHASE_LOCKED', 'PHASE_LOCKED'])
    for (const x of acks) expect(x.error!.message.length).toBeGreaterThan(10)
    expect(a.refusals.filter((r) => r.code === 'PHASE_LOCKED').length).toBeGreaterThanOrEqual(1)
    expect(a.refusals.every((r) => r.code === 'PHASE_LOCKED' && /read/i.test(r.message))).toBe(true)
    // Reset to the server state: the offline edits are gone from the client, the earlier one stays.
    expect(a.text()).toBe('<before>')
    expect(a.board?.phase).toBe('reading')
    // Nothing stored: the log and the document are as they were at the phase change.
    await server.app.rooms.peek(review.reviewId)!.flush()
    expect(await store.loadEvents(review.reviewId)).toEqual(eventsBefore)
    expect(Y.encodeStateVector(server.app.rooms.peek(review.reviewId)!.doc)).toEqual(docBefore)
    expect(fac.text()).toBe('<before>')

    a.close()
    fac.close()
    await server.close()
    await store.close()
  })
})
