/**
 * prosemirror-markdown's serializer state with its output kept as a list of pieces. Why our own
 * code: the library appends to one string (`out += …`) and reads its last character after every
 * write (`atBlank`); V8 flattens the growing rope on each such read, so a document of many
 * blocks cost time quadratic in its length (100,000 headings: 43 s; 8 MB of nested lists: minutes).
 * Only the five methods that touch `out` are replaced, each as the library writes it, with the
 * last two characters tracked instead of read back (TARGETS.md H1).
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import { MarkdownSerializerState, type MarkdownSerializer } from 'prosemirror-markdown'

interface Internals {
  delim: string
  closed: PmNode | null
  atBlockStart: boolean
  esc(str: string, startOfLine?: boolean): string
}

type Options = MarkdownSerializerState['options']
const Base = MarkdownSerializerState as unknown as new (
  nodes: MarkdownSerializer['nodes'],
  marks: MarkdownSerializer['marks'],
  options: Options,
) => MarkdownSerializerState & Internals

class LinearState extends Base {
  private parts: string[] = []
  /** The output's last two characters. */
  private tail = ''

  private put(s: string): void {
    if (!s) return
    this.parts.push(s)
    this.tail = s.length >= 2 ? s.slice(-2) : this.tail.slice(-1) + s
  }

  result(): string {
    return this.parts.join('')
  }

  flushClose(size = 2): void {
    if (!this.closed) return
    if (!this.atBlank()) this.put('\n')
    if (size > 1) {
      const delimMin = this.delim.trimEnd()
      for (let i = 1; i < size; i++) this.put(delimMin + '\n')
    }
    this.closed = null
  }

  atBlank(): boolean {
    return !this.parts.length || this.tail.endsWith('\n')
  }

  override ensureNewLine(): void {
    if (!this.atBlank()) this.put('\n')
  }

  override write(content?: string): void {
    this.flushClose()
    if (this.delim && this.atBlank()) this.put(this.delim)
    if (content) this.put(content)
  }

  override text(text: string, escape = true): void {
    const lines = text.split('\n')
    for (let i = 0; i < lines.length; i++) {
      this.write()
      const line = lines[i]!
      // Escape exclamation marks in front of links (as the library does).
      if (!escape && line[0] === '[' && this.tail.endsWith('!') && this.tail !== '\\!') {
        const last = this.parts.pop()!
        this.parts.push(last.slice(0, -1) + '\\!')
        this.tail = '\\!'
      }
      this.put(escape ? this.esc(line, this.atBlockStart) : line)
      if (i !== lines.length - 1) this.put('\n')
    }
  }
}

/** `serializer.serialize(node, options)` in time linear in the output. */
export function serializeLinear(serializer: MarkdownSerializer, node: PmNode, options: Options = {}): string {
  const state = new LinearState(serializer.nodes, serializer.marks, { ...serializer.options, ...options })
  state.renderContent(node)
  return state.result()
}
