import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The two example PR/FAQs: a strong one (PantryPlan) and a weak one (Insight Hub). */
export function fixture(name: 'pantry-plan-good' | 'insight-hub-weak'): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/${name}.md`, import.meta.url)), 'utf8')
}

export const SAMPLE = `# Title with **bold** and *italic*

## Sub with \`code\` and a [link](https://example.com/a_b "The title")

Paragraph one with ***both***, ~~struck~~, snake_case_name and a * lone star.
Soft line continues here.

Line with a hard break\\
after it, and **bold *nested* text**.

- first item
- second item with *emphasis*
  - nested one
  - nested two
- third item

3. three
4. four
   1. inner

> A quoted paragraph
> that continues.
>
> - quoted list

---

\`\`\`ts
const x = 1
\`\`\`

Last paragraph with <https://auto.example> link.
`
