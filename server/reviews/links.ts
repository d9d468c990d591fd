import { INVITE_ROLES, type InviteRole } from '../../shared/domain/types'
import type { SecretBox } from '../auth/secretBox'
import { hashSecret, newInviteCode } from '../auth/secrets'
import type { Room } from '../rooms/room'
import type { ReturnGrant, SealedInvite, Store } from '../store/types'
import type { ReviewDeps } from './reviewService'

/**
 * Invite links readable to every facilitator [PA12] and personal return links [PA11]. Codes are
 * looked up by sha-256 and kept readable only sealed (`SecretBox`, [PA13]); nothing here logs.
 */
export const inviteContext = (reviewId: string, role: InviteRole) => `invite:${reviewId}:${role}`
const returnContext = (reviewId: string, participantId: string) => `return:${reviewId}:${participantId}`

export const inviteUrl = (base: string, code: string) => `${base}/join/${code}`
export const returnUrl = (base: string, code: string) => `${base}/back/${code}`

export function sealInvite(
  secrets: SecretBox,
  reviewId: string,
  role: InviteRole,
  code: string,
): SealedInvite {
  return { role, sealed: secrets.seal(code, inviteContext(reviewId, role)) }
}

/** A fresh return code for a participant: the grant to write, and the code to hand out once. */
export function newReturnLink(
  secrets: SecretBox,
  reviewId: string,
  participantId: string,
): { grant: ReturnGrant; code: string } {
  const code = newInviteCode()
  return {
    code,
    grant: {
      hash: hashSecret(code),
      participantId,
      sealed: secrets.seal(code, returnContext(reviewId, participantId)),
    },
  }
}

/**
 * The current invite link per role, or null where the server cannot show one (made before links
 * were kept, or sealed under another key). A sealed code whose hash is no longer the role's
 * invite (a rotation it missed) is null too: a facilitator is never handed a dead link.
 */
export async function currentInvites(
  deps: Pick<ReviewDeps, 'store' | 'secrets' | 'publicUrl'>,
  reviewId: string,
): Promise<Record<InviteRole, string | null>> {
  const sealed = new Map((await deps.store.listSealedInvites(reviewId)).map((i) => [i.role, i.sealed]))
  const base = deps.publicUrl()
  const out = {} as Record<InviteRole, string | null>
  for (const role of INVITE_ROLES) {
    const box = sealed.get(role)
    const code = box ? deps.secrets.open(box, inviteContext(reviewId, role)) : null
    const live = code ? await deps.store.findInvite(hashSecret(code)) : null
    out[role] = code && live?.reviewId === reviewId && live.role === role ? inviteUrl(base, code) : null
  }
  return out
}

/**
 * This participant's return link: the current one, or (when there is none yet, none the server
 * can open, or `rotate`) a new one that replaces it — the old link stops working in the same
 * commit. Runs in the room's queue so two devices asking at once get the same link.
 */
export function returnLinkOf(
  deps: Pick<ReviewDeps, 'store' | 'secrets' | 'publicUrl'>,
  room: Room,
  participantId: string,
  rotate: boolean,
): Promise<string> {
  return room.serial(async () => {
    const base = deps.publicUrl()
    if (!rotate) {
      const kept = await deps.store.getReturnLink(room.id, participantId)
      const code = kept ? deps.secrets.open(kept.sealed, returnContext(room.id, participantId)) : null
      if (code) return returnUrl(base, code)
    }
    const fresh = newReturnLink(deps.secrets, room.id, participantId)
    await room.track(deps.store.write(room.id, { returnLinks: [fresh.grant] }))
    return returnUrl(base, fresh.code)
  })
}

/** Who a return code opens the board as, if it still works and they are still in the review. */
export async function findReturn(
  store: Store,
  code: string,
): Promise<{ reviewId: string; participantId: string } | null> {
  return store.findReturnLink(hashSecret(code))
}
