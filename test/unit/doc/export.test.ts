import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CardView } from '../../../shared/protocol/board'
import { emptyStats } from '../../../shared/domain/stats'
import type { RoundRecord } from '../../../shared/domain/types'
import { renderExportHtml } from '../../../shared/doc/exportHtml'
import { renderExportMarkdown } from '../../../shared/doc/exportDocument'
import type { ExportInput } from '../../../shared/doc/exportModel'
import { anchorFromQuote } from '../../../shared/doc/anchors'
import { importMarkdown } from '../../../shared/doc/importMarkdown'
import { runChecks } from '../../../shared/doc/checks'
import { readOutline } from '../../../shared/doc/outline'
import { fixture } from './fixtures'

function card(over: Partial<CardView>): CardView {
  return {
    id: 'c1',
    round: 1,
    authorId: 'p2',
    function: 'engineering',
    severity: 'structural',
    kind: 'concern',
    body: 'The swap engine is underestimated.',
    votes: 2,
    myVote: false,
    replies: [],
    mine: false,
    createdAt: 1_000,
    ...over,
  }
}

const rounds: RoundRecord[] = [
  {
    round: 1,
    openedAt: Date.UTC(2027, 0, 4, 9),
    closedAt: Date.UTC(2027, 0, 5, 9),
    outcome: 'revised',
    stats: {
      ...emptyStats(2),
      cards: 3,
      bySeverity: { fatal: 1, structural: 1, minor: 1 },
      revisionItems: 2,
      revisionDone: 1,
    },
  },
  {
    round: 2,
    openedAt: Date.UTC(2027, 0, 6, 9),
    closedAt: Date.UTC(2027, 0, 7, 9),
    outcome: 'go',
    stats: { ...emptyStats(), cards: 1, bySeverity: { minor: 1 } },
  },
]

function input(): ExportInput {
  const doc = new Y.Doc()
  importMarkdown(doc, fixture('pantry-plan-good'))
  const anchor = anchorFromQuote(doc, 'estimated at 10 engineer-weeks')!
  return {
    title: 'PantryPlan <launch>',
    doc,
    cards: [
      card({ anchor, triage: { disposition: 'accepted', by: 'p1', at: 2_000 }, done: true }),
      card({
        id: 'c2',
        function: 'legal',
        authorId: undefined,
        severity: 'fatal',
        kind: 'question',
        body: 'Allergen claims <script>alert(1)</script> need counsel.',
        replies: [
          { id: 'r1', function: 'product', authorId: 'p1', body: 'Counsel <b>agreed</b>.', at: 3_000 },
        ],
        triage: { disposition: 'rejected', reason: 'Already reviewed | signed', by: 'p1', at: 2_000 },
      }),
      card({
        id: 'c3',
        round: 2,
        function: 'finance',
        severity: 'minor',
        kind: 'suggestion',
        body: 'Round the cost.',
      }),
    ],
    participants: {
      p1: { name: 'Dana Ortiz', function: 'product' },
      p2: { name: 'Sam <Eng>', function: 'engineering' },
    },
    rounds,
    decision: {
      signoffs: [
        {
          participantId: 'p1',
          function: 'leadership',
          stance: 'approve',
          rationale: 'Ready.',
          round: 2,
          at: 4_000,
        },
      ],
      records: [
        { outcome: 'go', summary: 'Ship the beta.', by: 'p1', round: 2, at: Date.UTC(2027, 0, 7, 10) },
      ],
    },
    checks: runChecks(readOutline(doc)),
    exportedAt: Date.UTC(2027, 0, 8, 12, 30),
  }
}

describe('exports', () => {
  it('[EXP1] Markdown: the document, then critique by round and function, rounds, decision', () => {
    const md = renderExportMarkdown(input())
    expect(md.startsWith('# PantryPlan: weeknight dinners')).toBe(true)
    const order = [
      '## Internal FAQ',
      '# Appendix A — Critique',
      '## Round 1',
      '### Engineering (1)',
      '### Legal (1)',
      '## Round 2',
      '### Finance (1)',
      '# Appendix B — Rounds and convergence',
      '# Appendix C — Decision',
    ]
    const at = order.map((s) => md.indexOf(s))
    expect(at.every((n) => n >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(md).toContain('> estimated at 10 engineer-weeks (Is it technically feasible?)')
    expect(md).toContain('Disposition: Accepted, revised')
    expect(md).toContain('Disposition: Rejected — Already reviewed | signed')
    expect(md).toContain('*(a Legal reviewer; 2 votes)*')
    expect(md).toContain('| 1 | 2027-01-04 | 2027-01-05 | revised | 3 | 1 | 1 | 1 | 2 | 1 / 2 |')
    expect(md).toContain('Round 2 brought only minor refinements')
    expect(md).toContain('| Dana Ortiz | Leadership | Approve | Ready. |  |')
    expect(md).toContain('**Outcome: Go**')
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;script&gt;')
  })

  it('[EXP2] HTML: self-contained and print-ready, with every user string escaped', () => {
    const html = renderExportHtml({
      ...input(),
      checks: [{ id: 'x', severity: 'warning', title: 'Open <risk>', detail: 'TBD & more', section: 'FAQ' }],
    })
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<strong>Open &lt;risk&gt;</strong>')
    expect(html).toContain('TBD &amp; more')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('Allergen claims &lt;script&gt;alert(1)&lt;/script&gt; need counsel.')
    expect(html).toContain('Counsel &lt;b&gt;agreed&lt;/b&gt;.')
    expect(html).toContain('<title>PantryPlan &lt;launch&gt; — PR/FAQ</title>')
    expect(html).toContain('Sam &lt;Eng&gt;')
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//) // no external resources
    expect(html).not.toMatch(/@import|url\(/)
    expect(html).toContain('max-width: 46rem')
    expect(html).toMatch(/@media print[\s\S]*\.appendix \{ break-before: page/)
    expect(html).toContain('<h1>PantryPlan: weeknight dinners')
    expect(html).toContain('<strong>Portland, Oregon — March 3, 2027</strong>')
    for (const id of ['appendix-critique', 'appendix-rounds', 'appendix-checks', 'appendix-decision']) {
      expect(html).toContain(`id="${id}"`)
    }
    expect(html.match(/class="card"/g)).toHaveLength(3)
  })

  it('[EXP2] marks cards whose anchored text is gone', () => {
    const i = input()
    const frag = i.doc!.getXmlFragment('prfaq')
    // Delete the internal FAQ's feasibility answer: the anchored card is orphaned.
    const texts = frag.toArray()
    const idx = texts.findIndex(
      (el) => el instanceof Y.XmlElement && el.toString().includes('10 engineer-weeks'),
    )
    frag.delete(idx, 1)
    const html = renderExportHtml(i)
    expect(html).toContain('anchor orphaned')
    expect(html).toContain('estimated at 10 engineer-weeks') // the quote stays listed
    expect(renderExportMarkdown(i)).toContain('anchor orphaned')
  })

  it('[EXP2] never links to javascript: URLs from the document', () => {
    const html = renderExportHtml({
      ...input(),
      doc: undefined,
      documentMarkdown: '[click](javascript:alert(1)) and [ok](https://x.org)',
    })
    expect(html).not.toMatch(/href="\s*javascript:/i)
    expect(html).toContain('<a href="https://x.org">ok</a>')
  })
})
