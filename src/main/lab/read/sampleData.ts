/**
 * Sample data for the reader lab: a seeded random float64 binary file in numpy's `tofile`
 * layout, optionally its text twin in `numpy.savetxt` format ('%.18e', one number per line), and
 * a small JSON sidecar describing them. Written in chunks (constant memory, any size), with
 * progress and cancel; written atomically, and never overwrites unless asked to explicitly.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { endianness } from 'node:os'
import { performance } from 'node:perf_hooks'
import { basename, join, resolve } from 'node:path'
import { LabError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { hasEscapedBytes } from '../../../shared/fsNames'
import {
  isSampleName,
  MAX_SAMPLE_NAME_LENGTH,
  SAMPLE_FORMAT,
  SAMPLE_TEXT_LINE_BYTES,
  SEED_RULE,
  type SampleDataMeta,
  type SampleDataResult,
  type SampleDataStats
} from '../../../shared/readJobs'
import { toLabError } from '../errors'
import type { JobControl } from '../progress'
import { uncontrolled } from '../progress'
import {
  openTemporaryFor,
  regularFileAt,
  removeSecondNamesOf,
  removeStaleTemporaryFiles,
  replaceableFile,
  syncDirectory,
  temporaryPath
} from '../temporaryFiles'

export const DATA_DIRECTORY_NAME = 'yield-lab-data'

/** Where the app keeps generated data by default: `<appData>/yield-lab-data`. */
export function defaultDataDirectory(appDataDir: string): string {
  return join(appDataDir, DATA_DIRECTORY_NAME)
}

export interface SampleDataOptions {
  /** Directory to write into (created if missing). Nothing is written anywhere else. */
  directory: string
  /** File stem: writes `<name>.bin`, `<name>.txt` (withText) and `<name>.json`. Letters, digits, '.', '_', '-' only. */
  name: string
  /** Size of the binary file: a whole number of float64 items (multiple of 8), 0 allowed. */
  bytes: number
  /** Seed of the random generator (a whole number 0 … 2^53-1; default 0). Same seed, same data. */
  seed?: number
  /** Also write the text twin (`numpy.savetxt(fname, data)` format, about 3.1x the binary size). */
  withText?: boolean
  /**
   * Replace an existing set, only one the app made: its `<name>.json` sidecar must name `<name>.bin`
   * (and the `.txt` twin, if that is replaced); anything else is PERMISSION_DENIED. Without it an
   * existing target is ALREADY_EXISTS.
   */
  overwrite?: boolean
  control?: JobControl<SampleDataStats>
}

/** Items generated and written per chunk: 1 MiB of float64. */
const CHUNK_ITEMS = 128 * 1024
/**
 * Sample data never fills a disk: a full system disk stops other programs (and macOS itself) from
 * working. What a write must leave free: 5% of the file system, at most this.
 */
const FREE_SPACE_RESERVE_MAX = 2 ** 30

export function checkSampleName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new LabError('INVALID_ARGUMENT', 'A file name is required')
  if (name.includes('/') || name.includes('\\') || name.includes('..') || name.includes('\0')) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `File name ${JSON.stringify(name)} must be a plain name: no path separators and no '..'`
    )
  }
  if (!isSampleName(name)) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `File name ${JSON.stringify(name)} may only use letters, digits, '.', '_' and '-' (up to ${MAX_SAMPLE_NAME_LENGTH} characters, not starting with '.')`
    )
  }
  return name
}

/**
 * xoshiro128** (Blackman & Vigna), 32-bit state words, seeded through splitmix32. Two outputs
 * make one double in [0, 1) with 53 random bits.
 */
export class SampleRandom {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: number) {
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) >>> 0, 0x9e3779b9)
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform double in [0, 1). */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5 // 27 bits
    const low = this.nextUint32() >>> 6 // 26 bits
    return (high * 67108864 + low) / 9007199254740992
  }

  fill(target: Float64Array, count = target.length): void {
    for (let i = 0; i < count; i++) target[i] = this.nextDouble()
  }
}

const TWO_POW_32 = 4294967296

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

const bitsView = new Float64Array(1)
const bitsWords = new Uint32Array(bitsView.buffer)
const [LOW_WORD, HIGH_WORD] = endianness() === 'LE' ? [0, 1] : [1, 0]

function trailingZeros(word: number): number {
  return 31 - Math.clz32(word & -word)
}

/** For a finite x > 0: the k with x = m * 2^k, m odd. */
function lowestBitExponent(x: number): number {
  bitsView[0] = x
  const low = bitsWords[LOW_WORD]!
  const high = bitsWords[HIGH_WORD]!
  const biased = (high >>> 20) & 0x7ff
  const mantissaHigh = (high & 0xfffff) | (biased === 0 ? 0 : 0x100000)
  return (biased === 0 ? -1074 : biased - 1075) + (low !== 0 ? trailingZeros(low) : 32 + trailingZeros(mantissaHigh))
}

/**
 * Formats like C's / Python's '%.18e' (what numpy.savetxt writes by default), e.g.
 * 1.234000000000000000e+00. JS's toExponential rounds exact ties away from zero where C rounds
 * them to even; ties are rare (the exact value must have exactly 20 significant digits, ending in
 * 5) and are detected exactly with BigInt arithmetic.
 */
export function formatSavetxt(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  const negative = value < 0 || Object.is(value, -0)
  const magnitude = Math.abs(value)
  const text = magnitude.toExponential(18)
  const e = text.indexOf('e')
  let mantissa = text.slice(0, e)
  const exponent = Number(text.slice(e + 1))
  const last = mantissa.charCodeAt(mantissa.length - 1) - 48
  if (last % 2 === 1 && magnitude !== 0 && isHalfwayBelow(magnitude, mantissa, exponent)) {
    mantissa = mantissa.slice(0, -1) + String(last - 1)
  }
  const absExponent = Math.abs(exponent)
  return `${negative ? '-' : ''}${mantissa}e${exponent < 0 ? '-' : '+'}${absExponent < 10 ? '0' : ''}${absExponent}`
}

/** Whether x lies exactly halfway between the 19-digit decimal `mantissa`e`exponent` and the one just below it. */
function isHalfwayBelow(x: number, mantissa: string, exponent: number): boolean {
  const k = lowestBitExponent(x)
  // x = m * 2^k with m odd has at least 0.69 * -k significant digits when k < 0: from k <= -30
  // on that is more than the 20 a tie needs.
  if (k <= -30) return false
  const m = BigInt(x / 2 ** k)
  const digits = BigInt(mantissa.replace('.', ''))
  // x == (digits - 1/2) * 10^(exponent - 18)  <=>  m * 2^(k+1) * 10^(18 - exponent) == 2 * digits - 1
  let left = m
  let right = 2n * digits - 1n
  if (k + 1 >= 0) left *= 2n ** BigInt(k + 1)
  else right *= 2n ** BigInt(-(k + 1))
  const tens = 18 - exponent
  if (tens >= 0) left *= 10n ** BigInt(tens)
  else right *= 10n ** BigInt(-tens)
  return left === right
}

/** 5^0 … 5^22, all exact doubles. */
const POWERS_OF_FIVE = Array.from({ length: 23 }, (_, m) => 5 ** m)
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729
const ZERO = 48
const savetxtScratch = Buffer.alloc(32)

/**
 * Writes `value` as '%.18e' and a newline into `out` at `offset`, returning the offset after it;
 * the same bytes as formatSavetxt(value) + '\n', about 10× faster for the values sample files
 * hold. For 1e-4 <= |x| < 1e19 the 19 digits are x·10^m, m = 18 − exponent, computed exactly:
 * x·2^m is exact and 5^m (m <= 22) too, so Dekker's two-product gives the product as hi + lo
 * without error; hi is an integer (it is above 2^53), and lo rounds half to even as C does.
 * Anything else, and the rare case where the decimal exponent guess is off, takes formatSavetxt.
 */
export function writeSavetxtLine(value: number, out: Uint8Array, offset: number): number {
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-4 && magnitude < 1e19) {
    const exponent = Math.floor(Math.log10(magnitude))
    const m = 18 - exponent
    if (m >= 0 && m <= 22) {
      const a = magnitude * 2 ** m
      const b = POWERS_OF_FIVE[m]!
      const hi = a * b
      const ca = SPLITTER * a
      const aHigh = ca - (ca - a)
      const aLow = a - aHigh
      const cb = SPLITTER * b
      const bHigh = cb - (cb - b)
      const bLow = b - bHigh
      const lo = aHigh * bHigh - hi + aHigh * bLow + aLow * bHigh + aLow * bLow
      const floor = Math.floor(lo)
      const fraction = lo - floor
      // hi is a multiple of its ulp (>= 128 here), so it is even: a tie goes to an even floor.
      const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0) ? floor + 1 : floor
      // N = hi + rounded, as u·10^4 + v with doubles that stay exact: hi = high·2^32 + low.
      const high = Math.floor(hi / 4294967296)
      const low = hi - high * 4294967296 + rounded
      let v = high * 7296 + low
      const carry = Math.floor(v / 10000)
      v -= carry * 10000
      const u = high * 429496 + carry
      if (u >= 1e14 && u < 1e15) {
        let at = offset
        if (value < 0) out[at++] = 45 // -
        // Digits d0 . d1…d18: the last 4 from v, 8 from u's low part, 7 from its high part. In
        // int32 arithmetic: a double's % costs ~45 ns, an int's division by 10 almost nothing.
        const digits = at + 1 // d0 is at `at`, the '.' at at + 1, so d_i is at digits + i
        const uHigh = Math.floor(u / 1e8)
        let part = v | 0
        for (let i = 18; i >= 15; i--) {
          const next = (part / 10) | 0
          out[digits + i] = ZERO + part - next * 10
          part = next
        }
        part = (u - uHigh * 1e8) | 0
        for (let i = 14; i >= 7; i--) {
          const next = (part / 10) | 0
          out[digits + i] = ZERO + part - next * 10
          part = next
        }
        part = uHigh | 0
        for (let i = 6; i >= 1; i--) {
          const next = (part / 10) | 0
          out[digits + i] = ZERO + part - next * 10
          part = next
        }
        out[at] = ZERO + part
        out[at + 1] = 46 // .
        at += 20
        out[at++] = 101 // e
        out[at++] = exponent < 0 ? 45 : 43
        const absExponent = Math.abs(exponent)
        out[at++] = ZERO + Math.floor(absExponent / 10)
        out[at++] = ZERO + (absExponent % 10)
        out[at++] = 10
        return at
      }
    }
  }
  const written = savetxtScratch.write(`${formatSavetxt(value)}\n`, 'latin1')
  out.set(savetxtScratch.subarray(0, written), offset)
  return offset + written
}

function checkOptions(options: SampleDataOptions): { bytes: number; seed: number; directory: string; name: string } {
  if (options === null || typeof options !== 'object')
    throw new LabError('INVALID_ARGUMENT', 'Sample data options are required')
  const name = checkSampleName(options.name)
  if (typeof options.directory !== 'string' || options.directory.length === 0 || options.directory.includes('\0')) {
    throw new LabError('INVALID_ARGUMENT', 'A target directory is required')
  }
  if (hasEscapedBytes(options.directory)) {
    // Writing goes through string paths (and the write policy compares them): refuse rather than write elsewhere.
    throw new LabError(
      'INVALID_ARGUMENT',
      `${options.directory}: sample data is written only into folders whose names are valid UTF-8; choose another folder`,
      options.directory
    )
  }
  const { bytes } = options
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0 || bytes % 8 !== 0) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `Size must be a whole number of float64 items: a non-negative multiple of 8 bytes, got ${String(bytes)}`
    )
  }
  const seed = options.seed ?? 0
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new LabError('INVALID_ARGUMENT', `Seed must be ${SEED_RULE}, got ${String(seed)}`)
  }
  return { bytes, seed, directory: resolve(options.directory), name }
}

function writeAll(fd: number, data: Uint8Array, path: string): void {
  let done = 0
  while (done < data.length) {
    try {
      done += writeSync(fd, data, done, data.length - done)
    } catch (error) {
      throw toLabError(error, path)
    }
  }
}

/** One file being written under a temporary name, renamed to `target` once complete. */
interface PendingFile {
  target: string
  temporary: string
  fd?: number
}

/**
 * Writes `<name>.bin` (seeded uniform [0, 1) float64, little-endian, no header), optionally
 * `<name>.txt` (same numbers, '%.18e' per line) and `<name>.json` (SampleDataMeta) into
 * `directory`, atomically: names and free space are checked first; the files are written under
 * temporary names in the same folder (see temporaryFiles.ts), flushed, and renamed over their
 * targets only when all are complete, the sidecar last. An existing target our sidecar does not
 * vouch for is refused (PERMISSION_DENIED), `overwrite` or not; one it vouches for is
 * ALREADY_EXISTS unless `overwrite` is set; an overwrite without the
 * text twin removes the replaced file's twin once the new files are in place. Progress is
 * reported per MiB (unit 'bytes' of the binary file). On cancel (CANCELLED) or any error the
 * temporary files are removed and the previous files are untouched.
 */
export function writeSampleData(options: SampleDataOptions): SampleDataResult {
  const { bytes, seed, directory, name } = checkOptions(options)
  const withText = options.withText === true
  const control: JobControl<SampleDataStats> = options.control ?? uncontrolled
  const count = bytes / 8
  const started = performance.now()

  try {
    if (!statSync(directory).isDirectory())
      throw new LabError('NOT_A_DIRECTORY', `${directory}: is not a directory`, directory)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw toLabError(error, directory)
    try {
      mkdirSync(directory, { recursive: true })
    } catch (mkdirError) {
      throw toLabError(mkdirError, directory)
    }
  }
  removeStaleTemporaryFiles(directory)

  const binaryPath = join(directory, `${name}.bin`)
  const textPath = withText ? join(directory, `${name}.txt`) : null
  const metaPath = join(directory, `${name}.json`)
  const targets = [binaryPath, ...(textPath ? [textPath] : []), metaPath]
  // A crash while a set went into place can leave second names of the previous files (see moveIntoPlace),
  // its text twin's too, whether or not this set has one.
  removeSecondNamesOf(directory, [binaryPath, join(directory, `${name}.txt`), metaPath])
  // Checked once: the same stats give the mode and owner the new files keep.
  const replacing = new Map(targets.map((target) => [target, replaceableFile(target)]))
  const existing = targets.filter((target) => replacing.get(target) !== undefined)
  // A file we did not make is refused before anything is offered: asking "overwrite?" first
  // would offer a choice the answer could not have.
  const replaced = existing.length > 0 ? ourSidecar(directory, name) : null
  for (const target of existing) {
    const file = basename(target)
    if (replaced === null || (file === `${name}.txt` && replaced.text !== file)) {
      throw new LabError(
        'PERMISSION_DENIED',
        `${target}: was not made by Yield Lab (no sample sidecar ${name}.json names it), so it is not replaced. Choose another name or folder.`,
        target
      )
    }
  }
  if (existing.length > 0 && options.overwrite !== true) {
    throw new LabError(
      'ALREADY_EXISTS',
      `${existing[0]}: already exists; choose another name or confirm overwriting it`,
      existing[0]
    )
  }
  // Without a new text twin, the replaced set's twin would be left describing other data.
  const oldTwin =
    !withText &&
    replaced?.text === `${name}.txt` &&
    regularFileAt(join(directory, replaced.text), 'remove') !== undefined
      ? join(directory, replaced.text)
      : null

  // The old files stay until the new ones are complete, so the new ones need all the space.
  const needed = bytes + (withText ? count * SAMPLE_TEXT_LINE_BYTES : 0)
  let free: { available: number; reserve: number } | undefined
  try {
    const fs = statfsSync(directory)
    free = { available: fs.bavail * fs.bsize, reserve: Math.min(FREE_SPACE_RESERVE_MAX, fs.blocks * fs.bsize * 0.05) }
  } catch {
    // statfs unsupported here: the writes will report ENOSPC themselves.
  }
  if (free !== undefined && needed > free.available) {
    throw new LabError(
      'NO_SPACE',
      `${directory}: not enough free space: these files need about ${formatBytes(needed)} (${needed} bytes) but only ${formatBytes(free.available)} (${free.available} bytes) are free. Choose a smaller size or another folder.`,
      directory
    )
  }
  if (free !== undefined && free.available - needed < free.reserve) {
    throw new LabError(
      'NO_SPACE',
      `${directory}: these files need about ${formatBytes(needed)} (${needed} bytes), which would leave only ${formatBytes(free.available - needed)} free on its disk; Yield Lab leaves at least ${formatBytes(free.reserve)} free, so that the system and other programs keep working. Choose a smaller size or another folder.`,
      directory
    )
  }

  const files: PendingFile[] = []
  const create = (target: string): PendingFile => {
    const file: PendingFile = { target, temporary: temporaryPath(directory, basename(target)) }
    file.fd = openTemporaryFor(target, file.temporary, replacing.get(target))
    files.push(file)
    return file
  }
  /** Flushes and closes a finished file; its data is on disk before any rename. */
  const finish = (file: PendingFile): void => {
    try {
      fsyncSync(file.fd!)
      const fd = file.fd!
      file.fd = undefined
      closeSync(fd)
    } catch (error) {
      throw toLabError(error, file.target)
    }
  }
  let completed = false
  try {
    const binary = create(binaryPath)
    const text = textPath ? create(textPath) : undefined
    const random = new SampleRandom(seed)
    const chunk = new Float64Array(Math.min(CHUNK_ITEMS, Math.max(1, count)))
    const chunkBytes = new Uint8Array(chunk.buffer)
    // '%.18e' is at most 26 bytes and a newline: room for a whole chunk of lines.
    const textOut = text === undefined ? undefined : Buffer.allocUnsafeSlow(chunk.length * 28)
    const bigEndian = endianness() === 'BE'
    let sum = 0
    let written = 0
    let textBytes = 0
    let textMs = 0
    while (written < count) {
      if (control.isCancelled()) throw new LabError('CANCELLED', `Writing ${binaryPath} was cancelled`, binaryPath)
      const n = Math.min(chunk.length, count - written)
      random.fill(chunk, n)
      for (let i = 0; i < n; i++) sum += chunk[i]!
      if (text !== undefined && textOut !== undefined) {
        const formatting = performance.now()
        let end = 0
        for (let i = 0; i < n; i++) end = writeSavetxtLine(chunk[i]!, textOut, end)
        writeAll(text.fd!, textOut.subarray(0, end), textPath!)
        textBytes += end
        textMs += performance.now() - formatting
      }
      const out = chunkBytes.subarray(0, n * 8)
      if (bigEndian) Buffer.from(out.buffer, out.byteOffset, out.length).swap64()
      writeAll(binary.fd!, out, binaryPath)
      written += n
      control.report({
        completed: written * 8,
        total: bytes,
        unit: 'bytes',
        stats: { bytes: written * 8, items: written, textBytes, rssBytes: process.memoryUsage.rss() }
      })
    }
    if (control.isCancelled()) throw new LabError('CANCELLED', `Writing ${binaryPath} was cancelled`, binaryPath)
    const meta: SampleDataMeta = {
      format: SAMPLE_FORMAT,
      binary: `${name}.bin`,
      dtype: 'float64',
      byteOrder: 'little',
      count,
      sum,
      seed,
      bytes,
      distribution: 'uniform [0, 1)',
      generator: 'xoshiro128**',
      text: textPath ? `${name}.txt` : null,
      textBytes: textPath ? textBytes : null
    }
    const sidecar = create(metaPath)
    writeAll(sidecar.fd!, Buffer.from(`${JSON.stringify(meta, null, 2)}\n`, 'utf8'), metaPath)
    for (const file of files) finish(file)
    moveIntoPlace(files, directory)
    completed = true
    syncDirectory(directory)
    if (oldTwin !== null) removeQuietly(oldTwin)
    return { ...meta, binaryPath, textPath, metaPath, elapsedMs: performance.now() - started, textMs }
  } catch (error) {
    throw toLabError(error)
  } finally {
    if (!completed) {
      for (const file of files) {
        if (file.fd !== undefined) {
          try {
            closeSync(file.fd)
          } catch {
            // Already failing; the temporary file is removed below.
          }
        }
        removeQuietly(file.temporary)
      }
    }
  }
}

/**
 * Renames the complete files over their targets, the sidecar last (it is what marks the set as
 * whole), and puts the previous set back whole if a rename fails: on Windows one fails while
 * another program holds the file open, and once the new `.bin` is in, a refused `.txt` would leave
 * it beside the old sidecar's sum. Meanwhile each file replaced keeps a second name (a hard link,
 * marked as such), so every target stays in place throughout. A crash leaves at most those extra
 * names, one the previous file's only name where its target was replaced already: main names them
 * when the job's worker died (removeTemporaryFilesOf), and the stale cleanup removes them a day
 * later. Where there are no hard links (FAT), a replaced file cannot be put back, as with any
 * rename over it, and the error says so.
 */
function moveIntoPlace(files: PendingFile[], directory: string): void {
  const existed = new Set<string>()
  /** The previous file of each target, under its second name. */
  const backups = new Map<string, string>()
  const placed: string[] = []
  let at = ''
  try {
    for (const file of files) {
      at = file.target
      if (regularFileAt(file.target, 'replace') === undefined) continue
      existed.add(file.target)
      const backup = temporaryPath(directory, basename(file.target), 'secondName')
      try {
        linkSync(file.target, backup)
        backups.set(file.target, backup)
      } catch {
        // No hard links here (or the file is held open, and its rename will fail before anything is replaced).
      }
    }
    for (const file of files) {
      at = file.target
      renameSync(file.temporary, file.target)
      placed.push(file.target)
    }
  } catch (error) {
    const lost: string[] = []
    for (const target of placed) {
      const backup = backups.get(target)
      if (backup === undefined) {
        if (existed.has(target)) lost.push(`the previous ${target} was already replaced`)
        else removeQuietly(target)
        continue
      }
      backups.delete(target)
      try {
        renameSync(backup, target)
      } catch {
        if (!existsSync(backup)) {
          lost.push(`the previous ${target} is lost`)
          continue
        }
        const kept = keepVisibly(backup, target)
        lost.push(
          kept === backup
            ? `the previous ${target} is kept as ${backup}, a temporary name removed after a day: copy it to keep it`
            : `the previous ${target} is kept as ${kept}`
        )
      }
    }
    // The rest were not replaced: their previous files are still in place.
    for (const backup of backups.values()) removeQuietly(backup)
    const failure = toLabError(error, at)
    if (lost.length === 0) throw failure
    throw new LabError(
      failure.code,
      `${failure.message}; and putting the previous files back failed: ${lost.join('; ')}. The set is now part new, part previous, so its sidecar's sum may not match its data`,
      at
    )
  }
  for (const backup of backups.values()) removeQuietly(backup)
}

/** How many `<target>.previous-<n>` names keepVisibly tries before giving up on one. */
const MAX_PREVIOUS_NAMES = 100

/**
 * Gives a previous file that could not be put back (under its second name, `backup`) a name the
 * user sees and the cleanup of temporary files leaves: `<target>.previous`, or `.previous-2` and
 * on where that exists. Linked, not renamed: a link never replaces what is at its name. Returns
 * the name it is kept under, `backup` itself if none could be given.
 */
function keepVisibly(backup: string, target: string): string {
  for (let n = 1; n <= MAX_PREVIOUS_NAMES; n++) {
    const kept = `${target}.previous${n === 1 ? '' : `-${n}`}`
    try {
      linkSync(backup, kept)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      return backup
    }
    removeQuietly(backup)
    return kept
  }
  return backup
}

/** Largest sidecar read back (ours are a few hundred bytes). */
const MAX_SIDECAR_BYTES = 64 * 1024

/** `<name>.json` if it is a sidecar the app wrote for `<name>.bin`, else null. */
function ourSidecar(directory: string, name: string): SampleDataMeta | null {
  const path = join(directory, `${name}.json`)
  try {
    const stats = lstatSync(path)
    if (!stats.isFile() || stats.size > MAX_SIDECAR_BYTES) return null
    const meta = JSON.parse(readFileSync(path, 'utf8')) as Partial<SampleDataMeta> | null
    return meta !== null && typeof meta === 'object' && meta.format === SAMPLE_FORMAT && meta.binary === `${name}.bin`
      ? (meta as SampleDataMeta)
      : null
  } catch {
    return null
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Best effort: it may already be gone.
  }
}
