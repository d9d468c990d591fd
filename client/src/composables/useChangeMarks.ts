import type { Editor } from '@tiptap/core'
import { onScopeDispose, watch, type Ref } from 'vue'
import type { DocumentDiff } from '../../../shared/doc/diff'
import type * as ChangeMarks from './changeMarksPlugin'
import { useEditorBridge } from './useEditorBridge'

type PluginModule = typeof ChangeMarks

/**
 * Keeps the document's change marks in step with a diff while the calling component lives (the
 * "what changed" panel of a later round's reading): registers the plugin on whichever editor is
 * current (it is rebuilt after a reset), redraws when the diff or the toggle changes, and clears
 * the marks when the panel goes away.
 */
export function useChangeMarks(diff: Ref<DocumentDiff | null>, shown: Ref<boolean>) {
  const { editor } = useEditorBridge()
  let mod: PluginModule | null = null
  let current: Editor | null = null

  const draw = () => {
    if (mod && current && !current.isDestroyed)
      mod.setChangeMarks(current.view, shown.value ? diff.value : null)
  }

  async function attach(e: Editor | null) {
    current = e
    if (!e) return
    mod ??= await import('./changeMarksPlugin')
    if (current !== e || e.isDestroyed) return
    if (!mod.changeMarksKey.getState(e.state)) e.registerPlugin(mod.changeMarksPlugin())
    draw()
  }

  watch(editor, (e) => void attach(e), { immediate: true })
  watch([diff, shown], draw)
  onScopeDispose(() => {
    if (mod && current && !current.isDestroyed) {
      mod.setChangeMarks(current.view, null)
      current.unregisterPlugin(mod.changeMarksKey)
    }
  })
}
