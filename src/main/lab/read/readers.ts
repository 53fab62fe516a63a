/**
 * Readers for the lecture's "lazy read of large data" example, as plain Node code (no Electron).
 *
 * Binary files hold numbers in the layout `numpy.ndarray.tofile` writes: raw items, little-endian,
 * no header. Four dtypes are understood: 'float64' (numpy's `float`, the default), 'float32',
 * 'int32' and 'int64'.
 *
 * - `readBinaryEager` is the lecture's `read_binary_eager`: the whole file in one typed array.
 * - `readBinaryLazy` is the lecture's `read_binary_lazy(fname, chunk_size)`: one read per
 *   `chunkSize` items, yielding the items one number at a time (chunk size 1 does one read()
 *   per number, which is what makes the lecture's first version ~100x slower).
 * - `readBinaryChunks` yields whole typed-array chunks: the fast lazy way.
 * - `readTextLazy` reads a text file with one number per line (as `numpy.savetxt` writes).
 *
 * Every generator opens its file on the first `next()` (like `with open(...)` inside the
 * lecture's generator) inside try/finally, so the descriptor is closed when the generator
 * finishes, throws, or is closed early with `.return()`. A generator that is never started never
 * opens anything. Argument errors (bad chunk size, unknown dtype) are thrown at call time.
 *
 * Files are read up to the size fstat reported when they were opened: a file that grows while
 * being read is read as it was; one that shrinks is an error (MALFORMED_DATA), never a silent
 * short result. All errors are LabErrors naming the file.
 *
 * int64 precision: lazy items are yielded as JS numbers, exact for |x| <= 2^53 and correctly
 * rounded beyond; chunks are BigInt64Arrays (exact). Sums (see process.ts) are float64 sums.
 */
import { closeSync, readSync } from 'node:fs'
import { endianness, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { JobControl } from '../progress'
import { uncontrolled } from '../progress'
import {
  chunkSizeProblem,
  DTYPE_RULE,
  isDtype,
  itemBytes,
  MAX_CHUNK_BYTES,
  type DataItem,
  type Dtype,
  type NumericChunk
} from '../../../shared/dataFiles'
import { LabError } from '../../../shared/errors'
import { formatCount } from '../../../shared/format'
import { shownName } from '../../../shared/fsNames'
import type { EagerPhases, EagerReadStats, LazyReadMode } from '../../../shared/readJobs'
import { toLabError } from '../errors'
import { FileHead, TEXT_HEAD_WORDS, textHeadOfFile, type TextHead } from '../dataFileHead'
import { isNumberToken, lineToken, numberOfLine, withoutComment } from '../numberToken'
import { openDataFile, type OpenedFile } from '../openRegularFile'
import { adviseHugePages, canReadInParallel, readParallel } from '../native'
import { allocateSummableBuffer } from '../sum'

/** The typed array each dtype is read into. */
export interface DtypeArrays {
  float64: Float64Array
  float32: Float32Array
  int32: Int32Array
  int64: BigInt64Array
}

/** Eager reads fill their buffer with reads of at most this many bytes (cancel and progress are checked between them). */
export const EAGER_READ_PIECE_BYTES = 64 * 1024 * 1024

const DEFAULT_TEXT_CHUNK_BYTES = 64 * 1024
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024
/** A text read is decoded this much at a time: V8's strings end below 2^29 characters. */
const TEXT_DECODE_SLICE_BYTES = 64 * 1024 * 1024

/** Live counters of a reader, readable while it runs (processData() reports `bytesRead`). */
export interface ReadStats {
  readonly path: string
  /** File size from fstat once the file is open; undefined before. */
  fileBytes: number | undefined
  /** Bytes read from the file so far (a lazy reader runs up to one chunk ahead of what it yielded). */
  bytesRead: number
  /** The first bytes the binary readers read (whether the file looks like text), kept as they read them. */
  readonly head: FileHead
}

/** A reader generator that also exposes its live `readStats`. */
export type DataReader<T> = Generator<T, void, undefined> & { readonly readStats: ReadStats }

const bigEndianHost = endianness() === 'BE'
/** Index of the low / high 32-bit word of an int64 seen as two int32 words. */
const LO = bigEndianHost ? 1 : 0
const HI = bigEndianHost ? 0 : 1
const TWO_POW_32 = 4294967296

function checkDtype(dtype: unknown): Dtype {
  if (!isDtype(dtype)) throw new LabError('INVALID_ARGUMENT', `dtype ${JSON.stringify(dtype)}: ${DTYPE_RULE}`)
  return dtype
}

function checkChunkSize(chunkSize: unknown, dtype: Dtype): number {
  const problem = chunkSizeProblem(chunkSize, dtype)
  if (problem !== undefined) throw new LabError('INVALID_ARGUMENT', problem)
  return chunkSize as number
}

/** What a layout error adds about a file whose head is text, or asks when it is not. */
function textHeadNote(kind: TextHead | undefined): string {
  if (kind === 'numbers') return `; ${TEXT_HEAD_WORDS.numbers}, which the Text mode reads as numbers.`
  if (kind === 'other') return `; ${TEXT_HEAD_WORDS.other}.`
  return '. Is the dtype right?'
}

/** Checks the file holds a whole number of items and returns the item count. */
function checkItemLayout(file: OpenedFile, dtype: Dtype, path: string): number {
  const size = file.size
  const bytes = itemBytes[dtype]
  const trailing = size % bytes
  if (trailing !== 0) {
    throw new LabError(
      'MALFORMED_DATA',
      `${path}: ${formatCount(size)} bytes is not a whole number of ${dtype} items (${bytes} bytes each): ${trailing} trailing byte${trailing === 1 ? '' : 's'}${textHeadNote(textHeadOfFile(file))}`,
      path
    )
  }
  return size / bytes
}

/** Reads exactly `length` bytes at `position` into `target` (from its start), looping over short reads. */
function readFully(file: OpenedFile, target: Uint8Array, length: number, position: number, path: string): void {
  let done = 0
  while (done < length) {
    let n: number
    try {
      n = readSync(file.fd, target, done, length - done, position + done)
    } catch (error) {
      throw toLabError(error, path)
    }
    if (n === 0) throw shrank(file, position + done, path)
    done += n
  }
}

/** readFully for the eager reader's large pieces: several threads at once where the native helper can. */
function readFullyInParallel(
  file: OpenedFile,
  target: Uint8Array,
  length: number,
  position: number,
  path: string
): void {
  if (!canReadInParallel) return readFully(file, target, length, position, path)
  let done: number
  try {
    done = readParallel(file.fd, target, length, position, path)
  } catch (error) {
    throw toLabError(error, path)
  }
  if (done < length) throw shrank(file, position + done, path)
}

function shrank(file: OpenedFile, position: number, path: string): LabError {
  return new LabError(
    'MALFORMED_DATA',
    `${path}: the file shrank while being read: it had ${formatCount(file.size)} bytes when opened but has no data at byte ${formatCount(position)} any more`,
    path
  )
}

/** On a big-endian host, turns little-endian items into native order in place. */
function toNativeOrder(bytes: Uint8Array, length: number, itemSize: number): void {
  if (!bigEndianHost || itemSize === 1) return
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, length)
  if (itemSize === 8) view.swap64()
  else view.swap32()
}

function makeChunk(dtype: Dtype, buffer: ArrayBuffer, length: number): NumericChunk {
  switch (dtype) {
    case 'float64':
      return new Float64Array(buffer, 0, length)
    case 'float32':
      return new Float32Array(buffer, 0, length)
    case 'int32':
      return new Int32Array(buffer, 0, length)
    case 'int64':
      return new BigInt64Array(buffer, 0, length)
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Closing a read-only descriptor cannot lose data; nothing useful to report.
  }
}

/** Optional narration of what a reader does with its file ("opened …", "closed …"), e.g. JobControl.log. */
export type ReaderLog = (line: string) => void

export interface ReaderOptions {
  /** Told when the file is opened and when the generator's finally closes it. */
  log?: ReaderLog
}

function say(log: ReaderLog | undefined, line: string): void {
  if (log === undefined) return
  try {
    log(line)
  } catch {
    // Narration must never replace the reader's own result or error.
  }
}

/** Opens a reader's file, telling `log`. */
function openForReader(path: string, log: ReaderLog | undefined): OpenedFile {
  const file = openDataFile(path)
  say(log, `opened ${shownName(path)} (${file.size} bytes)`)
  return file
}

/** Closes a reader's file (from its finally), telling `log`. */
function closeForReader(file: OpenedFile, path: string, log: ReaderLog | undefined): void {
  closeQuietly(file.fd)
  say(log, `closed ${shownName(path)}`)
}

export function newReadStats(path: string): ReadStats {
  return { path, fileBytes: undefined, bytesRead: 0, head: new FileHead() }
}

function withStats<T>(generator: Generator<T, void, undefined>, readStats: ReadStats): DataReader<T> {
  return Object.assign(generator, { readStats })
}

// ---------------------------------------------------------------------------------------------
// Eager

export interface EagerOptions {
  /** Refuse files larger than this (TOO_LARGE). Default: half the physical memory; never more than all of it. */
  maxBytes?: number
  /** Cancel is checked and progress (unit 'bytes') reported between the large reads. */
  control?: JobControl<EagerReadStats>
  /** Told how long the allocation and the read took, and the page faults of the read (added to what it holds). */
  phases?: Pick<EagerPhases, 'allocateMs' | 'readMs' | 'readPageFaults'>
  /** Given the file's first bytes as read. */
  head?: FileHead
}

export function defaultEagerMaxBytes(): number {
  return Math.floor(totalmem() / 2)
}

/**
 * The lecture's `read_binary_eager`: the whole file in one buffer preallocated from fstat's size
 * and filled with a few large reads (64 MiB each, split over a few threads by the native helper).
 * Returns a typed array of `dtype` (int64 gives a BigInt64Array) over a fresh buffer that is
 * advised to use huge pages, as numpy does for its arrays (faulting in a large buffer 4 KiB at a
 * time costs more than reading the file from the page cache). A float64 file up to 4 GiB lands in
 * WebAssembly memory, where it sums with SIMD; such a buffer is not transferable (postMessage
 * copies it).
 */
export function readBinaryEager<D extends Dtype = 'float64'>(
  path: string,
  dtype: D = 'float64' as D,
  options: EagerOptions = {}
): DtypeArrays[D] {
  checkDtype(dtype)
  const maxBytes = options.maxBytes ?? defaultEagerMaxBytes()
  if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
    throw new LabError('INVALID_ARGUMENT', `maxBytes must be a non-negative number of bytes, got ${String(maxBytes)}`)
  }
  const control: JobControl<EagerReadStats> = options.control ?? uncontrolled
  const file = openDataFile(path)
  try {
    const size = file.size
    const count = checkItemLayout(file, dtype, path)
    // Whatever limit was asked for, a file larger than the machine's memory cannot be held in it.
    const memory = totalmem()
    if (size > maxBytes || size > memory) {
      const bound =
        size > maxBytes
          ? `the eager-read limit of ${maxBytes} bytes.`
          : `this machine's memory (${memory} bytes), whatever the eager-read limit.`
      throw new LabError(
        'TOO_LARGE',
        `${path}: ${size} bytes is more than ${bound} Eager reading loads the whole file into RAM at once; data ` +
          'larger than memory has to be read lazily, a chunk at a time (the lazy readers), which is why lazy reading exists.',
        path
      )
    }
    const allocating = performance.now()
    let buffer: ArrayBuffer
    try {
      buffer = dtype === 'float64' ? allocateSummableBuffer(size) : new ArrayBuffer(size)
    } catch {
      throw new LabError(
        'TOO_LARGE',
        `${path}: cannot allocate ${size} bytes to read it eagerly; read it lazily instead`,
        path
      )
    }
    adviseHugePages(buffer)
    const reading = performance.now()
    const faultsBefore = process.resourceUsage().minorPageFault
    const bytes = new Uint8Array(buffer)
    let position = 0
    while (position < size) {
      if (control.isCancelled()) throw new LabError('CANCELLED', `Reading ${path} was cancelled`, path)
      const length = Math.min(EAGER_READ_PIECE_BYTES, size - position)
      readFullyInParallel(file, bytes.subarray(position), length, position, path)
      options.head?.note(bytes.subarray(position), length, position)
      position += length
      control.report({
        completed: position,
        total: size,
        unit: 'bytes',
        stats: { bytes: position, rssBytes: process.memoryUsage.rss() }
      })
    }
    toNativeOrder(bytes, size, itemBytes[dtype])
    if (options.phases) {
      options.phases.allocateMs += reading - allocating
      options.phases.readMs += performance.now() - reading
      options.phases.readPageFaults += process.resourceUsage().minorPageFault - faultsBefore
    }
    return makeChunk(dtype, buffer, count) as DtypeArrays[D]
  } finally {
    closeQuietly(file.fd)
  }
}

// ---------------------------------------------------------------------------------------------
// Lazy, one item at a time

/**
 * The lecture's `read_binary_lazy(fname, chunk_size)`: reads `chunkSize` items per read() into
 * one reused buffer and yields them one number at a time. `chunkSize` 1 does one read() per
 * number. int64 items are yielded as numbers (exact up to 2^53).
 */
export function readBinaryLazy(
  path: string,
  chunkSize = 1,
  dtype: Dtype = 'float64',
  options: ReaderOptions = {}
): DataReader<number> {
  checkDtype(dtype)
  checkChunkSize(chunkSize, dtype)
  const readStats = newReadStats(path)
  const cursor = new LazyCursor(path, chunkSize, dtype, readStats, options.log)
  return withStats(lazyItems(cursor), readStats)
}

function lazyItems(cursor: LazyCursor): Generator<number, void, undefined> {
  // One generator per dtype: each has a single yield over a monomorphic array (and int64 needs no BigInt).
  switch (cursor.dtype) {
    case 'float64':
      return lazyFloat64(cursor)
    case 'int64':
      return lazyInt64(cursor)
    default:
      return lazyNarrow(cursor)
  }
}

/**
 * The state of a lazy item reader: the file and its reused chunk buffer. The generators take it as
 * their only argument and keep few variables across their yield, because every resume copies the
 * generator's arguments and live variables back (measured: three more arguments cost ~1.5 ns of
 * the ~16 ns an item takes). The file is opened by the generator's first `next()`, as in Python.
 */
class LazyCursor {
  /** Items in the buffer after the last `fill()`. */
  count = 0
  private file: OpenedFile | undefined
  private bytes = new Uint8Array(0)
  private position = 0

  constructor(
    private readonly path: string,
    private readonly chunkSize: number,
    readonly dtype: Dtype,
    private readonly readStats: ReadStats,
    private readonly log: ReaderLog | undefined
  ) {}

  /** Opens the file (closing it again if its layout is wrong) and returns the chunk buffer. */
  open(): ArrayBuffer {
    const file = openForReader(this.path, this.log)
    try {
      this.readStats.fileBytes = file.size
      checkItemLayout(file, this.dtype, this.path)
    } catch (error) {
      closeForReader(file, this.path, this.log)
      throw error
    }
    this.file = file
    this.bytes = new Uint8Array(
      Math.max(itemBytes[this.dtype], Math.min(this.chunkSize * itemBytes[this.dtype], file.size))
    )
    return this.bytes.buffer
  }

  /** Reads the next chunk into the buffer; returns (and keeps in `count`) how many items it holds, 0 at the end. */
  fill(): number {
    const file = this.file!
    const length = Math.min(this.bytes.length, file.size - this.position)
    if (length <= 0) return (this.count = 0)
    readFully(file, this.bytes, length, this.position, this.path)
    this.readStats.head.note(this.bytes, length, this.position)
    toNativeOrder(this.bytes, length, itemBytes[this.dtype])
    this.position += length
    this.readStats.bytesRead = this.position
    return (this.count = length / itemBytes[this.dtype])
  }

  close(): void {
    if (this.file) closeForReader(this.file, this.path, this.log)
    this.file = undefined
  }
}

function* lazyFloat64(cursor: LazyCursor): Generator<number, void, undefined> {
  try {
    const items = new Float64Array(cursor.open())
    while (cursor.fill() > 0) {
      for (let i = 0; i < cursor.count; i++) yield items[i]!
    }
  } finally {
    cursor.close()
  }
}

function* lazyInt64(cursor: LazyCursor): Generator<number, void, undefined> {
  try {
    const words = new Int32Array(cursor.open())
    while (cursor.fill() > 0) {
      // hi * 2^32 is exact and adding the unsigned low word rounds once: the nearest double.
      for (let i = 0; i < cursor.count; i++) yield words[2 * i + HI]! * TWO_POW_32 + (words[2 * i + LO]! >>> 0)
    }
  } finally {
    cursor.close()
  }
}

function* lazyNarrow(cursor: LazyCursor): Generator<number, void, undefined> {
  try {
    const buffer = cursor.open()
    const items = cursor.dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer)
    while (cursor.fill() > 0) {
      for (let i = 0; i < cursor.count; i++) yield items[i]!
    }
  } finally {
    cursor.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Lazy, whole chunks

export interface ChunkOptions extends ReaderOptions {
  /**
   * false (default): every chunk is a typed array over its own exactly-sized ArrayBuffer, safe to
   * keep and to transfer over IPC. Dropped chunks are freed by the GC, which V8 runs after ~64 MiB
   * of new buffers: with big chunks (tens of MiB) a few dropped ones may be resident at once. true: every chunk is a view into one buffer that the next
   * `next()` overwrites (no allocation per chunk, fastest; copy anything you keep, and never
   * transfer these: the buffer is shared and, for float64, a WebAssembly memory).
   */
  reuseBuffer?: boolean
}

/**
 * Lazy reading the fast way: yields typed arrays of `chunkSize` items (the last one may be
 * shorter). int64 chunks are BigInt64Arrays.
 */
export function readBinaryChunks<D extends Dtype = 'float64'>(
  path: string,
  chunkSize: number,
  dtype: D = 'float64' as D,
  options: ChunkOptions = {}
): DataReader<DtypeArrays[D]> {
  checkDtype(dtype)
  checkChunkSize(chunkSize, dtype)
  const readStats = newReadStats(path)
  const chunks = lazyChunks(path, chunkSize, dtype, options.reuseBuffer === true, readStats, options.log)
  return withStats(chunks as Generator<DtypeArrays[D], void, undefined>, readStats)
}

function* lazyChunks(
  path: string,
  chunkSize: number,
  dtype: Dtype,
  reuse: boolean,
  readStats: ReadStats,
  log: ReaderLog | undefined
): Generator<NumericChunk, void, undefined> {
  const file = openForReader(path, log)
  try {
    const size = file.size
    readStats.fileBytes = size
    checkItemLayout(file, dtype, path)
    const itemSize = itemBytes[dtype]
    const chunkBytes = Math.min(chunkSize * itemSize, size)
    // The reused buffer lives in a WebAssembly memory when possible, where sumChunk adds with SIMD.
    const shared =
      reuse && chunkBytes > 0
        ? dtype === 'float64'
          ? allocateSummableBuffer(chunkBytes)
          : new ArrayBuffer(chunkBytes)
        : undefined
    for (let position = 0; position < size;) {
      const length = Math.min(chunkBytes, size - position)
      // allocUnsafeSlow: a standalone ArrayBuffer of exactly `length` bytes, not zero-filled (read() fills it).
      const buffer = shared ?? (Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer)
      const bytes = new Uint8Array(buffer, 0, length)
      readFully(file, bytes, length, position, path)
      readStats.head.note(bytes, length, position)
      toNativeOrder(bytes, length, itemSize)
      position += length
      readStats.bytesRead = position
      yield makeChunk(dtype, buffer, length / itemSize)
    }
  } finally {
    closeForReader(file, path, log)
  }
}

// ---------------------------------------------------------------------------------------------
// Text

export interface TextOptions extends ReaderOptions {
  /** Bytes per read (default 64 KiB). Lines may span chunk boundaries. */
  chunkBytes?: number
  /** A line longer than this is MALFORMED_DATA (default 1 MiB): guards against binary data read as text. */
  maxLineBytes?: number
}

/** Parses one line (without its terminator); undefined for blank and '#' comment lines. */
function parseLine(text: string, start: number, end: number, lineNumber: number, path: string): number | undefined {
  const token = lineToken(text, start, end)
  if (token === undefined) return undefined
  const value = numberOfLine(token)
  if (value !== undefined) return value
  // The text was decoded byte for byte (latin1), which is fast; the line is quoted as the UTF-8 it is.
  const shown = Buffer.from(token, 'latin1').toString('utf8')
  if (lineNumber === 1 && shown.startsWith('\ufeff'))
    throw new LabError(
      'MALFORMED_DATA',
      `${path}: line 1 starts with a byte-order mark (U+FEFF), which np.loadtxt does not take for part of a number either: save the file without it`,
      path
    )
  const columns = withoutComment(shown).split(/\s*,\s*|\s+/)
  if (columns.length > 1 && columns.every(isNumberToken))
    throw new LabError(
      'MALFORMED_DATA',
      `${path}: line ${lineNumber} holds ${columns.length} numbers: the Text mode reads one number per line, as np.savetxt writes a 1-D array`,
      path
    )
  const characters = [...shown]
  const preview = characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : shown
  throw new LabError(
    'MALFORMED_DATA',
    `${path}: line ${lineNumber} is not a number: ${shownName(preview, { quoted: true })}`,
    path
  )
}

/**
 * ASCII text with one number per line, as `numpy.savetxt` writes it (e.g.
 * `1.234000000000000000e+00`). LF, CRLF and CR line ends; blank lines and `#` comment lines are
 * skipped; `inf`/`nan` accepted like numpy; anything else is MALFORMED_DATA naming the file and
 * the 1-based line number. Reads `chunkBytes` at a time, never the whole file.
 */
export function readTextLazy(path: string, options: TextOptions = {}): DataReader<number> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_TEXT_CHUNK_BYTES
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `Text chunk size must be a whole number of bytes from 1 to ${MAX_CHUNK_BYTES} (1 GiB), got ${String(chunkBytes)}`
    )
  }
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `Maximum line length must be a positive whole number of bytes, got ${String(maxLineBytes)}`
    )
  }
  const readStats = newReadStats(path)
  return withStats(textItems(path, chunkBytes, maxLineBytes, readStats, options.log), readStats)
}

function* textItems(
  path: string,
  chunkBytes: number,
  maxLineBytes: number,
  readStats: ReadStats,
  log: ReaderLog | undefined
): Generator<number, void, undefined> {
  const file = openForReader(path, log)
  try {
    const size = file.size
    readStats.fileBytes = size
    const buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(chunkBytes, size)))
    // The line that goes on past what was decoded so far, in pieces (none holds a line end): read
    // a few bytes at a time, joining it again at every read would cost the square of its length.
    let pending: string[] = []
    let pendingBytes = 0
    let lineNumber = 0
    /** The last line ended with CR: a LF right after it belongs to the same line end. */
    let afterCR = false
    for (let position = 0; position < size;) {
      const length = Math.min(buffer.length, size - position)
      readFully(file, buffer, length, position, path)
      position += length
      readStats.bytesRead = position
      // Decoded in slices: one string of a whole read of 512 MiB or more is over V8's limit.
      for (let offset = 0; offset < length; offset += TEXT_DECODE_SLICE_BYTES) {
        const text = buffer.toString('latin1', offset, Math.min(length, offset + TEXT_DECODE_SLICE_BYTES))
        let start = 0
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i)
          if (code !== 10 && code !== 13) continue
          if (code === 10 && afterCR && i === start && pendingBytes === 0) {
            afterCR = false
            start = i + 1
            continue
          }
          lineNumber++
          let value: number | undefined
          if (pendingBytes === 0) value = parseLine(text, start, i, lineNumber, path)
          else {
            pending.push(text.slice(start, i))
            const line = pending.join('')
            pending = []
            pendingBytes = 0
            value = parseLine(line, 0, line.length, lineNumber, path)
          }
          if (value !== undefined) yield value
          start = i + 1
          afterCR = code === 13
        }
        if (start < text.length) {
          pending.push(start === 0 ? text : text.slice(start))
          pendingBytes += text.length - start
        }
        if (pendingBytes > maxLineBytes) {
          throw new LabError(
            'MALFORMED_DATA',
            `${path}: line ${lineNumber + 1} is longer than ${maxLineBytes} bytes; is this really a text file with one number per line?`,
            path
          )
        }
      }
    }
    if (pendingBytes > 0) {
      const line = pending.join('')
      const value = parseLine(line, 0, line.length, lineNumber + 1, path)
      if (value !== undefined) yield value
    }
  } finally {
    closeForReader(file, path, log)
  }
}

// ---------------------------------------------------------------------------------------------
// The reader of a mode

/** Bytes a text reader reads at a time: the chunk size in bytes of the dtype, capped at 1 GiB. */
function textChunkBytes(chunkSize: number, dtype: Dtype): number {
  checkChunkSize(chunkSize, dtype)
  return Math.min(MAX_CHUNK_BYTES, chunkSize * itemBytes[dtype])
}

/**
 * The reader of a lazy mode, the one way from a mode to its reader (the Read tab's jobs and the
 * sweep): lazyItem = readBinaryLazy, lazyChunk = readBinaryChunks (`reuseBuffer` applies to it
 * alone), text = readTextLazy reading chunkSize × item-size bytes at a time.
 */
export function openLazyReader(
  mode: LazyReadMode,
  path: string,
  chunkSize: number,
  dtype: Dtype,
  options: ChunkOptions = {}
): DataReader<DataItem> {
  switch (mode) {
    case 'lazyItem':
      return readBinaryLazy(path, chunkSize, dtype, { log: options.log })
    case 'lazyChunk':
      return readBinaryChunks(path, chunkSize, dtype, options)
    case 'text':
      return readTextLazy(path, { log: options.log, chunkBytes: textChunkBytes(chunkSize, dtype) })
  }
}
