import type { Address } from './wire'
import type { ServerHandle } from './servers'

/**
 * Rooms and credentials. Ours: a review created over HTTP (its facilitator is also an author);
 * writers join with the author invite, observers with the observer invite. Baseline: a room is a
 * document name and needs no credentials.
 */
export interface Room {
  name: string
  /** Ours: the review id (for seeding its store directly); baseline: the document name. */
  reviewId: string
  /** The creator's address (facilitator + author). */
  owner: Address
  writer(): Promise<Address>
  observer(): Promise<Address>
  /** Reuse the owner's token (many sockets, one participant) where thousands of joins would only cost set-up time. */
  shared(): Address
}

let counter = 0

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.ok) return (await res.json()) as Record<string, unknown>
    // A rate limit on set-up is not what we measure: back off and retry.
    if (res.status === 429 && attempt < 50) {
      await new Promise((r) => setTimeout(r, 200))
      continue
    }
    throw new Error(`POST ${url} → ${res.status} ${await res.text()}`)
  }
}

function inviteCode(link: unknown): string {
  const s = String(link)
  return s.slice(s.lastIndexOf('/') + 1)
}

export async function createRoom(server: ServerHandle, label = 'room'): Promise<Room> {
  const name = `${label}-${++counter}`
  if (server.kind === 'baseline') {
    const addr: Address = { kind: 'baseline', url: server.url, room: name }
    return {
      name,
      reviewId: name,
      owner: addr,
      writer: async () => addr,
      observer: async () => addr,
      shared: () => addr,
    }
  }
  const created = await post(`${server.url}/api/reviews`, {
    title: name,
    facilitator: { name: 'Bench Owner', function: 'product' },
  })
  const invites = created.invites as Record<string, string>
  const owner: Address = { kind: 'ours', url: server.url, room: name, token: String(created.token) }
  let n = 0
  const join = async (role: string): Promise<Address> => {
    const joined = await post(`${server.url}/api/invites/${inviteCode(invites[role])}/join`, {
      name: `bench ${role} ${++n}`,
      function: 'engineering',
    })
    return { kind: 'ours', url: server.url, room: name, token: String(joined.token) }
  }
  return {
    name,
    reviewId: String(created.reviewId),
    owner,
    writer: () => join('author'),
    observer: () => join('observer'),
    shared: () => owner,
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
