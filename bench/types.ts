/** One benchmark: times our code and a reference in the same run, so only their ratio is reported. */
export interface Benchmark {
  /** Dotted result name, e.g. `walk.ratio_vs_oswalk`; `--only PREFIX` matches on it. */
  name: string
  /** What is compared with what, shown in the table. */
  description: string
  run(): Promise<BenchMeasurement>
}

export interface BenchMeasurement {
  /** Our time (or other cost) for the same work as the reference. */
  value: number
  /** The reference's time for the same work, measured in the same run. */
  reference: number
  unit: string
}

/** What `--json FILE` writes, one object per benchmark. ratio = reference / value (>1: we are faster). */
export interface BenchResult {
  name: string
  value: number
  unit: string
  reference: number
  ratio: number
}

/** Median of repeated timings: robust against one noisy run on a shared machine. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
