import { exportMarkdown } from './exportMarkdown'
import {
  authorName,
  cardFlags,
  convergence,
  critiqueByRound,
  dispositionText,
  formatDate,
  peopleOf,
  roundRows,
  signerName,
  votesText,
  type ExportInput,
} from './exportModel'
import { FUNCTION_LABELS, OUTCOME_LABELS, SEVERITY_LABELS, STANCE_LABELS } from '../domain/labels'

/** User text inside Markdown: no raw HTML, and no line that could end the list item it sits in. */
function safe(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** One table cell: pipes escaped, a line break and the spaces around it one space. */
function cell(text: string): string {
  // `\s+` then a test, not `/\s*\n\s*/`: that one rescans a long run of spaces from each of its
  // characters, quadratic in the run (~4 s for a 40,000-space headline in the checks appendix, H1).
  return safe(text)
    .replace(/\|/g, '\\|')
    .replace(/\s+/g, (ws) => (ws.includes('\n') ? ' ' : ws))
}

function indented(text: string, pad: string): string {
  return safe(text)
    .split('\n')
    .map((l, k) => (k === 0 ? l : pad + l))
    .join('\n')
}

/**
 * The review as one Markdown file: the final document, then appendices — critique by round and
 * function (quotes, dispositions, replies), rounds with statistics and convergence, checks and
 * the decision record. Only cards in `input.cards` appear; the caller filters them.
 */
export function renderExportMarkdown(input: ExportInput): string {
  const people = peopleOf(input)
  const doc = input.doc ? exportMarkdown(input.doc) : (input.documentMarkdown ?? '')
  const out: string[] = [doc.trimEnd(), '', '---', '']

  out.push('# Appendix A — Critique', '')
  const rounds = critiqueByRound(input.cards)
  if (!rounds.length) out.push('No critique cards.', '')
  for (const { round, groups } of rounds) {
    out.push(`## Round ${round}`, '')
    for (const { func, cards } of groups) {
      out.push(`### ${FUNCTION_LABELS[func]} (${cards.length})`, '')
      for (const card of cards) {
        const flags = cardFlags(card, input.doc).join(', ')
        out.push(
          `- **${SEVERITY_LABELS[card.severity]} ${card.kind}** — ${indented(card.body, '  ')}` +
            ` *(${safe(authorName(card, people))}; ${votesText(card.votes)}${flags ? '; ' + flags : ''})*`,
        )
        if (card.anchor) {
          const where = card.anchor.section ? ` (${safe(card.anchor.section)})` : ''
          out.push(`  > ${indented(card.anchor.quote, '  > ')}${where}`)
        }
        out.push(`  - Disposition: ${indented(dispositionText(card, input.cards), '    ')}`)
        for (const reply of card.replies)
          out.push(`  - Reply from ${safe(authorName(reply, people))}: ${indented(reply.body, '    ')}`)
      }
      out.push('')
    }
  }

  out.push('# Appendix B — Rounds and convergence', '')
  const rows = roundRows(input)
  if (rows.length) {
    out.push(
      '| Round | Opened | Closed | Outcome | Cards | Fatal | Structural | Minor | Open risks | Revision done |',
      '|---:|---|---|---|---:|---:|---:|---:|---:|---|',
    )
    for (const r of rows) {
      out.push(
        `| ${r.round} | ${r.opened} | ${r.closed} | ${r.outcome} | ${r.cards} | ${r.fatal} | ${r.structural} | ${r.minor} | ${r.openRisks ?? '—'} | ${r.revision} |`,
      )
    }
    out.push('')
  }
  out.push(safe(convergence(input).message), '')

  if (input.checks?.length) {
    out.push('# Appendix C — Document checks', '')
    for (const c of input.checks) {
      out.push(
        `- **${c.severity}** — ${cell(c.title)}${c.section ? ` (${cell(c.section)})` : ''}: ${cell(c.detail)}`,
      )
    }
    out.push('')
  }

  out.push(`# Appendix ${input.checks?.length ? 'D' : 'C'} — Decision`, '')
  const { signoffs, records } = input.decision
  if (signoffs.length) {
    out.push('| Decider | Function | Stance | Rationale | Conditions |', '|---|---|---|---|---|')
    for (const s of signoffs) {
      out.push(
        `| ${cell(signerName(s, people))} | ${FUNCTION_LABELS[s.function]} | ${STANCE_LABELS[s.stance]} | ${cell(s.rationale)} | ${cell(s.conditions ?? '')} |`,
      )
    }
    out.push('')
  } else out.push('No sign-offs yet.', '')
  for (const r of records) {
    const by = people[r.by]?.name ?? 'the facilitator'
    out.push(
      `**Outcome: ${OUTCOME_LABELS[r.outcome]}** (round ${r.round}, ${formatDate(r.at)}, recorded by ${safe(by)})`,
      '',
    )
    if (r.summary) out.push(indented(r.summary, ''), '')
  }
  if (!records.length) out.push('No outcome recorded yet.', '')
  if (input.exportedAt !== undefined) out.push(`*Exported ${formatDate(input.exportedAt)}.*`, '')
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}
