import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { hasTaskset } from './lib/proc'
import { stopCluster } from './lib/postgres'
import { ROOT, useStore, type Kind } from './lib/servers'
import { environment, markdown, medians, table, writeDoc, type Runs, type Variant } from './lib/report'
import type { Ctx, Outcome } from './lib/scenario'
import { scenarios as defaultSet } from './scenarios'
import { clusterScenarios } from './scenarios/cluster'
import { withTimeout } from './lib/clients'

/**
 * `npm run bench` — every scenario, ours and the reference interleaved A B A B, a JSON record
 * under bench/results/ and the table (printed, and written to docs/performance.md).
 * `npm run bench -- --quick` — a short smoke run: exits non-zero only on a crash or a
 * convergence failure, never on a figure.
 * Options: `--only P1,P3`, `--kinds ours,baseline`, `--runs 3` (median of runs), `--no-doc`, `--doc`,
 * `--store postgres` (P9–P13 also on PostgreSQL: our server with DATABASE_URL on a cluster of the
 * benchmark's own, beside SQLite and the reference in the same run, one more column in the table),
 * `--profile` (CPU profiles of our server under bench/results/profiles; summarise them with
 * `node --import tsx bench/profile.ts <file.cpuprofile>`),
 * `--cluster` (instead of the default set: X5, X3, X4 and P13 across three of our processes on
 * PostgreSQL and Redis, bench/scenarios/cluster.ts; ours only, `--only X5,X3` picks among them).
 * `BENCH_NODE_FLAGS="--trace-gc"` passes Node flags to both servers (to look, never for figures).
 */

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(`--${name}`)
const option = (name: string) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (i < 0) return undefined
  const a = args[i] as string
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1]
}

// The generator pins itself to core 1 (the server gets core 0), re-running under taskset once.
if (hasTaskset() && !process.env.BENCH_CHILD) {
  const r = spawnSync('taskset', ['-c', '1', process.execPath, '--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, BENCH_CHILD: '1' },
  })
  process.exit(r.status ?? 1)
}

const quick = flag('quick')
// Several processes: a set of its own, never the default one (CI's `--quick` does not change).
const cluster = flag('cluster')
const scenarios = cluster ? clusterScenarios : defaultSet
if (flag('profile')) {
  process.env.BENCH_CPU_PROF = join(ROOT, 'bench/results/profiles')
  mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true })
}
const only = option('only')?.split(',')
// The quick run is CI's smoke test of OUR server (crash, convergence): the reference is left out
// unless asked for, which halves its time.
const kinds = (
  cluster ? ['ours'] : (option('kinds')?.split(',') ?? (quick ? ['ours'] : ['ours', 'baseline']))
) as Kind[]
const runsWanted = Number(option('runs') ?? 1)
const storeOption = option('store')
if (storeOption !== undefined && storeOption !== 'postgres' && storeOption !== 'sqlite') {
  console.error(`--store takes postgres (or sqlite, the default), not ${storeOption}`)
  process.exit(2)
}
// `--cluster` always runs on PostgreSQL (its own servers), in the "ours" column.
const onPostgres = !cluster && storeOption === 'postgres' && kinds.includes('ours')
/** The scenarios that measure saving (P9–P13; P10 comes out of P3's runs) also run on PostgreSQL. */
const savesOnPostgres = (s: (typeof scenarios)[number]) => s.rows.some((r) => /^P(9|1[0-3])\b/.test(r.label))
const variantsOf = (s: (typeof scenarios)[number]): Variant[] =>
  onPostgres && savesOnPostgres(s)
    ? kinds.flatMap((k): Variant[] => (k === 'ours' ? ['ours', 'postgres'] : [k]))
    : kinds
const selected = scenarios.filter((s) => !only || only.includes(s.id))
const log = (msg: string) => console.log(msg)
const ctx: Ctx = { quick, log }

if (kinds.includes('ours') && !existsSync(join(ROOT, 'server/main.ts'))) {
  console.error('server/main.ts does not exist yet: run with --kinds baseline')
  process.exit(1)
}

interface RunRecord {
  startedAt: string
  quick: boolean
  env: Record<string, string | number>
  runs: Runs
  errors: string[]
  convergenceFailures: string[]
}

const records: RunRecord[] = []
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const resultsDir = join(ROOT, 'bench/results')
mkdirSync(resultsDir, { recursive: true })
const jsonPath = join(resultsDir, `${cluster ? 'cluster-' : ''}${quick ? 'quick' : 'full'}-${stamp}.json`)
// Written after every scenario, so a run stopped part-way still leaves what it measured.
const persist = (extra: object = {}) =>
  writeFileSync(jsonPath, JSON.stringify({ records, complete: false, ...extra }, null, 2))

async function runOnce(index: number): Promise<void> {
  const record: RunRecord = {
    startedAt: new Date().toISOString(),
    quick,
    env: environment(),
    runs: {},
    errors: [],
    convergenceFailures: [],
  }
  records.push(record)
  for (const s of selected) {
    const reps = s.reps(quick)
    const variants = variantsOf(s)
    const runs: Partial<Record<Variant, Outcome[]>> = {}
    for (const v of variants) runs[v] = []
    record.runs[s.id] = runs
    for (let rep = 0; rep < reps; rep++) {
      for (const kind of variants) {
        const t = performance.now()
        log(`[run ${index + 1}] ${s.id} ${s.title} — ${kind}, rep ${rep + 1}/${reps}`)
        let outcome: Outcome
        // Our server on PostgreSQL is our server (same wire, same scenario code) with another store.
        useStore(kind === 'postgres' ? 'postgres' : 'sqlite')
        try {
          // A hung scenario is a crash, not an endless run.
          const server: Kind = kind === 'postgres' ? 'ours' : kind
          outcome = await withTimeout(s.run(server, ctx), quick ? 120_000 : 900_000, `${s.id} ${kind}`)
        } catch (e) {
          const msg = `${s.id} ${kind}: ${(e as Error).stack ?? e}`
          record.errors.push(msg)
          console.error(`  CRASH ${msg}`)
          continue
        } finally {
          useStore('sqlite')
        }
        runs[kind]!.push(outcome)
        for (const c of outcome.convergence)
          if (!c.ok) record.convergenceFailures.push(`${s.id} ${kind}: ${c.detail}`)
        const bad = outcome.convergence.filter((c) => !c.ok)
        log(
          `  ${Math.round((performance.now() - t) / 100) / 10} s, ${JSON.stringify(outcome.metrics)}` +
            (outcome.invalid?.length ? `\n  INVALID: ${outcome.invalid.join('; ')}` : '') +
            (bad.length ? `\n  CONVERGENCE FAILURE: ${bad.map((c) => c.detail).join('; ')}` : ''),
        )
      }
    }
    persist()
  }
}

function medianTable(records: RunRecord[]) {
  // Median per run over its repetitions, then the median over runs.
  const med: Record<string, Partial<Record<Variant, Record<string, number>>>> = {}
  for (const s of selected) {
    const variants = variantsOf(s)
    med[s.id] = {}
    for (const kind of variants) {
      const per: Outcome[] = []
      for (const r of records) {
        const outs = r.runs[s.id]?.[kind] ?? []
        if (outs.length > 0) per.push({ metrics: medians(outs), convergence: [] })
      }
      med[s.id]![kind] = medians(per)
    }
  }
  return { med, rows: table(selected, med) }
}

for (let i = 0; i < runsWanted; i++) await runOnce(i)
await stopCluster()

const { med, rows } = medianTable(records)
const invalid = records.flatMap((r) =>
  Object.entries(r.runs).flatMap(([id, byKind]) =>
    Object.entries(byKind).flatMap(([kind, outs]) =>
      (outs ?? []).flatMap((o) => (o.invalid ?? []).map((m) => `${id} ${kind}: ${m}`)),
    ),
  ),
)
const notes = records.flatMap((r) =>
  Object.entries(r.runs).flatMap(([id, byKind]) =>
    Object.entries(byKind).flatMap(([kind, outs]) =>
      (outs ?? []).flatMap((o) => (o.notes ?? []).map((m) => `${id} ${kind}: ${m}`)),
    ),
  ),
)
const env = records[0]?.env ?? environment()
const md = markdown(rows)
persist({ complete: true, medians: med, table: rows, invalid, notes })

const envLine = Object.entries(env)
  .map(([k, v]) => `${k} ${v}`)
  .join(' · ')
const body = [
  `Generated by \`npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}` +
    ` — median of ${records.length} run(s), each the median of its interleaved repetitions.`,
  '',
  `Machine and versions: ${envLine}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
  '',
  md,
  '',
  invalid.length
    ? `Invalid measurements (generator saturated):\n\n${invalid.map((m) => `- ${m}`).join('\n')}\n`
    : '',
  notes.length ? `Notes:\n\n${[...new Set(notes)].map((m) => `- ${m}`).join('\n')}\n` : '',
].join('\n')
console.log(`\n${body}`)
console.log(`JSON record: ${jsonPath}`)
if ((!quick || flag('doc')) && !flag('no-doc') && kinds.includes('ours') && kinds.includes('baseline')) {
  writeDoc(body)
  console.log('docs/performance.md updated')
}

const failures = records.flatMap((r) => [...r.errors, ...r.convergenceFailures])
if (failures.length > 0) {
  console.error(`\nFAILED (${failures.length}):\n${failures.join('\n')}`)
  process.exit(1)
}
process.exit(0)
