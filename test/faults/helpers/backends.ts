import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPostgresStore } from '../../../server/store/postgres'
import { createSqliteStore } from '../../../server/store/sqlite'
import type { Store } from '../../../server/store/types'
import { createTestDatabase } from '../../integration/helpers/postgres'
import { LONG } from './seed'

/**
 * Where a fault test keeps its data: a SQLite folder, or a fresh PostgreSQL database (dropped
 * afterwards). `env` is what a server process needs to use it; `open` opens it in this process,
 * to read what was stored with no server running.
 */
export interface Backend {
  name: 'sqlite' | 'postgres'
  dataDir: string
  env: Record<string, string>
  open: () => Promise<Store>
  cleanup: () => Promise<void>
}

export type BackendName = Backend['name']

/**
 * Both stores by default; PostgreSQL runs a CI-sized share of each fault suite, FAULTS_LONG=1
 * the whole of it (and STORE_BACKENDS=sqlite or =postgres picks one).
 */
export const BACKENDS: BackendName[] = (process.env.STORE_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is BackendName => s === 'sqlite' || s === 'postgres')

/** A size for this backend: the full one on SQLite or with FAULTS_LONG, the CI share on PostgreSQL. */
export const sized = (name: BackendName, full: number, ci: number): number =>
  name === 'sqlite' || LONG ? full : ci

export async function createBackend(name: BackendName): Promise<Backend> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `prfaq-${name}-`))
  if (name === 'sqlite')
    return {
      name,
      dataDir,
      env: {},
      open: async () => createSqliteStore({ dataDir }),
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    }
  const db = await createTestDatabase()
  return {
    name,
    dataDir,
    env: { DATABASE_URL: db.url },
    open: () => createPostgresStore({ url: db.url }),
    cleanup: async () => {
      await db.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
