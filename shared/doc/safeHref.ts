/**
 * Only web, mail and in-page links survive an export: a `javascript:` or `data:` href would run
 * when clicked. Both exports (Markdown and HTML) ask this one function.
 */
export function safeHref(href: string): string | null {
  const h = href.trim()
  return /^(https?:|mailto:|#|\/(?!\/))/i.test(h) ? h : null
}
