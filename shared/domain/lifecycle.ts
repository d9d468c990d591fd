import type { DomainEvent } from './events'
import { DEFAULT_SETTINGS, type Participant, type ReviewState, type Settings } from './types'

export interface ReviewCreation {
  title: string
  facilitator: Participant
  now: number
  settings?: Partial<Settings>
}

/**
 * The events that start a review (appended by the server over HTTP). The creator facilitates:
 * a review is never without a facilitator [PA6]. Their other roles are the caller's choice
 * (facilitator + author by default, DESIGN §3).
 */
export function reviewCreatedEvents({ title, facilitator, now, settings }: ReviewCreation): DomainEvent[] {
  const roles = facilitator.roles.length > 0 ? facilitator.roles : (['facilitator', 'author'] as const)
  const withFacilitation = roles.includes('facilitator') ? [...roles] : ['facilitator' as const, ...roles]
  return [
    { type: 'review.created', title, settings: { ...DEFAULT_SETTINGS, ...settings }, createdAt: now },
    {
      type: 'participant.joined',
      participant: { ...facilitator, roles: withFacilitation.filter((r) => r !== 'observer') },
    },
  ]
}

/**
 * The events of someone joining through an invite link [PA8]. Joining twice with the same id adds
 * nothing. Joining a closed review is allowed: it can still be read.
 */
export function joinEvents(state: ReviewState, participant: Participant): DomainEvent[] {
  if (state.participants[participant.id]) return []
  return [{ type: 'participant.joined', participant: { ...participant, roles: [...participant.roles] } }]
}
