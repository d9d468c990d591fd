import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { CONTRACT_POLICY, everyAcknowledgedWriteIsStored } from './store.contract'

/** A broken adapter: every tenth `write` is acknowledged without being stored. */
function droppingEveryTenthWrite(inner: Store): Store {
  let n = 0
  return {
    ...inner,
    metrics: inner.metrics,
    write: (id, set) => (++n % 10 === 0 ? Promise.resolve() : inner.write(id, set)),
  }
}

describe('the store contract can fail', () => {
  it('catches a store that silently drops every tenth write (the path the server uses)', async () => {
    const store = droppingEveryTenthWrite(createMemoryStore(CONTRACT_POLICY))
    await expect(everyAcknowledgedWriteIsStored(store)).rejects.toThrow(
      /acknowledged but not stored|events of/,
    )
    await store.close()
  })

  it('passes the same check on the real adapter it wraps', async () => {
    const store = createMemoryStore(CONTRACT_POLICY)
    await everyAcknowledgedWriteIsStored(store)
    await store.close()
  })
})
