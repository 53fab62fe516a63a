/**
 * The Read tab's results table as pure functions: which runs read the same data, whether their
 * sums agree (to a relative 1e-9: summation order differs between modes), how much slower each
 * run was than the fastest on that data (its numbers are formatted by src/shared/format.ts).
 */
import type { Dtype } from '@shared/dataFiles'
import { formatSum } from '@shared/format'
import type { ProcessJobResult, ProcessResult, ReadMode } from '@shared/readJobs'

/** One finished run: what it read, and what the process job measured. */
export interface ResultRow extends ProcessResult, Pick<ProcessJobResult, 'style' | 'startRssBytes'> {
  /** Run number, 1-based, in the order runs finished. */
  run: number
  path: string
  mode: ReadMode
  dtype: Dtype
  /** Items per read (null for eager, which reads everything at once). */
  chunkItems: number | null
}

/** What the generator wrote for a file: its item count and the sum it computed while writing. */
export interface KnownSum {
  sum: number
  count: number
}

const SUM_TOLERANCE = 1e-9

export function sumsAgree(a: number, b: number, tolerance = SUM_TOLERANCE): boolean {
  if (Object.is(a, b) || a === b) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b))
}

/**
 * Runs on the same data share a key: the path without a .bin/.txt extension (a sample file and
 * its text twin hold the same numbers), and the dtype the numbers were read as (text is float64).
 */
export function datasetKey(path: string, mode: ReadMode, dtype: Dtype): string {
  return `${path.replace(/\.(bin|txt)$/i, '')}\u0000${mode === 'text' ? 'float64' : dtype}`
}

export type Agreement =
  { status: 'alone' } | { status: 'agrees'; against: string } | { status: 'differs'; against: string; detail: string }

export interface RowView {
  row: ResultRow
  agreement: Agreement
  /** elapsed / fastest elapsed on the same data (1 for the fastest). */
  slowdown: number | null
  /** Peak RSS above the RSS at the start of the run. */
  memoryCost: number
}

/**
 * Each row against its dataset's reference: the generator's own sum when known (sidecar), else
 * the dataset's first run. A dataset with one run and no known sum has nothing to agree with.
 */
export function viewRows(rows: readonly ResultRow[], known: ReadonlyMap<string, KnownSum> = new Map()): RowView[] {
  const groups = new Map<string, ResultRow[]>()
  for (const row of rows) {
    const key = datasetKey(row.path, row.mode, row.dtype)
    const group = groups.get(key) ?? []
    group.push(row)
    groups.set(key, group)
  }
  return rows.map((row) => {
    const key = datasetKey(row.path, row.mode, row.dtype)
    const group = groups.get(key)!
    const expected = known.get(key)
    const first = group[0]!
    const reference: { sum: number; count: number; name: string } | undefined =
      expected !== undefined
        ? { ...expected, name: 'the sum written in the sidecar' }
        : group.length > 1
          ? { sum: first.sum, count: first.count, name: `run ${first.run}` }
          : undefined
    let agreement: Agreement
    if (reference === undefined) agreement = { status: 'alone' }
    else if (row.count !== reference.count) {
      agreement = { status: 'differs', against: reference.name, detail: `count ${row.count} ≠ ${reference.count}` }
    } else if (!sumsAgree(row.sum, reference.sum)) {
      const relative = Math.abs(row.sum - reference.sum) / Math.max(Math.abs(row.sum), Math.abs(reference.sum))
      agreement = {
        status: 'differs',
        against: reference.name,
        detail: `sum ${formatSum(row.sum)} ≠ ${formatSum(reference.sum)} (relative difference ${relative.toExponential(1)})`
      }
    } else agreement = { status: 'agrees', against: reference.name }
    const fastest = Math.min(...group.map((other) => other.elapsedMs))
    return {
      row,
      agreement,
      slowdown: group.length > 1 && fastest > 0 ? row.elapsedMs / fastest : null,
      memoryCost: Math.max(0, row.peakRssBytes - row.startRssBytes)
    }
  })
}
