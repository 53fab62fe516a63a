/**
 * The job kinds behind the Read tab: `process` (the lecture's process(*data_iterables) over
 * readers, pull or push style), `sampleData` (the seeded sample-file generator) and `read` (one
 * reader as a remote generator that hands items across the boundary). Their argument schemas and
 * what they yield and return (dtypes and chunk limits are in dataFiles.ts). The readers' own
 * LabErrors make the deeper checks (chunk bytes per dtype, file layout, file names).
 */
import * as v from 'valibot'
import { chunkItemsSchema, chunkSizeFits, dtypeSchema, type Dtype } from './dataFiles'
import { filePathSchema } from './paths'

/**
 * How a file is read: eager = np.fromfile (all at once); lazyItem = the lecture's
 * read_binary_lazy(fname, chunk_size), one number at a time; lazyChunk = whole chunks (arrays);
 * text = one number per line (np.savetxt format), read lazily.
 */
export const readModes = ['eager', 'lazyItem', 'lazyChunk', 'text'] as const
export type ReadMode = (typeof readModes)[number]
export const lazyReadModes = ['lazyItem', 'lazyChunk', 'text'] as const satisfies readonly ReadMode[]
export type LazyReadMode = (typeof lazyReadModes)[number]

export const DEFAULT_CHUNK_ITEMS = 8192
const MAX_PROCESS_INPUTS = 16
/** process() reports progress every this many items (the lecture's 10000). */
export const DEFAULT_PROGRESS_EVERY = 10_000
export const MAX_PROGRESS_EVERY = 1e12
/** Sample files: one float64 item up to 64 GiB. */
export const MAX_SAMPLE_BYTES = 64 * 1024 * 1024 * 1024
/** A sample file's text twin: one savetxt line per value in [0, 1), "d.dddddddddddddddddde-XX\n". */
export const SAMPLE_TEXT_LINE_BYTES = 25
export const MAX_SAMPLE_NAME_LENGTH = 120
const SAMPLE_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/

/** A sample file stem: letters, digits, '.', '_' and '-' only, up to 120 characters, not starting with '.', no '..'. */
export function isSampleName(name: string): boolean {
  return name.length <= MAX_SAMPLE_NAME_LENGTH && SAMPLE_NAME_PATTERN.test(name) && !name.includes('..')
}

const optionalDtype = v.optional(dtypeSchema, 'float64')

const processInputSchema = v.pipe(
  v.strictObject({
    path: filePathSchema,
    mode: v.picklist(readModes, `must be one of ${readModes.join(', ')}`),
    /** Items per read (eager ignores it; text reads chunkSize × item bytes per read). */
    chunkSize: v.optional(chunkItemsSchema, DEFAULT_CHUNK_ITEMS),
    dtype: optionalDtype
  }),
  chunkSizeFits()
)

export const processArgsSchema = v.strictObject({
  /** Chained one after the other, like the lecture's process(*data_iterables). */
  inputs: v.pipe(
    v.array(processInputSchema),
    v.minLength(1, 'must list at least one input'),
    v.maxLength(MAX_PROCESS_INPUTS, `must list at most ${MAX_PROCESS_INPUTS} inputs`)
  ),
  progressEvery: v.optional(
    v.pipe(
      v.number(),
      v.safeInteger('must be a whole number of items'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(MAX_PROGRESS_EVERY, 'must be at most 10^12')
    ),
    DEFAULT_PROGRESS_EVERY
  ),
  /** pull: process(*iterables) loops over the readers; push: the readers' items are sent into a summing coroutine. */
  style: v.optional(v.picklist(['pull', 'push'], 'must be pull or push'), 'pull'),
  /** Eager mode refuses files larger than this (default: the readers' default, half the RAM). */
  eagerMaxBytes: v.optional(
    v.pipe(v.number(), v.safeInteger('must be a whole number of bytes'), v.minValue(0, 'must not be negative'))
  )
})

/** What a sample file's seed may be, as every check of it says (a JS number is exact up to 2^53 − 1). */
export const SEED_RULE = 'a whole number from 0 to 9,007,199,254,740,991 (2^53 − 1)'

export const sampleDataArgsSchema = v.strictObject({
  /** The folder to write into (the renderer passes app.info().dataDirectory unless the user chose another). */
  directory: filePathSchema,
  /** File stem: <name>.bin, <name>.txt, <name>.json (checked in full by the generator). */
  name: v.pipe(
    v.string('must be a file name'),
    v.minLength(1, 'a file name is required'),
    v.maxLength(MAX_SAMPLE_NAME_LENGTH, `must be at most ${MAX_SAMPLE_NAME_LENGTH} characters`)
  ),
  bytes: v.pipe(
    v.number('must be a number of bytes'),
    v.safeInteger('must be a whole number of bytes'),
    v.minValue(8, 'must be at least 8 bytes (one float64)'),
    v.maxValue(MAX_SAMPLE_BYTES, `must be at most ${MAX_SAMPLE_BYTES} bytes (64 GiB)`),
    v.check((bytes) => bytes % 8 === 0, 'must be a multiple of 8 (whole float64 items)')
  ),
  seed: v.optional(v.pipe(v.number(), v.safeInteger(`must be ${SEED_RULE}`), v.minValue(0, `must be ${SEED_RULE}`)), 0),
  withText: v.optional(v.boolean(), false),
  overwrite: v.optional(v.boolean(), false)
})

export const readArgsSchema = v.pipe(
  v.strictObject({
    path: filePathSchema,
    mode: v.picklist(lazyReadModes, `must be ${lazyReadModes.slice(0, -1).join(', ')} or ${lazyReadModes.at(-1)}`),
    chunkSize: v.optional(chunkItemsSchema, DEFAULT_CHUNK_ITEMS),
    dtype: optionalDtype
  }),
  chunkSizeFits()
)

export type ProcessArgs = v.InferInput<typeof processArgsSchema>
export type ParsedProcessArgs = v.InferOutput<typeof processArgsSchema>
export type SampleDataArgs = v.InferInput<typeof sampleDataArgsSchema>
export type ParsedSampleDataArgs = v.InferOutput<typeof sampleDataArgsSchema>
export type ParsedReadArgs = v.InferOutput<typeof readArgsSchema>

/** What one input of a process job did. */
export interface ProcessInputInfo {
  path: string
  mode: ReadMode
  chunkSize: number
  dtype: Dtype
  /** Size from fstat once opened (null if it never opened). */
  fileBytes: number | null
  bytesRead: number
}

/** What process() and pushInto() return (src/main/lab/read/process.ts). */
export interface ProcessResult {
  sum: number
  count: number
  elapsedMs: number
  /** Bytes read from files by inputs that report it (the readers in readers.ts); 0 when unknown. */
  bytes: number
  /** bytes / 1e6 per second (0 when bytes are unknown). */
  mbPerSecond: number
  itemsPerSecond: number
  /**
   * Largest resident set size seen while running (sampled at most every 10 ms, and at start and
   * end); in a process job, of the process running the worker, seen during the run.
   */
  peakRssBytes: number
}

/**
 * Where an eager read's time went, summed over the run's eager inputs: the lecture's
 * `np.fromfile(f)` is an allocation of the whole file's size, a read into it, then process()'s sum.
 */
export interface EagerPhases {
  /** Reserving the buffer (address space only: its pages arrive on first touch, during the read). */
  allocateMs: number
  /** Reading the file into the buffer, including a page fault for each fresh page. */
  readMs: number
  /** process() summing the array. */
  sumMs: number
  /** Page faults during the read: one per fresh 4 KiB page of the buffer (fewer with huge pages). */
  readPageFaults: number
}

/**
 * What a run cost the process, from getrusage: process-wide, so other threads' work counts too
 * (the runs are short and the app is otherwise idle, so it is mostly the run's).
 */
export interface RunCosts {
  /** Pages mapped in without disk I/O: fresh memory being touched. */
  minorPageFaults: number
  /** Page faults that waited for the disk. */
  majorPageFaults: number
  /** 512-byte blocks read from disk: 0 when the file came from the page cache (a warm run). */
  blocksRead: number
}

/** process()'s result plus what the process job adds. */
export interface ProcessJobResult extends ProcessResult {
  /** RSS when the run started, so peak − start is what the run itself cost. */
  startRssBytes: number
  style: 'pull' | 'push'
  inputs: ProcessInputInfo[]
  /** The eager inputs' phases (null when no input was read eagerly). */
  eager: EagerPhases | null
  costs: RunCosts
  /** Lines for people about how the files were read, each naming its file (e.g. a text file read in a binary mode). */
  warnings: string[]
}

export const SAMPLE_FORMAT = 'yield-lab-sample/1'

/** The JSON sidecar the sample-data generator writes, `<name>.json`. */
export interface SampleDataMeta {
  format: typeof SAMPLE_FORMAT
  /** File name of the binary data, `<name>.bin`: the sidecar vouches that the app made it (only such files are ever overwritten). */
  binary: string
  dtype: 'float64'
  byteOrder: 'little'
  count: number
  /** Left-to-right float64 sum of the items, computed as they were written. */
  sum: number
  seed: number
  bytes: number
  distribution: 'uniform [0, 1)'
  generator: 'xoshiro128**'
  /** File name of the text twin, or null. */
  text: string | null
  textBytes: number | null
}

/** What the sample-data generator wrote (src/main/lab/read/sampleData.ts), and what the sampleData job returns. */
export interface SampleDataResult extends SampleDataMeta {
  binaryPath: string
  textPath: string | null
  metaPath: string
  /** How long writing took in all, and the part of it spent formatting and writing the text twin. */
  elapsedMs: number
  textMs: number
}

/** Rates a sample-data estimate assumes until a generation on this machine measures them. */
export interface SampleWriteRates {
  /** Binary bytes written per millisecond, text twin aside (random numbers, sum, write, fsync). */
  binaryBytesPerMs: number
  /** Text lines formatted and written per millisecond. */
  textLinesPerMs: number
}

/** Measured on the development machine (2 shared cores): about 200 MB/s binary, 1.5 M text lines/s. */
export const DEFAULT_SAMPLE_WRITE_RATES: SampleWriteRates = { binaryBytesPerMs: 200_000, textLinesPerMs: 1_500 }

/** The text twin of a sample of `bytes`: its exact size (every line of a value in [0, 1) has the same length). */
export function sampleTextBytes(bytes: number): number {
  return (bytes / 8) * SAMPLE_TEXT_LINE_BYTES
}

/** About how long writing a sample takes, in ms, with and without its text twin. */
export function estimateSampleWrite(
  bytes: number,
  rates: SampleWriteRates = DEFAULT_SAMPLE_WRITE_RATES
): { binaryMs: number; textMs: number } {
  return { binaryMs: bytes / rates.binaryBytesPerMs, textMs: bytes / 8 / rates.textLinesPerMs }
}

/** The rates a finished generation shows, merged into `before` (a rate it cannot tell is kept: small files, no twin). */
export function measuredSampleRates(result: SampleDataResult, before: SampleWriteRates): SampleWriteRates {
  const binaryMs = result.elapsedMs - result.textMs
  const rates = { ...before }
  if (result.bytes >= 1024 * 1024 && binaryMs > 0) rates.binaryBytesPerMs = result.bytes / binaryMs
  if (result.textPath !== null && result.count >= 100_000 && result.textMs > 0)
    rates.textLinesPerMs = result.count / result.textMs
  return rates
}

/** What a `read` job returns once the file is exhausted. */
export interface ReadJobSummary {
  /** Numbers read (a chunk counts its length). */
  count: number
  /** Chunks (lazyChunk) or numbers (lazyItem, text) yielded. */
  yielded: number
  bytes: number
}

/** Stats of processData()'s own progress reports (unit 'items'). */
export interface ProcessDataStats {
  items: number
  bytes: number
  rssBytes: number
  elapsedMs: number
}

/** Stats of a process job's progress reports (unit 'bytes', total = the inputs' file sizes). */
export interface ProcessJobStats extends ProcessDataStats {
  mbPerSecond: number
  itemsPerSecond: number
  peakRssBytes: number
  /** Each input's file size, in chain order (0 for one that cannot be stat'ed): progress per file. */
  inputBytes: number[]
}

/** Bytes done of each chained input, from the run's bytes so far and the inputs' sizes (they are read in order). */
export function bytesPerInput(completed: number, inputBytes: readonly number[]): number[] {
  let before = 0
  return inputBytes.map((size) => {
    const done = Math.min(size, Math.max(0, completed - before))
    before += size
    return done
  })
}

/** Stats of an eager read's progress reports (unit 'bytes', total = the file's size). */
export interface EagerReadStats {
  bytes: number
  rssBytes: number
}

/** Stats of the sample-data generator's progress reports (unit 'bytes', total = the binary file's size). */
export interface SampleDataStats {
  bytes: number
  items: number
  textBytes: number
  rssBytes: number
}

/** Stats of a read job's progress reports (unit 'items'). */
export interface ReadJobStats {
  items: number
  bytes: number
}
