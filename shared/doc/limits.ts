/**
 * The limits of the document's text paths, stated once (TARGETS.md H1). Markdown and documents
 * within them are handled in time linear in their size; beyond them the request is refused with
 * `INVALID` and this message, over HTTP (400) and over the socket alike — never a 5xx.
 */

/** Lists, quotes, task lists and tables inside one another, counted as a reader would. */
export const MAX_NESTING = 100

/** Markdown accepted in one request: the JSON body limit (`createReviewBodySchema.markdown`). */
export const MAX_MARKDOWN_CHARS = 1_000_000

export class DocumentLimitError extends Error {
  readonly code = 'INVALID' as const
  constructor(readonly limit: 'nesting' | 'size') {
    super(
      limit === 'nesting'
        ? `The Markdown nests lists or quotes more than ${MAX_NESTING} levels deep; the limit is ${MAX_NESTING}.`
        : `The Markdown is longer than ${MAX_MARKDOWN_CHARS.toLocaleString('en')} characters, the limit.`,
    )
    this.name = 'DocumentLimitError'
  }
}
