/**
 * The chunk-size sweep: the lecture's "benchmark for lazy load of 512MB file with different chunk
 * size", as something a person runs on their own machine and data.
 *
 * Shared by main (the `sweep` job, history, import) and the renderer (chart, table, exports): the
 * arguments schema, the one persisted record (`SweepRun`, format `yield-lab-sweep/2`) with a strict
 * schema that also checks the record is consistent with itself, and the modes' labels. The maths
 * both sides compute with (grid, seeded order, medians, throughput, table) is in sweepMaths.ts.
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
import { chunkItemsSchema, chunkSizeProblem, dtypes, dtypeSchema, itemBytes } from './dataFiles'
import { filePathSchema, MAX_PATH_LENGTH } from './paths'
import { lazyReadModes, type LazyReadMode, type ReadMode } from './readJobs'
import type { SweepStage } from './sweepEstimate'

/** Version 2 names the text mode `text`, as the Read tab does (version 1 called it `textLazy`). */
export const SWEEP_FORMAT = 'yield-lab-sweep/2'

/** The lazy modes swept over chunk sizes (eager is one reference line, not swept). */
export const sweepModes = lazyReadModes
export type SweepMode = LazyReadMode
export type MeasuredMode = ReadMode
export const measuredModes: readonly MeasuredMode[] = [...sweepModes, 'eager']

export const modeLabels: Readonly<Record<MeasuredMode, string>> = {
  lazyItem: 'lazy per item',
  lazyChunk: 'lazy per chunk',
  text: 'text lazy',
  eager: 'eager (whole file)'
}

/** What each mode does, in the lecture's terms. */
export const modeDescriptions: Readonly<Record<MeasuredMode, string>> = {
  lazyItem: 'read_binary_lazy(fname, chunk_size): one read per chunk, then one number at a time through a generator',
  lazyChunk: 'one read per chunk, the chunk summed as an array (no per-number generator step)',
  text: 'numpy.savetxt text, one number per line, read chunk-size × item-size bytes at a time and parsed',
  eager: 'read_binary_eager: the whole file into RAM in one go, then summed'
}

const DEFAULT_MIN_CHUNK_ITEMS = 1
const DEFAULT_MAX_CHUNK_ITEMS = 1024 * 1024
export const MAX_GRID_POINTS = 64
const MAX_POINTS_PER_DOUBLING = 4
export const DEFAULT_REPEATS = 3
const MAX_REPEATS = 25
/** Every run of a sweep (points × modes × repeats, plus the eager repeats) at most. */
const MAX_SWEEP_RUNS = 4000
export const DEFAULT_TIME_CAP_MS = 1000
const MIN_TIME_CAP_MS = 20
const MAX_TIME_CAP_MS = 600_000
/** Largest JSON text accepted by import (a sweep of MAX_SWEEP_RUNS runs is about 1 MB). */
export const MAX_SWEEP_JSON_CHARS = 16 * 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Arguments of the `sweep` job

const sweepGridSchema = v.variant('kind', [
  /** min, min·2^(1/p), min·2^(2/p), … up to max (max itself always included), rounded to whole items. */
  v.strictObject({
    kind: v.literal('log2'),
    minItems: chunkItemsSchema,
    maxItems: chunkItemsSchema,
    pointsPerDoubling: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(MAX_POINTS_PER_DOUBLING, `must be at most ${MAX_POINTS_PER_DOUBLING}`)
      ),
      1
    )
  }),
  /** Exactly these chunk sizes. */
  v.strictObject({
    kind: v.literal('list'),
    sizes: v.pipe(
      v.array(chunkItemsSchema),
      v.minLength(1, 'must list at least one chunk size'),
      v.maxLength(MAX_GRID_POINTS, `must list at most ${MAX_GRID_POINTS} chunk sizes`)
    )
  })
])
export type SweepGrid = v.InferInput<typeof sweepGridSchema>

const defaultSweepGrid = (): SweepGrid => ({
  kind: 'log2',
  minItems: DEFAULT_MIN_CHUNK_ITEMS,
  maxItems: DEFAULT_MAX_CHUNK_ITEMS,
  pointsPerDoubling: 1
})

const cacheSchema = v.picklist(['warm', 'cold'], 'must be warm or cold')

/** The chunk sizes a grid names (its ends, for a log-2 grid). */
function namedSizes(grid: v.InferOutput<typeof sweepGridSchema>): number[] {
  return grid.kind === 'list' ? grid.sizes : [grid.minItems, grid.maxItems]
}

const sweepArgsEntries = v.strictObject({
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
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(MAX_REPEATS, `must be at most ${MAX_REPEATS}`)
    ),
    DEFAULT_REPEATS
  ),
  /** Each run stops after this long and extrapolates from the prefix it read. */
  timeCapMs: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number of milliseconds'),
      v.minValue(MIN_TIME_CAP_MS, `must be at least ${MIN_TIME_CAP_MS} ms`),
      v.maxValue(MAX_TIME_CAP_MS, `must be at most ${MAX_TIME_CAP_MS} ms`)
    ),
    DEFAULT_TIME_CAP_MS
  ),
  cache: v.optional(cacheSchema, 'warm'),
  /** Measure the eager reference (skipped, with a note, when the file is above the eager limit). */
  eager: v.optional(v.boolean(), true),
  eagerMaxBytes: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.safeInteger('must be a whole number of bytes'),
      v.minValue(0, 'must not be negative')
    )
  ),
  /** Seed of the run order's shuffle; default: a random one (recorded in the result either way). */
  seed: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(0, 'must not be negative'),
      v.maxValue(0xffffffff, 'must be below 2^32')
    )
  ),
  /** Version of the app (or CLI) that measures, recorded with the machine. */
  appVersion: v.optional(v.pipe(v.string(), v.maxLength(64, 'must be at most 64 characters')), 'unknown'),
  label: v.optional(v.pipe(v.string(), v.maxLength(200, 'must be at most 200 characters')))
})
export const sweepArgsSchema = v.pipe(
  sweepArgsEntries,
  // The chunk-size rule against the file's dtype, for every size the grid names.
  v.forward(
    v.check(
      ({ grid, dtype }) => namedSizes(grid).every((size) => chunkSizeProblem(size, dtype) === undefined),
      ({ input: { grid, dtype } }) =>
        namedSizes(grid)
          .map((size) => chunkSizeProblem(size, dtype))
          .find((problem) => problem !== undefined) ?? ''
    ),
    ['grid']
  )
)
export type SweepArgs = v.InferInput<typeof sweepArgsSchema>
export type ParsedSweepArgs = v.InferOutput<typeof sweepArgsSchema>

// ---------------------------------------------------------------------------------------------
// The record

const finite = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`))
const count = (what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.safeInteger(`${what} must be a whole number`),
    v.minValue(0, `${what} must not be negative`)
  )
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
    v.pipe(
      v.number(),
      v.safeInteger('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(MAX_HISTORY_PAGE_RUNS, `must be at most ${MAX_HISTORY_PAGE_RUNS}`)
    )
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
  /** Size of the file this run read (the text twin for text). */
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
  versions: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(40)), text(80)),
    v.check((r) => Object.keys(r).length <= 16, 'must list at most 16 versions')
  )
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
  chunkSizes: v.pipe(
    v.array(chunkItemsSchema),
    v.maxLength(MAX_GRID_POINTS, `must list at most ${MAX_GRID_POINTS} chunk sizes`)
  ),
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

/** How many runs a sweep of this configuration plans: every mode at every chunk size, plus eager, each repeated. */
export function plannedRunCount(config: Pick<SweepConfig, 'chunkSizes' | 'modes' | 'repeats' | 'eager'>): number {
  return (config.modes.length * config.chunkSizes.length + (config.eager ? 1 : 0)) * config.repeats
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
  const sizeProblem = sizes.map((size) => chunkSizeProblem(size, file.dtype)).find((problem) => problem !== undefined)
  if (sizeProblem !== undefined) problems.push(`config.chunkSizes: ${sizeProblem}`)
  if (new Set(config.modes).size !== config.modes.length) problems.push('config.modes lists a mode twice')
  if (file.items * itemBytes[file.dtype] !== file.bytes)
    problems.push(`file.items (${file.items}) × ${itemBytes[file.dtype]} bytes is not file.bytes (${file.bytes})`)
  if ((file.textPath === null) !== (file.textBytes === null))
    problems.push('file.textPath and file.textBytes must both be set or both be null')
  if (config.modes.includes('text') && file.textBytes === null)
    problems.push('text was measured but the record names no text file')
  const expected = plannedRunCount(config)
  if (run.plannedRuns !== expected)
    problems.push(`plannedRuns is ${run.plannedRuns}, but the configuration plans ${expected}`)
  if (run.measurements.length > run.plannedRuns)
    problems.push(`${run.measurements.length} measurements for ${run.plannedRuns} planned runs`)
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
      if (m.chunkItems === null || !sizes.includes(m.chunkItems))
        problems.push(`${at}.chunkItems ${String(m.chunkItems)} is not in config.chunkSizes`)
    }
    const fileBytes = m.mode === 'text' ? file.textBytes : file.bytes
    if (m.fileBytes !== fileBytes)
      problems.push(`${at}.fileBytes ${m.fileBytes} is not the size of the file it read (${String(fileBytes)})`)
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

/**
 * A record of an older format brought up to SWEEP_FORMAT, so it goes through today's schema;
 * anything else is returned as it is, for the schema to judge. Version 1 → 2: the text mode was
 * called `textLazy`.
 */
export function migrateSweepRecord(data: object): object {
  if ((data as { format?: unknown }).format !== 'yield-lab-sweep/1') return data
  const old = data as { config?: { modes?: unknown }; measurements?: unknown }
  const renamed = (mode: unknown): unknown => (mode === 'textLazy' ? 'text' : mode)
  const config = old.config !== null && typeof old.config === 'object' ? old.config : undefined
  return {
    ...old,
    format: SWEEP_FORMAT,
    ...(config !== undefined && {
      config: { ...config, ...(Array.isArray(config.modes) && { modes: config.modes.map(renamed) }) }
    }),
    ...(Array.isArray(old.measurements) && {
      measurements: old.measurements.map((m: unknown) =>
        m !== null && typeof m === 'object' ? { ...m, mode: renamed((m as { mode?: unknown }).mode) } : m
      )
    })
  }
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

/**
 * Stats of a sweep's progress reports. `completed` and `total` count the current stage's work:
 * bytes read into the page cache (unit 'bytes'), warm-up runs, then measured runs (unit 'items').
 */
export interface SweepStats {
  stage: SweepStage
  /** Runs measured of those planned. */
  runs: number
  planned: number
  /** Since the sweep started. */
  elapsedMs: number
  /** Time left for the whole sweep, once the warm-up has calibrated it (sweepEstimate.ts). */
  etaMs: number | null
  /** Time left in the current stage, when it can be told. */
  stageEtaMs: number | null
}

/** The record of a sweep from its plan and the runs measured so far (the job's return value, or a cancelled sweep's partial record). */
export function assembleSweepRun(
  plan: SweepPlan,
  measurements: readonly SweepMeasurement[],
  status: 'complete' | 'cancelled',
  finishedAt: string
): SweepRunDraft {
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
