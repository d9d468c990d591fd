import type { Node as PmNode } from '@tiptap/pm/model'
import { MAX_MARKDOWN_CHARS } from './limits'
import { markdownToPm } from './markdown'

/**
 * Pasted plain text that reads as Markdown becomes the document's structure (MD6): the editor's
 * `clipboardTextParser` asks here. The test is one linear scan (a regular expression anchored
 * at line starts, each alternative a fixed prefix, so nothing backtracks): a heading, list item,
 * task, quote, fence or table row at the start of a line, or a link, image, bold or code
 * span anywhere. Plain prose is left to ProseMirror's own paste.
 */
const BLOCK_START = /^ {0,3}(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t]|>|```|~~~|\|)/m
const INLINE = /\]\(|\*\*|__|`[^`\n]/

export function looksLikeMarkdown(text: string): boolean {
  return BLOCK_START.test(text) || INLINE.test(text)
}

/**
 * The pasted text as a ProseMirror document in the shared schema, or null when it is not
 * Markdown, over the size or nesting limits (the caller pastes it as plain text then) or
 * unreadable. Never throws.
 */
export function pastedMarkdown(text: string): PmNode | null {
  if (!text.trim() || text.length > MAX_MARKDOWN_CHARS || !looksLikeMarkdown(text)) return null
  try {
    return markdownToPm(text)
  } catch {
    return null
  }
}
