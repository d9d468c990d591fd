import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { machine } from './proc'
import { ROOT, type Kind } from './servers'
import { median, round } from './stats'
import type { Outcome, Scenario } from './scenario'

/** Medians over repetitions and runs, the Markdown table, and docs/performance.md. */

/** What ran: our server on SQLite, ours on PostgreSQL (`--store postgres`), the reference. */
export type Variant = Kind | 'postgres'

export type Runs = Record<string, Partial<Record<Variant, Outcome[]>>>

export interface TableRow {
  scenario: string
  ours: number
  /** Ours on PostgreSQL, when the run had `--store postgres` (NaN otherwise). */
  postgres: number
  metPostgres: boolean | null
  baseline: number
  ratio: number
  target: string
  met: boolean | null
  note: string
}

export function medians(outcomes: Outcome[]): Record<string, number> {
  const keys = new Set(outcomes.flatMap((o) => Object.keys(o.metrics)))
  const out: Record<string, number> = {}
  for (const k of keys) out[k] = median(outcomes.map((o) => o.metrics[k] ?? Number.NaN))
  return out
}

export function table(
  scenarios: Scenario[],
  med: Record<string, Partial<Record<Variant, Record<string, number>>>>,
): TableRow[] {
  const rows: TableRow[] = []
  for (const s of scenarios) {
    const m = med[s.id]
    if (!m) continue
    for (const r of s.rows) {
      const ours = m.ours?.[r.key] ?? Number.NaN
      const postgres = m.postgres?.[r.key] ?? Number.NaN
      const baseline = m.baseline?.[r.key] ?? Number.NaN
      const ratio =
        Number.isFinite(ours) && Number.isFinite(baseline) && baseline !== 0 ? ours / baseline : Number.NaN
      const met = r.met && Number.isFinite(ours) ? r.met(ours, ratio) : null
      const metPostgres =
        r.met && Number.isFinite(postgres)
          ? r.met(postgres, Number.isFinite(baseline) && baseline !== 0 ? postgres / baseline : Number.NaN)
          : null
      rows.push({
        scenario: r.label,
        ours,
        postgres,
        metPostgres,
        baseline,
        ratio,
        target: r.target,
        met,
        note: r.baselineNote ?? '',
      })
    }
  }
  return rows
}

const fmt = (v: number) => {
  if (!Number.isFinite(v)) return '—'
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US')
  if (Math.abs(v) >= 100) return String(round(v, 0))
  if (Math.abs(v) >= 10) return String(round(v, 1))
  return String(round(v, 2))
}

const yes = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : '**no**')

/** The table; with `--store postgres` figures, two more columns: ours on PostgreSQL and whether it meets the target. */
export function markdown(rows: TableRow[]): string {
  const pg = rows.some((r) => Number.isFinite(r.postgres))
  const lines = pg
    ? [
        '| scenario | ours (SQLite) | ours (PostgreSQL) | baseline | ratio (SQLite) | target | met (SQLite) | met (PostgreSQL) |',
        '|---|---:|---:|---:|---:|---|:---:|:---:|',
      ]
    : ['| scenario | ours | baseline | ratio | target | met |', '|---|---:|---:|---:|---|:---:|']
  for (const r of rows) {
    if (!pg && r.scenario.includes('(PostgreSQL only)')) continue
    const base = r.note && Number.isFinite(r.baseline) ? `${fmt(r.baseline)} (${r.note})` : fmt(r.baseline)
    lines.push(
      pg
        ? `| ${r.scenario} | ${fmt(r.ours)} | ${fmt(r.postgres)} | ${base} | ${fmt(r.ratio)} | ${r.target} | ${yes(r.met)} | ${yes(r.metPostgres)} |`
        : `| ${r.scenario} | ${fmt(r.ours)} | ${base} | ${fmt(r.ratio)} | ${r.target} | ${yes(r.met)} |`,
    )
  }
  return lines.join('\n')
}

function pkgVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string
      }
    ).version
  } catch {
    return '?'
  }
}

export function environment(): Record<string, string | number> {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'shared'], { cwd: ROOT })
      .toString()
      .trim()
    if (dirty) commit += ' (+ uncommitted server/shared changes)'
  } catch {
    /* not a checkout */
  }
  const { nproc, model } = machine()
  return {
    nproc,
    model,
    node: process.version,
    yjs: pkgVersion('yjs'),
    'socket.io': pkgVersion('socket.io'),
    ws: pkgVersion('ws'),
    '@y/websocket-server': pkgVersion('@y/websocket-server'),
    commit,
    // The machine is shared: its load says how far the figures can be trusted.
    'load average (1/5/15 min) at start': loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  }
}

const START = '<!-- bench:table:start -->'
const END = '<!-- bench:table:end -->'

/** Replaces the generated part of docs/performance.md, leaving the hand-written text alone. */
export function writeDoc(body: string): void {
  const path = join(ROOT, 'docs/performance.md')
  const block = `${START}\n${body}\n${END}`
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${START}\n${END}\n`
  if (!doc.includes(START)) doc += `\n${START}\n${END}\n`
  doc = doc.replace(new RegExp(`${START}[\\s\\S]*?${END}`), () => block)
  writeFileSync(path, doc)
}
