/**
 * Seeds and sizes for the fault suite. Every test prints its seed in failure messages; set SEED
 * to replay one. FAULTS_LONG=1 runs the long sizes (R2 1,000 trials, M1 10,000+ cases, …).
 */
export const LONG = process.env.FAULTS_LONG === '1'

export function seedFor(name: string): number {
  const fixed = process.env.SEED
  const seed = fixed !== undefined ? Number(fixed) : Math.floor(Math.random() * 2 ** 31)
  if (process.env.FAULTS_VERBOSE === '1') console.log(`[faults] ${name}: SEED=${seed}`)
  return seed
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
