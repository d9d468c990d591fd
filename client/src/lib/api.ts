import type { Func, InviteRole, Outcome, Phase, Role } from '../../../shared/domain/types'
import type { WireError } from '../../../shared/protocol/errors'

/** The HTTP half of the wire (DESIGN §4). Errors arrive as `{error: {code, message}}`. */
export interface CreatedReview {
  reviewId: string
  participantId: string
  token: string
  invites: Record<InviteRole, string>
  /** The creator's personal way back, on any device. */
  returnUrl: string
}

export interface JoinedReview {
  reviewId: string
  participantId: string
  token: string
  roles: Role[]
  /** The newcomer's personal way back, on any device (absent when opened by a return link). */
  returnUrl?: string
}

/** What the review list shows of one review (`GET /api/reviews/<id>`). */
export interface ReviewSummary {
  reviewId: string
  title: string
  phase: Phase
  round: number
  outcome: Outcome | null
  lastActivityAt: number
  participants: Array<{ id: string; name: string; function: Func; roles: Role[]; online: boolean }>
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
  reviewId: string
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<T> {
  let res: Response
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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

/** Opens the board as the owner of a return link: a new token for this browser. */
export function openReturnLink(code: string): Promise<JoinedReview> {
  return request('POST', `/api/back/${encodeURIComponent(code)}`)
}

export function reviewSummary(reviewId: string, token: string): Promise<ReviewSummary> {
  return request('GET', `/api/reviews/${encodeURIComponent(reviewId)}`, undefined, token)
}

/** The current invite links (facilitators only); null where the server cannot show one. */
export async function currentInvites(
  reviewId: string,
  token: string,
): Promise<Record<InviteRole, string | null>> {
  const res = await request<{ invites: Record<InviteRole, string | null> }>(
    'GET',
    `/api/reviews/${encodeURIComponent(reviewId)}/invites`,
    undefined,
    token,
  )
  return res.invites
}

/** Your return link; `rotate` makes a new one and the old one stops working. */
export async function returnLink(reviewId: string, token: string, rotate = false): Promise<string> {
  const res = await request<{ url: string }>(
    rotate ? 'POST' : 'GET',
    `/api/reviews/${encodeURIComponent(reviewId)}/return-link`,
    undefined,
    token,
  )
  return res.url
}

/** Invites may come back as paths (`/join/<code>`); people copy full addresses. */
export function absoluteUrl(link: string): string {
  return new URL(link, window.location.origin).href
}
