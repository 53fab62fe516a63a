/**
 * Files of numbers as every side sees them: the item types of binary data files (numpy dtypes in
 * the layout `ndarray.tofile` writes: little-endian, no header), their sizes, the largest read a
 * reader accepts, the lecture's 10–100 kB sweet spot, and the schemas of a dtype and a chunk size.
 * The readers (main), the Read tab's and the sweep's job arguments, the sweep CLI and the renderer
 * all use these: one list of dtypes, one chunk-size rule with one message.
 */
import * as v from 'valibot'

export const dtypes = ['float64', 'float32', 'int32', 'int64'] as const
export type Dtype = (typeof dtypes)[number]

/** Bytes per item of each dtype. */
export const itemBytes: Readonly<Record<Dtype, number>> = { float64: 8, float32: 4, int32: 4, int64: 8 }

/** A typed array of items from one of the dtypes ('int64' chunks are BigInt64Arrays). */
export type NumericChunk = Float64Array | Float32Array | Int32Array | BigInt64Array

/** What readers yield and process() sums: one number, or a chunk of numbers. */
export type DataItem = number | NumericChunk

/** Largest chunk a reader accepts: 1 GiB of items (128 Mi float64 items). */
export const MAX_CHUNK_BYTES = 1024 * 1024 * 1024
/** Largest chunk size in items for a dtype. */
export function maxChunkItems(dtype: Dtype): number {
  return MAX_CHUNK_BYTES / itemBytes[dtype]
}

/** The lecture: "You should read at least 10–100 kilobyte at a time." (kB = 1000 bytes.) */
export const SWEET_SPOT_BYTES = { from: 10_000, to: 100_000 } as const

/** Whether reads of this many bytes are in the lecture's 10–100 kB band. */
export function inSweetSpot(bytes: number): boolean {
  return bytes >= SWEET_SPOT_BYTES.from && bytes <= SWEET_SPOT_BYTES.to
}

export function isDtype(value: unknown): value is Dtype {
  return typeof value === 'string' && (dtypes as readonly string[]).includes(value)
}

/** The dtype rule's words, for the schema and for the readers' own check. */
export const DTYPE_RULE = `must be one of ${dtypes.join(', ')}`

export const dtypeSchema = v.picklist(dtypes, DTYPE_RULE)

/**
 * The chunk-size rule, stated once: a chunk is a whole number of items from 1 up to 1 GiB of its
 * dtype. Returns what is wrong, in the words every entry point shows (form, job arguments, readers,
 * sweep, CLI), or undefined when the size is fine.
 */
export function chunkSizeProblem(chunkSize: unknown, dtype: Dtype): string | undefined {
  const max = maxChunkItems(dtype)
  if (typeof chunkSize === 'number' && Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= max)
    return undefined
  const got = typeof chunkSize === 'string' ? JSON.stringify(chunkSize) : String(chunkSize)
  return `Chunk size must be a whole number of items from 1 to ${max} (1 GiB of ${dtype}), got ${got}`
}

/** Items per read in job arguments: a number, checked against the arguments' dtype by chunkSizeFits(). */
export const chunkItemsSchema = v.number('must be a number of items')

/** The chunk-size rule in an arguments schema: `input.chunkSize` against `input.dtype`, reported at chunkSize. */
export function chunkSizeFits<T extends { chunkSize: number; dtype: Dtype }>() {
  return v.forward<T, v.CheckIssue<T>, ['chunkSize']>(
    v.check(
      (input: T) => chunkSizeProblem(input.chunkSize, input.dtype) === undefined,
      (issue) => chunkSizeProblem(issue.input.chunkSize, issue.input.dtype) ?? ''
    ),
    // valibot cannot check a path against a type parameter; T has chunkSize by its bound.
    ['chunkSize'] as never
  )
}
