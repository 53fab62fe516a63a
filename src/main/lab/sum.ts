/**
 * Summing numeric chunks fast.
 *
 * float64 sums use eight interleaved accumulators (lanes k = 0…7 sum items k, k+8, k+16, …),
 * combined as ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)), then the tail items left to right. That breaks
 * the add-latency chain of a plain left-to-right loop (numpy's pairwise sum also differs from
 * left-to-right in the last bits). The same order is used by a tiny hand-assembled WebAssembly
 * SIMD routine, which sums chunks that live in a buffer from `allocateSummableBuffer` (the
 * reusable chunk buffer of `readBinaryChunks(..., { reuseBuffer: true })`) about 4x faster.
 * Both paths give bit-identical results, so where a chunk lives never changes a sum.
 */
import type { NumericChunk } from '../../shared/dataFiles'

const TWO_POW_32 = 4294967296
const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0

type WasmSum = (byteOffset: number, count: number) => number

/** The bits of the WebAssembly JS API used here (this project's TS libs do not declare the global's values). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer }
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>
  ) => { readonly exports: Record<string, unknown> }
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly

/** Buffers backed by a WebAssembly memory, with the SIMD sum instantiated on that memory. */
const wasmSums = new WeakMap<ArrayBufferLike, WasmSum>()

/* prettier-ignore */
const SUM_F64_BODY = [
  // end = p + (n & ~7) * 8
  0x20, 0, 0x20, 1, 0x41, 0x78, 0x71, 0x41, 3, 0x74, 0x6a, 0x21, 2,
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0, 0x20, 2, 0x4f, 0x0d, 1, // if p >= end: break
  0x20, 3, 0x20, 0, 0xfd, 0x00, 3, 0x00, 0xfd, 0xf0, 1, 0x21, 3, // v0 += f64x2 at p
  0x20, 4, 0x20, 0, 0xfd, 0x00, 3, 0x10, 0xfd, 0xf0, 1, 0x21, 4, // v1 += f64x2 at p+16
  0x20, 5, 0x20, 0, 0xfd, 0x00, 3, 0x20, 0xfd, 0xf0, 1, 0x21, 5, // v2 += f64x2 at p+32
  0x20, 6, 0x20, 0, 0xfd, 0x00, 3, 0x30, 0xfd, 0xf0, 1, 0x21, 6, // v3 += f64x2 at p+48
  0x20, 0, 0x41, 0xc0, 0x00, 0x6a, 0x21, 0, // p += 64
  0x0c, 0, 0x0b, 0x0b, // continue; end loop, end block
  // s = ((a0+a1)+(a2+a3)) + ((a4+a5)+(a6+a7))
  0x20, 3, 0xfd, 0x21, 0, 0x20, 3, 0xfd, 0x21, 1, 0xa0,
  0x20, 4, 0xfd, 0x21, 0, 0x20, 4, 0xfd, 0x21, 1, 0xa0, 0xa0,
  0x20, 5, 0xfd, 0x21, 0, 0x20, 5, 0xfd, 0x21, 1, 0xa0,
  0x20, 6, 0xfd, 0x21, 0, 0x20, 6, 0xfd, 0x21, 1, 0xa0, 0xa0, 0xa0,
  0x21, 7,
  // end = end + (n & 7) * 8; then the tail one item at a time
  0x20, 2, 0x20, 1, 0x41, 7, 0x71, 0x41, 3, 0x74, 0x6a, 0x21, 2,
  0x02, 0x40, 0x03, 0x40,
  0x20, 0, 0x20, 2, 0x4f, 0x0d, 1,
  0x20, 7, 0x20, 0, 0x2b, 3, 0, 0xa0, 0x21, 7, // s += f64 at p
  0x20, 0, 0x41, 8, 0x6a, 0x21, 0, // p += 8
  0x0c, 0, 0x0b, 0x0b,
  0x20, 7, 0x0b // return s
]

function leb128(value: number): number[] {
  const out: number[] = []
  do {
    let byte = value & 0x7f
    value >>>= 7
    if (value !== 0) byte |= 0x80
    out.push(byte)
  } while (value !== 0)
  return out
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content]
}

/** (module (import "e" "m" (memory 0)) (func (export "s") (param i32 i32) (result f64) …)) */
function buildModule(): object | undefined {
  if (wasm === undefined) return undefined
  // locals: 1 i32 (end), 4 v128 (accumulators), 1 f64 (s)
  const code = [3, 1, 0x7f, 4, 0x7b, 1, 0x7c, ...SUM_F64_BODY]
  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7c]),
    ...section(2, [1, 1, 0x65, 1, 0x6d, 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, 1, 0x73, 0x00, 0]),
    ...section(10, [1, ...leb128(code.length), ...code])
  ])
  try {
    return new wasm.Module(bytes)
  } catch {
    return undefined // no WebAssembly SIMD here: the JS loop is used
  }
}

let module: object | undefined | null = null

/**
 * A buffer of at least `bytes` bytes whose float64 chunks sum with SIMD (a WebAssembly memory;
 * its byteLength is rounded up to 64 KiB). Not transferable: meant for a reused chunk buffer. Falls
 * back to a plain ArrayBuffer when WebAssembly is unavailable or address space runs short.
 */
export function allocateSummableBuffer(bytes: number): ArrayBuffer {
  if (module === null) module = buildModule()
  const pages = Math.max(1, Math.ceil(bytes / 65536))
  if (wasm !== undefined && module !== undefined && pages <= 65536) {
    try {
      const memory = new wasm.Memory({ initial: pages })
      const instance = new wasm.Instance(module, { e: { m: memory } })
      wasmSums.set(memory.buffer, instance.exports.s as WasmSum)
      return memory.buffer
    } catch {
      // Fall through to a plain buffer.
    }
  }
  return new ArrayBuffer(bytes)
}

/** Whether `buffer` is WebAssembly memory from `allocateSummableBuffer` (it cannot be transferred, only copied). */
export function isSummableBuffer(buffer: ArrayBufferLike): boolean {
  return wasmSums.has(buffer)
}

/** Eight-lane float64 sum; see the file comment for the order. */
export function sumFloat64(x: Float64Array): number {
  const simd = wasmSums.get(x.buffer)
  if (simd !== undefined) return simd(x.byteOffset, x.length)
  let a0 = 0
  let a1 = 0
  let a2 = 0
  let a3 = 0
  let a4 = 0
  let a5 = 0
  let a6 = 0
  let a7 = 0
  const n = x.length
  let i = 0
  for (; i + 7 < n; i += 8) {
    a0 += x[i]!
    a1 += x[i + 1]!
    a2 += x[i + 2]!
    a3 += x[i + 3]!
    a4 += x[i + 4]!
    a5 += x[i + 5]!
    a6 += x[i + 6]!
    a7 += x[i + 7]!
  }
  let sum = a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7))
  for (; i < n; i++) sum += x[i]!
  return sum
}

/** int64 items added as doubles (exact while |item| and partial sums stay within 2^53). */
function sumInt64(x: BigInt64Array): number {
  // Two int32 words per item avoid creating a BigInt per item.
  const words = new Int32Array(x.buffer, x.byteOffset, x.length * 2)
  const lo = bigEndianHost ? 1 : 0
  const hi = 1 - lo
  let sum = 0
  for (let i = 0; i < words.length; i += 2) sum += words[i + hi]! * TWO_POW_32 + (words[i + lo]! >>> 0)
  return sum
}

/** Sum of any numeric chunk: float64 fast (above), int64 as doubles, float32/int32 left to right. */
export function sumChunk(chunk: NumericChunk): number {
  if (chunk instanceof Float64Array) return sumFloat64(chunk)
  if (chunk instanceof BigInt64Array) return sumInt64(chunk)
  let sum = 0
  for (let i = 0; i < chunk.length; i++) sum += chunk[i]!
  return sum
}
