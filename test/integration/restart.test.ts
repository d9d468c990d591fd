import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createSqliteStore } from '../../server/store/sqlite'
import { createReview, startServer } from './helpers/testServer'
import { SyncClient } from './helpers/syncClient'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const headings = (doc: Y.Doc) =>
  doc
    .getXmlFragment('prfaq')
    .toArray()
    .filter((n) => n instanceof Y.XmlElement && n.nodeName === 'heading').length

describe('restart', () => {
  it('[R5] keeps content across restarts and never duplicates the template', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-restart-'))
    dirs.push(dir)
    let reviewId = ''
    let token = ''
    let templateHeadings = 0
    for (let run = 0; run < 4; run++) {
      const store = createSqliteStore({ dataDir: dir })
      const server = await startServer({ store, config: { limits: { roomIdleMs: 0 } } })
      if (run === 0) ({ reviewId, token } = await createReview(server.url))
      const c = new SyncClient(server.url, token)
      await c.synced
      if (run === 0) templateHeadings = headings(c.doc)
      expect(headings(c.doc)).toBe(templateHeadings)
      expect(c.text()).toBe('edit '.repeat(run))
      c.doc.getText('t').insert(c.text().length, 'edit ')
      await c.settled()
      c.close()
      await server.close()
      await store.close()
    }
    expect(templateHeadings).toBeGreaterThan(5)
    expect(reviewId).not.toBe('')
  })
})
