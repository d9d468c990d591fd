import { getSchema, type AnyExtension } from '@tiptap/core'
import { TaskItem, TaskList } from '@tiptap/extension-list'
import { TableKit } from '@tiptap/extension-table'
import StarterKit from '@tiptap/starter-kit'

/**
 * The document's schema, stated once: the editor adds collaboration to these extensions, and
 * the server builds the same ProseMirror schema from them to read and write Markdown. A node or
 * mark the editor did not know would be dropped from the shared document when it opens (y-tiptap
 * deletes what its schema cannot hold), so import may only produce what is listed here.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    // Collaboration brings its own history; links open only on purpose (not on a click while editing).
    StarterKit.configure({ undoRedo: false, link: { openOnClick: false } }),
    TaskList,
    TaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
  ]
}

/** The ProseMirror schema of the `prfaq` fragment (node and mark names as y-tiptap stores them). */
export const documentSchema = getSchema(documentExtensions())
