/**
 * The pure maths of a chunk-size sweep, shared by main (the sweep job, the CLI) and the renderer
 * (chart, table): the grid of chunk sizes, the seeded run order, and the statistics of a record
 * (medians, throughput, time per file, extrapolation, the table). The arguments and the record
 * themselves are in sweep.ts.
 */
import { inSweetSpot, itemBytes, SWEET_SPOT_BYTES, type Dtype } from './dataFiles'
import { LabError } from './errors'
import { formatItems } from './format'
import {
  MAX_GRID_POINTS,
  type MeasuredMode,
  measuredModes,
  type SweepConfig,
  type SweepGrid,
  type SweepMeasurement,
  type SweepMode,
  type SweepRunDraft
} from './sweep'

function gridError(message: string): LabError {
  return new LabError('INVALID_ARGUMENT', `Chunk-size grid: ${message}`)
}

/**
 * The chunk sizes of a grid that passed sweepArgsSchema (sizes, their dtype limit and the points
 * per doubling are checked there), strictly increasing; grids the schema cannot judge alone
 * (reversed, duplicated, too many points) are INVALID_ARGUMENT errors saying what to change.
 */
export function buildGrid(grid: SweepGrid): number[] {
  let sizes: number[]
  if (grid.kind === 'list') {
    sizes = [...grid.sizes].sort((a, b) => a - b)
    const duplicate = sizes.find((size, i) => i > 0 && sizes[i - 1] === size)
    if (duplicate !== undefined) throw gridError(`${formatItems(duplicate)} is listed twice`)
  } else {
    if (grid.minItems > grid.maxItems)
      throw gridError(
        `the smallest chunk (${formatItems(grid.minItems)}) is larger than the largest (${formatItems(grid.maxItems)})`
      )
    const perDoubling = grid.pointsPerDoubling ?? 1
    const doublings = Math.log2(grid.maxItems / grid.minItems)
    const estimate = Math.floor(doublings * perDoubling + 1e-9) + 2
    if (estimate > MAX_GRID_POINTS * 2)
      throw gridError(`about ${estimate} points is too many; at most ${MAX_GRID_POINTS}`)
    const set = new Set<number>()
    for (let k = 0; ; k++) {
      const size = Math.round(grid.minItems * 2 ** (k / perDoubling))
      if (size > grid.maxItems) break
      set.add(size)
    }
    set.add(grid.maxItems)
    sizes = [...set].sort((a, b) => a - b)
  }
  if (sizes.length > MAX_GRID_POINTS) {
    throw gridError(
      `${sizes.length} chunk sizes is too many; at most ${MAX_GRID_POINTS} (use fewer points per doubling or a narrower range)`
    )
  }
  return sizes
}

/** mulberry32: a small, fast, seeded 32-bit generator; uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates with a seeded generator: the same seed gives the same order. Returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = out[i]!
    out[i] = out[j]!
    out[j] = swap
  }
  return out
}

export interface PlannedRun {
  mode: MeasuredMode
  chunkItems: number | null
  repeat: number
}

/** Every run of a sweep, in a seeded random order (so slow drift — heat, other load — spreads over all points). */
export function planRuns(
  config: Pick<SweepConfig, 'chunkSizes' | 'modes' | 'repeats' | 'eager' | 'seed'>
): PlannedRun[] {
  const runs: PlannedRun[] = []
  for (let repeat = 0; repeat < config.repeats; repeat++) {
    for (const mode of config.modes) for (const chunkItems of config.chunkSizes) runs.push({ mode, chunkItems, repeat })
    if (config.eager) runs.push({ mode: 'eager', chunkItems: null, repeat })
  }
  return seededShuffle(runs, config.seed)
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Throughput of one run in MB/s (10^6 bytes per second). */
export function mbPerSecond(m: Pick<SweepMeasurement, 'bytesRead' | 'elapsedMs'>): number {
  return m.bytesRead / 1e3 / m.elapsedMs
}

/** Time to read the whole file at this run's rate, in ms (measured, or extrapolated when capped). */
export function timePerFileMs(m: Pick<SweepMeasurement, 'bytesRead' | 'elapsedMs' | 'fileBytes'>): number {
  return (m.elapsedMs * m.fileBytes) / m.bytesRead
}

export interface Spread {
  median: number
  min: number
  max: number
}

function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}

/** One point of the chart: the runs of one mode at one chunk size. */
export interface SweepPoint {
  mode: MeasuredMode
  chunkItems: number | null
  runs: number
  /** Runs stopped at the time cap (their time per file is extrapolated). */
  cappedRuns: number
  fileBytes: number
  /** Median bytes read by a run (the prefix length when capped). */
  bytesRead: number
  mbPerSecond: Spread
  timePerFileMs: Spread
}

/** Groups runs by mode and chunk size: medians, minima and maxima. Sorted by mode, then chunk size (eager last). */
export function summarize(measurements: readonly SweepMeasurement[]): SweepPoint[] {
  const groups = new Map<string, SweepMeasurement[]>()
  for (const m of measurements) {
    const key = `${m.mode}/${m.chunkItems}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [m])
    else group.push(m)
  }
  const points = [...groups.values()].map((group): SweepPoint => {
    const first = group[0]!
    return {
      mode: first.mode,
      chunkItems: first.chunkItems,
      runs: group.length,
      cappedRuns: group.filter((m) => m.capped).length,
      fileBytes: first.fileBytes,
      bytesRead: median(group.map((m) => m.bytesRead)),
      mbPerSecond: spread(group.map(mbPerSecond)),
      timePerFileMs: spread(group.map(timePerFileMs))
    }
  })
  const order = (mode: MeasuredMode): number => measuredModes.indexOf(mode)
  return points.sort((a, b) => order(a.mode) - order(b.mode) || (a.chunkItems ?? 0) - (b.chunkItems ?? 0))
}

/** The chunk range of the lecture's 10–100 kB advice, in items of a dtype. */
export function sweetSpotItems(dtype: Dtype): { from: number; to: number } {
  const bytes = itemBytes[dtype]
  return { from: SWEET_SPOT_BYTES.from / bytes, to: SWEET_SPOT_BYTES.to / bytes }
}

/** The chunk size with the best median MB/s of a mode (ties: the smaller chunk). */
export function bestPoint(points: readonly SweepPoint[], mode: SweepMode): SweepPoint | undefined {
  let best: SweepPoint | undefined
  for (const point of points) {
    if (point.mode !== mode) continue
    if (best === undefined || point.mbPerSecond.median > best.mbPerSecond.median) best = point
  }
  return best
}

export interface SweepTableRow {
  chunkItems: number
  chunkBytes: number
  /** Per mode: the point, if measured. */
  cells: Partial<Record<SweepMode, SweepPoint>>
  inSweetSpot: boolean
}

export interface SweepTable {
  modes: SweepMode[]
  rows: SweepTableRow[]
  eager: SweepPoint | undefined
}

/** One row per chunk size, one cell per mode: the table the CLI prints and the app shows beside the chart. */
export function sweepTable(run: Pick<SweepRunDraft, 'config' | 'file' | 'measurements'>): SweepTable {
  const points = summarize(run.measurements)
  const itemSize = itemBytes[run.file.dtype]
  const rows = run.config.chunkSizes.map((chunkItems): SweepTableRow => {
    const cells: Partial<Record<SweepMode, SweepPoint>> = {}
    for (const point of points) if (point.chunkItems === chunkItems && point.mode !== 'eager') cells[point.mode] = point
    const chunkBytes = chunkItems * itemSize
    return { chunkItems, chunkBytes, cells, inSweetSpot: inSweetSpot(chunkBytes) }
  })
  return { modes: [...run.config.modes], rows, eager: points.find((point) => point.mode === 'eager') }
}
