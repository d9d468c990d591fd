import type * as Y from 'yjs'
import { parseMarkdown } from './markdown'
import { blocksToYElements, FRAGMENT } from './yjsBlocks'

/**
 * Appends Markdown to the document's `prfaq` fragment, in Tiptap's schema as the editor itself
 * would write it (headings, paragraphs, nested lists, blockquotes, code, rules, inline marks,
 * links, hard breaks). One transaction, so collaborators receive one update.
 */
export function importMarkdown(doc: Y.Doc, markdown: string): void {
  const elements = blocksToYElements(parseMarkdown(markdown))
  if (!elements.length) return
  const fragment = doc.getXmlFragment(FRAGMENT)
  doc.transact(() => fragment.insert(fragment.length, elements))
}
