import { can, confirmationFor } from '../../../shared/domain/allowed'
import { canEditDocument } from '../../../shared/domain/permissions'
import { nextPhases, type PhaseStep } from '../../../shared/domain/rules/phases'
import type { Result } from '../../../shared/domain/result'
import type { Card, Participant, Phase, ReviewState } from '../../../shared/domain/types'
import type { CommandType } from '../../../shared/protocol/commands'
import type { BoardState, CardView, ParticipantView } from '../../../shared/protocol/board'

/**
 * The shared rules, asked from the client's projection, only to enable buttons and say why not.
 * The server checks the same rules on its full state; nothing here is enforcement.
 */
function asParticipant(p: ParticipantView): Participant {
  return { id: p.id, name: p.name, function: p.function, roles: p.roles, joinedAt: 0, removed: p.removed }
}

/** A visible card as the rules read it: the viewer's own vote is all the client knows of voters. */
function asCard(c: CardView, meId: string): Card {
  return {
    ...c,
    authorId: c.authorId ?? '',
    votes: c.myVote ? [meId] : [],
    replies: c.replies.map((r) => ({ ...r, authorId: r.authorId ?? '' })),
  }
}

/** The fields of ReviewState the rules read, filled from what this participant may see. */
function asReviewState(b: BoardState): ReviewState {
  return {
    id: b.reviewId,
    title: b.title,
    createdAt: b.createdAt,
    phase: b.phase,
    round: b.round,
    timer: b.timer,
    settings: b.settings,
    participants: Object.fromEntries([...b.participants, b.me].map((p) => [p.id, asParticipant(p)])),
    progress: Object.fromEntries(b.progress.map(({ participantId, ...p }) => [participantId, p])),
    notes: {},
    cards: Object.fromEntries(b.cards.map((c) => [c.id, asCard(c, b.me.id)])),
    spotlight: b.spotlight,
    rounds: b.rounds,
    signoffs: {},
    decisions: b.decision.records,
    frozen: b.frozen,
    archived: b.archived,
    inviteVersions: {},
    seq: b.seq,
  }
}

export function canSend(b: BoardState, type: CommandType): boolean {
  return can(asReviewState(b), asParticipant(b.me), type)
}

/** What the facilitator should know before moving to `to` (unfinished readers, no way back). */
export function confirmationBefore(b: BoardState, to: Phase): string | null {
  const online = new Set(b.participants.filter((p) => p.online).map((p) => p.id))
  return confirmationFor(asReviewState(b), to, online)
}

export function editRule(b: BoardState): Result<true> {
  return canEditDocument(asReviewState(b), asParticipant(b.me))
}

export function phaseSteps(b: BoardState): PhaseStep[] {
  return canSend(b, 'phase.advance') ? nextPhases(asReviewState(b)) : []
}

export type { PhaseStep }
