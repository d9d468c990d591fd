/**
 * The export page's stylesheet: serif body, sans headings, one readable column, and print rules
 * so "print to PDF" gives a clean document with each appendix on a new page. No web fonts or
 * other external resources: the file must render the same offline.
 */
export const EXPORT_CSS = `
:root { color-scheme: light; --ink: #1b1b1f; --muted: #55575f; --rule: #d7d9de; --accent: #1f4e8c;
  --fatal: #a4161a; --structural: #8a5a00; --minor: #4a4f57; }
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: Charter, 'Bitstream Charter', 'Iowan Old Style', Georgia, 'Times New Roman', serif; line-height: 1.6; }
main { max-width: 46rem; margin: 0 auto; padding: 3rem 1.5rem 4rem; }
h1, h2, h3, h4, h5, h6, .cover, table, .badge, .meta, .card-meta, .disposition, .note {
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 0.6rem; }
h1 { font-size: 2rem; margin-top: 0.5rem; }
h2 { font-size: 1.45rem; }
h3 { font-size: 1.15rem; }
h4 { font-size: 1rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
p, ul, ol, blockquote { margin: 0 0 1rem; }
a { color: var(--accent); }
blockquote { border-left: 3px solid var(--rule); padding-left: 1rem; color: var(--muted); margin-left: 0; }
code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 0.88em; }
pre { background: #f5f6f8; padding: 0.8rem 1rem; overflow-x: auto; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
.cover { border-bottom: 2px solid var(--ink); padding-bottom: 0.8rem; margin-bottom: 2rem; }
.cover .kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.75rem; color: var(--muted); margin: 0; }
.cover .doc-title { font-size: 1.1rem; font-weight: 600; margin: 0.2rem 0; }
.meta { font-size: 0.85rem; color: var(--muted); margin: 0; }
.appendix { margin-top: 3rem; border-top: 2px solid var(--ink); }
.appendix > h2 { margin-top: 1rem; }
.card { border: 1px solid var(--rule); border-radius: 4px; padding: 0.7rem 0.9rem; margin: 0 0 0.8rem; break-inside: avoid; }
.card p { margin: 0.3rem 0; }
.card blockquote { font-size: 0.95rem; margin: 0.4rem 0; }
.card-meta, .disposition, .note { font-size: 0.82rem; color: var(--muted); }
.badge { display: inline-block; font-size: 0.72rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
  padding: 0.05rem 0.4rem; border-radius: 3px; border: 1px solid currentColor; margin-right: 0.35rem; }
.sev-fatal { color: var(--fatal); } .sev-structural { color: var(--structural); } .sev-minor { color: var(--minor); }
.replies { margin: 0.4rem 0 0; padding-left: 1rem; font-size: 0.92rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.reading { font-weight: 600; }
@media print {
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  @page { margin: 2cm 2.2cm; }
  .appendix { break-before: page; page-break-before: always; border-top: 0; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, .card, blockquote { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`
