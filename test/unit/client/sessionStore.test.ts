// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useSessionStore } from '../../../client/src/stores/session'

const KEY = 'prfaq-board.sessions'

/** A reload is a new Pinia reading the same localStorage. */
function reload() {
  setActivePinia(createPinia())
  return useSessionStore()
}

describe('the session store keeps one identity per review in localStorage', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('keeps tokens per review across a reload', () => {
    const s = useSessionStore()
    s.save({ reviewId: 'r1', participantId: 'p1', token: 't1', title: 'Pantry Plan' })
    s.save({ reviewId: 'r2', participantId: 'p9', token: 't2' })
    const after = reload()
    expect(after.get('r1')).toEqual({
      reviewId: 'r1',
      participantId: 'p1',
      token: 't1',
      title: 'Pantry Plan',
    })
    expect(after.get('r2')?.token).toBe('t2')
    expect(after.get('r3')).toBeUndefined()
  })

  it('saving again for a review merges: the invite links a creator holds are kept', () => {
    const s = useSessionStore()
    s.save({ reviewId: 'r1', participantId: 'p1', token: 't1', invites: { reviewer: 'https://x/join/a' } })
    s.setInvite('r1', 'decider', 'https://x/join/b')
    s.save({ reviewId: 'r1', participantId: 'p1', token: 't1-new' })
    const after = reload().get('r1')
    expect(after?.token).toBe('t1-new')
    expect(after?.invites).toEqual({ reviewer: 'https://x/join/a', decider: 'https://x/join/b' })
  })

  it('forgets one review and leaves the others', () => {
    const s = useSessionStore()
    s.save({ reviewId: 'r1', participantId: 'p1', token: 't1' })
    s.save({ reviewId: 'r2', participantId: 'p2', token: 't2' })
    s.forget('r1')
    const after = reload()
    expect(after.get('r1')).toBeUndefined()
    expect(after.get('r2')?.token).toBe('t2')
  })

  it('starts empty from unreadable storage instead of failing', () => {
    localStorage.setItem(KEY, '{not json')
    expect(reload().sessions).toEqual({})
  })

  it('an invite for a review this browser never joined is ignored', () => {
    const s = useSessionStore()
    s.setInvite('nope', 'reviewer', 'https://x/join/a')
    expect(JSON.parse(localStorage.getItem(KEY) ?? '{}')).toEqual({})
  })

  it('joining as someone else replaces the identity kept for the review, not merges into it', () => {
    const s = useSessionStore()
    s.save({ reviewId: 'r1', participantId: 'p1', token: 't1', returnUrl: 'https://x/back/old' })
    s.save({ reviewId: 'r1', participantId: 'p2', token: 't2' })
    expect(reload().get('r1')).toEqual({ reviewId: 'r1', participantId: 'p2', token: 't2' })
  })
})
