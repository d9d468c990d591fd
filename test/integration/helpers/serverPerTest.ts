import { afterEach, beforeEach } from 'vitest'
import { SyncClient } from './syncClient'
import { startServer, type TestServer } from './testServer'

export interface PerTest {
  /** This test's server: read it inside the test, each test gets a fresh one. */
  readonly server: TestServer
  /** A client on this test's server, closed when the test ends. */
  client(token: string): SyncClient
}

/** A fresh server for each test of the calling file; its clients and the server close after each test. */
export function serverPerTest(): PerTest {
  let server: TestServer | undefined
  const clients: SyncClient[] = []
  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close()
    await server?.close()
  })
  const current = (): TestServer => {
    if (!server) throw new Error('serverPerTest: the server exists only inside a test')
    return server
  }
  return {
    get server() {
      return current()
    },
    client(token) {
      const c = new SyncClient(current().url, token)
      clients.push(c)
      return c
    },
  }
}
