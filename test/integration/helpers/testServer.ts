import { createApp, type App } from '../../../server/app'
import { testConfig, type ConfigOverrides } from '../../../server/config'
import { silentLogger } from '../../../server/logger'
import { createMemoryStore } from '../../../server/store/memory'
import type { Store } from '../../../server/store/types'

export interface TestServer {
  app: App
  url: string
  store: Store
  close: () => Promise<void>
}

/** A real server on port 0 (memory store unless given one). */
export async function startServer(
  opts: { store?: Store; config?: ConfigOverrides } = {},
): Promise<TestServer> {
  const store = opts.store ?? createMemoryStore()
  const app = createApp({
    store,
    config: testConfig({ clientDir: '/nonexistent', ...opts.config }),
    logger: silentLogger(),
  })
  const url = await app.listen()
  return {
    app,
    url,
    store,
    close: async () => {
      await app.close()
      if (!opts.store) await store.close()
    },
  }
}

export interface CreatedReview {
  reviewId: string
  participantId: string
  token: string
  invites: Record<'author' | 'reviewer' | 'decider' | 'observer', string>
  returnUrl: string
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests
type Json = any

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

export async function createReview(url: string, markdown?: string): Promise<CreatedReview> {
  const res = await postJson(`${url}/api/reviews`, {
    title: 'Launch plan',
    facilitator: { name: 'Ada', function: 'product' },
    ...(markdown === undefined ? {} : { markdown }),
  })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as CreatedReview
}

export async function join(
  url: string,
  inviteUrl: string,
  name = 'Bo',
): Promise<{ reviewId: string; participantId: string; token: string; roles: string[] }> {
  const code = inviteUrl.split('/join/')[1]
  const res = await postJson(`${url}/api/invites/${code}/join`, { name, function: 'engineering' })
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}
