import { EXPORT_CSS } from './exportStyles'
import { documentHtml, escapeHtml, textHtml } from './htmlBlocks'
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
  type ExportPerson,
} from './exportModel'
import { FUNCTION_LABELS, OUTCOME_LABELS, SEVERITY_LABELS, STANCE_LABELS } from '../domain/labels'
import type { CardView } from '../protocol/board'

/**
 * The review as one self-contained, print-ready HTML page: the document, then appendices for
 * critique (by round and function), rounds and convergence, checks and the decision. Every user
 * string is escaped; only the cards in `input.cards` appear (the caller filters them).
 */
export function renderExportHtml(input: ExportInput): string {
  const people = peopleOf(input)
  const doc = input.doc ?? input.documentMarkdown ?? ''
  const last = input.decision.records[input.decision.records.length - 1]
  const meta = [
    input.rounds.length ? `Round ${input.rounds[input.rounds.length - 1]!.round}` : '',
    last ? `Outcome: ${OUTCOME_LABELS[last.outcome]}` : '',
    input.exportedAt !== undefined ? `Exported ${formatDate(input.exportedAt)}` : '',
  ].filter(Boolean)
  const sections = [critique(input, people), rounds(input)]
  if (input.checks?.length) sections.push(checks(input))
  sections.push(decision(input, people))
  const appendices = sections.map((s, k) => s.replace('{letter}', String.fromCharCode(65 + k))).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — PR/FAQ</title>
<style>${EXPORT_CSS}</style>
</head>
<body>
<main>
<header class="cover">
<p class="kicker">PR/FAQ review</p>
<p class="doc-title">${escapeHtml(input.title)}</p>
${meta.length ? `<p class="meta">${escapeHtml(meta.join(' · '))}</p>` : ''}
</header>
<article class="prfaq">
${documentHtml(doc)}
</article>
${appendices}
</main>
</body>
</html>
`
}

function critique(input: ExportInput, people: Record<string, ExportPerson>): string {
  const byRound = critiqueByRound(input.cards)
  const body = byRound.length
    ? byRound
        .map(
          ({ round, groups }) =>
            `<h3>Round ${round}</h3>\n` +
            groups
              .map(
                ({ func, cards }) =>
                  `<h4>${FUNCTION_LABELS[func]} (${cards.length})</h4>\n${cards.map((c) => cardHtml(c, input, people)).join('\n')}`,
              )
              .join('\n'),
        )
        .join('\n')
    : '<p class="note">No critique cards.</p>'
  return `<section class="appendix" id="appendix-critique">\n<h2>Appendix {letter} — Critique</h2>\n${body}\n</section>`
}

function cardHtml(card: CardView, input: ExportInput, people: Record<string, ExportPerson>): string {
  const flags = [votesText(card.votes), ...cardFlags(card, input.doc)]
  const quote = card.anchor
    ? `<blockquote>${textHtml(card.anchor.quote)}${card.anchor.section ? ` <span class="note">— ${escapeHtml(card.anchor.section)}</span>` : ''}</blockquote>`
    : ''
  const replies = card.replies.length
    ? `<ul class="replies">${card.replies
        .map((r) => `<li><strong>${escapeHtml(authorName(r, people))}:</strong> ${textHtml(r.body)}</li>`)
        .join('')}</ul>`
    : ''
  return `<div class="card">
<p class="card-meta"><span class="badge sev-${card.severity}">${SEVERITY_LABELS[card.severity]}</span>${escapeHtml(card.kind)} · ${escapeHtml(authorName(card, people))} · ${escapeHtml(flags.join(' · '))}</p>
${quote}
<p>${textHtml(card.body)}</p>
<p class="disposition">${escapeHtml(dispositionText(card, input.cards))}</p>
${replies}
</div>`
}

function rounds(input: ExportInput): string {
  const rows = roundRows(input)
  const table = rows.length
    ? `<table>
<thead><tr><th class="num">Round</th><th>Opened</th><th>Closed</th><th>Outcome</th><th class="num">Cards</th><th class="num">Fatal</th><th class="num">Structural</th><th class="num">Minor</th><th class="num">Open risks</th><th>Revision done</th></tr></thead>
<tbody>
${rows
  .map(
    (r) =>
      `<tr><td class="num">${r.round}</td><td>${r.opened}</td><td>${r.closed}</td><td>${escapeHtml(r.outcome)}</td><td class="num">${r.cards}</td><td class="num">${r.fatal}</td><td class="num">${r.structural}</td><td class="num">${r.minor}</td><td class="num">${r.openRisks ?? '—'}</td><td>${r.revision}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`
    : ''
  return `<section class="appendix" id="appendix-rounds">
<h2>Appendix {letter} — Rounds and convergence</h2>
${table}
<p class="reading">${escapeHtml(convergence(input).message)}</p>
</section>`
}

function checks(input: ExportInput): string {
  const items = (input.checks ?? [])
    .map(
      (c) =>
        `<li><span class="badge">${escapeHtml(c.severity)}</span><strong>${escapeHtml(c.title)}</strong>${c.section ? ` <span class="note">(${escapeHtml(c.section)})</span>` : ''}<br>${escapeHtml(c.detail)}</li>`,
    )
    .join('\n')
  return `<section class="appendix" id="appendix-checks">\n<h2>Appendix {letter} — Document checks</h2>\n<ul>\n${items}\n</ul>\n</section>`
}

function decision(input: ExportInput, people: Record<string, ExportPerson>): string {
  const { signoffs, records } = input.decision
  const table = signoffs.length
    ? `<table>
<thead><tr><th>Decider</th><th>Function</th><th>Stance</th><th>Rationale</th><th>Conditions</th></tr></thead>
<tbody>
${signoffs
  .map(
    (s) =>
      `<tr><td>${escapeHtml(signerName(s, people))}</td><td>${FUNCTION_LABELS[s.function]}</td><td>${STANCE_LABELS[s.stance]}</td><td>${textHtml(s.rationale)}</td><td>${textHtml(s.conditions ?? '')}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`
    : '<p class="note">No sign-offs yet.</p>'
  const outcome = records.length
    ? records
        .map(
          (r) =>
            `<p><strong>Outcome: ${OUTCOME_LABELS[r.outcome]}</strong> <span class="note">(round ${r.round}, ${formatDate(r.at)}, recorded by ${escapeHtml(people[r.by]?.name ?? 'the facilitator')})</span></p>${r.summary ? `\n<p>${textHtml(r.summary)}</p>` : ''}`,
        )
        .join('\n')
    : '<p class="note">No outcome recorded yet.</p>'
  return `<section class="appendix" id="appendix-decision">\n<h2>Appendix {letter} — Decision</h2>\n${table}\n${outcome}\n</section>`
}
