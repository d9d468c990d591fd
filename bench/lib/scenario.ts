import type { Kind } from './servers'
import type { Convergence } from './harness'

/** What a scenario is to the runner: runs per server kind, and rows for the table. */

export interface Ctx {
  quick: boolean
  /** Log progress lines. */
  log: (msg: string) => void
}

export interface Outcome {
  metrics: Record<string, number>
  notes?: string[]
  /** Why the run's figures do not count (e.g. the generator saturated its core). */
  invalid?: string[]
  convergence: Convergence[]
}

export interface Row {
  /** Scenario text in the table, e.g. "P3 edit → visible p99, N = 100". */
  label: string
  key: string
  unit: string
  target: string
  /** Whether ours meets the target (given our median and the ratio ours ÷ baseline). */
  met?: (ours: number, ratio: number) => boolean
  /** The baseline cannot do this (no acks, no saving): the cell reads as the note. */
  baselineNote?: string
}

export interface Scenario {
  id: string
  title: string
  /** Interleaved repetitions A B A B. */
  reps: (quick: boolean) => number
  run: (kind: Kind, ctx: Ctx) => Promise<Outcome>
  rows: Row[]
}

export const GEN_CPU_LIMIT = 0.85

export function cpuCheck(fraction: number): string[] {
  return fraction > GEN_CPU_LIMIT
    ? [`generator used ${Math.round(fraction * 100)} % of its core (limit ${GEN_CPU_LIMIT * 100} %)`]
    : []
}
