/**
 * ncdu's JSON export format (`ncdu -o FILE`), written byte for byte as ncdu 1.18 writes it and read
 * back from bytes, so a scan moves between Yield Lab and ncdu in both directions.
 *
 *   [1, 2, {"progname": …, "progver": …, "timestamp": seconds}, ROOT]
 *
 * A directory is an array `[info, child, child, …]`, anything else an info object. The info keys,
 * in ncdu's order: name, asize (st_size), dsize (st_blocks × 512), dev (on the root, and wherever it
 * differs from the parent's), ino + hlnkc + nlink (a non-directory with more than one link),
 * read_error, notreg (neither a directory nor a regular file), excluded ("pattern", "othfs", …).
 * A size of zero is left out. A directory's sizes are its own, not its subtree's.
 *
 * Names are bytes: ncdu writes them raw (escaping only `"`, `\` and control characters), so a
 * name that is not UTF-8 is not valid JSON text. Here names are strings with surrogate escapes
 * (fsNames.ts); the writer turns them back into their bytes and the reader decodes bytes the same
 * way, so such names round-trip. That is also why the reader parses bytes itself, not JSON.parse.
 */
import { LabError } from './errors'
import { fsdecode, fsencode, shownName } from './fsNames'
import { inodeNumber } from './inodes'

/** Why ncdu did not scan an entry: a --exclude pattern, another file system (-x), a kernel file system, a firmlink. */
export type NcduExclusion = 'pattern' | 'othfs' | 'kernfs' | 'frmlnk'
const exclusions: readonly string[] = ['pattern', 'othfs', 'kernfs', 'frmlnk'] satisfies NcduExclusion[]

/** One entry of an export. Absent numbers are zero; `children` makes it a directory. */
export interface NcduEntry {
  /** The root's name is the scanned path; every other name is one path component. Surrogate escapes for bytes that are not UTF-8. */
  name: string
  /** Apparent size (st_size). */
  asize?: number
  /** Disk usage (st_blocks × 512). */
  dsize?: number
  /** Device; absent below the root means the parent's. */
  dev?: number
  /** Inode and link count, for a non-directory with more than one link (counted once per dev+ino). */
  ino?: number
  nlink?: number
  readError?: boolean
  /** Neither a directory nor a regular file (a symlink, FIFO, socket or device). */
  notreg?: boolean
  excluded?: NcduExclusion
  /** A directory's entries; absent for everything else. */
  children?: NcduEntry[]
}

export interface NcduHeader {
  progname: string
  progver: string
  /** Seconds since the epoch when the scan was made. */
  timestamp: number
}

export interface NcduExport extends NcduHeader {
  root: NcduEntry
}

/**
 * A directory as encodeNcduPieces reads it: its own info (its `children` are not read) and its
 * entries, listed only when the encoder reaches them, so a caller can build each entry as it is
 * written instead of building the whole tree first.
 */
export interface NcduDirectory {
  info: NcduEntry
  entries(): Iterable<NcduEntry | NcduDirectory>
}

/** The largest export opened or saved (ncdu writes about 60 bytes an entry: some 17 million entries). */
export const MAX_NCDU_EXPORT_BYTES = 2 ** 30

/** The major version we read and write; ncdu refuses any other too. The minor is 2 in ncdu 1.9 and later. */
export const NCDU_MAJOR = 1
/** Deeper nesting than any path the kernel resolves (PATH_MAX 4096 / 2 bytes a level) is not a scan. */
const MAX_DEPTH = 4096
/** Nesting of a value in a field we skip (ncdu writes none). */
const MAX_SKIPPED_DEPTH = 64
/** Longer than any number in an export (2^53 has 16 digits, a double's shortest form at most 24 bytes). */
const MAX_NUMBER_BYTES = 64

// ---------------------------------------------------------------------------------------------
// Writing

/** A growing byte buffer. */
class ByteSink {
  bytes: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16)
  length = 0

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.length + extra) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
  }

  /** ASCII text (keys, numbers, punctuation). */
  ascii(text: string): void {
    this.room(text.length)
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i)
  }

  /** A JSON string of raw bytes, escaped exactly as ncdu 1.18's output_string does. */
  string(text: string): void {
    const bytes = plainAscii(text) ? null : fsencode(text)
    const count = bytes === null ? text.length : bytes.length
    this.room(count * 6 + 2)
    const out = this.bytes
    let n = this.length
    out[n++] = 0x22
    for (let i = 0; i < count; i++) {
      const byte = bytes === null ? text.charCodeAt(i) : bytes[i]!
      const escape = byte < 0x20 || byte === 0x22 || byte === 0x5c || byte === 0x7f ? ESCAPES[byte] : undefined
      if (escape === undefined) out[n++] = byte
      else for (let k = 0; k < escape.length; k++) out[n++] = escape.charCodeAt(k)
    }
    out[n++] = 0x22
    this.length = n
  }

  /** What was written since the last take, as a piece of its own; the sink starts empty again. */
  take(): Uint8Array<ArrayBuffer> {
    const piece = this.bytes.slice(0, this.length)
    this.length = 0
    return piece
  }
}

/** Only ASCII (no surrogate escapes): written as its char codes without encoding. */
function plainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false
  return true
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x7f: '\\u007f' }
for (let byte = 0; byte < 0x20; byte++) ESCAPES[byte] = `\\u00${byte.toString(16).padStart(2, '0')}`
Object.assign(ESCAPES, { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' })

function writeInfo(sink: ByteSink, entry: NcduEntry, parentDev: number | undefined, isDirectory: boolean): void {
  if (entry.name === '' || fsencode(entry.name) === null)
    throw new LabError('INVALID_ARGUMENT', `${shownName(entry.name, { quoted: true })} cannot be written as a name`)
  sink.ascii('{"name":')
  sink.string(entry.name)
  if (entry.asize) sink.ascii(`,"asize":${entry.asize}`)
  if (entry.dsize) sink.ascii(`,"dsize":${entry.dsize}`)
  const dev = entry.dev ?? parentDev ?? 0
  if (dev !== parentDev) sink.ascii(`,"dev":${dev}`)
  if (!isDirectory && (entry.nlink ?? 0) > 1) sink.ascii(`,"ino":${entry.ino ?? 0},"hlnkc":true,"nlink":${entry.nlink}`)
  if (entry.readError === true) sink.ascii(',"read_error":true')
  if (entry.notreg === true) sink.ascii(',"notreg":true')
  if (entry.excluded !== undefined) sink.ascii(`,"excluded":"${entry.excluded}"`)
  sink.ascii('}')
}

/** The export as ncdu 1.18's `-o` writes it: the same bytes for the same scan. */
export function encodeNcdu(scan: NcduExport): Uint8Array<ArrayBuffer> {
  return joinPieces([...encodeNcduPieces(scan, directoryOf(scan.root))])
}

/** Entries written between two pieces: a piece is a small, bounded amount of work. */
export const NCDU_PIECE_ENTRIES = 128

/**
 * The export in pieces of at most NCDU_PIECE_ENTRIES entries, each piece written when it is pulled:
 * a caller can spread a large export over many short tasks. The pieces joined are encodeNcdu's bytes.
 */
export function* encodeNcduPieces(header: NcduHeader, root: NcduDirectory): Generator<Uint8Array<ArrayBuffer>, void> {
  const sink = new ByteSink()
  sink.ascii('[1,2,{"progname":')
  sink.string(header.progname)
  sink.ascii(',"progver":')
  sink.string(header.progver)
  sink.ascii(`,"timestamp":${Math.floor(header.timestamp)}},\n`)
  // Depth-first without recursion: a frame is a directory, its entries still to write and its device.
  const frames: { entries: Iterator<NcduEntry | NcduDirectory>; dev: number }[] = []
  const open = (dir: NcduDirectory, parentDev: number | undefined): void => {
    sink.ascii('[')
    writeInfo(sink, dir.info, parentDev, true)
    frames.push({ entries: dir.entries()[Symbol.iterator](), dev: dir.info.dev ?? parentDev ?? 0 })
  }
  open(root, undefined)
  let written = 1
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!
    const next = frame.entries.next()
    if (next.done === true) {
      sink.ascii(']')
      frames.pop()
      continue
    }
    sink.ascii(',\n')
    const entry = next.value
    if ('entries' in entry) open(entry, frame.dev)
    else writeInfo(sink, entry, frame.dev, false)
    if (++written % NCDU_PIECE_ENTRIES === 0) yield sink.take()
  }
  sink.ascii(']')
  yield sink.take()
}

/** An export's tree as encodeNcduPieces reads it: a directory is an entry with `children`. */
function directoryOf(entry: NcduEntry): NcduDirectory {
  return {
    info: entry,
    *entries() {
      for (const child of entry.children ?? []) yield child.children === undefined ? child : directoryOf(child)
    }
  }
}

/** Pieces of an export, one after the other in one buffer. */
export function joinPieces(pieces: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0
  for (const piece of pieces) length += piece.length
  const bytes = new Uint8Array(length)
  let at = 0
  for (const piece of pieces) {
    bytes.set(piece, at)
    at += piece.length
  }
  return bytes
}

// ---------------------------------------------------------------------------------------------
// Reading

const enum Byte {
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  Colon = 0x3a,
  Open = 0x5b,
  Backslash = 0x5c,
  Close = 0x5d,
  Brace = 0x7b,
  CloseBrace = 0x7d
}

/** A cursor over the file's bytes that reports problems naming the file and the byte offset. */
class Cursor {
  pos = 0

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string
  ) {}

  fail(problem: string, at = this.pos): LabError {
    if (at >= this.bytes.length)
      return new LabError(
        'MALFORMED_DATA',
        `${shownName(this.file)}: the ncdu export is truncated (it ends after ${this.bytes.length} bytes, inside its data)`,
        this.file
      )
    return new LabError(
      'MALFORMED_DATA',
      `${shownName(this.file)}: not a valid ncdu export: ${problem} at byte ${at}`,
      this.file
    )
  }

  space(): void {
    const bytes = this.bytes
    let pos = this.pos
    while (pos < bytes.length) {
      const b = bytes[pos]!
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break
      pos++
    }
    this.pos = pos
  }

  /** The next byte after white space, consumed. */
  take(): number {
    this.space()
    if (this.pos >= this.bytes.length) throw this.fail('')
    return this.bytes[this.pos++]!
  }

  peek(): number {
    this.space()
    if (this.pos >= this.bytes.length) throw this.fail('')
    return this.bytes[this.pos]!
  }

  expect(byte: number, what: string): void {
    if (this.take() !== byte) throw this.fail(`expected ${what}`, this.pos - 1)
  }

  /** A JSON string's bytes: raw bytes kept, escapes decoded (\uDC80–\uDCFF back to the byte it escapes). */
  string(): Uint8Array {
    this.expect(Byte.Quote, 'a string')
    const bytes = this.bytes
    const start = this.pos
    let pos = start
    while (pos < bytes.length && bytes[pos] !== Byte.Quote && bytes[pos] !== Byte.Backslash) pos++
    if (pos < bytes.length && bytes[pos] === Byte.Quote) {
      this.pos = pos + 1
      return bytes.subarray(start, pos)
    }
    const out: number[] = Array.from(bytes.subarray(start, pos))
    for (;;) {
      if (pos >= bytes.length) throw this.fail('', pos)
      const b = bytes[pos++]!
      if (b === Byte.Quote) break
      if (b !== Byte.Backslash) {
        out.push(b)
        continue
      }
      if (pos >= bytes.length) throw this.fail('', pos)
      const e = bytes[pos++]!
      const simple = SIMPLE_UNESCAPES[e]
      if (simple !== undefined) out.push(simple)
      else if (e === 0x75 /* u */) {
        let code = this.hex4(pos)
        pos += 4
        if (code >= 0xd800 && code <= 0xdbff && bytes[pos] === Byte.Backslash && bytes[pos + 1] === 0x75) {
          const low = this.hex4(pos + 2)
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
            pos += 6
          }
        }
        if (code >= 0xdc80 && code <= 0xdcff) out.push(code - 0xdc00)
        else if (code >= 0xd800 && code <= 0xdfff) throw this.fail('a lone surrogate escape', pos - 6)
        else out.push(...new TextEncoder().encode(String.fromCodePoint(code)))
      } else throw this.fail(`an unknown escape \\${String.fromCharCode(e)}`, pos - 2)
    }
    this.pos = pos
    return Uint8Array.from(out)
  }

  private hex4(at: number): number {
    const text = at + 4 <= this.bytes.length ? String.fromCharCode(...this.bytes.subarray(at, at + 4)) : ''
    if (!/^[0-9a-fA-F]{4}$/.test(text)) throw this.fail('a bad \\u escape', at)
    return parseInt(text, 16)
  }

  /** A JSON number, as written (sizes are checked by the caller). */
  number(): number {
    return Number(this.numberText())
  }

  /** A JSON number's text, as written: for a number a double cannot hold exactly. */
  numberText(): string {
    this.space()
    const start = this.pos
    const bytes = this.bytes
    let pos = start
    while (pos < bytes.length && NUMBER_BYTES.has(bytes[pos]!)) pos++
    if (pos - start > MAX_NUMBER_BYTES) throw this.fail(`a number too long to read (${pos - start} bytes)`, start)
    const text = String.fromCharCode(...bytes.subarray(start, pos))
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) {
      if (pos >= bytes.length) throw this.fail('', pos)
      throw this.fail('expected a number', start)
    }
    this.pos = pos
    return text
  }

  /** Any JSON value, skipped (a field this reader does not use, such as ncdu -e's uid or mtime). */
  skip(depth = 0): void {
    if (depth > MAX_SKIPPED_DEPTH) throw this.fail('a value nested too deep')
    const b = this.peek()
    if (b === Byte.Quote) this.string()
    else if (b === Byte.Open || b === Byte.Brace) {
      const close = b === Byte.Open ? Byte.Close : Byte.CloseBrace
      this.pos++
      if (this.peek() === close) {
        this.pos++
        return
      }
      for (;;) {
        if (close === Byte.CloseBrace) {
          this.string()
          this.expect(Byte.Colon, "':'")
        }
        this.skip(depth + 1)
        const next = this.take()
        if (next === close) return
        if (next !== Byte.Comma) throw this.fail(`expected ',' or '${String.fromCharCode(close)}'`, this.pos - 1)
      }
    } else if (b === 0x74 || b === 0x66 || b === 0x6e) this.literal()
    else this.number()
  }

  /** true, false or null; `problem` says what else was expected. */
  literal(problem = 'expected true, false or null'): boolean | null {
    this.space()
    const left = this.bytes.length - this.pos
    for (const [text, value] of LITERALS) {
      const length = Math.min(text.length, left)
      let same = true
      for (let k = 0; k < length; k++) if (this.bytes[this.pos + k] !== text.charCodeAt(k)) same = false
      if (!same) continue
      // Truncated only when the file ends inside the literal, not when it is merely near its end.
      if (length < text.length) throw this.fail('', this.bytes.length)
      this.pos += text.length
      return value
    }
    throw this.fail(problem)
  }
}

const SIMPLE_UNESCAPES: Record<number, number> = {
  0x22: 0x22,
  0x5c: 0x5c,
  0x2f: 0x2f,
  0x62: 0x08,
  0x66: 0x0c,
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09
}
const NUMBER_BYTES = new Set([...'0123456789+-.eE'].map((c) => c.charCodeAt(0)))
const LITERALS: [string, boolean | null][] = [
  ['true', true],
  ['false', false],
  ['null', null]
]

/** Decodes a key or text value (UTF-8 with surrogate escapes). */
function text(bytes: Uint8Array): string {
  return fsdecode(bytes)
}

/** A size, inode, device or count: a whole number from 0 to 2^53 − 1, else the file is refused. */
function count(cursor: Cursor, key: string): number {
  const at = cursor.pos
  const value = cursor.number()
  if (!Number.isSafeInteger(value) || value < 0)
    throw new LabError(
      'MALFORMED_DATA',
      `${shownName(cursor.file)}: not a valid ncdu export: "${key}" is ${value > Number.MAX_SAFE_INTEGER ? 'absurdly large' : 'not a whole number of at least 0'} (${String.fromCharCode(...cursor.bytes.subarray(cursor.pos - Math.min(cursor.pos - at, 40), cursor.pos)).trim()}) at byte ${at}`,
      cursor.file
    )
  return value
}

/**
 * An inode number: a whole number below 2^64, kept as the walker keeps one (inodeNumber), since
 * an export made on Windows (gdu's) may hold NTFS file ids above 2^53.
 */
function inode(cursor: Cursor): number {
  const at = cursor.pos
  const text = cursor.numberText()
  if (/^(0|[1-9][0-9]{0,19})$/.test(text) && BigInt(text) < 1n << 64n) return inodeNumber(BigInt(text))
  cursor.pos = at
  return count(cursor, 'ino') // refused, in the words of the other numbers
}

function flag(cursor: Cursor, key: string): boolean {
  const at = cursor.pos
  const value = cursor.literal(`"${key}" must be true or false`)
  if (typeof value !== 'boolean') throw cursor.fail(`"${key}" must be true or false`, at)
  return value
}

/** One info object. `isRoot`: its name is a path; elsewhere a name is one path component. */
function readInfo(cursor: Cursor, isRoot: boolean): NcduEntry {
  const at = cursor.pos
  cursor.expect(Byte.Brace, "an entry's info object")
  const entry: NcduEntry = { name: '' }
  let named = false
  if (cursor.peek() === Byte.CloseBrace) cursor.pos++
  else
    for (;;) {
      const key = text(cursor.string())
      cursor.expect(Byte.Colon, "':'")
      switch (key) {
        case 'name': {
          const nameAt = cursor.pos
          entry.name = text(cursor.string())
          named = true
          if (!isRoot && !isComponent(entry.name))
            throw cursor.fail(`${shownName(entry.name, { quoted: true })} is not a file name`, nameAt)
          if (isRoot && (entry.name === '' || entry.name.includes('\0')))
            throw cursor.fail('the root has no usable path', nameAt)
          break
        }
        case 'ino': {
          const value = inode(cursor)
          if (value !== 0) entry.ino = value
          break
        }
        case 'asize':
        case 'dsize':
        case 'dev':
        case 'nlink': {
          const value = count(cursor, key)
          if (value !== 0) entry[key] = value
          else if (key === 'dev') entry.dev = 0
          break
        }
        case 'read_error':
          if (flag(cursor, key)) entry.readError = true
          break
        case 'notreg':
          if (flag(cursor, key)) entry.notreg = true
          break
        case 'hlnkc':
          flag(cursor, key) // implied by nlink > 1 on a non-directory
          break
        case 'excluded': {
          const valueAt = cursor.pos
          const value = text(cursor.string())
          if (!exclusions.includes(value)) throw cursor.fail(`"excluded" is ${JSON.stringify(value)}`, valueAt)
          entry.excluded = value as NcduExclusion
          break
        }
        default:
          cursor.skip()
      }
      const next = cursor.take()
      if (next === Byte.CloseBrace) break
      if (next !== Byte.Comma) throw cursor.fail("expected ',' or '}'", cursor.pos - 1)
    }
  if (!named) throw cursor.fail('an entry has no "name"', at)
  return entry
}

/** A name met twice in the innermost open directory of `stack`, with that directory's path. */
function describeDuplicate(stack: readonly { dir: NcduEntry }[], name: string): string {
  let path = stack[0]!.dir.name
  for (let i = 1; i < stack.length; i++) path = joinNcduPath(path, stack[i]!.dir.name)
  const shown = (text: string): string => shownName(text, { quoted: true })
  return `the folder ${shown(path)} lists ${shown(name)} a second time (names in a folder are unique)`
}

/** An entry's path from its directory's: ncdu's paths are POSIX, and the root may be "/". */
export function joinNcduPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

function isComponent(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0')
}

function readHeader(cursor: Cursor): NcduHeader {
  const header: NcduHeader = { progname: '', progver: '', timestamp: 0 }
  cursor.expect(Byte.Brace, 'the metadata object')
  if (cursor.peek() === Byte.CloseBrace) {
    cursor.pos++
    return header
  }
  for (;;) {
    const key = text(cursor.string())
    cursor.expect(Byte.Colon, "':'")
    if (key === 'progname' || key === 'progver') header[key] = text(cursor.string())
    else if (key === 'timestamp') header.timestamp = count(cursor, key)
    else cursor.skip()
    const next = cursor.take()
    if (next === Byte.CloseBrace) return header
    if (next !== Byte.Comma) throw cursor.fail("expected ',' or '}'", cursor.pos - 1)
  }
}

/**
 * Reads an ncdu export from its bytes. Throws a LabError MALFORMED_DATA naming `file` for anything
 * else: not JSON, another major version, a truncated file, absurd sizes, names that are not names,
 * a name listed twice in one folder.
 */
export function decodeNcdu(bytes: Uint8Array, file: string): NcduExport {
  const cursor = new Cursor(bytes, file)
  cursor.space()
  if (bytes.length === 0 || cursor.pos === bytes.length)
    throw new LabError('MALFORMED_DATA', `${shownName(file)}: is empty, not an ncdu export`, file)
  if (bytes[cursor.pos] !== Byte.Open)
    throw new LabError(
      'MALFORMED_DATA',
      `${shownName(file)}: is not an ncdu export (ncdu's JSON export starts with "[1,")`,
      file
    )
  cursor.pos++
  const majorAt = cursor.pos
  const major = cursor.number()
  if (major !== NCDU_MAJOR)
    throw new LabError(
      'MALFORMED_DATA',
      `${shownName(file)}: is ncdu export version ${major}; only version ${NCDU_MAJOR} can be read (byte ${majorAt})`,
      file
    )
  cursor.expect(Byte.Comma, "','")
  cursor.number() // the minor version: additions a reader of the major version may ignore
  cursor.expect(Byte.Comma, "','")
  const header = readHeader(cursor)
  cursor.expect(Byte.Comma, "','")
  if (cursor.peek() !== Byte.Open) throw cursor.fail('the root is not a directory')
  cursor.pos++
  const root = readInfo(cursor, true)
  root.children = []
  // Each open directory with the names met in it so far: names in a folder are unique, and the Browse
  // tab keys its tree by path. A decoded name (surrogate escapes) is one string per byte sequence,
  // so equal bytes are what counts. Only open directories keep their names, not the whole tree's.
  const stack: { dir: NcduEntry; names: Set<string> }[] = [{ dir: root, names: new Set() }]
  while (stack.length > 0) {
    const next = cursor.take()
    if (next === Byte.Close) {
      stack.pop()
      continue
    }
    if (next !== Byte.Comma) throw cursor.fail("expected ',' or ']'", cursor.pos - 1)
    const parent = stack[stack.length - 1]!
    const isDir = cursor.peek() === Byte.Open
    const at = cursor.pos
    if (isDir) cursor.pos++
    const entry = readInfo(cursor, false)
    if (parent.names.has(entry.name)) throw cursor.fail(describeDuplicate(stack, entry.name), at)
    parent.names.add(entry.name)
    parent.dir.children!.push(entry)
    if (isDir) {
      entry.children = []
      stack.push({ dir: entry, names: new Set() })
      if (stack.length > MAX_DEPTH) throw cursor.fail(`directories nest more than ${MAX_DEPTH} deep`)
    }
  }
  // Anything after the root is ignored by ncdu too, but the outer array must close.
  cursor.expect(Byte.Close, "']' closing the export")
  return { ...header, root }
}

/** Entries in a scan (the root included) and their summed sizes, as ncdu counts items. */
export function ncduTotals(root: NcduEntry): { entries: number; asize: number; dsize: number } {
  let entries = 0
  let asize = 0
  let dsize = 0
  const stack = [root]
  while (stack.length > 0) {
    const entry = stack.pop()!
    entries++
    asize += entry.asize ?? 0
    dsize += entry.dsize ?? 0
    if (entry.children !== undefined) for (const child of entry.children) stack.push(child)
  }
  return { entries, asize, dsize }
}
