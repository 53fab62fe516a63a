/**
 * The Read tab's results table as pure functions: which runs read the same data, whether their
 * sums agree (to a relative 1e-9: summation order differs between modes), how much slower each
 * run was than the fastest on that data, and the order the table is sorted in (its numbers are
 * formatted by src/shared/format.ts). Cancelled runs stay in the table, out of every comparison.
 */
import type { Dtype } from '@shared/dataFiles'
import { formatSum } from '@shared/format'
import { shownMessage } from '@shared/fsNames'
import { baseName } from '@shared/paths'
import type { EagerPhases, ProcessJobResult, ProcessResult, ReadMode, RunCosts } from '@shared/readJobs'

/**
 * The files a run reads, as people are shown them: base names chained with " + ", a name that is
 * not valid UTF-8 with U+FFFD and the note (once, however many such names).
 */
export function filesLabel(paths: readonly string[]): string {
  return shownMessage(paths.map(baseName).join(' + '))
}

/** Their full paths, one a line (a tooltip), shown as filesLabel shows names. */
export function filesTitle(paths: readonly string[]): string {
  return shownMessage(paths.join('\n'))
}

/** One run, finished or cancelled: what it read, and what the process job measured (so far, if cancelled). */
export interface ResultRow extends ProcessResult, Pick<ProcessJobResult, 'style' | 'startRssBytes'> {
  /** Run number, 1-based, in the order runs ended. */
  run: number
  outcome: 'done' | 'cancelled'
  /** The files read, chained in this order (one for most runs). */
  paths: string[]
  mode: ReadMode
  dtype: Dtype
  /** Items per read (null for eager, which reads everything at once). */
  chunkItems: number | null
  /** process() reported progress every this many items. */
  progressEvery: number
  /** Where eager's time went (null for lazy modes and cancelled runs). */
  eager: EagerPhases | null
  /** Page faults and disk reads of the run (null for cancelled runs). */
  costs: RunCosts | null
  /** The other busy jobs (as the status bar names them) that ran while it did: its times are slower than alone. */
  sharedCpuWith: string[]
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

/** The key of chained files: their keys in order (the same files chained in another order sum the same, but count apart). */
export function chainKey(paths: readonly string[], mode: ReadMode, dtype: Dtype): string {
  return paths.map((path) => datasetKey(path, mode, dtype)).join('\u0001')
}

/** The generator's sum for chained files: the sum of each file's, when every file's is known. */
export function knownChainSum(
  paths: readonly string[],
  mode: ReadMode,
  dtype: Dtype,
  known: ReadonlyMap<string, KnownSum>
): KnownSum | undefined {
  let sum = 0
  let count = 0
  for (const path of paths) {
    const one = known.get(datasetKey(path, mode, dtype))
    if (one === undefined) return undefined
    sum += one.sum
    count += one.count
  }
  return { sum, count }
}

export type Agreement =
  | { status: 'alone' }
  | { status: 'cancelled' }
  | { status: 'agrees'; against: string }
  | { status: 'differs'; against: string; detail: string }

export interface RowView {
  row: ResultRow
  agreement: Agreement
  /** elapsed / fastest elapsed on the same data (1 for the fastest); null when alone or cancelled. */
  slowdown: number | null
  /** Peak RSS above the RSS at the start of the run. */
  memoryCost: number
}

/**
 * Each finished row against its dataset's reference: the generator's own sum when known (sidecar),
 * else the dataset's first finished run. A dataset with one run and no known sum has nothing to
 * agree with. Cancelled rows are compared with nothing and nothing is compared with them.
 */
export function viewRows(rows: readonly ResultRow[], known: ReadonlyMap<string, KnownSum> = new Map()): RowView[] {
  const groups = new Map<string, ResultRow[]>()
  for (const row of rows) {
    if (row.outcome !== 'done') continue
    const key = chainKey(row.paths, row.mode, row.dtype)
    const group = groups.get(key) ?? []
    group.push(row)
    groups.set(key, group)
  }
  return rows.map((row) => {
    const memoryCost = Math.max(0, row.peakRssBytes - row.startRssBytes)
    if (row.outcome !== 'done') return { row, agreement: { status: 'cancelled' }, slowdown: null, memoryCost }
    const group = groups.get(chainKey(row.paths, row.mode, row.dtype))!
    const expected = knownChainSum(row.paths, row.mode, row.dtype, known)
    const first = group[0]!
    const reference: { sum: number; count: number; name: string } | undefined =
      expected !== undefined
        ? {
            ...expected,
            name: row.paths.length > 1 ? 'the sums written in the sidecars' : 'the sum written in the sidecar'
          }
        : group.length > 1
          ? { sum: first.sum, count: first.count, name: `run ${first.run}` }
          : undefined
    let agreement: Agreement
    if (reference === undefined) agreement = { status: 'alone' }
    else if (row.count !== reference.count) {
      agreement = { status: 'differs', against: reference.name, detail: `count ${row.count} ≠ ${reference.count}` }
    } else if (!sumsAgree(row.sum, reference.sum)) {
      const relative = Math.abs(row.sum - reference.sum) / Math.max(Math.abs(row.sum), Math.abs(reference.sum))
      // Against nan or inf (or two sums whose difference overflows) there is no finite relative difference to give.
      const by = Number.isFinite(relative) ? ` (relative difference ${relative.toExponential(1)})` : ''
      agreement = {
        status: 'differs',
        against: reference.name,
        detail: `sum ${formatSum(row.sum)} ≠ ${formatSum(reference.sum)}${by}`
      }
    } else agreement = { status: 'agrees', against: reference.name }
    const fastest = Math.min(...group.map((other) => other.elapsedMs))
    return {
      row,
      agreement,
      slowdown: group.length > 1 && fastest > 0 ? row.elapsedMs / fastest : null,
      memoryCost
    }
  })
}

/** Columns the table sorts by. */
export const sortKeys = ['run', 'file', 'mode', 'chunk', 'time', 'slowdown', 'rate', 'itemRate', 'peakRss'] as const
export type SortKey = (typeof sortKeys)[number]
export interface SortOrder {
  key: SortKey
  descending: boolean
}

const modeOrder: Record<ReadMode, number> = { eager: 0, lazyItem: 1, lazyChunk: 2, text: 3 }

function sortValue(view: RowView, key: SortKey): number | string {
  const row = view.row
  switch (key) {
    case 'run':
      return row.run
    case 'file':
      return row.paths.join('\u0000')
    case 'mode':
      return modeOrder[row.mode]
    case 'chunk':
      return row.chunkItems ?? Infinity
    case 'time':
      return row.elapsedMs
    case 'slowdown':
      return view.slowdown ?? Infinity
    case 'rate':
      return row.mbPerSecond
    case 'itemRate':
      return row.itemsPerSecond
    case 'peakRss':
      return row.peakRssBytes
  }
}

/**
 * The rows in the order asked for. By a measure, cancelled runs go last whichever the direction
 * (their numbers stop part-way); by run number they keep their place. Equal values keep run order.
 */
export function sortViews(views: readonly RowView[], order: SortOrder): RowView[] {
  const sign = order.descending ? -1 : 1
  return [...views].sort((a, b) => {
    const cancelled = Number(a.row.outcome === 'cancelled') - Number(b.row.outcome === 'cancelled')
    if (cancelled !== 0 && order.key !== 'run') return cancelled
    const x = sortValue(a, order.key)
    const y = sortValue(b, order.key)
    const compared = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : x < y ? -1 : x > y ? 1 : 0
    return compared !== 0 ? sign * compared : a.row.run - b.row.run
  })
}
