/** The PR/FAQ document: Markdown ⇄ Yjs, outline, checks, diffs, anchors, FAQ answers and exports. */
export * from './blocks'
export { parseMarkdown } from './markdown'
export { parseInline } from './inlineMarkdown'
export { importMarkdown } from './importMarkdown'
export { exportMarkdown, blocksToMarkdown, inlineToMarkdown } from './exportMarkdown'
export {
  FRAGMENT,
  LINK_DEFAULTS,
  blocksToYElements,
  readBlocks,
  readInline,
  marksToAttributes,
  attributesToMarks,
} from './yjsBlocks'
export { PRFAQ_TEMPLATE } from './template'
export * from './outline'
export * from './checks'
export { countWords, normalize, sentences, slug, words } from './text'
export * from './diff'
export { diffWords, similarity, countChanges, type WordChange } from './wordDiff'
export { readDocText, type DocText, type TextSpan } from './docText'
export * from './anchors'
export { findQuote, FUZZY_THRESHOLD } from './quoteSearch'
export * from './faq'
export type { ExportInput, ExportPerson } from './exportModel'
export { renderExportMarkdown } from './exportDocument'
export { renderExportHtml } from './exportHtml'
export { documentHtml, escapeHtml } from './htmlBlocks'
