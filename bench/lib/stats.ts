/** Percentiles and medians over latency samples (milliseconds). */

export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = Float64Array.from(samples).sort()
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return Number.NaN
  return percentile(finite, 50)
}

export interface LatencySummary {
  n: number
  p50: number
  p99: number
  max: number
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  if (samples.length === 0) return { n: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
  const sorted = Float64Array.from(samples).sort()
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] as number }
}

/**
 * Collects latencies of edits scheduled inside the measurement window [from, to): warm-up edits
 * arriving late are not counted, and edits of the window arriving during the drain are.
 */
export class Recorder {
  samples: number[] = []
  /** Edit logs holding arrivals for this recorder not yet traced to their edits (`EditLog.arrived`). */
  readonly pending = new Set<{ settle(): void }>()
  from = Number.POSITIVE_INFINITY
  to = Number.POSITIVE_INFINITY
  record(scheduledAt: number, now: number): void {
    if (scheduledAt >= this.from && scheduledAt < this.to) this.samples.push(now - scheduledAt)
  }
  openWindow(from: number, to: number): void {
    this.from = from
    this.to = to
  }
  summary(): LatencySummary {
    for (const log of this.pending) log.settle()
    this.pending.clear()
    return summarize(this.samples)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const round = (v: number, digits = 2): number => {
  if (!Number.isFinite(v)) return v
  const f = 10 ** digits
  return Math.round(v * f) / f
}
