/**
 * Files of numbers as every side sees them: the item types of binary data files (numpy dtypes in
 * the layout `ndarray.tofile` writes: little-endian, no header), their sizes, the largest read a
 * reader accepts, the lecture's 10–100 kB sweet spot, and the schemas of a dtype and a chunk size.
 * The readers (main), the Read tab's and the sweep's job arguments and the renderer all use these:
 * one list of dtypes, one limit.
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
/** Largest chunk in items of any dtype: 1 GiB of 4-byte items, 2^28. */
export const MAX_CHUNK_ITEMS = MAX_CHUNK_BYTES / 4

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

export const dtypeSchema = v.picklist(dtypes, `must be one of ${dtypes.join(', ')}`)

/** Items per read: a whole number from 1 up to 1 GiB of 4-byte items (the readers check the limit per dtype). */
export const chunkItemsSchema = v.pipe(
  v.number('must be a number of items'),
  v.safeInteger('must be a whole number of items'),
  v.minValue(1, 'must be at least 1 item'),
  v.maxValue(MAX_CHUNK_ITEMS, `must be at most ${MAX_CHUNK_ITEMS} items (1 GiB of 4-byte items)`)
)
