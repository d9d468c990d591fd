import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../faults/helpers/processes'
import { spawnServer } from './helpers/childServer'

/**
 * `DATABASE_URL=… npm start` with PostgreSQL unreachable refuses to start, saying where it looked
 * (TARGETS X8): the real server/main.ts in its own process, pointed at a port nothing listens on.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-pgstart-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('start on PostgreSQL', () => {
  it('[X8] refuses to start when PostgreSQL cannot be reached, naming its host and port', async () => {
    const port = await freePort()
    const started = spawnServer(dataDir, {
      DATABASE_URL: `postgres://board:secret@127.0.0.1:${port}/prfaq`,
      PG_CONNECT_TIMEOUT_MS: '2000',
    })
    const error = await started.then(
      async (s) => {
        await s.kill('SIGKILL')
        return null
      },
      (e: unknown) => e as Error,
    )
    expect(error, 'the server started without its database').not.toBeNull()
    expect(error!.message).toMatch(/server exited \(1\) before listening/)
    expect(error!.message).toContain(`PostgreSQL at 127.0.0.1:${port} cannot be reached`)
    expect(error!.message).toMatch(/Check DATABASE_URL/)
    expect(error!.message).not.toContain('secret') // the password is not printed
  })
})
