import * as Y from 'yjs'
import { isHardBreak, normalizeInline, type Block, type Inline, type Marks, type TableCell } from './blocks'
import { MAX_NESTING } from './limits'

/** The XmlFragment the editor binds to (DESIGN §4). */
export const FRAGMENT = 'prfaq'

/**
 * Attribute defaults of Tiptap 3's Link mark. y-tiptap stores every attribute of a mark, nulls
 * included, so a link we write compares equal to one the editor writes. If the client configures
 * Link with other defaults, change them here too (test/unit/doc/yjsBlocks.test.ts checks them).
 */
const LINK_DEFAULTS = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null }

type Attrs = Record<string, unknown>

/** y-tiptap stores numeric attributes (heading level, list start) as numbers, not strings. */
function setAttr(el: Y.XmlElement, key: string, value: number | string): void {
  ;(el as unknown as Y.XmlElement<{ [key: string]: number | string }>).setAttribute(key, value)
}

/**
 * Blocks → Yjs elements exactly as @tiptap/y-tiptap writes them: one XmlElement per node, node
 * attributes that are not null (heading `level` as a number), each run of text in one XmlText
 * with marks as formatting attributes in schema order (`{bold: {}}`), a hard break as its own
 * element between texts, and no XmlText at all in an empty paragraph.
 */
export function blocksToYElements(blocks: Block[]): Y.XmlElement[] {
  return blocks.map(blockToY)
}

function blockToY(block: Block): Y.XmlElement {
  const el = new Y.XmlElement(block.type)
  switch (block.type) {
    case 'heading':
      setAttr(el, 'level', block.level)
      el.insert(0, inlineToY(block.content))
      break
    case 'paragraph':
      el.insert(0, inlineToY(block.content))
      break
    case 'codeBlock': {
      if (block.language) setAttr(el, 'language', block.language)
      if (block.text) el.insert(0, [textOf([{ text: block.text }])])
      break
    }
    case 'bulletList':
    case 'orderedList':
      if (block.type === 'orderedList') setAttr(el, 'start', block.start)
      el.insert(
        0,
        block.items.map((item) => {
          const li = new Y.XmlElement('listItem')
          li.insert(0, firstParagraph(item).map(blockToY))
          return li
        }),
      )
      break
    case 'taskList':
      el.insert(
        0,
        block.items.map((item) => {
          const li = new Y.XmlElement('taskItem')
          ;(li as unknown as Y.XmlElement<{ checked: boolean }>).setAttribute('checked', item.checked)
          li.insert(0, firstParagraph(item.content).map(blockToY))
          return li
        }),
      )
      break
    case 'blockquote':
      el.insert(0, block.children.map(blockToY))
      break
    case 'horizontalRule':
      break
    case 'table':
      el.insert(
        0,
        block.rows.map((row) => {
          const tr = new Y.XmlElement('tableRow')
          tr.insert(
            0,
            row.map((cell) => {
              const td = new Y.XmlElement(cell.header ? 'tableHeader' : 'tableCell')
              setAttr(td, 'colspan', 1)
              setAttr(td, 'rowspan', 1)
              td.insert(0, (cell.content.length ? cell.content : [EMPTY]).map(blockToY))
              return td
            }),
          )
          return tr
        }),
      )
      break
  }
  return el
}

const EMPTY: Block = { type: 'paragraph', content: [] }

/** List and task items start with a paragraph in the schema. */
function firstParagraph(blocks: Block[]): Block[] {
  return blocks[0]?.type === 'paragraph' ? blocks : [EMPTY, ...blocks]
}

function inlineToY(content: Inline[]): Array<Y.XmlText | Y.XmlElement> {
  const out: Array<Y.XmlText | Y.XmlElement> = []
  let run: Array<{ text: string; marks?: Marks }> = []
  const flush = () => {
    if (run.length) out.push(textOf(run))
    run = []
  }
  for (const inline of normalizeInline(content)) {
    if (isHardBreak(inline)) {
      flush()
      out.push(new Y.XmlElement('hardBreak'))
    } else run.push(inline)
  }
  flush()
  return out
}

function textOf(runs: Array<{ text: string; marks?: Marks }>): Y.XmlText {
  const text = new Y.XmlText()
  text.applyDelta(runs.map((r) => ({ insert: r.text, attributes: marksToAttributes(r.marks) })))
  return text
}

/** Marks as y-tiptap's formatting attributes, in the schema's mark order (link, bold, code, …). */
export function marksToAttributes(marks: Marks | undefined): Attrs {
  const a: Attrs = {}
  if (!marks) return a
  if (marks.link) a.link = { href: marks.link.href, ...LINK_DEFAULTS, title: marks.link.title ?? null }
  if (marks.bold) a.bold = {}
  if (marks.code) a.code = {}
  if (marks.italic) a.italic = {}
  if (marks.strike) a.strike = {}
  if (marks.underline) a.underline = {}
  return a
}

function attributesToMarks(attrs: Attrs | undefined): Marks | undefined {
  if (!attrs) return undefined
  const marks: Marks = {}
  for (const [key, value] of Object.entries(attrs)) {
    // y-tiptap suffixes marks that may overlap with `--<hash>`.
    const name = key.split('--')[0]
    if (value === null || value === undefined) continue
    if (name === 'link') {
      const v = value as { href?: unknown; title?: unknown }
      if (typeof v.href === 'string') {
        marks.link =
          typeof v.title === 'string' && v.title ? { href: v.href, title: v.title } : { href: v.href }
      }
    } else if (
      name === 'bold' ||
      name === 'italic' ||
      name === 'code' ||
      name === 'strike' ||
      name === 'underline'
    ) {
      marks[name] = true
    }
  }
  return Object.keys(marks).length ? marks : undefined
}

/** Reads the inline content of a text block: its XmlTexts and hard breaks. */
export function readInline(el: Y.XmlElement): Inline[] {
  const out: Inline[] = []
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const d of child.toDelta() as Array<{ insert: unknown; attributes?: Attrs }>) {
        if (typeof d.insert !== 'string') continue
        const marks = attributesToMarks(d.attributes)
        out.push(marks ? { text: d.insert, marks } : { text: d.insert })
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      out.push({ hardBreak: true })
    }
  }
  return normalizeInline(out)
}

/**
 * The `prfaq` fragment (or any XmlFragment) → blocks. Unknown nodes keep their text as
 * paragraphs. Containers nested deeper than MAX_NESTING (possible only through raw Yjs updates,
 * since import refuses them) keep their text as paragraphs at that depth, so every reader of the
 * document stays linear and within the stack.
 */
export function readBlocks(source: Y.Doc | Y.XmlFragment): Block[] {
  const fragment = source instanceof Y.Doc ? source.getXmlFragment(FRAGMENT) : source
  return readChildren(fragment, 0)
}

function readChildren(parent: Y.XmlFragment | Y.XmlElement, depth: number): Block[] {
  const blocks: Block[] = []
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) blocks.push(...readElement(child, depth))
    else if (child instanceof Y.XmlText && child.length) {
      blocks.push({ type: 'paragraph', content: [{ text: child.toString() }] })
    }
  }
  return blocks
}

/** Every text block under `el` as a paragraph, without recursion (for content past MAX_NESTING). */
function flatten(el: Y.XmlElement): Block[] {
  const out: Block[] = []
  const stack: Y.XmlElement[] = [el]
  while (stack.length) {
    const node = stack.pop()!
    const inline = readInline(node)
    if (inline.length) out.push({ type: 'paragraph', content: inline })
    const kids = node.toArray()
    for (let k = kids.length - 1; k >= 0; k--) {
      const kid = kids[k]
      if (kid instanceof Y.XmlElement) stack.push(kid)
    }
  }
  return out
}

const elements = (el: Y.XmlElement) =>
  el.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)

function readElement(el: Y.XmlElement, depth: number): Block[] {
  const CONTAINERS = ['bulletList', 'orderedList', 'taskList', 'blockquote', 'table']
  if (depth >= MAX_NESTING && CONTAINERS.includes(el.nodeName)) return flatten(el)
  const inner = depth + 1
  switch (el.nodeName) {
    case 'heading': {
      const level = Number(el.getAttribute('level')) || 1
      return [{ type: 'heading', level: Math.min(6, Math.max(1, level)), content: readInline(el) }]
    }
    case 'paragraph':
      return [{ type: 'paragraph', content: readInline(el) }]
    case 'codeBlock': {
      const language = el.getAttribute('language')
      const text = readInline(el)
        .map((i) => (isHardBreak(i) ? '\n' : i.text))
        .join('')
      return [{ type: 'codeBlock', language: typeof language === 'string' ? language : null, text }]
    }
    case 'bulletList':
    case 'orderedList': {
      const items = elements(el).map((li) => readChildren(li, inner))
      if (el.nodeName === 'bulletList') return [{ type: 'bulletList', items }]
      const start = Number(el.getAttribute('start') ?? 1)
      return [{ type: 'orderedList', start: Number.isFinite(start) ? start : 1, items }]
    }
    case 'taskList':
      return [
        {
          type: 'taskList',
          items: elements(el).map((li) => ({
            checked: li.getAttribute('checked') === (true as unknown as string),
            content: readChildren(li, inner),
          })),
        },
      ]
    case 'blockquote':
      return [{ type: 'blockquote', children: readChildren(el, inner) }]
    case 'horizontalRule':
      return [{ type: 'horizontalRule' }]
    case 'table':
      return [
        {
          type: 'table',
          rows: elements(el).map((tr) =>
            elements(tr).map<TableCell>((cell) => ({
              header: cell.nodeName === 'tableHeader',
              content: readChildren(cell, inner),
            })),
          ),
        },
      ]
    default: {
      const inline = readInline(el)
      return inline.length ? [{ type: 'paragraph', content: inline }] : readChildren(el, inner)
    }
  }
}
