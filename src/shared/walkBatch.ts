/**
 * A batch of walk items (the `walk` and `ncduImport` jobs) packed for the trip from the job
 * worker to the renderer. A walk of /usr yields 15,000 directories naming 140,000 entries: as
 * objects, each name is a string and each directory a handful of arrays, which structured clone
 * (worker to main, Electron's IPC) and JSON (the e2e bridge) copy one by one. Packed, a batch is
 * one string holding every name, a few typed arrays holding every stat record (transferred, not
 * copied), and a small array of per-directory fields and counts. Unpacking gives back items equal
 * to the originals; their stat arrays are views of one buffer per batch.
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
/** In a head's dirTypes, the letter of an excluded name (never a type letter, see TYPE_LETTER). */
const EXCLUDED_LETTER = 'x'
/** Per directory in `heads`: parent, name, path, dirTypes, fileTypes, then the counts below. */
const HEAD_FIELDS = 11

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
  /**
   * HEAD_FIELDS per directory:
   * - its parent: null for top, a number for the directory of that index in this batch, else its path;
   * - its name;
   * - its path: a number when it is the parent's path, that separator (a char code, 0 for none)
   *   and the name joined, else the path itself;
   * - dirTypes, with EXCLUDED_LETTER where an excluded name stood in os.walk's dirnames, and fileTypes;
   * - the counts of dirnames, excluded names, filenames and own stat records, dropped and droppedBytes.
   */
  heads: (string | number | null)[]
  /**
   * Every directory's dirnames as os.walk yielded them (excluded names in their places), then its
   * filenames, each ended by NAME_END.
   */
  names: string
  /** One RECORD_SHAPE per dirname and filename, in the order of `names` (excluded names have no record). */
  shapes: Uint8Array
  /** Each directory's own stat records whole, then per dirname and filename what its shape says. */
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
  const heads: (string | number | null)[] = []
  const others: (WalkErrorItem | WalkSkipItem)[] = []
  const nameParts: string[] = []
  /** The index in this batch of each directory by its path. */
  const dirIndex = new Map<string, number>()
  let entries = 0
  let ownLength = 0
  for (const item of items) {
    if (item.kind !== 'dir') continue
    entries += item.dirnames.length + item.filenames.length
    ownLength += item.ownStat.length
  }
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
  for (const item of items) {
    if (item.kind !== 'dir') {
      order += 'o'
      others.push(item)
      continue
    }
    order += 'd'
    const { dirpath, parent, name } = item
    const parentIndex = parent === null ? undefined : dirIndex.get(parent)
    let path: string | number = dirpath
    if (parent !== null && dirpath.startsWith(parent) && dirpath.endsWith(name)) {
      const between = dirpath.length - parent.length - name.length
      if (between === 0) path = 0
      else if (between === 1) path = dirpath.charCodeAt(parent.length)
    }
    dirIndex.set(dirpath, dirIndex.size)
    heads.push(
      parentIndex ?? parent,
      name,
      path,
      item.excluded.length === 0 ? item.dirTypes : yieldedDirTypes(item),
      item.fileTypes,
      item.dirnames.length,
      item.excluded.length,
      item.filenames.length,
      item.ownStat.length / F,
      item.dropped,
      item.droppedBytes
    )
    // join is one native pass per array; a name never contains NAME_END. Excluded names travel in
    // their places, so where each stood costs one letter of dirTypes.
    const dirnames = yieldedDirnames(item)
    if (dirnames.length > 0) nameParts.push(dirnames.join(NAME_END), NAME_END)
    if (item.filenames.length > 0) nameParts.push(item.filenames.join(NAME_END), NAME_END)
    out.numbers.set(item.ownStat, out.numberAt)
    out.numberAt += item.ownStat.length
    const dev = startDirectory(out, item.ownStat)
    packRecords(item.dirnameStats, item.dirnames.length, dev, out)
    packRecords(item.filenameStats, item.filenames.length, dev, out)
  }
  const numbers = out.numbers.slice(0, out.numberAt)
  const words = out.words.slice(0, out.wordAt)
  const packed: PackedWalkItems = {
    order,
    heads,
    names: nameParts.join(''),
    shapes,
    numbers,
    words,
    others
  }
  return { packed, transfer: [shapes.buffer, numbers.buffer, words.buffer] }
}

/**
 * The items packWalkItems packed, in order, each unpacked as it is pulled, so a consumer can spread
 * a large batch over several short tasks (applyInSlices).
 */
export function* unpackWalkItems(packed: PackedWalkItems): Generator<WalkItem, void> {
  const { order, heads, others } = packed
  const names = packed.names === '' ? [] : packed.names.split(NAME_END)
  let records = 0
  for (let headAt = 0; headAt < heads.length; headAt += HEAD_FIELDS)
    records += (heads[headAt + 5] as number) + (heads[headAt + 7] as number) + (heads[headAt + 8] as number)
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
  let statAt = 0
  let headAt = 0
  let otherAt = 0
  for (let i = 0; i < order.length; i++) {
    if (order.charCodeAt(i) !== 100 /* d */) {
      yield others[otherAt++]!
      continue
    }
    const parentHead = heads[headAt]
    const name = heads[headAt + 1] as string
    const pathHead = heads[headAt + 2]
    const dirnameCount = heads[headAt + 5] as number
    const excludedCount = heads[headAt + 6] as number
    const filenameCount = heads[headAt + 7] as number
    const ownCount = heads[headAt + 8] as number
    const parent = typeof parentHead === 'number' ? dirpaths[parentHead]! : (parentHead as string | null)
    const dirpath =
      typeof pathHead !== 'number'
        ? (pathHead as string)
        : parent! + (pathHead === 0 ? '' : String.fromCharCode(pathHead)) + name
    dirpaths.push(dirpath)
    const yieldedTypes = heads[headAt + 3] as string
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
      fileTypes: heads[headAt + 4] as string,
      dropped: heads[headAt + 9] as number,
      droppedBytes: heads[headAt + 10] as number,
      ownStat,
      dirnameStats,
      filenameStats
    }
    headAt += HEAD_FIELDS
    yield item
  }
}
