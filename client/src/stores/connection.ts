import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** The socket's state as people should read it. Set by `useSocket`. */
export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>('connecting')
  /** A refusal of the handshake itself (e.g. `unauthorized`): retrying will not help. */
  const fatal = ref<string | null>(null)
  const label = computed(
    () =>
      ({
        connecting: 'Connecting…',
        connected: 'Connected',
        reconnecting: 'Reconnecting…',
        offline: 'Offline',
      })[status.value],
  )
  return { status, fatal, label }
})
