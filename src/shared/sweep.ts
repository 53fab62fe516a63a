/**
 * The chunk-size sweep: the lecture's "benchmark for lazy load of 512MB file with different chunk
 * size", as something a person runs on their own machine and data.
 *
 * Shared by main (the `sweep` job, history, import) and the renderer (chart, table, exports): the
 * arguments schema, the one persisted record (`SweepRun`, format `yield-lab-sweep/1`) with a strict
 * schema that also checks the record is consistent with itself, and the pure helpers both sides
 * compute with (grid, seeded shuffle, medians, throughput, extrapolation, table).
 *
 * One record holds raw measurements only; everything derived (MB/s, time per file, medians) is
 * computed from them, so a record can never disagree with itself:
 *
 *   MB/s           = bytesRead / 10^6 / seconds
 *   time per file  = fileBytes / (bytesRead / elapsed)   (= elapsed when the whole file was read)
 *
 * A time-capped run (`capped: true`) read only a prefix of the file within the time cap; its time
 * per file is extrapolated from the prefix's rate.
 */
import * as v from 'valibot'
import { chunkItemsSchema, dtypes, dtypeSchema, inSweetSpot, itemBytes, maxChunkItems, SWEET_SPOT_BYTES, type Dtype } from './dataFiles'
import { LabError } from './errors'
import { filePathSchema, MAX_PATH_LENGTH } from './paths'

export const SWEEP_FORMAT = 'yield-lab-sweep/1'

/** The lazy modes swept over chunk sizes (eager is one reference line, not swept). */
export const sweepModes = ['lazyItem', 'lazyChunk', 'textLazy'] as const
export type SweepMode = (typeof sweepModes)[number]
export type MeasuredMode = SweepMode | 'eager'
export const measuredModes: readonly MeasuredMode[] = [...sweepModes, 'eager']

export const modeLabels: Readonly<Record<MeasuredMode, string>> = {
  lazyItem: 'lazy per item',
  lazyChunk: 'lazy per chunk',
  textLazy: 'text lazy',
  eager: 'eager (whole file)'
}

/** What each mode does, in the lecture's terms. */
export const modeDescriptions: Readonly<Record<MeasuredMode, string>> = {
  lazyItem: 'read_binary_lazy(fname, chunk_size): one read per chunk, then one number at a time through a generator',
  lazyChunk: 'one read per chunk, the chunk summed as an array (no per-number generator step)',
  textLazy: 'numpy.savetxt text, one number per line, read chunk-size × item-size bytes at a time and parsed',
  eager: 'read_binary_eager: the whole file into RAM in one go, then summed'
}

export const DEFAULT_MIN_CHUNK_ITEMS = 1
export const DEFAULT_MAX_CHUNK_ITEMS = 1024 * 1024
export const MAX_GRID_POINTS = 64
export const MAX_POINTS_PER_DOUBLING = 4
export const DEFAULT_REPEATS = 3
export const MAX_REPEATS = 25
/** Every run of a sweep (points × modes × repeats, plus the eager repeats) at most. */
export const MAX_SWEEP_RUNS = 4000
export const DEFAULT_TIME_CAP_MS = 1000
export const MIN_TIME_CAP_MS = 20
export const MAX_TIME_CAP_MS = 600_000
/** Largest JSON text accepted by import (a sweep of MAX_SWEEP_RUNS runs is about 1 MB). */
export const MAX_SWEEP_JSON_CHARS = 16 * 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Arguments of the `sweep` job

export const sweepGridSchema = v.variant('kind', [
  /** min, min·2^(1/p), min·2^(2/p), … up to max (max itself always included), rounded to whole items. */
  v.strictObject({
    kind: v.literal('log2'),
    minItems: chunkItemsSchema,
    maxItems: chunkItemsSchema,
    pointsPerDoubling: v.optional(
      v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_POINTS_PER_DOUBLING, `must be at most ${MAX_POINTS_PER_DOUBLING}`)),
      1
    )
  }),
  /** Exactly these chunk sizes. */
  v.strictObject({
    kind: v.literal('list'),
    sizes: v.pipe(v.array(chunkItemsSchema), v.minLength(1, 'must list at least one chunk size'), v.maxLength(MAX_GRID_POINTS, `must list at most ${MAX_GRID_POINTS} chunk sizes`))
  })
])
export type SweepGrid = v.InferInput<typeof sweepGridSchema>

export const defaultSweepGrid = (): SweepGrid => ({ kind: 'log2', minItems: DEFAULT_MIN_CHUNK_ITEMS, maxItems: DEFAULT_MAX_CHUNK_ITEMS, pointsPerDoubling: 1 })

const cacheSchema = v.picklist(['warm', 'cold'], 'must be warm or cold')

export const sweepArgsSchema = v.strictObject({
  /** The binary data file (numpy tofile layout). */
  path: filePathSchema,
  dtype: v.optional(dtypeSchema, 'float64'),
  /** Its text twin for the text mode; default: `<same stem>.txt` beside it, if there is one. */
  textPath: v.optional(filePathSchema),
  modes: v.optional(
    v.pipe(
      v.array(v.picklist(sweepModes, `must be one of ${sweepModes.join(', ')}`)),
      v.minLength(1, 'must list at least one mode'),
      v.check((modes) => new Set(modes).size === modes.length, 'must not list a mode twice')
    ),
    () => [...sweepModes]
  ),
  grid: v.optional(sweepGridSchema, defaultSweepGrid),
  repeats: v.optional(
    v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_REPEATS, `must be at most ${MAX_REPEATS}`)),
    DEFAULT_REPEATS
  ),
  /** Each run stops after this long and extrapolates from the prefix it read. */
  timeCapMs: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number of milliseconds'),
      v.minValue(MIN_TIME_CAP_MS, `must be at least ${MIN_TIME_CAP_MS} ms`),
      v.maxValue(MAX_TIME_CAP_MS, `must be at most ${MAX_TIME_CAP_MS} ms`)
    ),
    DEFAULT_TIME_CAP_MS
  ),
  cache: v.optional(cacheSchema, 'warm'),
  /** Measure the eager reference (skipped, with a note, when the file is above the eager limit). */
  eager: v.optional(v.boolean(), true),
  eagerMaxBytes: v.optional(v.pipe(v.number(), v.safeInteger('must be a whole number of bytes'), v.minValue(0, 'must not be negative'))),
  /** Seed of the run order's shuffle; default: a random one (recorded in the result either way). */
  seed: v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must not be negative'), v.maxValue(0xffffffff, 'must be below 2^32'))),
  /** Version of the app (or CLI) that measures, recorded with the machine. */
  appVersion: v.optional(v.pipe(v.string(), v.maxLength(64, 'must be at most 64 characters')), 'unknown'),
  label: v.optional(v.pipe(v.string(), v.maxLength(200, 'must be at most 200 characters')))
})
export type SweepArgs = v.InferInput<typeof sweepArgsSchema>
export type ParsedSweepArgs = v.InferOutput<typeof sweepArgsSchema>

// ---------------------------------------------------------------------------------------------
// The record

const finite = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`))
const count = (what: string) => v.pipe(v.number(`${what} must be a number`), v.safeInteger(`${what} must be a whole number`), v.minValue(0, `${what} must not be negative`))
const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `must be at most ${max} characters`))
const isoDate = v.pipe(v.string(), v.isoTimestamp('must be an ISO timestamp'))

export const SWEEP_ID_PATTERN = /^sweep-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/
export const sweepIdSchema = v.pipe(v.string(), v.regex(SWEEP_ID_PATTERN, 'is not a sweep id'))

/** Runs per page of history (sweeps.list). */
export const HISTORY_PAGE_RUNS = 100
export const MAX_HISTORY_PAGE_RUNS = 500

/** Which page of history to list: the newest, or the one after the run `before`. */
export const historyPageSchema = v.strictObject({
  before: v.optional(sweepIdSchema),
  limit: v.optional(
    v.pipe(v.number(), v.safeInteger('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_HISTORY_PAGE_RUNS, `must be at most ${MAX_HISTORY_PAGE_RUNS}`))
  )
})
export type HistoryPage = v.InferOutput<typeof historyPageSchema>

export const sweepMeasurementSchema = v.strictObject({
  /** Position in the (shuffled) run order, 0-based. */
  seq: count('seq'),
  mode: v.picklist(measuredModes),
  /** Items per read; null for eager. */
  chunkItems: v.nullable(chunkItemsSchema),
  repeat: count('repeat'),
  /** Size of the file this run read (the text twin for textLazy). */
  fileBytes: v.pipe(count('fileBytes'), v.minValue(1, 'fileBytes must be at least 1')),
  bytesRead: v.pipe(count('bytesRead'), v.minValue(1, 'bytesRead must be at least 1')),
  itemsRead: count('itemsRead'),
  elapsedMs: v.pipe(finite('elapsedMs'), v.gtValue(0, 'elapsedMs must be more than 0')),
  /** Stopped at the time cap: only a prefix was read, the time per file is extrapolated. */
  capped: v.boolean()
})
export type SweepMeasurement = v.InferOutput<typeof sweepMeasurementSchema>

const machineSchema = v.strictObject({
  cpuModel: text(200),
  cpuCount: v.pipe(count('cpuCount'), v.minValue(1, 'cpuCount must be at least 1')),
  totalMemoryBytes: count('totalMemoryBytes'),
  /** OS name and release, e.g. "Linux 6.8.0". */
  platform: text(200),
  arch: text(40),
  appVersion: text(64),
  /** node, v8, electron, … */
  versions: v.pipe(v.record(v.pipe(v.string(), v.maxLength(40)), text(80)), v.check((r) => Object.keys(r).length <= 16, 'must list at most 16 versions'))
})
export type SweepMachine = v.InferOutput<typeof machineSchema>

const fileSchema = v.strictObject({
  path: text(MAX_PATH_LENGTH),
  bytes: v.pipe(count('file bytes'), v.minValue(1, 'file bytes must be at least 1')),
  dtype: v.picklist(dtypes),
  items: count('file items'),
  textPath: v.nullable(text(MAX_PATH_LENGTH)),
  textBytes: v.nullable(count('text bytes'))
})

const configSchema = v.strictObject({
  chunkSizes: v.pipe(v.array(chunkItemsSchema), v.maxLength(MAX_GRID_POINTS, `must list at most ${MAX_GRID_POINTS} chunk sizes`)),
  /** The lazy modes measured (requested modes that could not run are left out, with a note). */
  modes: v.pipe(v.array(v.picklist(sweepModes)), v.maxLength(sweepModes.length)),
  repeats: v.pipe(count('repeats'), v.minValue(1), v.maxValue(MAX_REPEATS)),
  timeCapMs: v.pipe(count('timeCapMs'), v.minValue(MIN_TIME_CAP_MS), v.maxValue(MAX_TIME_CAP_MS)),
  /** Whether the eager reference was measured. */
  eager: v.boolean(),
  seed: v.pipe(count('seed'), v.maxValue(0xffffffff))
})
export type SweepConfig = v.InferOutput<typeof configSchema>

const cacheInfoSchema = v.strictObject({
  state: cacheSchema,
  /** How the state was brought about, in words. */
  method: text(500),
  /** Bytes of the data file in the page cache after warming / evicting (fincore), when it could be checked. */
  residentBytes: v.nullable(count('residentBytes'))
})
export type SweepCacheInfo = v.InferOutput<typeof cacheInfoSchema>

const sweepRunEntries = {
  format: v.literal(SWEEP_FORMAT, `is not a Yield Lab sweep (format must be "${SWEEP_FORMAT}")`),
  label: text(200),
  createdAt: isoDate,
  finishedAt: isoDate,
  status: v.picklist(['complete', 'cancelled']),
  file: fileSchema,
  machine: machineSchema,
  config: configSchema,
  cache: cacheInfoSchema,
  /** Runs the sweep planned (a complete sweep has exactly this many measurements). */
  plannedRuns: v.pipe(count('plannedRuns'), v.maxValue(MAX_SWEEP_RUNS)),
  measurements: v.pipe(v.array(sweepMeasurementSchema), v.maxLength(MAX_SWEEP_RUNS)),
  notes: v.pipe(v.array(text(2000)), v.maxLength(50)),
  /** Set when the record came in through import. */
  imported: v.optional(v.strictObject({ at: isoDate, originalId: text(100) }))
}

/** Everything in a run that is not its own words about itself must agree; returns what does not. */
export function sweepRunProblems(run: SweepRunDraft): string[] {
  const problems: string[] = []
  const { config, file } = run
  const sizes = config.chunkSizes
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i]! <= sizes[i - 1]!) {
      problems.push('config.chunkSizes must be strictly increasing')
      break
    }
  }
  const maxItems = maxChunkItems(file.dtype)
  if (sizes.some((size) => size > maxItems)) problems.push(`config.chunkSizes must be at most ${maxItems} items for ${file.dtype}`)
  if (new Set(config.modes).size !== config.modes.length) problems.push('config.modes lists a mode twice')
  if (file.items * itemBytes[file.dtype] !== file.bytes) problems.push(`file.items (${file.items}) × ${itemBytes[file.dtype]} bytes is not file.bytes (${file.bytes})`)
  if ((file.textPath === null) !== (file.textBytes === null)) problems.push('file.textPath and file.textBytes must both be set or both be null')
  if (config.modes.includes('textLazy') && file.textBytes === null) problems.push('textLazy was measured but the record names no text file')
  const expected = (config.modes.length * sizes.length + (config.eager ? 1 : 0)) * config.repeats
  if (run.plannedRuns !== expected) problems.push(`plannedRuns is ${run.plannedRuns}, but the configuration plans ${expected}`)
  if (run.measurements.length > run.plannedRuns) problems.push(`${run.measurements.length} measurements for ${run.plannedRuns} planned runs`)
  if (run.status === 'complete' && run.measurements.length !== run.plannedRuns) {
    problems.push(`a complete sweep has all ${run.plannedRuns} planned runs, this one has ${run.measurements.length}`)
  }
  if (Date.parse(run.finishedAt) < Date.parse(run.createdAt)) problems.push('finishedAt is before createdAt')
  const seqs = new Set<number>()
  const keys = new Set<string>()
  run.measurements.forEach((m, i) => {
    const at = `measurements[${i}]`
    if (m.seq >= run.plannedRuns) problems.push(`${at}.seq ${m.seq} is not below plannedRuns`)
    if (seqs.has(m.seq)) problems.push(`${at}.seq ${m.seq} appears twice`)
    seqs.add(m.seq)
    const key = `${m.mode}/${m.chunkItems}/${m.repeat}`
    if (keys.has(key)) problems.push(`${at} repeats ${key}`)
    keys.add(key)
    if (m.repeat >= config.repeats) problems.push(`${at}.repeat ${m.repeat} is not below config.repeats`)
    if (m.mode === 'eager') {
      if (!config.eager) problems.push(`${at} is eager but config.eager is false`)
      if (m.chunkItems !== null) problems.push(`${at}: eager runs have no chunk size`)
      if (m.capped) problems.push(`${at}: eager runs are never capped`)
    } else {
      if (!config.modes.includes(m.mode)) problems.push(`${at}.mode ${m.mode} is not in config.modes`)
      if (m.chunkItems === null || !sizes.includes(m.chunkItems)) problems.push(`${at}.chunkItems ${String(m.chunkItems)} is not in config.chunkSizes`)
    }
    const fileBytes = m.mode === 'textLazy' ? file.textBytes : file.bytes
    if (m.fileBytes !== fileBytes) problems.push(`${at}.fileBytes ${m.fileBytes} is not the size of the file it read (${String(fileBytes)})`)
    if (m.bytesRead > m.fileBytes) problems.push(`${at} read more bytes than the file has`)
    if (!m.capped && m.bytesRead !== m.fileBytes) problems.push(`${at} is not capped but did not read the whole file`)
  })
  return problems.slice(0, 20)
}

function consistent<T extends SweepRunDraft>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    for (const problem of sweepRunProblems(dataset.value)) addIssue({ message: problem })
  })
}

/** A run before it is saved (no id yet): what the sweep returns. */
const draftObject = v.strictObject(sweepRunEntries)
export const sweepRunDraftSchema = v.pipe(draftObject, consistent<v.InferOutput<typeof draftObject>>())
/** A run in history. */
const runObject = v.strictObject({ ...sweepRunEntries, id: sweepIdSchema })
export const sweepRunSchema = v.pipe(runObject, consistent<v.InferOutput<typeof runObject>>())

export type SweepRunDraft = v.InferOutput<typeof draftObject>
export type SweepRun = v.InferOutput<typeof runObject>

/** What the sweep job yields: the plan first, then each run as soon as it is measured. */
export interface SweepPlan {
  label: string
  createdAt: string
  file: SweepRunDraft['file']
  machine: SweepMachine
  config: SweepConfig
  cache: SweepCacheInfo
  plannedRuns: number
  notes: string[]
}
export type SweepEvent = { type: 'plan'; plan: SweepPlan } | { type: 'measurement'; measurement: SweepMeasurement }

/** The record of a sweep from its plan and the runs measured so far (the job's return value, or a cancelled sweep's partial record). */
export function assembleSweepRun(plan: SweepPlan, measurements: readonly SweepMeasurement[], status: 'complete' | 'cancelled', finishedAt: string): SweepRunDraft {
  return {
    format: SWEEP_FORMAT,
    label: plan.label,
    createdAt: plan.createdAt,
    finishedAt,
    status,
    file: { ...plan.file },
    machine: { ...plan.machine, versions: { ...plan.machine.versions } },
    config: { ...plan.config, chunkSizes: [...plan.config.chunkSizes], modes: [...plan.config.modes] },
    cache: { ...plan.cache },
    plannedRuns: plan.plannedRuns,
    measurements: [...measurements].sort((a, b) => a.seq - b.seq),
    notes: [...plan.notes]
  }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers: grid, order, statistics

function gridError(message: string): LabError {
  return new LabError('INVALID_ARGUMENT', `Chunk-size grid: ${message}`)
}

/** The chunk sizes of a grid, strictly increasing; absurd grids are INVALID_ARGUMENT errors saying what to change. */
export function buildGrid(grid: SweepGrid, dtype: Dtype): number[] {
  const maxItems = maxChunkItems(dtype)
  const checkSize = (size: number, what: string): void => {
    if (!Number.isSafeInteger(size) || size < 1) throw gridError(`${what} must be a whole number of items of at least 1, got ${String(size)}`)
    if (size > maxItems) throw gridError(`${what} is ${size} items, more than the largest read of 1 GiB (${maxItems} items of ${dtype})`)
  }
  let sizes: number[]
  if (grid.kind === 'list') {
    if (grid.sizes.length === 0) throw gridError('no chunk sizes were given')
    grid.sizes.forEach((size) => checkSize(size, 'every chunk size'))
    sizes = [...grid.sizes].sort((a, b) => a - b)
    const duplicate = sizes.find((size, i) => i > 0 && sizes[i - 1] === size)
    if (duplicate !== undefined) throw gridError(`${duplicate} items is listed twice`)
  } else {
    checkSize(grid.minItems, 'the smallest chunk')
    checkSize(grid.maxItems, 'the largest chunk')
    if (grid.minItems > grid.maxItems) throw gridError(`the smallest chunk (${grid.minItems} items) is larger than the largest (${grid.maxItems} items)`)
    const perDoubling = grid.pointsPerDoubling ?? 1
    if (!Number.isInteger(perDoubling) || perDoubling < 1 || perDoubling > MAX_POINTS_PER_DOUBLING) {
      throw gridError(`points per doubling must be a whole number from 1 to ${MAX_POINTS_PER_DOUBLING}, got ${String(perDoubling)}`)
    }
    const doublings = Math.log2(grid.maxItems / grid.minItems)
    const estimate = Math.floor(doublings * perDoubling + 1e-9) + 2
    if (estimate > MAX_GRID_POINTS * 2) throw gridError(`about ${estimate} points is too many; at most ${MAX_GRID_POINTS}`)
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
    throw gridError(`${sizes.length} chunk sizes is too many; at most ${MAX_GRID_POINTS} (use fewer points per doubling or a narrower range)`)
  }
  return sizes
}

/** mulberry32: a small, fast, seeded 32-bit generator; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
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
export function planRuns(config: Pick<SweepConfig, 'chunkSizes' | 'modes' | 'repeats' | 'eager' | 'seed'>): PlannedRun[] {
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

/** Remaining time of a sweep from the pace so far (runs are in random order, so the pace is unbiased). */
export function estimateRemainingMs(done: number, planned: number, elapsedMs: number): number | undefined {
  if (done <= 0 || planned <= done) return done >= planned ? 0 : undefined
  return (elapsedMs / done) * (planned - done)
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
