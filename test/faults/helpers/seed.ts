/**
 * Seeds and sizes for the fault suite. Every test prints its seed (and its failure messages name
 * it); set SEED to replay one. In CI (CI set) the default seed is fixed per test name, so a red
 * run is the same run again; elsewhere it is random. FAULTS_LONG=1 runs the long sizes (R2 1,000
 * trials, M1 10,000+ cases, …).
 */
export const LONG = process.env.FAULTS_LONG === '1'

export function seedFor(name: string): number {
  const fixed = process.env.SEED
  const seed =
    fixed !== undefined && fixed !== ''
      ? Number(fixed)
      : process.env.CI
        ? fixedSeedOf(name)
        : Math.floor(Math.random() * 2 ** 31)
  console.log(`[faults] ${name}: SEED=${seed} (replay: SEED=${seed} npx vitest run <file> -t '<name>')`)
  return seed
}

/** A stable seed from a test's name (FNV-1a): CI replays the same schedule on every run. */
export function fixedSeedOf(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h & 0x7fffffff
}

/** mulberry32: small, fast and good enough to drive schedules; same seed, same run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)]!

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** p-th percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Collected figures, printed once per file so the run's numbers land in the log. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.log(`[faults] ${name} ${JSON.stringify(figures)}`)
}
