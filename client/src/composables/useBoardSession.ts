import { effectScope, onScopeDispose, watch } from 'vue'
import { colorFor } from '../lib/colors'
import { useBoardStore } from '../stores/board'
import type { ReviewSession } from '../stores/session'
import { openSocket } from './useSocket'
import { useReviewDoc } from './useReviewDoc'
import { usePresence, type PresenceUser } from './usePresence'

/**
 * Everything one open board needs, for the lifetime of the calling component: the socket, the
 * board store attached to it, the Yjs document and presence. Torn down on unmount.
 */
export function useBoardSession({ reviewId, participantId, token }: ReviewSession) {
  const board = useBoardStore()
  const socket = openSocket(token, reviewId)
  board.attach(socket)

  const user: PresenceUser = { participantId, name: '', color: colorFor(participantId), function: 'other' }
  const reviewDoc = useReviewDoc(socket, { user })
  const presence = usePresence(reviewDoc.handle)

  // Name and function come with `board:state`; the caret labels and avatars follow them.
  const scope = effectScope()
  scope.run(() =>
    watch(
      () => [board.me?.name, board.me?.function, reviewDoc.version.value] as const,
      ([name, fn]) => {
        if (!name || !fn) return
        reviewDoc.handle.value.awareness.setLocalStateField('user', { ...user, name, function: fn })
      },
      { immediate: true },
    ),
  )

  onScopeDispose(() => {
    scope.stop()
    board.detach()
    socket.disconnect()
  })

  return { socket, user, ...reviewDoc, presence }
}
