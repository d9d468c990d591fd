// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { diffBoard } from '../../../shared/protocol/patch'
import type { BoardEvent, BoardState } from '../../../shared/protocol/board'
import type { BoardSocket } from '../../../client/src/composables/useSocket'
import { useBoardStore } from '../../../client/src/stores/board'
import { useToastStore } from '../../../client/src/stores/toast'
import { board, card, eve } from './boardFixtures'

/** An event as the server sends it: the patch between two projections of the same participant. */
function eventBetween(before: BoardState, after: BoardState, type = 'card.created'): BoardEvent {
  return { seq: after.seq, type, at: Date.now(), patch: diffBoard(before, after) }
}

describe('the board store mirrors board:state, then board:event patches', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('applies a run of patches until it equals the server projection', () => {
    const store = useBoardStore()
    const s0 = board()
    store.onState(s0)
    const s1 = board({ seq: 4, cards: [card('c1', 'Name the customer.')] })
    const s2 = board({
      seq: 5,
      phase: 'discussion',
      cards: [card('c1', 'Name the customer.', { votes: 1 }), card('c2', 'Which data leaves the EU?')],
      hiddenCardCounts: {},
    })
    const s3 = board({ seq: 6, phase: 'discussion', cards: [card('c2', 'Which data leaves the EU?')] })
    store.onEvent(eventBetween(s0, s1))
    store.onEvent(eventBetween(s1, s2, 'phase.advanced'))
    expect(store.state?.phase).toBe('discussion')
    expect(store.state?.cards.map((c) => [c.id, c.votes])).toEqual([
      ['c1', 1],
      ['c2', 0],
    ])
    store.onEvent(eventBetween(s2, s3, 'card.deleted'))
    expect(store.state).toEqual(s3)
  })

  it('ignores a replayed event it already has, but always applies presence', () => {
    const store = useBoardStore()
    const s0 = board({ seq: 10 })
    store.onState(s0)
    const stale = eventBetween(board({ seq: 9 }), board({ seq: 9, title: 'Old title' }))
    store.onEvent(stale)
    expect(store.state?.title).toBe('Pantry Plan')

    // Who is online is not logged: it arrives with the current seq.
    const offline = board({ seq: 10, participants: [s0.participants[0]!, { ...eve, online: false }] })
    store.onEvent(eventBetween(s0, offline, 'presence.changed'))
    expect(store.state?.participants.find((p) => p.id === eve.id)?.online).toBe(false)
    expect(store.state?.seq).toBe(10)
  })

  it('waits for board:state before applying any event', () => {
    const store = useBoardStore()
    store.onEvent(eventBetween(board(), board({ seq: 4, phase: 'discussion' })))
    expect(store.state).toBeNull()
  })

  it('a fresh board:state replaces everything (after a reconnect)', () => {
    const store = useBoardStore()
    store.onState(board({ cards: [card('c1', 'Gone after the reconnect')] }))
    store.onState(board({ seq: 20, phase: 'triage' }))
    expect(store.state?.cards).toEqual([])
    expect(store.state?.phase).toBe('triage')
  })

  it('sends a command with a fresh commandId and shows a refusal to the person', async () => {
    const store = useBoardStore()
    const sent: unknown[] = []
    const socket = {
      on: () => socket,
      timeout: () => ({
        emitWithAck: async (_event: string, cmd: unknown) => {
          sent.push(cmd)
          return {
            ok: false,
            error: { code: 'PHASE_LOCKED', message: 'Cards are written in critique.' },
          }
        },
      }),
    } as unknown as BoardSocket
    store.attach(socket)
    const ack = await store.send({ type: 'phase.advance', to: 'reading' })
    expect(ack.ok).toBe(false)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ type: 'phase.advance', to: 'reading' })
    expect(typeof (sent[0] as { commandId: unknown }).commandId).toBe('string')
    expect(useToastStore().toasts.map((t) => t.message)).toEqual(['Cards are written in critique.'])
  })

  it('without a socket a command is refused as unavailable, never thrown', async () => {
    const store = useBoardStore()
    const ack = await store.send({ type: 'timer.set', seconds: 60 }, { quiet: true })
    expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(useToastStore().toasts).toEqual([])
  })
})
