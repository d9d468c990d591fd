import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Command } from '../../../shared/protocol/commands'
import type { BoardEvent, BoardState } from '../../../shared/protocol/board'
import type { Ack } from '../../../shared/protocol/events'
import type { WireError } from '../../../shared/protocol/errors'
import { applyPatch } from '../../../shared/protocol/patch'
import type { BoardSocket } from '../composables/useSocket'
import { newCommandId } from '../lib/ids'
import { useToastStore } from './toast'

/** A command as a component writes it; the store adds the `commandId`. */
export type CommandInput = Command extends infer C
  ? C extends Command
    ? Omit<C, 'commandId'>
    : never
  : never
export type CommandAck = Ack<{ seq: number; cardId?: string; invite?: string }>

const ACK_TIMEOUT_MS = 10_000

/**
 * The client's copy of its projection (`board:state`, then `board:event` patches), and the one
 * door for commands. The server decides; this only mirrors and asks.
 */
export const useBoardStore = defineStore('board', () => {
  const state = ref<BoardState | null>(null)
  /** Why the server closed this board for us (removed, link rotated), if it did. */
  const closed = ref<WireError | null>(null)
  /** Server clock minus ours, so a countdown shows the same time everywhere. */
  const clockOffset = ref(0)
  const socket = shallowRef<BoardSocket | null>(null)

  const me = computed(() => state.value?.me ?? null)
  const isFacilitator = computed(() => !!me.value?.roles.includes('facilitator'))

  function onState(next: BoardState) {
    state.value = next
  }

  function onEvent(event: BoardEvent) {
    if (!state.value) return
    // Logged events carry increasing seqs; one we already have (a replay) changes nothing.
    if (event.type !== 'presence.changed' && event.seq <= state.value.seq) return
    state.value = applyPatch(state.value, event.patch, Math.max(event.seq, state.value.seq))
    if (typeof event.at === 'number') clockOffset.value = event.at - Date.now()
  }

  function attach(s: BoardSocket) {
    socket.value = s
    s.on('board:state', onState)
    s.on('board:event', onEvent)
    s.on('board:closed', (reason) => {
      closed.value = reason
    })
  }

  function detach() {
    socket.value = null
    state.value = null
    closed.value = null
  }

  /** Sends one command; a refusal is shown to the person and returned, never thrown. */
  async function send(input: CommandInput, opts: { quiet?: boolean } = {}): Promise<CommandAck> {
    const s = socket.value
    const toast = useToastStore()
    let ack: CommandAck
    if (!s) {
      ack = { ok: false, error: { code: 'UNAVAILABLE', message: 'Not connected to the board.' } }
    } else {
      try {
        ack = (await s
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('command', { ...input, commandId: newCommandId() })) as CommandAck
      } catch {
        ack = {
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: 'The server did not answer in time. Check your connection.',
          },
        }
      }
    }
    if (!ack.ok && !opts.quiet) toast.error(ack.error.message)
    return ack
  }

  return { state, closed, clockOffset, me, isFacilitator, attach, detach, send, onState, onEvent }
})
