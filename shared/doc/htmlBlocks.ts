import type * as Y from 'yjs'
import { isHardBreak, type Block, type Inline } from './blocks'
import { parseMarkdown } from './markdown'
import { safeHref } from './safeHref'
import { readBlocks } from './yjsBlocks'

/** Escapes text for HTML content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

export function documentHtml(source: Y.Doc | string | Block[]): string {
  const blocks =
    typeof source === 'string' ? parseMarkdown(source) : Array.isArray(source) ? source : readBlocks(source)
  return blocks.map(blockHtml).join('\n')
}

function blockHtml(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}>${inlineHtml(b.content)}</h${b.level}>`
    case 'paragraph':
      return b.content.length ? `<p>${inlineHtml(b.content)}</p>` : ''
    case 'codeBlock':
      return `<pre><code>${escapeHtml(b.text)}</code></pre>`
    case 'bulletList':
      return `<ul>${b.items.map((item) => `<li>${item.map(blockHtml).join('')}</li>`).join('')}</ul>`
    case 'orderedList': {
      const start = b.start !== 1 ? ` start="${Math.trunc(b.start)}"` : ''
      return `<ol${start}>${b.items.map((item) => `<li>${item.map(blockHtml).join('')}</li>`).join('')}</ol>`
    }
    case 'blockquote':
      return `<blockquote>${b.children.map(blockHtml).join('')}</blockquote>`
    case 'horizontalRule':
      return '<hr>'
    case 'taskList':
      return `<ul class="tasks">${b.items
        .map(
          (item) =>
            `<li><input type="checkbox" disabled${item.checked ? ' checked' : ''}> ${item.content.map(blockHtml).join('')}</li>`,
        )
        .join('')}</ul>`
    case 'table':
      return `<table>${b.rows
        .map(
          (row) =>
            `<tr>${row.map((c) => (c.header ? `<th>${c.content.map(blockHtml).join('')}</th>` : `<td>${c.content.map(blockHtml).join('')}</td>`)).join('')}</tr>`,
        )
        .join('')}</table>`
  }
}

function inlineHtml(content: Inline[]): string {
  return content
    .map((i) => {
      if (isHardBreak(i)) return '<br>'
      let html = escapeHtml(i.text)
      const m = i.marks
      if (!m) return html
      if (m.code) html = `<code>${html}</code>`
      if (m.strike) html = `<s>${html}</s>`
      if (m.underline) html = `<u>${html}</u>`
      if (m.italic) html = `<em>${html}</em>`
      if (m.bold) html = `<strong>${html}</strong>`
      const href = m.link ? safeHref(m.link.href) : null
      if (href) html = `<a href="${escapeHtml(href)}">${html}</a>`
      return html
    })
    .join('')
}

/** User text (card bodies, replies, rationales): escaped, line breaks kept. */
export function textHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>')
}
