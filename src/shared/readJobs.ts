/**
 * The job kinds behind the Read tab: `process` (the lecture's process(*data_iterables) over
 * readers, pull or push style), `sampleData` (the seeded sample-file generator) and `read` (one
 * reader as a remote generator that hands items across the boundary). Their argument schemas,
 * what they yield and return, and the few facts about dtypes the renderer needs (item sizes,
 * chunk limits). The readers' own LabErrors make the deeper checks (chunk bytes per dtype, file
 * layout, file names).
 */
import * as v from 'valibot'

/** The item types of binary data files (numpy dtypes, little-endian, no header). */
export const readDtypes = ['float64', 'float32', 'int32', 'int64'] as const
export type ReadDtype = (typeof readDtypes)[number]
export const readItemBytes: Readonly<Record<ReadDtype, number>> = { float64: 8, float32: 4, int32: 4, int64: 8 }

/**
 * How a file is read: eager = np.fromfile (all at once); lazyItem = the lecture's
 * read_binary_lazy(fname, chunk_size), one number at a time; lazyChunk = whole chunks (arrays);
 * text = one number per line (np.savetxt format), read lazily.
 */
export const readModes = ['eager', 'lazyItem', 'lazyChunk', 'text'] as const
export type ReadMode = (typeof readModes)[number]
export type LazyReadMode = Exclude<ReadMode, 'eager'>

/** The largest read a reader accepts is 1 GiB; in items that is at most 2^28 (for 4-byte items). */
export const MAX_READ_CHUNK_BYTES = 1024 * 1024 * 1024
export const MAX_READ_CHUNK_ITEMS = MAX_READ_CHUNK_BYTES / 4
/** Largest chunk size in items for one dtype. */
export function maxChunkItemsOf(dtype: ReadDtype): number {
  return MAX_READ_CHUNK_BYTES / readItemBytes[dtype]
}
export const DEFAULT_CHUNK_ITEMS = 8192
export const MAX_READ_PATH_LENGTH = 32_767
export const MAX_PROCESS_INPUTS = 16
export const DEFAULT_PROGRESS_EVERY = 10_000
/** Sample files: one float64 item up to 64 GiB. */
export const MAX_SAMPLE_BYTES = 64 * 1024 * 1024 * 1024
export const MAX_SAMPLE_NAME_LENGTH = 120

const noNul = v.check((text: string) => !text.includes('\0'), 'must not contain a NUL character')

const pathSchema = v.pipe(
  v.string('must be a path'),
  v.minLength(1, 'no file was given'),
  v.maxLength(MAX_READ_PATH_LENGTH, `must be at most ${MAX_READ_PATH_LENGTH} characters`),
  noNul
)

const chunkSizeSchema = v.pipe(
  v.number('must be a number of items'),
  v.safeInteger('must be a whole number of items'),
  v.minValue(1, 'must be at least 1 item'),
  v.maxValue(MAX_READ_CHUNK_ITEMS, `must be at most ${MAX_READ_CHUNK_ITEMS} items (1 GiB of 4-byte items)`)
)

const dtypeSchema = v.optional(v.picklist(readDtypes, `must be one of ${readDtypes.join(', ')}`), 'float64')

export const processInputSchema = v.strictObject({
  path: pathSchema,
  mode: v.picklist(readModes, `must be one of ${readModes.join(', ')}`),
  /** Items per read (eager ignores it; text reads chunkSize × item bytes per read). */
  chunkSize: v.optional(chunkSizeSchema, DEFAULT_CHUNK_ITEMS),
  dtype: dtypeSchema
})

export const processArgsSchema = v.strictObject({
  /** Chained one after the other, like the lecture's process(*data_iterables). */
  inputs: v.pipe(
    v.array(processInputSchema),
    v.minLength(1, 'must list at least one input'),
    v.maxLength(MAX_PROCESS_INPUTS, `must list at most ${MAX_PROCESS_INPUTS} inputs`)
  ),
  progressEvery: v.optional(
    v.pipe(v.number(), v.safeInteger('must be a whole number of items'), v.minValue(1, 'must be at least 1'), v.maxValue(1e12, 'must be at most 10^12')),
    DEFAULT_PROGRESS_EVERY
  ),
  /** pull: process(*iterables) loops over the readers; push: the readers' items are sent into a summing coroutine. */
  style: v.optional(v.picklist(['pull', 'push'], 'must be pull or push'), 'pull'),
  /** Eager mode refuses files larger than this (default: the readers' default, half the RAM). */
  eagerMaxBytes: v.optional(v.pipe(v.number(), v.safeInteger('must be a whole number of bytes'), v.minValue(0, 'must not be negative')))
})

export const sampleDataArgsSchema = v.strictObject({
  /** The folder to write into (the renderer passes app.info().dataDirectory unless the user chose another). */
  directory: pathSchema,
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
  seed: v.optional(v.pipe(v.number(), v.safeInteger('must be a whole number'), v.minValue(0, 'must not be negative')), 0),
  withText: v.optional(v.boolean(), false),
  overwrite: v.optional(v.boolean(), false)
})

export const readArgsSchema = v.strictObject({
  path: pathSchema,
  mode: v.picklist(['lazyItem', 'lazyChunk', 'text'], 'must be lazyItem, lazyChunk or text'),
  chunkSize: v.optional(chunkSizeSchema, DEFAULT_CHUNK_ITEMS),
  dtype: dtypeSchema
})

export type ProcessInput = v.InferInput<typeof processInputSchema>
export type ProcessArgs = v.InferInput<typeof processArgsSchema>
export type ParsedProcessArgs = v.InferOutput<typeof processArgsSchema>
export type SampleDataArgs = v.InferInput<typeof sampleDataArgsSchema>
export type ParsedSampleDataArgs = v.InferOutput<typeof sampleDataArgsSchema>
export type ReadArgs = v.InferInput<typeof readArgsSchema>
export type ParsedReadArgs = v.InferOutput<typeof readArgsSchema>

/** What one input of a process job did. */
export interface ProcessInputInfo {
  path: string
  mode: ReadMode
  chunkSize: number
  dtype: ReadDtype
  /** Size from fstat once opened (null if it never opened). */
  fileBytes: number | null
  bytesRead: number
}

/** process()'s result (see src/main/lab/process.ts) plus what the job adds. */
export interface ProcessJobResult {
  sum: number
  count: number
  elapsedMs: number
  bytes: number
  mbPerSecond: number
  itemsPerSecond: number
  /** Largest resident set size of the process running the worker, seen during the run. */
  peakRssBytes: number
  /** RSS when the run started, so peak − start is what the run itself cost. */
  startRssBytes: number
  style: 'pull' | 'push'
  inputs: ProcessInputInfo[]
}

/** What the sample-data generator wrote (src/main/lab/sampleData.ts's SampleDataResult). */
export interface SampleDataJobResult {
  format: 'yield-lab-sample/1'
  dtype: 'float64'
  byteOrder: 'little'
  count: number
  sum: number
  seed: number
  bytes: number
  distribution: 'uniform [0, 1)'
  generator: 'xoshiro128**'
  text: string | null
  textBytes: number | null
  binaryPath: string
  textPath: string | null
  metaPath: string
}

/** What a `read` job yields: numbers (lazyItem, text) or owned typed-array chunks (lazyChunk). */
export type ReadItem = number | Float64Array | Float32Array | Int32Array | BigInt64Array

/** What a `read` job returns once the file is exhausted. */
export interface ReadJobSummary {
  /** Numbers read (a chunk counts its length). */
  count: number
  /** Chunks (lazyChunk) or numbers (lazyItem, text) yielded. */
  yielded: number
  bytes: number
}

/**
 * Stats of a process job's progress reports (unit 'bytes', total = the inputs' file sizes):
 * items, bytes, mbPerSecond, itemsPerSecond, rssBytes, peakRssBytes, elapsedMs.
 */
export type ProcessProgressStat = 'items' | 'bytes' | 'mbPerSecond' | 'itemsPerSecond' | 'rssBytes' | 'peakRssBytes' | 'elapsedMs'
