/**
 * A batch of walk items (the `walk` and `ncduImport` jobs) packed for the trip from the job
 * worker to the renderer. A walk of /usr yields 15,000 directories naming 140,000 entries: as
 * objects, each name is a string and each directory a handful of arrays, which structured clone
 * (worker to main, Electron's IPC) and JSON (the e2e bridge) copy one by one. Packed, a batch is
 * typed arrays (transferred, not copied): every name in one UTF-8 buffer, every stat record, and
 * each directory's fields and counts; plus a string of type letters and the few strings and
 * items that fit nowhere else. Unpacking gives back items equal to the originals; their stat
 * arrays are views of one buffer per batch.
 *
 * Every byte is copied several times on the way (Electron's IPC, or the e2e bridge's HTTP), so
 * the two biggest parts travel compact, exactly (a walk of the bench's 200k-entry tree crosses in
 * 6.0 MB rather than 10.6, one of /usr in 6.5 rather than 11.7):
 * - A stat record is 5 doubles (WALK_STAT), but most entries are a file on the directory's own
 *   device with one link: such a record travels as its apparent size (a double), its disk usage
 *   in 512-byte blocks and its inode's distance from the previous one (two int32), 16 bytes
 *   instead of 40. A real directory's record in its parent is all zeros and travels as nothing.
 *   Any other record (a hard link, another device, a number that does not fit) travels whole.
 * - A directory's path is its parent's joined to its name, and its parent is usually a directory
 *   earlier in the same batch: both travel as small numbers rather than repeated paths.
 */
import {
  inYieldedOrder,
  WALK_STAT,
  yieldedDirnames,
  type WalkDirItem,
  type WalkErrorItem,
  type WalkItem,
  type WalkSkipItem
} from './walkJob'

/** No name contains it (walkers split paths on it; the ncdu reader refuses names with it). */
const NAME_END = '/'
/** In `letters`, the letter of an excluded name (never a type letter, see TYPE_LETTER). */
const EXCLUDED_LETTER = 'x'

/** A directory's fields in `heads`, HEAD.FIELDS int32 each. */
const HEAD = {
  /** The index of its parent among this batch's directories; NO_PARENT for top; IN_TEXTS: the parent's path is the next of `texts`. */
  PARENT: 0,
  /** IN_NAMES: its name is the next of `names`; IN_TEXTS: of `texts` (top's name, which holds separators). */
  NAME: 1,
  /** Its path is the parent's joined to its name with this separator (a char code, 0 for none); IN_TEXTS: the next of `texts`. */
  PATH: 2,
  DIRNAMES: 3,
  EXCLUDED: 4,
  FILENAMES: 5,
  /** Its own stat records (0 or 1). */
  OWN_RECORDS: 6,
  DROPPED: 7,
  /** 1 when droppedBytes is not 0: it is then in `numbers`, after the own records. */
  DROPPED_BYTES: 8,
  FIELDS: 9
} as const
const NO_PARENT = -1
const IN_TEXTS = -2
const IN_NAMES = 0

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder()
/** String.prototype.isWellFormed (ES2024: Node 20 and Chromium have it; TypeScript's ES2023 lib does not say so). */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed()

/** How an entry's stat record travels: one RECORD_SHAPE byte per entry in `shapes`. */
const RECORD_SHAPE = {
  /** All five numbers are zero (a real directory in its parent's dirnames): nothing else travels. */
  ZEROS: 0,
  /** On the directory's device, one link: its apparent size in `numbers`, blocks and inode step in `words`. */
  COMPACT: 1,
  /** The five numbers, in `numbers`. */
  WHOLE: 2
} as const

const F = WALK_STAT.FIELDS
const BLOCK = 512

export interface PackedWalkItems {
  /** One letter per item, in order: 'd' the next directory of `heads`, 'o' the next of `others`. */
  order: string
  /** HEAD.FIELDS per directory (see HEAD). */
  heads: Int32Array
  /** The parents, names and paths that heads say are here, in order. */
  texts: string[]
  /**
   * Every directory's name (unless in texts), its dirnames as os.walk yielded them (excluded names
   * in their places), then its filenames, each ended by NAME_END: UTF-8 bytes, or the string
   * itself when a name holds a surrogate escape (a name that is not UTF-8, which UTF-8 cannot carry).
   */
  names: Uint8Array | string
  /** Every directory's dirTypes, with EXCLUDED_LETTER where an excluded name stood in os.walk's dirnames, then its fileTypes. */
  letters: string
  /** One RECORD_SHAPE per dirname and filename, in the order of `names` (excluded names have no record). */
  shapes: Uint8Array
  /** Each directory's own stat records whole and its droppedBytes if not 0, then per dirname and filename what its shape says. */
  numbers: Float64Array
  /** Per COMPACT record: its disk usage in blocks of 512 bytes, and its inode minus the previous record's. */
  words: Int32Array
  /** Error and skip items (few), in order. */
  others: (WalkErrorItem | WalkSkipItem)[]
}

/** Where packing writes next, or unpacking reads. */
interface PackCursor {
  shapes: Uint8Array
  numbers: Float64Array
  words: Int32Array
  shapeAt: number
  numberAt: number
  wordAt: number
  /** The inode of the last record packed (not ZEROS); a directory's own record starts it. */
  ino: number
}

/** Packs the `count` records of `records` (entries of a directory on device `dev`). */
function packRecords(records: Float64Array, count: number, dev: number, out: PackCursor): void {
  const { shapes, numbers, words } = out
  let { shapeAt, numberAt, wordAt, ino: lastIno } = out
  for (let at = 0; at < count * F; at += F) {
    const apparentSize = records[at + WALK_STAT.APPARENT_SIZE]!
    const diskUsage = records[at + WALK_STAT.DISK_USAGE]!
    const recordDev = records[at + WALK_STAT.DEV]!
    const ino = records[at + WALK_STAT.INO]!
    const nlink = records[at + WALK_STAT.NLINK]!
    if (
      nlink === 0 &&
      ino === 0 &&
      recordDev === 0 &&
      apparentSize === 0 &&
      diskUsage === 0 &&
      isAllPositiveZero(records, at)
    ) {
      shapes[shapeAt++] = RECORD_SHAPE.ZEROS
      continue
    }
    // int32s, compact only when they give the numbers back exactly (-0, fractions and big values travel whole).
    const blocks = (diskUsage / BLOCK) | 0
    const step = (ino - lastIno) | 0
    if (nlink === 1 && recordDev === dev && Object.is(blocks * BLOCK, diskUsage) && Object.is(lastIno + step, ino)) {
      shapes[shapeAt++] = RECORD_SHAPE.COMPACT
      numbers[numberAt++] = apparentSize
      words[wordAt++] = blocks
      words[wordAt++] = step
    } else {
      shapes[shapeAt++] = RECORD_SHAPE.WHOLE
      for (let field = 0; field < F; field++) numbers[numberAt++] = records[at + field]!
    }
    lastIno = ino
  }
  out.shapeAt = shapeAt
  out.numberAt = numberAt
  out.wordAt = wordAt
  out.ino = lastIno
}

/** Whether the record at `at` is five +0 (a -0 travels whole, so it comes back as it was). */
function isAllPositiveZero(records: Float64Array, at: number): boolean {
  for (let field = 0; field < F; field++) if (!Object.is(records[at + field], 0)) return false
  return true
}

/** Unpacks `count` records into `records` (zeroed), as packRecords packed them. */
function unpackRecords(records: Float64Array, count: number, dev: number, from: PackCursor): void {
  const { shapes, numbers, words } = from
  let { shapeAt, numberAt, wordAt, ino } = from
  for (let at = 0; at < count * F; at += F) {
    const shape = shapes[shapeAt++]
    if (shape === RECORD_SHAPE.ZEROS) continue
    if (shape === RECORD_SHAPE.COMPACT) {
      records[at + WALK_STAT.APPARENT_SIZE] = numbers[numberAt++]!
      records[at + WALK_STAT.DISK_USAGE] = words[wordAt++]! * BLOCK
      records[at + WALK_STAT.DEV] = dev
      ino += words[wordAt++]!
      records[at + WALK_STAT.INO] = ino
      records[at + WALK_STAT.NLINK] = 1
    } else {
      for (let field = 0; field < F; field++) records[at + field] = numbers[numberAt++]!
      ino = records[at + WALK_STAT.INO]!
    }
  }
  from.shapeAt = shapeAt
  from.numberAt = numberAt
  from.wordAt = wordAt
  from.ino = ino
}

/** Starts a directory's entries at `cursor`: inode steps from its own inode; returns its device (0s without an own record). */
function startDirectory(cursor: PackCursor, ownStat: Float64Array): number {
  const known = ownStat.length >= F
  cursor.ino = known ? ownStat[WALK_STAT.INO]! : 0
  return known ? ownStat[WALK_STAT.DEV]! : 0
}

/** dirTypes with EXCLUDED_LETTER where each excluded name stood in os.walk's dirnames. */
function yieldedDirTypes(item: WalkDirItem): string {
  const excludedLetters = item.excluded.map(() => EXCLUDED_LETTER)
  return inYieldedOrder([...item.dirTypes], excludedLetters, item.excludedAt).join('')
}

/** Splits os.walk's dirnames, and their letters from yieldedDirTypes, into the kept and the excluded. */
function splitExcluded(
  yielded: string[],
  letters: string
): Pick<WalkDirItem, 'dirnames' | 'dirTypes' | 'excluded' | 'excludedAt'> {
  const dirnames: string[] = []
  const excluded: string[] = []
  const excludedAt: number[] = []
  for (let at = 0; at < yielded.length; at++) {
    if (letters[at] === EXCLUDED_LETTER) {
      excluded.push(yielded[at]!)
      excludedAt.push(at)
    } else dirnames.push(yielded[at]!)
  }
  return { dirnames, dirTypes: letters.replaceAll(EXCLUDED_LETTER, ''), excluded, excludedAt }
}

/** Entries whose worst case packWalkItems' scratch keeps between batches (16 MiB of numbers); a bigger batch gets arrays of its own. */
const SCRATCH_ENTRIES_MAX = 1 << 19

/** Reused by packWalkItems for one batch at a time: each array grows to the largest batch packed, up to SCRATCH_ENTRIES_MAX. */
const packScratch = {
  numberArray: new Float64Array(0),
  wordArray: new Int32Array(0),
  numbers(length: number): Float64Array {
    if (length > SCRATCH_ENTRIES_MAX * F) return new Float64Array(length)
    if (this.numberArray.length < length) this.numberArray = new Float64Array(length)
    return this.numberArray
  },
  words(length: number): Int32Array {
    if (length > SCRATCH_ENTRIES_MAX * 2) return new Int32Array(length)
    if (this.wordArray.length < length) this.wordArray = new Int32Array(length)
    return this.wordArray
  }
}

/** Packs items; `transfer` lists the buffers to move rather than copy (postMessage's transfer list). */
export function packWalkItems(items: readonly WalkItem[]): { packed: PackedWalkItems; transfer: ArrayBuffer[] } {
  let order = ''
  let letters = ''
  const texts: string[] = []
  const others: (WalkErrorItem | WalkSkipItem)[] = []
  const nameParts: string[] = []
  /** The index in this batch of each directory by its path. */
  const dirIndex = new Map<string, number>()
  let dirs = 0
  let entries = 0
  let ownLength = 0
  for (const item of items) {
    if (item.kind !== 'dir') continue
    dirs++
    entries += item.dirnames.length + item.filenames.length
    ownLength += item.ownStat.length + 1
  }
  const heads = new Int32Array(dirs * HEAD.FIELDS)
  // Written into scratch sized for the worst case (every record whole), then copied out at the
  // size written: a fresh worst-case array per batch (megabytes on /usr) costs the kernel a
  // zeroed page for every 4 KiB of it.
  const shapes = new Uint8Array(entries)
  const out: PackCursor = {
    shapes,
    numbers: packScratch.numbers(ownLength + entries * F),
    words: packScratch.words(entries * 2),
    shapeAt: 0,
    numberAt: 0,
    wordAt: 0,
    ino: 0
  }
  let headAt = 0
  for (const item of items) {
    if (item.kind !== 'dir') {
      order += 'o'
      others.push(item)
      continue
    }
    order += 'd'
    const { dirpath, parent, name } = item
    // Letters travel in one string, counted off by the names: a letter too many or too few would shift every later one.
    if (item.dirTypes.length !== item.dirnames.length || item.fileTypes.length !== item.filenames.length)
      throw new Error(`${dirpath}: a walk item needs one type letter per dirname and per filename`)
    const parentIndex = parent === null ? NO_PARENT : (dirIndex.get(parent) ?? IN_TEXTS)
    if (parentIndex === IN_TEXTS) texts.push(parent!)
    heads[headAt + HEAD.PARENT] = parentIndex
    if (parent === null || name.includes(NAME_END)) {
      heads[headAt + HEAD.NAME] = IN_TEXTS
      texts.push(name)
    } else nameParts.push(name, NAME_END)
    let path = IN_TEXTS
    if (parent !== null && dirpath.startsWith(parent) && dirpath.endsWith(name)) {
      const between = dirpath.length - parent.length - name.length
      if (between === 0) path = 0
      else if (between === 1) path = dirpath.charCodeAt(parent.length)
    }
    heads[headAt + HEAD.PATH] = path
    if (path === IN_TEXTS) texts.push(dirpath)
    dirIndex.set(dirpath, dirIndex.size)
    heads[headAt + HEAD.DIRNAMES] = item.dirnames.length
    heads[headAt + HEAD.EXCLUDED] = item.excluded.length
    heads[headAt + HEAD.FILENAMES] = item.filenames.length
    heads[headAt + HEAD.OWN_RECORDS] = item.ownStat.length / F
    heads[headAt + HEAD.DROPPED] = item.dropped
    const droppedBytesTravel = !Object.is(item.droppedBytes, 0)
    heads[headAt + HEAD.DROPPED_BYTES] = droppedBytesTravel ? 1 : 0
    headAt += HEAD.FIELDS
    letters += item.excluded.length === 0 ? item.dirTypes : yieldedDirTypes(item)
    letters += item.fileTypes
    // join is one native pass per array; a name never contains NAME_END. Excluded names travel in
    // their places, so where each stood costs one letter.
    const dirnames = yieldedDirnames(item)
    if (dirnames.length > 0) nameParts.push(dirnames.join(NAME_END), NAME_END)
    if (item.filenames.length > 0) nameParts.push(item.filenames.join(NAME_END), NAME_END)
    out.numbers.set(item.ownStat, out.numberAt)
    out.numberAt += item.ownStat.length
    if (droppedBytesTravel) out.numbers[out.numberAt++] = item.droppedBytes
    const dev = startDirectory(out, item.ownStat)
    packRecords(item.dirnameStats, item.dirnames.length, dev, out)
    packRecords(item.filenameStats, item.filenames.length, dev, out)
  }
  const numbers = out.numbers.slice(0, out.numberAt)
  const words = out.words.slice(0, out.wordAt)
  const text = nameParts.join('')
  // Bytes, which cross every hop as one copy; UTF-8 would turn a surrogate escape into U+FFFD.
  const names = isWellFormed(text) ? utf8Encoder.encode(text) : text
  const packed: PackedWalkItems = { order, heads, texts, names, letters, shapes, numbers, words, others }
  const transfer = [heads.buffer, shapes.buffer, numbers.buffer, words.buffer]
  if (typeof names !== 'string') transfer.push(names.buffer)
  return { packed, transfer }
}

/**
 * The items packWalkItems packed, in order, each unpacked as it is pulled, so a consumer can spread
 * a large batch over several short tasks (applyInSlices).
 */
export function* unpackWalkItems(packed: PackedWalkItems): Generator<WalkItem, void> {
  const { order, heads, texts, letters, others } = packed
  const text = typeof packed.names === 'string' ? packed.names : utf8Decoder.decode(packed.names)
  const names = text === '' ? [] : text.split(NAME_END)
  let records = 0
  for (let headAt = 0; headAt < heads.length; headAt += HEAD.FIELDS)
    records += heads[headAt + HEAD.DIRNAMES]! + heads[headAt + HEAD.FILENAMES]! + heads[headAt + HEAD.OWN_RECORDS]!
  /** Every record of the batch, whole: the items' stat arrays are views of it. */
  const stats = new Float64Array(records * F)
  const from: PackCursor = {
    shapes: packed.shapes,
    numbers: packed.numbers,
    words: packed.words,
    shapeAt: 0,
    numberAt: 0,
    wordAt: 0,
    ino: 0
  }
  const dirpaths: string[] = []
  let nameAt = 0
  let textAt = 0
  let letterAt = 0
  let statAt = 0
  let headAt = 0
  let otherAt = 0
  for (let i = 0; i < order.length; i++) {
    if (order.charCodeAt(i) !== 100 /* d */) {
      yield others[otherAt++]!
      continue
    }
    const parentHead = heads[headAt + HEAD.PARENT]!
    const parent = parentHead === NO_PARENT ? null : parentHead === IN_TEXTS ? texts[textAt++]! : dirpaths[parentHead]!
    const name = heads[headAt + HEAD.NAME] === IN_NAMES ? names[nameAt++]! : texts[textAt++]!
    const pathHead = heads[headAt + HEAD.PATH]!
    const dirpath =
      pathHead === IN_TEXTS ? texts[textAt++]! : parent! + (pathHead === 0 ? '' : String.fromCharCode(pathHead)) + name
    dirpaths.push(dirpath)
    const dirnameCount = heads[headAt + HEAD.DIRNAMES]!
    const excludedCount = heads[headAt + HEAD.EXCLUDED]!
    const filenameCount = heads[headAt + HEAD.FILENAMES]!
    const ownCount = heads[headAt + HEAD.OWN_RECORDS]!
    const yieldedTypes = letters.slice(letterAt, (letterAt += dirnameCount + excludedCount))
    const { dirnames, dirTypes, excluded, excludedAt } =
      excludedCount === 0
        ? {
            dirnames: names.slice(nameAt, (nameAt += dirnameCount)),
            dirTypes: yieldedTypes,
            excluded: [],
            excludedAt: []
          }
        : splitExcluded(names.slice(nameAt, (nameAt += dirnameCount + excludedCount)), yieldedTypes)
    const filenames = names.slice(nameAt, (nameAt += filenameCount))
    const ownStat = stats.subarray(statAt, (statAt += ownCount * F))
    ownStat.set(packed.numbers.subarray(from.numberAt, (from.numberAt += ownCount * F)))
    const droppedBytes = heads[headAt + HEAD.DROPPED_BYTES] === 0 ? 0 : packed.numbers[from.numberAt++]!
    const dev = startDirectory(from, ownStat)
    const dirnameStats = stats.subarray(statAt, (statAt += dirnameCount * F))
    unpackRecords(dirnameStats, dirnameCount, dev, from)
    const filenameStats = stats.subarray(statAt, (statAt += filenameCount * F))
    unpackRecords(filenameStats, filenameCount, dev, from)
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath,
      parent,
      name,
      dirnames,
      dirTypes,
      excluded,
      excludedAt,
      filenames,
      fileTypes: letters.slice(letterAt, (letterAt += filenameCount)),
      dropped: heads[headAt + HEAD.DROPPED]!,
      droppedBytes,
      ownStat,
      dirnameStats,
      filenameStats
    }
    headAt += HEAD.FIELDS
    yield item
  }
}
