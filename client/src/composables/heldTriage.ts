import { ref } from 'vue'
import type { CardView } from '../../../shared/protocol/board'
import type { TriageInput } from './useCardActions'

/**
 * Undo for a one-key disposition (accept, defer): the disposition is held here for a few seconds,
 * the card leaves the queue at once, and "Undo" (or Z) puts it back before anything is sent.
 * There is no "untriage" on the wire, so an undo that never leaves the browser is the honest one.
 * The held disposition is sent when the window ends, when the next card is triaged, before the
 * facilitator moves the phase on, and when the page is hidden — never silently dropped.
 */
export const UNDO_MS = 5000

interface Held {
  card: CardView
  input: TriageInput
  send: (cardId: string, input: TriageInput) => Promise<unknown>
  timer: ReturnType<typeof setTimeout>
}

const held = ref<Held | null>(null)

export function useHeldTriage() {
  return { held, hold, undo, flush }
}

function hold(card: CardView, input: TriageInput, send: Held['send']): void {
  void flush()
  held.value = { card, input, send, timer: setTimeout(() => void flush(), UNDO_MS) }
}

/** Takes the held disposition back; returns the card it was for. */
function undo(): CardView | null {
  const h = held.value
  if (!h) return null
  clearTimeout(h.timer)
  held.value = null
  return h.card
}

/** Sends the held disposition now (resolves once the server answered). */
async function flush(): Promise<void> {
  const h = held.value
  if (!h) return
  clearTimeout(h.timer)
  held.value = null
  await h.send(h.card.id, h.input)
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', () => void flush())
