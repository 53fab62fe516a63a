/**
 * The kinds of remote generator main can run, each with the schema of its arguments (checked in
 * main before a worker starts) and the types of what it yields and returns. Later capabilities
 * (walker, readers, sweeps) add their kind here and its generator in src/main/lab/jobs/jobRegistry.ts.
 */
import * as v from 'valibot'
import type { DataItem } from './dataFiles'
import type { JobProgress } from './jobs'
import {
  ncduCheckArgsSchema,
  ncduImportArgsSchema,
  walkArgsSchema,
  type NcduImportSummary,
  type WalkItem,
  type WalkStats,
  type WalkSummary
} from './walkJob'
import {
  processArgsSchema,
  readArgsSchema,
  sampleDataArgsSchema,
  type ProcessJobResult,
  type ProcessJobStats,
  type ReadJobStats,
  type ReadJobSummary,
  type SampleDataResult,
  type SampleDataStats
} from './readJobs'
import { sweepArgsSchema, type SweepEvent, type SweepRunDraft, type SweepStats } from './sweep'
import { importFileArgsSchema, type ImportFileResult } from './importFile'
import { packWalkItems, unpackWalkItems, type PackedWalkItems } from './walkBatch'

const safeInteger = v.pipe(v.number(), v.safeInteger('must be a whole number'))

export const jobArgsSchemas = {
  /** Python's range(start, stop, step) as a generator living in main: the smallest remote generator. */
  range: v.pipe(
    v.strictObject({
      start: safeInteger,
      stop: safeInteger,
      step: v.optional(safeInteger, 1),
      /** Makes each item take this long, like a slow sensor or network source. */
      delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)), 0)
    }),
    v.check((args) => args.step !== 0, 'step must not be zero')
  ),
  /** The lecture's process(*data_iterables) over readers, pull or push style, in one next(): see src/shared/readJobs.ts. */
  process: processArgsSchema,
  /** Writes a seeded float64 sample file (+ text twin, + JSON sidecar): see src/shared/readJobs.ts. */
  sampleData: sampleDataArgsSchema,
  /** One lazy reader as a remote generator: numbers, or owned typed-array chunks (transferred). */
  read: readArgsSchema,
  /** os.walk(top, topdown, followlinks) with a filename filter pipeline: see src/shared/walkJob.ts. */
  walk: walkArgsSchema,
  /** A scan saved as ncdu's JSON export, yielded as walk items: see src/shared/walkJob.ts. */
  ncduImport: ncduImportArgsSchema,
  /** Checks that bytes are a well-formed ncdu export, off main's thread: see src/shared/walkJob.ts. */
  ncduCheck: ncduCheckArgsSchema,
  /** Throughput against chunk size: yields the plan, then each run as it is measured; see src/shared/sweep.ts. */
  sweep: sweepArgsSchema,
  /** A sweep or trace to import, read whole as text where the readers read: see src/shared/importFile.ts. */
  importFile: importFileArgsSchema
}

export type JobKind = keyof typeof jobArgsSchemas
export const jobKinds = Object.keys(jobArgsSchemas) as JobKind[]
export type JobArgs<K extends JobKind> = v.InferInput<(typeof jobArgsSchemas)[K]>
export type ParsedJobArgs<K extends JobKind> = v.InferOutput<(typeof jobArgsSchemas)[K]>

/** What each kind yields (item), returns (value) once exhausted, and counts in its progress reports (stats). */
export interface JobTypes {
  range: { item: number; value: { count: number }; stats: { last: number } }
  process: { item: never; value: ProcessJobResult; stats: ProcessJobStats }
  sampleData: { item: never; value: SampleDataResult; stats: SampleDataStats }
  read: { item: DataItem; value: ReadJobSummary; stats: ReadJobStats }
  walk: { item: WalkItem; value: WalkSummary; stats: WalkStats }
  ncduImport: { item: WalkItem; value: NcduImportSummary; stats: WalkStats }
  ncduCheck: { item: never; value: undefined; stats: Record<string, never> }
  sweep: { item: SweepEvent; value: SweepRunDraft; stats: SweepStats }
  importFile: { item: never; value: ImportFileResult; stats: Record<string, never> }
}
export type JobItem<K extends JobKind> = JobTypes[K]['item']
export type JobValue<K extends JobKind> = JobTypes[K]['value']
export type JobStats<K extends JobKind> = JobTypes[K]['stats']

/** A progress report as it reaches the renderer: tagged with its job's kind, which types its stats. */
export type JobProgressReport = { [K in JobKind]: JobProgress<JobStats<K>> & { kind: K } }[JobKind]

/** How a kind's items travel packed: many small items as a few strings and transferred buffers. */
interface JobItemsCodec<Item, Packed> {
  pack(items: readonly Item[]): { packed: Packed; transfer: ArrayBuffer[] }
  /** The items, each unpacked as it is pulled. */
  unpack(packed: Packed): Iterable<Item>
}

const walkItemsCodec: JobItemsCodec<WalkItem, PackedWalkItems> = { pack: packWalkItems, unpack: unpackWalkItems }

/**
 * The kinds whose batches cross from the worker to the renderer packed (JobBatch.packed), and
 * how: the walk's 140,000 names of /usr as objects cost more to copy than to walk.
 */
export const jobItemsCodecs: Partial<Record<JobKind, JobItemsCodec<unknown, unknown>>> = {
  walk: walkItemsCodec as JobItemsCodec<unknown, unknown>,
  ncduImport: walkItemsCodec as JobItemsCodec<unknown, unknown>
}

/**
 * A batch's items, unpacked when they travel packed: one item at a time as they are pulled, so a
 * large batch can be unpacked in slices; a batch that is not packed gives its own array.
 */
export function batchItems<K extends JobKind>(
  kind: K,
  batch: { items: unknown[]; packed?: unknown }
): Iterable<JobItem<K>> {
  const codec = jobItemsCodecs[kind]
  return (batch.packed === undefined || codec === undefined ? batch.items : codec.unpack(batch.packed)) as Iterable<
    JobItem<K>
  >
}
