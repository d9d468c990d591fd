import type { Func, InviteRole, Role } from '../../../shared/domain/types'
import type { WireError } from '../../../shared/protocol/errors'

/** The HTTP half of the wire (DESIGN §4). Errors arrive as `{error: {code, message}}`. */
export interface CreatedReview {
  reviewId: string
  participantId: string
  token: string
  invites: Record<InviteRole, string>
}

export interface JoinedReview {
  reviewId: string
  participantId: string
  token: string
  roles: Role[]
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface InviteInfo {
  title: string
  role: InviteRole
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      referrerPolicy: 'no-referrer',
    })
  } catch {
    throw new ApiError('UNAVAILABLE', 'The server could not be reached. Check your connection and try again.')
  }
  const data = (await res.json().catch(() => ({}))) as { error?: WireError } & T
  if (!res.ok) {
    const e = data.error
    throw new ApiError(e?.code ?? 'UNAVAILABLE', e?.message ?? `The server answered ${res.status}.`)
  }
  return data
}

export function createReview(input: {
  title: string
  facilitator: { name: string; function: Func }
  markdown?: string
}): Promise<CreatedReview> {
  return request('POST', '/api/reviews', input)
}

export function joinReview(code: string, input: { name: string; function: Func }): Promise<JoinedReview> {
  return request('POST', `/api/invites/${encodeURIComponent(code)}/join`, input)
}

/** The review an invite leads to and the role it gives; `NOT_FOUND` once the link is rotated. */
export function inviteInfo(code: string): Promise<InviteInfo> {
  return request('GET', `/api/invites/${encodeURIComponent(code)}`)
}

/** Invites may come back as paths (`/join/<code>`); people copy full addresses. */
export function absoluteUrl(link: string): string {
  return new URL(link, window.location.origin).href
}
