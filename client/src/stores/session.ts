import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { InviteRole } from '../../../shared/domain/types'

/** What this browser holds for one review: its identity there and, for creators, the invite links. */
export interface ReviewSession {
  reviewId: string
  participantId: string
  token: string
  title?: string
  invites?: Partial<Record<InviteRole, string>>
  /** This person's return link, as last seen (the server has the current one). */
  returnUrl?: string
  /** When this browser last joined or opened the review (the review list sorts by it). */
  openedAt?: number
}

/**
 * A note the board shows once, right after arriving: a newcomer is shown their return link; a
 * returning person (an invite opened again in this browser) is told who they are, with the way
 * to join as someone else. Kept in memory only: a reload does not bring it back.
 */
export interface ArrivalNote {
  reviewId: string
  kind: 'joined' | 'returning'
  /** The invite code that brought a returning person here (for "join as someone else"). */
  inviteCode?: string
}

const KEY = 'prfaq-board.sessions'

function load(): Record<string, ReviewSession> {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Record<string, ReviewSession>) : {}
  } catch {
    return {}
  }
}

/** Tokens per review, kept in localStorage so a reload keeps who you are (issue 2, point 6). */
export const useSessionStore = defineStore('session', () => {
  const sessions = ref<Record<string, ReviewSession>>(load())
  const arrival = ref<ArrivalNote | null>(null)

  function persist() {
    try {
      localStorage.setItem(KEY, JSON.stringify(sessions.value))
    } catch {
      // Private mode or a full quota: the session still works until the tab closes.
    }
  }

  /** Merges into what is kept for the review; another participant (joined as someone else) replaces it. */
  function save(session: ReviewSession) {
    const kept = sessions.value[session.reviewId]
    const base = kept && kept.participantId === session.participantId ? kept : {}
    sessions.value = { ...sessions.value, [session.reviewId]: { ...base, ...session } }
    persist()
  }

  function setInvite(reviewId: string, role: InviteRole, url: string) {
    const s = sessions.value[reviewId]
    if (!s) return
    save({ ...s, invites: { ...s.invites, [role]: url } })
  }

  function forget(reviewId: string) {
    const { [reviewId]: _gone, ...rest } = sessions.value
    sessions.value = rest
    persist()
  }

  const get = (reviewId: string): ReviewSession | undefined => sessions.value[reviewId]

  return { sessions, arrival, get, save, setInvite, forget }
})
