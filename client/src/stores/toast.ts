import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface Toast {
  id: number
  kind: 'error' | 'info'
  message: string
}

/** Short messages for things a person should know about, e.g. a refused command. */
export const useToastStore = defineStore('toast', () => {
  const toasts = ref<Toast[]>([])
  let next = 1

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  function show(message: string, kind: Toast['kind'] = 'info', ms = 6000) {
    const id = next++
    toasts.value = [...toasts.value.slice(-3), { id, kind, message }]
    if (ms > 0) setTimeout(() => dismiss(id), ms)
    return id
  }

  return { toasts, show, error: (m: string) => show(m, 'error', 9000), dismiss }
})
