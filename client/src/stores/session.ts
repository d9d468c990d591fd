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

  function persist() {
    try {
      localStorage.setItem(KEY, JSON.stringify(sessions.value))
    } catch {
      // Private mode or a full quota: the session still works until the tab closes.
    }
  }

  function save(session: ReviewSession) {
    sessions.value = {
      ...sessions.value,
      [session.reviewId]: { ...sessions.value[session.reviewId], ...session },
    }
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

  return { sessions, get, save, setInvite, forget }
})
