import { importedState } from '../doc/docWorker'
import { PRFAQ_TEMPLATE } from '../../shared/doc/template'
import type { StoredEvent } from '../../shared/domain/events'
import { evolve, initialState } from '../../shared/domain/evolve'
import { joinEvents, reviewCreatedEvents } from '../../shared/domain/lifecycle'
import {
  INVITE_ROLES,
  type Func,
  type InviteRole,
  type Participant,
  type Role,
} from '../../shared/domain/types'
import { hashSecret, newInviteCode, newToken } from '../auth/secrets'
import type { RoomDeps } from '../rooms/deps'
import type { RoomRegistry } from '../rooms/roomRegistry'
import type { Store } from '../store/types'
import { findReturn, inviteUrl, newReturnLink, returnUrl, sealInvite } from './links'

export interface Person {
  name: string
  function: Func
}

export interface Created {
  reviewId: string
  participantId: string
  token: string
  invites: Record<InviteRole, string>
  /** The creator's personal way back, on any device [PA11]. */
  returnUrl: string
}

export interface Joined {
  reviewId: string
  participantId: string
  token: string
  roles: Role[]
  /** The newcomer's personal way back, on any device [PA11]. */
  returnUrl: string
}

export type ReviewDeps = Pick<RoomDeps, 'store' | 'clock' | 'ids' | 'publicUrl' | 'secrets'> & {
  rooms: RoomRegistry
}

/**
 * Creates a review. The initial document (the template or the given Markdown) is written here,
 * ONCE, as the review's first stored update; loading never writes content, so restarts can
 * never duplicate the template (R5).
 */
export async function createReview(
  deps: ReviewDeps,
  title: string,
  person: Person,
  markdown?: string,
): Promise<Created> {
  const reviewId = deps.ids()
  const now = deps.clock()
  const facilitator: Participant = {
    id: deps.ids(),
    ...person,
    roles: ['facilitator', 'author'],
    joinedAt: now,
  }
  const events: StoredEvent[] = reviewCreatedEvents({ title, facilitator, now }).map((e, i) => ({
    ...e,
    seq: i + 1,
    at: now,
    actorId: facilitator.id,
  }))
  const initial = await importedState(markdown && markdown.trim() ? markdown : PRFAQ_TEMPLATE)

  const token = newToken()
  const codes = Object.fromEntries(INVITE_ROLES.map((role) => [role, newInviteCode()])) as Record<
    InviteRole,
    string
  >
  const back = newReturnLink(deps.secrets, reviewId, facilitator.id)
  await deps.store.write(reviewId, {
    review: { id: reviewId, title, createdAt: now },
    events,
    updates: [initial],
    tokens: [{ hash: hashSecret(token), participantId: facilitator.id }],
    invites: INVITE_ROLES.map((role) => ({ hash: hashSecret(codes[role]), role })),
    sealedInvites: INVITE_ROLES.map((role) => sealInvite(deps.secrets, reviewId, role, codes[role])),
    returnLinks: [back.grant],
  })
  const base = deps.publicUrl()
  const invites = Object.fromEntries(INVITE_ROLES.map((r) => [r, inviteUrl(base, codes[r])])) as Record<
    InviteRole,
    string
  >
  return { reviewId, participantId: facilitator.id, token, invites, returnUrl: returnUrl(base, back.code) }
}

/**
 * Joins through an invite link. Goes through the review's room (loading it if needed), in its
 * queue, so the log's order holds and connected clients see the newcomer at once.
 */
export async function joinReview(deps: ReviewDeps, code: string, person: Person): Promise<Joined | null> {
  const invite = await deps.store.findInvite(hashSecret(code))
  if (!invite) return null
  const room = await deps.rooms.get(invite.reviewId)
  if (!room) return null
  return room.serial(async () => {
    const now = deps.clock()
    const participant: Participant = { id: deps.ids(), ...person, roles: [invite.role], joinedAt: now }
    const events: StoredEvent[] = joinEvents(room.state, participant).map((e, i) => ({
      ...e,
      seq: room.state.seq + 1 + i,
      at: now,
      actorId: participant.id,
    }))
    const token = newToken()
    const back = newReturnLink(deps.secrets, room.id, participant.id)
    await room.track(
      deps.store.write(room.id, {
        events,
        tokens: [{ hash: hashSecret(token), participantId: participant.id }],
        returnLinks: [back.grant],
      }),
    )
    room.applyEvents(events)
    return {
      reviewId: room.id,
      participantId: participant.id,
      token,
      roles: [...participant.roles],
      returnUrl: returnUrl(deps.publicUrl(), back.code),
    }
  })
}

export type Returned = Omit<Joined, 'returnUrl'>

/**
 * Opens the board as the owner of a return link [PA11]: a new token for this device, the link
 * itself unchanged. Null when the link was rotated or its owner removed or merged away.
 */
export async function returnByLink(deps: ReviewDeps, code: string): Promise<Returned | null> {
  const found = await findReturn(deps.store, code)
  if (!found) return null
  const room = await deps.rooms.get(found.reviewId)
  if (!room) return null
  return room.serial(async () => {
    const me = room.state.participants[found.participantId]
    if (!me || me.removed) return null
    const token = newToken()
    await room.track(
      deps.store.write(room.id, { tokens: [{ hash: hashSecret(token), participantId: me.id }] }),
    )
    return { reviewId: room.id, participantId: me.id, token, roles: [...me.roles] }
  })
}

/** Who a token belongs to, if it still works (removed participants' tokens are revoked). */
export async function authenticate(
  store: Store,
  token: string,
): Promise<{ reviewId: string; participantId: string } | null> {
  return store.findToken(hashSecret(token))
}

/** Title, phase, round and participants: from the room when loaded, else folded from the log. */
export async function reviewSummary(deps: ReviewDeps, reviewId: string) {
  const room = deps.rooms.peek(reviewId)
  const state = room?.state ?? (await deps.store.loadEvents(reviewId)).reduce(evolve, initialState(reviewId))
  const online = room?.online() ?? new Set<string>()
  return {
    reviewId,
    title: state.title,
    phase: state.phase,
    round: state.round,
    outcome: state.decisions.at(-1)?.outcome ?? null,
    lastActivityAt: state.lastEventAt ?? state.createdAt,
    participants: Object.values(state.participants)
      .filter((p) => !p.removed)
      .map((p) => ({
        id: p.id,
        name: p.name,
        function: p.function,
        roles: [...p.roles],
        online: online.has(p.id),
      })),
  }
}
