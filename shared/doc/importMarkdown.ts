import * as Y from 'yjs'

/**
 * Writes Markdown into the document's `prfaq` fragment, in Tiptap's schema.
 * Minimal first version (headings and paragraphs); the doc module replaces it.
 */
export function importMarkdown(doc: Y.Doc, markdown: string): void {
  const fragment = doc.getXmlFragment('prfaq')
  const blocks: Y.XmlElement[] = []
  for (const line of markdown.split('\n')) {
    const text = line.trim()
    if (!text) continue
    const heading = /^(#{1,6})\s+(.*)$/.exec(text)
    const el = new Y.XmlElement(heading ? 'heading' : 'paragraph')
    if (heading) el.setAttribute('level', heading[1]!.length as unknown as string)
    el.insert(0, [new Y.XmlText(heading ? heading[2]! : text)])
    blocks.push(el)
  }
  doc.transact(() => fragment.insert(fragment.length, blocks))
}
