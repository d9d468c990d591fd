import Database from 'better-sqlite3'
import type { Store } from '../../../server/store/types'

export type StoreFault = 'none' | 'throw' | 'busy' | 'full'

/** better-sqlite3's own error type, so the server sees exactly what a failing SQLite throws. */
const SqliteError = (Database as unknown as { SqliteError: new (message: string, code: string) => Error })
  .SqliteError

function failure(fault: Exclude<StoreFault, 'none'>): Error {
  if (fault === 'busy') return new SqliteError('database is locked', 'SQLITE_BUSY')
  if (fault === 'full') return new SqliteError('database or disk is full', 'SQLITE_FULL')
  return new Error('I/O error: the store threw')
}

export interface FaultyStore extends Store {
  fault: StoreFault
  /** Writes refused while a fault was on. */
  failed: number
}

/**
 * A real store whose writes fail on demand (R4): while `fault` is set, every write rejects
 * with the error SQLite would raise and stores nothing; reads keep working. Test-only.
 */
export function faultyStore(inner: Store): FaultyStore {
  const store: FaultyStore = {
    ...inner,
    fault: 'none',
    failed: 0,
    metrics: inner.metrics,
    write: (id, set) => guard(() => inner.write(id, set)),
  }
  function guard(run: () => Promise<void>): Promise<void> {
    if (store.fault === 'none') return run()
    store.failed++
    const fault = store.fault
    // Fails asynchronously, as a commit that went wrong does.
    return new Promise((_, reject) => setImmediate(() => reject(failure(fault))))
  }
  return store
}
