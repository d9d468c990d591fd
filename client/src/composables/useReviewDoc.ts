import { computed, markRaw, onScopeDispose, ref, shallowRef } from 'vue'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { SocketYjsProvider, type RefusedChange, type SaveStatus } from '../lib/socketYjsProvider'
import { useToastStore } from '../stores/toast'
import type { BoardSocket } from './useSocket'

export interface DocHandle {
  doc: Y.Doc
  awareness: Awareness
  provider: SocketYjsProvider
}

const LABELS: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  saving: 'Saving…',
  unsaved: 'Not saved — retrying',
  refused: 'Not saved — change refused',
}

/**
 * The review's Yjs document over the board socket. Yjs objects stay raw (TOOLCHAIN, Yjs in Vue);
 * what the view needs is mirrored into refs. `version` changes when the server's state replaced
 * the local doc after a refusal, so the editor can be rebuilt on the new doc (key it on this).
 */
export function useReviewDoc(socket: BoardSocket, localState: Record<string, unknown>) {
  const toast = useToastStore()
  const provider = markRaw(new SocketYjsProvider(socket, localState))
  const handle = shallowRef<DocHandle>(
    markRaw({ doc: provider.doc, awareness: provider.awareness, provider }),
  )
  const status = ref<SaveStatus>(provider.status)
  const synced = ref(provider.synced)
  const version = ref(0)
  /** The last change the server refused and the page dropped, offered back until dismissed. */
  const notSaved = shallowRef<RefusedChange | null>(null)

  const offs = [
    provider.on('status', (s) => (status.value = s)),
    provider.on('synced', () => (synced.value = true)),
    provider.on('reset', (doc, awareness) => {
      handle.value = markRaw({ doc, awareness, provider })
      version.value++
      synced.value = true
    }),
    provider.on('refused', (e) => {
      if (e.code !== 'PHASE_LOCKED' && e.code !== 'FORBIDDEN') toast.error(e.message)
    }),
    provider.on('dropped', (change) => {
      // Nothing typed is silently lost: the refused text stays offered in the "not saved" panel.
      if (change.text.length > 0) notSaved.value = markRaw(change)
    }),
  ]

  onScopeDispose(() => {
    offs.forEach((off) => off())
    provider.destroy()
  })

  return {
    handle,
    status,
    synced,
    version,
    notSaved,
    dismissNotSaved: () => (notSaved.value = null),
    label: computed(() => LABELS[status.value]),
  }
}
