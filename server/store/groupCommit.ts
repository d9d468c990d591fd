import { StoreError } from './types'

type Op = () => void

interface Pending {
  op: Op
  resolve: () => void
  reject: (e: unknown) => void
}

/**
 * Group commit across rooms (DESIGN §5): writes that arrive while a batch is pending join it;
 * the batch runs on setImmediate as ONE transaction, each write in its own savepoint so one
 * refused write (CONFLICT) does not sink the others. A write's promise settles only after the
 * transaction committed (resolve) or failed (reject).
 */
export class GroupCommit {
  private queue: Pending[] = []
  private scheduled = false
  private closed = false
  commits = 0

  constructor(
    /** Runs `body` as one transaction and commits it; throws if the commit failed. */
    private readonly transaction: (body: () => void) => void,
    /** Runs `op` so that a throw undoes only its own changes (a savepoint). */
    private readonly savepoint: (op: Op) => void,
    private readonly afterCommit: () => void = () => {},
  ) {}

  enqueue(op: Op): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('UNAVAILABLE', 'The store is closed.'))
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits everything queued so far, synchronously. */
  flush(): void {
    this.scheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    const failures = new Map<Pending, unknown>()
    try {
      this.transaction(() => {
        for (const p of batch) {
          try {
            this.savepoint(p.op)
          } catch (e) {
            failures.set(p, e)
          }
        }
      })
      this.commits++
    } catch (e) {
      const error =
        e instanceof StoreError ? e : new StoreError('UNAVAILABLE', `The write was not saved: ${String(e)}`)
      for (const p of batch) p.reject(error)
      return
    }
    for (const p of batch) {
      if (failures.has(p)) p.reject(failures.get(p))
      else p.resolve()
    }
    this.afterCommit()
  }

  close(): void {
    this.flush()
    this.closed = true
  }
}
