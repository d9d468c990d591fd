import { onScopeDispose, ref, watch, type ShallowRef } from 'vue'
import type { Func } from '../../../shared/domain/types'
import type { DocHandle } from './useReviewDoc'

/** What each client tells the others through Yjs awareness (also read by the caret plugin). */
export interface PresenceUser {
  participantId: string
  name: string
  color: string
  function: Func
}

export interface PresenceEntry extends PresenceUser {
  clientId: number
}

/**
 * Who has the document open right now, from awareness (`yjs:awareness`). The board's
 * participants list says who is online; this says who is in the document and with which colour.
 */
export function usePresence(handle: ShallowRef<DocHandle>) {
  const users = ref<PresenceEntry[]>([])
  let off: (() => void) | null = null

  function read(h: DocHandle) {
    const list: PresenceEntry[] = []
    h.awareness.getStates().forEach((state, clientId) => {
      const u = (state as { user?: PresenceUser }).user
      if (u?.participantId) list.push({ clientId, ...u })
    })
    users.value = list
  }

  watch(
    handle,
    (h) => {
      off?.()
      const onChange = () => read(h)
      h.awareness.on('change', onChange)
      off = () => h.awareness.off('change', onChange)
      read(h)
    },
    { immediate: true },
  )
  onScopeDispose(() => off?.())

  return { users }
}
