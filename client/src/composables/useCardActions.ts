import { computed } from 'vue'
import type { Disposition, Kind, Note, Severity } from '../../../shared/domain/types'
import type { CardView } from '../../../shared/protocol/board'
import type { CardAbilities } from '../components/critique/CardItem.vue'
import type { NewCard } from '../components/critique/CardComposer.vue'
import { canSend } from '../lib/rules'
import { useBoardStore } from '../stores/board'

export interface TriageInput {
  disposition: Disposition
  reason?: string
  duplicateOf?: string
  answer?: string
  /** With `answered`: which FAQ the answer goes into [TR9]. */
  faq?: 'external' | 'internal'
}

/**
 * Card commands as the critique, triage and revision panels use them. What a person may do is
 * asked from the shared rules (`canSend`); the server decides.
 */
export function useCardActions() {
  const board = useBoardStore()
  const allowed = (type: Parameters<typeof canSend>[1]) => !!board.state && canSend(board.state, type)

  const round = computed(() => board.state?.round ?? 0)
  const abilities = (card: CardView): CardAbilities => ({
    vote:
      allowed('card.vote') &&
      !card.mine &&
      card.round === round.value &&
      card.triage?.disposition !== 'duplicate',
    reply: allowed('card.reply'),
    spotlight: allowed('card.spotlight'),
    change: card.mine && !card.triage && card.round === round.value && allowed('card.edit'),
  })

  const done = (cb?: (ok: boolean) => void) => (ack: { ok: boolean }) => {
    cb?.(ack.ok)
    return ack
  }

  return {
    allowed,
    abilities,
    create: (c: NewCard, cb?: (ok: boolean) => void) =>
      board.send({ type: 'card.create', ...c }).then(done(cb)),
    promote: (note: Note, severity: Severity, kind: Kind = 'concern') =>
      board.send({ type: 'card.create', body: note.body, severity, kind, fromNoteId: note.id }),
    edit: (
      cardId: string,
      changes: { body?: string; severity?: Severity; kind?: Kind },
      cb?: (ok: boolean) => void,
    ) => board.send({ type: 'card.edit', cardId, ...changes }).then(done(cb)),
    remove: (cardId: string) => board.send({ type: 'card.delete', cardId }),
    vote: (cardId: string, vote: boolean) => board.send({ type: 'card.vote', cardId, vote }),
    reply: (cardId: string, body: string, cb?: (ok: boolean) => void) =>
      board.send({ type: 'card.reply', cardId, body }).then(done(cb)),
    spotlight: (cardId: string | null) => board.send({ type: 'card.spotlight', cardId }),
    triage: (cardId: string, t: TriageInput) => board.send({ type: 'card.triage', cardId, ...t }),
    check: (cardId: string, isDone: boolean) => board.send({ type: 'revision.check', cardId, done: isDone }),
  }
}
