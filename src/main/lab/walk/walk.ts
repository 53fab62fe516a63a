/**
 * A file-system walker with the semantics of Python's `os.walk`, as a plain Node module (usable
 * in a worker thread, no Electron).
 *
 * `walk(top, options)` yields `[dirpath, dirnames, filenames]` like os.walk; `walkEntries` yields
 * the same directories with typed entries and file sizes; `walkColumns` yields what walkEntries
 * does as parallel arrays, without an object per entry. All are views of one traversal core.
 *
 * What is matched from CPython's os.walk (Lib/os.py), precisely:
 * - Entries come in the directory's read order (readdir / os.scandir order), never sorted. Node's
 *   `fs.readdirSync` is NOT usable for this: libuv's uv_fs_scandir sorts names with strcmp. The
 *   native helper's `listDirectory` (one call per directory, see native.ts) and, without it,
 *   `fs.opendirSync` + `Dir#readSync` give the raw OS order.
 * - Classification is `entry.is_dir()`, which follows symlinks: a directory, or a symlink whose
 *   target is a directory, goes to dirnames; everything else (files, broken symlinks, symlink loops,
 *   fifos, sockets, devices) goes to filenames. When asking whether a symlink's target is a
 *   directory fails, the entry is a file (os.walk: "If is_dir() raises an OSError, consider the
 *   entry not to be a directory"). The dirent type is used as is; only symlinks cost a stat
 *   (as in CPython, where is_dir() on a DT_LNK entry stats the target), made as the directory
 *   is listed (listEntries, or the native helper's listing).
 * - Top-down: the directory is yielded before its children, and the children walked are the names
 *   left in dirnames after the consumer resumes the generator (prune by mutating the yielded array
 *   in place, e.g. `dirnames.splice(i, 1)`; reordering or renaming is honoured too). Each name is
 *   joined to dirpath and, unless followlinks, skipped when `islink(path)` (an lstat at descent
 *   time, as in os.walk since bpo-23605), so a symlink to a directory is listed but not descended.
 * - Bottom-up: which subdirectories to walk is decided while listing, from the entry itself
 *   (`followlinks or not entry.is_symlink()`), then the directory is yielded after them. Mutating
 *   dirnames has no effect there (as in Python).
 * - Errors: if a directory cannot be opened or read, `onerror` gets a LabError naming it and the
 *   directory is skipped (not yielded); the walk goes on. If top itself cannot be listed, onerror
 *   is called once and nothing is yielded. An exception thrown by onerror ends the walk (as in
 *   Python), so `onerror: (e) => { throw e }` makes errors fatal.
 * - dirpath is `os.path.join(parent, name)`: no separator is added when parent already ends with
 *   one; top is used exactly as given (not normalised, not resolved). Like os.walk's path-like
 *   top, a Buffer (raw bytes, decoded as os.fsdecode does) or a file: URL is accepted too; the
 *   walk yields strings either way.
 *
 * Deliberate differences from os.walk:
 * - Cycles: with followlinks, Python's os.walk recurses through a symlink cycle until the path gets
 *   too long (ELOOP/ENAMETOOLONG). We never enter a directory whose device+inode is already one of
 *   the directories on the current path from top (its ancestors): the name is still listed in its
 *   parent's dirnames, but it is neither yielded nor walked, and it is not an error. The same
 *   check, without links, also stops bind-mount loops. A directory reachable by two different
 *   non-cyclic paths (e.g. two links to it) is walked once per path, as in Python.
 * - Names that are not valid UTF-8 are walked as os.walk walks them on Linux: they come out with
 *   surrogate escapes, exactly as Python's os.fsdecode makes them (src/shared/fsNames.ts), and
 *   the walker descends, stats and classifies through their raw bytes (a Buffer path, only for
 *   such paths, so the common case stays fast). Two names that look alike once decoded (b'a\xff'
 *   and 'a\uFFFD') are two different strings. Error messages show such names with U+FFFD; the
 *   error's path keeps the escapes, so it names the same bytes.
 * - Each directory is stat'ed to know its device+inode: one syscall per directory that os.walk
 *   does not make, except top-down without followlinks, where os.walk's own islink lstat serves.
 * - On file systems that give no type in directory entries (DT_UNKNOWN), each such entry is
 *   lstat'ed (an entry that vanished in between is listed as a non-directory, as os.walk does).
 *   Without the native helper, Node does that lstat inside Dir#readSync and fails the whole read
 *   when an entry vanishes: then the directory goes to onerror and is skipped.
 * - `oneFileSystem` keeps the walk on top's device, as `du -x` does (see WalkOptions).
 * - `readAhead` (for consumers that do not change the tree while walking, like the Browse tab):
 *   with the native helper, threads (a ListingPool, native.ts) stat and list the directories the
 *   walk will enter next while the consumer works on the current one; listing is bound by
 *   syscalls, so this is what makes a walk faster than one thread can list. Only what the walk
 *   will enter is queued: top-down, the subdirectories left after the consumer resumes (a pruned
 *   directory is never listed); bottom-up, those decided while listing. The stat that decides
 *   whether a directory is entered (islink, device) is made just before it is listed, and what is
 *   not entered is not listed. What differs is when: a directory may be listed before the
 *   consumer is done with the ones yielded before it, so a change the consumer makes to the tree
 *   (other than pruning) after that may not be seen, where os.walk would see it. That is why it
 *   is not the default. Without the helper, the option changes nothing.
 *   `readAhead: 'subtrees'` goes further, for consumers that never prune either (the walk job
 *   without exclude patterns): as soon as a directory is listed, its subdirectories are queued,
 *   before the consumer has seen it, so the threads work down the tree instead of waiting for
 *   the walk to reach each directory (a walk of /usr has 15,700 small directories, and 6,200 of
 *   them are their parent's first subdirectory, which the walk enters the moment it queues it).
 *   A directory the consumer pruned would have been listed all the same.
 * - A `control` (JobControl) adds cancellation (a LabError 'CANCELLED' is thrown from the
 *   generator) and progress reports; os.walk has neither.
 */
import { lstatSync, opendirSync, statSync, type BigIntStats, type Dirent, type OpenDirOptions } from 'node:fs'
import { constants } from 'node:os'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LabError } from '../../../shared/errors'
import { fsdecode } from '../../../shared/fsNames'
import { toLabError } from '../errors'
import { fsPath } from '../fsPath'
import {
  canListNatively,
  createListingPool,
  DIRENT_TYPE,
  errnoError,
  listDirectory,
  listDirectoryStats,
  POOL_SELF,
  type ListingPool,
  type StatMode,
  type TakenDirectory
} from '../native'
import type { JobControl } from '../progress'
import { inodeNumber } from '../../../shared/inodes'
import { TYPE_LETTER, WALK_STAT, type WalkSkipReason, type WalkStats } from '../../../shared/walkJob'

/** `[dirpath, dirnames, filenames]`, as os.walk yields it. */
export type WalkTriple = [dirpath: string, dirnames: string[], filenames: string[]]

export interface WalkOptions {
  /** Yield a directory before its subdirectories (default true), or after them. */
  topdown?: boolean
  /**
   * Called with a LabError naming the path whenever a directory cannot be listed (or, in
   * walkEntries, a file cannot be sized: then `entry` is 'file', since os.walk itself never stats
   * a file and calls no onerror for one); the walk goes on. Throw from it to stop the walk. For a
   * directory the walk stat'ed but could not list, `self` is that stat: du and ncdu still count
   * its own size.
   */
  onerror?: (error: LabError, self?: EntryStat, entry?: 'file') => void
  /** Walk into symlinks to directories (default false). Cycles are never followed (see above). */
  followlinks?: boolean
  /**
   * Stay on top's file system (default false), like `du -x` and `ncdu -x`: a directory on another
   * device is still listed in its parent's dirnames, but neither yielded nor walked, and it is not
   * an error. os.walk has no such option.
   */
  oneFileSystem?: boolean
  /**
   * Called with the path of a directory listed in dirnames that the walk does not enter: on
   * another device (with oneFileSystem) or a cycle. Not an error; os.walk has no such hook.
   */
  onskip?: (path: string, reason: WalkSkipReason) => void
  /**
   * Cancellation, checked before each directory and every 4096 entries (the generator then throws
   * a LabError 'CANCELLED'), and progress after each directory, in unit 'entries': completed =
   * dirs + files, with stats { dirs: directories listed, files: other entries listed, bytes: sizes
   * of regular files (walkEntries only, 0 for walk), errors: onerror calls }.
   */
  control?: JobControl<WalkStats>
  /**
   * List directories ahead of the consumer in threads (default false; only with the native
   * helper). For consumers that do not change the tree while walking: see the module comment.
   * 'subtrees' lists each directory's subdirectories before the consumer has seen it, for
   * consumers that never remove names from dirnames either.
   */
  readAhead?: boolean | 'subtrees'
}

/** What an entry is, from the entry itself (not following a symlink). */
export type WalkEntryType = 'dir' | 'file' | 'symlink' | 'other'

export interface WalkEntry {
  name: string
  /** 'other' is a fifo, socket or device. */
  type: WalkEntryType
  /** For a symlink: whether its target is a directory (then it is in `dirs`). False otherwise. */
  targetIsDir: boolean
  /** For a regular file: its size in bytes. 0 for everything else, symlinks included (so bytes are counted once). */
  size: number
  /**
   * What du and ncdu count, from an lstat of the entry itself (a symlink is not followed); all 0
   * for an entry in `dirs` (its own WalkDir.self tells, once it is walked) and when lstat failed.
   */
  stat: EntryStat
}

/** The fields of an lstat (or stat) that du and ncdu use. */
export interface EntryStat {
  /** st_size: the apparent size, a symlink's included (the length of its target). */
  apparentSize: number
  /** st_blocks × 512: the disk usage, as `du` counts it. */
  diskUsage: number
  dev: number
  ino: number
  /** st_nlink: above 1 for a file with hard links, which du counts once per (dev, ino). */
  nlink: number
}

const NO_STAT: EntryStat = Object.freeze({ apparentSize: 0, diskUsage: 0, dev: 0, ino: 0, nlink: 0 })

/** One directory as `walkEntries` yields it; `dirs` and `files` split exactly like dirnames and filenames. */
export interface WalkDir {
  dirpath: string
  /** The directory's own stat (as it was entered: lstat'ed top-down without followlinks, else stat'ed). */
  self: EntryStat
  /** Directories and symlinks to directories. Prune in top-down mode by mutating this array in place. */
  dirs: WalkEntry[]
  files: WalkEntry[]
}

/**
 * One directory as `walkColumns` yields it: what a WalkDir holds, as parallel arrays (a name, a
 * type letter and a WALK_STAT record per entry) rather than an object per entry, for walks of
 * hundreds of thousands of entries (the walk job's items are made of these arrays).
 */
export interface WalkDirColumns {
  dirpath: string
  /** The directory's own stat (WalkDir.self) as one WALK_STAT record. */
  ownStat: Float64Array
  /**
   * The names of WalkDir.dirs. Prune in top-down mode by mutating or replacing this array (the
   * walk reads it back after the yield); dirTypes and dirnameStats are not read back.
   */
  dirnames: string[]
  /** One letter per dirname: 'd' a directory, 'l' a symlink to a directory. */
  dirTypes: string
  /** One WALK_STAT record per dirname: WalkEntry.stat. */
  dirnameStats: Float64Array
  filenames: string[]
  /** One letter per filename: 'f' a regular file, 'l' a symlink, 'o' a fifo, socket or device. */
  fileTypes: string
  /** One WALK_STAT record per filename: WalkEntry.stat. */
  filenameStats: Float64Array
  /** The sizes of the regular files among filenames (their WalkEntry.size). */
  bytes: number
}

/** What os.walk accepts as top: a path string, its raw bytes, or a file: URL. */
export type WalkTop = string | Buffer | URL

/** os.walk: yields `[dirpath, dirnames, filenames]` for each directory under top (see the module comment). */
export function walk(top: WalkTop, options?: WalkOptions): Generator<WalkTriple, void, undefined> {
  return traverse(topPath(top), options, tripleView)
}

/**
 * The same walk as `walk`, with an entry per name carrying its type, for regular files its size,
 * and what du and ncdu count (EntryStat): one lstat per entry that is not a directory, none to
 * learn a type the directory entry already gives; each directory carries its own stat. Progress
 * counts `bytes` as the sum of the regular files' sizes.
 */
export function walkEntries(top: WalkTop, options?: WalkOptions): Generator<WalkDir, void, undefined> {
  return traverse(topPath(top), options, entriesView)
}

/**
 * The same walk as `walkEntries`, each directory as parallel arrays (WalkDirColumns): the same
 * names, order, stats, sizes, errors and progress.
 */
export function walkColumns(top: WalkTop, options?: WalkOptions): Generator<WalkDirColumns, void, undefined> {
  return traverse(topPath(top), options, columnsView())
}

/** top as the path string the walk joins names to: raw bytes decoded as os.fsdecode, a file: URL as its path. */
function topPath(top: WalkTop): string {
  if (Buffer.isBuffer(top)) return fsdecode(top)
  if (top instanceof URL) {
    if (isWindows) return fileURLToPath(top)
    if (top.protocol !== 'file:' || (top.host !== '' && top.host !== 'localhost')) {
      throw new LabError('INVALID_ARGUMENT', `${top.href}: only file: URLs on this machine name a folder to walk`)
    }
    if (/%2f/i.test(top.pathname))
      throw new LabError('INVALID_ARGUMENT', `${top.href}: a file: URL path must not contain an encoded '/'`)
    // A parsed URL's path is ASCII with percent-escapes for bytes (any bytes, as in a name that is not UTF-8).
    return fsdecode(
      Buffer.from(
        top.pathname.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1'
      )
    )
  }
  return top
}

/**
 * Checks that top can be walked, for the walk CLI, which refuses such a top before it prints or
 * writes anything. The walk itself does not need it: it passes that error to onerror, as os.walk.
 * Throws a LabError naming the path: NOT_FOUND, NOT_A_DIRECTORY, PERMISSION_DENIED, or
 * INVALID_ARGUMENT (empty path, NUL character, symlink loop, name too long).
 */
export function checkWalkRoot(top: string): void {
  checkTopArgument(top)
  if (top === '') throw new LabError('INVALID_ARGUMENT', 'No folder was given to walk.')
  let stats
  try {
    stats = statSync(fsPath(top))
  } catch (error) {
    throw toLabError(error, top)
  }
  if (!stats.isDirectory()) throw new LabError('NOT_A_DIRECTORY', `${top}: is not a directory`, top)
  try {
    opendirSync(fsPath(top)).closeSync()
  } catch (error) {
    throw toLabError(error, top)
  }
}

// ---------------------------------------------------------------------------------------------
// The core: one traversal, parameterised by a view that decides what a listing looks like.

/** How a listing is built from entries and what the consumer left to descend into. */
interface View<L> {
  /** Whether the listing must give each entry's stat (listEntries' `stats`). */
  readonly stats: boolean
  /** Begins the listing of a directory of `count` entries. */
  start(dirpath: string, self: EntryStat | undefined, count: number): L
  /**
   * Records one entry (`type` is a DIRENT_TYPE code; with `stats`, its WALK_STAT.FIELDS numbers
   * start at stats[at]); returns the bytes it accounts for.
   */
  add(
    list: L,
    dirpath: string,
    name: string,
    type: number,
    stats: ArrayLike<number> | undefined,
    at: number,
    isDir: boolean,
    isLink: boolean,
    state: WalkState
  ): number
  /** Completes the listing once every entry is added, before it is yielded. */
  end?(list: L): void
  /** Top-down, after the yield: the subdirectory names to walk, in order (after any pruning). */
  subdirs(list: L): readonly string[]
}

const tripleView: View<WalkTriple> = {
  stats: false,
  start: (dirpath) => [dirpath, [], []],
  add(list, _dirpath, name, _type, _stats, _at, isDir) {
    if (isDir) list[1].push(name)
    else list[2].push(name)
    return 0
  },
  // Read back from the triple, so replacing the array (`triple[1] = [...]`) works as well as splicing it.
  subdirs: (list) => list[1]
}

const entriesView: View<WalkDir> = {
  stats: true,
  start: (dirpath, self) => ({ dirpath, self: self ?? NO_STAT, dirs: [], files: [] }),
  add(list, dirpath, name, type, stats, at, isDir, isLink, state) {
    const first = stats![at]!
    // A symlink to a directory is lstat'ed as a link; a real directory's stat comes when it is entered.
    const stat =
      first < 0 || (isDir && !isLink)
        ? NO_STAT
        : {
            apparentSize: first,
            diskUsage: stats![at + WALK_STAT.DISK_USAGE]!,
            dev: stats![at + WALK_STAT.DEV]!,
            ino: stats![at + WALK_STAT.INO]!,
            nlink: stats![at + WALK_STAT.NLINK]!
          }
    if (isDir) {
      list.dirs.push({ name, type: isLink ? 'symlink' : 'dir', targetIsDir: isLink, size: 0, stat })
      return 0
    }
    if (isLink) {
      list.files.push({ name, type: 'symlink', targetIsDir: false, size: 0, stat })
      return 0
    }
    if (type !== DIRENT_TYPE.FILE) {
      list.files.push({ name, type: 'other', targetIsDir: false, size: 0, stat })
      return 0
    }
    const size = regularFileSize(dirpath, name, first, state)
    list.files.push({ name, type: 'file', targetIsDir: false, size, stat })
    return size
  },
  subdirs: (list) => list.dirs.map((entry) => entry.name)
}

const NO_RECORDS = new Float64Array(0)

/** Doubles per slab that walkColumns cuts directories' records from (256 KiB). */
const RECORD_SLAB_LENGTH = 1 << 15

/**
 * walkColumns' view. A directory's records live in one array sized from its entry count: its own
 * stat, then the files' records from the front and the dirs' from the back (turned around once
 * listed). That array is cut from a slab shared by many directories (a directory bigger than a
 * quarter of a slab gets its own): V8 tracks and sweeps every buffer, and a buffer for each of
 * /usr's 15,700 directories cost more than views of a few slabs. The traversal builds one listing
 * at a time, so the one being built is kept here.
 */
function columnsView(): View<WalkDirColumns> {
  const F = WALK_STAT.FIELDS
  let records = NO_RECORDS
  let count = 0
  let slab = NO_RECORDS
  let slabAt = 0
  /** `length` zeroed doubles, from the slab when they fit in a quarter of one. */
  const recordsFor = (length: number): Float64Array<ArrayBuffer> => {
    if (length > RECORD_SLAB_LENGTH / 4) return new Float64Array(length)
    if (slabAt + length > slab.length) {
      slab = new Float64Array(RECORD_SLAB_LENGTH)
      slabAt = 0
    }
    return slab.subarray(slabAt, (slabAt += length))
  }
  // Type letters are gathered as bytes and made into one string per directory: appending them
  // one by one would make a string object per entry.
  let dirLetters = Buffer.alloc(0)
  let fileLetters = Buffer.alloc(0)
  return {
    stats: true,
    start(dirpath, self, entries) {
      count = entries
      records = recordsFor((1 + entries) * F)
      if (fileLetters.length < entries) {
        dirLetters = Buffer.allocUnsafe(Math.max(entries, 2 * fileLetters.length))
        fileLetters = Buffer.allocUnsafe(dirLetters.length)
      }
      if (self !== undefined) writeStatRecord(self, records, 0)
      return {
        dirpath,
        ownStat: records.subarray(0, F),
        dirnames: [],
        dirTypes: '',
        dirnameStats: NO_RECORDS,
        filenames: [],
        fileTypes: '',
        filenameStats: NO_RECORDS,
        bytes: 0
      }
    },
    add(list, dirpath, name, type, stats, at, isDir, isLink, state) {
      const first = stats![at]!
      if (isDir) {
        // As in entriesView: a real directory's record stays zeros, a symlink to one has its lstat.
        if (isLink && first >= 0) copyRecord(stats!, at, records, (count - list.dirnames.length) * F)
        dirLetters[list.dirnames.length] = isLink ? TYPE_LETTER.LINK : TYPE_LETTER.DIR
        list.dirnames.push(name)
        return 0
      }
      if (first >= 0) copyRecord(stats!, at, records, (1 + list.filenames.length) * F)
      const letter = isLink ? TYPE_LETTER.LINK : type === DIRENT_TYPE.FILE ? TYPE_LETTER.FILE : TYPE_LETTER.OTHER
      fileLetters[list.filenames.length] = letter
      list.filenames.push(name)
      if (letter !== TYPE_LETTER.FILE) return 0
      const size = regularFileSize(dirpath, name, first, state)
      list.bytes += size
      return size
    },
    end(list) {
      const dirsFrom = (1 + list.filenames.length) * F
      for (let low = dirsFrom, high = count * F; low < high; low += F, high -= F) {
        for (let field = 0; field < F; field++) {
          const swapped = records[low + field]!
          records[low + field] = records[high + field]!
          records[high + field] = swapped
        }
      }
      list.filenameStats = records.subarray(F, dirsFrom)
      list.dirnameStats = records.subarray(dirsFrom)
      list.dirTypes = dirLetters.toString('latin1', 0, list.dirnames.length)
      list.fileTypes = fileLetters.toString('latin1', 0, list.filenames.length)
      records = NO_RECORDS
    },
    // Read back from the listing, so replacing the array works as well as splicing it.
    subdirs: (list) => list.dirnames
  }
}

/** Writes an EntryStat as the WALK_STAT record at target[to]. */
export function writeStatRecord(stat: EntryStat, target: Float64Array, to: number): void {
  target[to + WALK_STAT.APPARENT_SIZE] = stat.apparentSize
  target[to + WALK_STAT.DISK_USAGE] = stat.diskUsage
  target[to + WALK_STAT.DEV] = stat.dev
  target[to + WALK_STAT.INO] = stat.ino
  target[to + WALK_STAT.NLINK] = stat.nlink
}

/** Copies the WALK_STAT record at stats[at] to target[to]. */
function copyRecord(stats: ArrayLike<number>, at: number, target: Float64Array, to: number): void {
  for (let field = 0; field < WALK_STAT.FIELDS; field++) target[to + field] = stats[at + field]!
}

/** A regular file's size from its lstat's first number; when that lstat failed (minus its errno), onerror gets it and the size is 0. */
function regularFileSize(dirpath: string, name: string, first: number, state: WalkState): number {
  if (first >= 0) return first
  const path = joinPath(dirpath, name)
  state.fail(toLabError(errnoError(-first, 'lstat', path), path), undefined, 'file')
  return 0
}

const { ENOENT, EIO } = constants.errno
/**
 * Small buffers are faster: Dir#readSync hands out entries by Array#shift on the buffered batch,
 * which gets slower as the batch grows (measured on 200k entries: 32 is the sweet spot).
 */
const DIR_OPTIONS: OpenDirOptions = { bufferSize: 32 }
const NO_THROW_IF_MISSING = { throwIfNoEntry: false } as const
const BIGINT_NO_THROW = { bigint: true, throwIfNoEntry: false } as const
const CANCEL_CHECK_MASK = 4095

class WalkState {
  dirs = 0
  files = 0
  bytes = 0
  errors = 0

  constructor(
    readonly top: string,
    readonly onerror: WalkOptions['onerror'],
    readonly control: JobControl<WalkStats> | undefined
  ) {}

  fail(error: LabError, self?: EntryStat, entry?: 'file'): void {
    this.errors++
    this.report()
    if (this.onerror !== undefined) this.onerror(error, self, entry)
  }

  checkCancelled(): void {
    if (this.control !== undefined && this.control.isCancelled()) {
      this.report()
      throw new LabError('CANCELLED', `Walking ${this.top} was cancelled.`, this.top)
    }
  }

  report(): void {
    if (this.control === undefined) return
    this.control.report({
      completed: this.dirs + this.files,
      unit: 'entries',
      stats: { dirs: this.dirs, files: this.files, bytes: this.bytes, errors: this.errors }
    })
  }
}

/** A directory's own stat, as the walk entered it: what decides whether it is entered, and its EntryStat. */
interface OwnStat {
  isLink: boolean
  dev: number
  /** `dev:ino`, exact (from the integers, not from doubles). */
  key: string
  stat: EntryStat
}

function* traverse<L>(top: string, options: WalkOptions | undefined, view: View<L>): Generator<L, void, undefined> {
  checkTopArgument(top)
  const topdown = options?.topdown ?? true
  const followlinks = options?.followlinks ?? false
  const oneFileSystem = options?.oneFileSystem ?? false
  /** With oneFileSystem: top's device, known once top is stat'ed. */
  let topDevice: number | undefined
  const state = new WalkState(top, options?.onerror, options?.control)
  // Top-down without followlinks, a subdirectory is skipped when it is a symlink at descent time
  // (os.walk's islink check); the lstat that tells also gives its device+inode.
  const lstatChildren = topdown && !followlinks
  const childStatMode: StatMode = lstatChildren ? 'lstat' : 'stat'

  // An explicit stack (like CPython 3.12's os.walk) instead of recursive generators: yield*
  // chains cost a hop per level on every item. Three parallel arrays, no per-item objects.
  const paths: string[] = [top]
  const depths: number[] = [0]
  /** Bottom-up: a listing to yield once its subtree is done, in place of a path to list. */
  const pending: (L | undefined)[] = [undefined]
  /** `dev:ino` of each directory on the current path from top, indexed by depth ('' if unknown). */
  const ancestors: string[] = []
  /** With readAhead (see the module comment): every path pushed to list is queued to it, and taken when popped. */
  const readAhead = options?.readAhead ?? false
  const pool = readAhead === false ? undefined : createListingPool(view.stats, undefined, readAhead === 'subtrees')

  try {
    while (paths.length > 0) {
      const path = paths.pop()!
      const depth = depths.pop()!
      const done = pending.pop()
      if (done !== undefined) {
        yield done
        continue
      }
      state.checkCancelled()

      const names: string[] = []
      const statMode: StatMode = depth > 0 ? childStatMode : 'stat'
      let taken: TakenDirectory | undefined
      let own: OwnStat | undefined
      if (pool === undefined) {
        own = statDirectory(path, statMode)
      } else {
        taken = takeDirectory(pool, path, names, statMode, depth > 0 && oneFileSystem ? topDevice : undefined)
        own = taken.self === undefined ? undefined : poolOwnStat(taken.self, taken.key)
      }
      let key = ''
      if (own !== undefined) {
        if (statMode === 'lstat' && own.isLink) continue
        if (oneFileSystem) {
          if (depth === 0) topDevice = own.dev
          else if (own.dev !== topDevice) {
            // A mount point (or a link to another device): listed, not entered.
            options?.onskip?.(path, 'otherFileSystem')
            continue
          }
        }
        // An inode of 0 says nothing (some Windows file systems give none): such folders are no cycle.
        key = own.key.endsWith(':0') ? '' : own.key
      }
      ancestors.length = depth
      if (key !== '' && ancestors.includes(key)) {
        options?.onskip?.(path, 'cycle') // see the module comment
        continue
      }
      ancestors.push(key)

      let listing: Listing
      try {
        listing = taken === undefined ? listEntries(path, names, view.stats) : takenListing(taken, path)
      } catch (error) {
        // os.walk skips a directory whose listing failed, even part way, yielding nothing for it.
        // Its own stat still counts, as in du; not a top that is a file (ENOTDIR): it is no folder.
        const failure = toLabError(error, path)
        state.fail(failure, failure.code === 'NOT_A_DIRECTORY' ? undefined : own?.stat)
        continue
      }
      const { types, stats: entryStats } = listing
      const count = names.length
      const list = view.start(path, own?.stat, count)
      /** Bottom-up: the subdirectories to walk, decided from each entry as os.walk does. */
      const walkInto: string[] = []
      /** Symlinks to directories, which a pool listing ahead has not queued (only real directories). */
      let linksToDirectories: Set<string> | undefined
      let dirCount = 0
      for (let i = 0; i < count; i++) {
        const name = names[i]!
        const type = types[i]!
        let isDir = false
        let isLink = false
        if (type === DIRENT_TYPE.DIR) isDir = true
        else if (type === DIRENT_TYPE.LINK_TO_DIR) isDir = isLink = true
        else if (type === DIRENT_TYPE.LINK) isLink = true
        state.bytes += view.add(list, path, name, type, entryStats, i * WALK_STAT.FIELDS, isDir, isLink, state)
        if (isDir) {
          dirCount++
          if (!topdown && (followlinks || !isLink)) walkInto.push(name)
          if (isLink) (linksToDirectories ??= new Set()).add(name)
        }
        if (((i + 1) & CANCEL_CHECK_MASK) === 0) state.checkCancelled()
      }
      view.end?.(list)
      state.dirs++
      state.files += count - dirCount
      state.report()

      let children: readonly string[]
      if (topdown) {
        yield list
        children = view.subdirs(list)
      } else {
        paths.push(path)
        depths.push(depth)
        pending.push(list)
        children = walkInto
      }
      // Pushed in reverse, so the first is popped (walked) first; queued to the pool in that order.
      const from = paths.length
      /** The children that are symlinks, in the order pushed. */
      let links: string[] | undefined
      for (let i = children.length - 1; i >= 0; i--) {
        const child = joinPath(path, children[i]!)
        paths.push(child)
        depths.push(depth + 1)
        pending.push(undefined)
        if (linksToDirectories?.has(children[i]!) === true) (links ??= []).push(child)
      }
      if (pool !== undefined && paths.length > from) {
        const device = oneFileSystem ? topDevice : undefined
        // A pool listing ahead queued the real directories when it listed this one: only the links are left.
        if (taken?.subdirectoriesQueued !== true) pool.prefetch(paths, from, childStatMode, device)
        else if (links !== undefined) pool.prefetch(links, 0, childStatMode, device)
      }
    }
    state.report()
  } finally {
    // Also when the consumer stops early (return), an error or cancellation ends the walk.
    pool?.close()
  }
}

/** Without read-ahead: the directory's own stat from Node (BigInt, so the key is exact); undefined when it fails. */
function statDirectory(path: string, statMode: StatMode): OwnStat | undefined {
  let stats: BigIntStats | undefined
  try {
    const target = fsPath(path)
    stats = statMode === 'lstat' ? lstatSync(target, BIGINT_NO_THROW) : statSync(target, BIGINT_NO_THROW)
  } catch {
    stats = undefined // as os.path.islink: an error means "not a link"; listing will report it
  }
  if (stats === undefined) return undefined
  return {
    isLink: stats.isSymbolicLink(),
    dev: Number(stats.dev),
    key: `${stats.dev}:${stats.ino}`,
    stat: entryStat(stats)
  }
}

/** pool.take; an error before the pool could stat (a path no bytes name) is the listing's error, as without the pool. */
function takeDirectory(
  pool: ListingPool,
  path: string,
  names: string[],
  statMode: StatMode,
  device: number | undefined
): TakenDirectory {
  try {
    return pool.take(path, names, statMode, device)
  } catch (error) {
    return {
      self: undefined,
      key: '',
      listing: undefined,
      error: error as NodeJS.ErrnoException,
      subdirectoriesQueued: false
    }
  }
}

function poolOwnStat(self: Float64Array, key: string): OwnStat {
  return {
    isLink: self[POOL_SELF.TYPE] === DIRENT_TYPE.LINK,
    dev: self[POOL_SELF.DEV]!,
    key,
    stat: {
      apparentSize: self[POOL_SELF.APPARENT_SIZE]!,
      diskUsage: self[POOL_SELF.DISK_USAGE]!,
      dev: self[POOL_SELF.DEV]!,
      ino: self[POOL_SELF.INO]!,
      nlink: self[POOL_SELF.NLINK]!
    }
  }
}

/** The listing of a directory the pool took, or its error. */
function takenListing(taken: TakenDirectory, path: string): Listing {
  if (taken.error !== undefined) throw taken.error
  // The pool lists whatever the walk enters: it skips exactly what the checks above skip.
  if (taken.listing === undefined) throw new Error(`${path}: the listing pool did not list a directory the walk enters`)
  return taken.listing
}

// ---------------------------------------------------------------------------------------------

function checkTopArgument(top: unknown): asserts top is string {
  if (typeof top !== 'string') throw new LabError('INVALID_ARGUMENT', 'The folder to walk must be given as a path.')
  if (top.includes('\0'))
    throw new LabError('INVALID_ARGUMENT', `${JSON.stringify(top)}: a path cannot contain a NUL character`, top)
}

const isWindows = process.platform === 'win32'

/** os.path.join(dir, name) for a single name without separators. */
function joinPath(dir: string, name: string): string {
  if (dir === '') return name
  const last = dir.charCodeAt(dir.length - 1)
  if (last === 47 /* / */ || (isWindows && (last === 92 /* \ */ || (last === 58 /* : */ && dir.length === 2))))
    return dir + name
  return dir + sep + name
}

/** DIRENT_TYPE codes of a directory's entries and, if asked, WALK_STAT.FIELDS numbers per entry. */
interface Listing {
  types: ArrayLike<number>
  stats?: ArrayLike<number>
}

/**
 * Appends the names in a directory, in read order, to `names` and returns their DIRENT_TYPE codes
 * (a symlink is stat'ed for LINK_TO_DIR, os.walk's is_dir(), as it is listed);
 * `withStats`, also each entry's lstat numbers as listDirectoryStats gives them (native.ts). In one
 * native call where the helper is built, else through Dir#readSync and lstatSync.
 */
function listEntries(path: string, names: string[], withStats: boolean): Listing {
  if (canListNatively) return withStats ? listDirectoryStats(path, names) : { types: listDirectory(path, names) }
  const target = fsPath(path)
  const entries = readEntries(target, 'utf8')
  // Node shows bytes that are not UTF-8 as U+FFFD: only then, list again as bytes to keep them.
  const raw = entries.some((entry) => entry.name.includes('\uFFFD')) ? readEntries(target, 'buffer') : undefined
  const types: number[] = []
  const stats: number[] | undefined = withStats ? [] : undefined
  for (let i = 0; i < (raw ?? entries).length; i++) {
    const dirent = (raw ?? entries)[i]!
    const name = raw === undefined ? (dirent as Dirent).name : fsdecode((dirent as Dirent<Buffer>).name)
    let type: number = direntType(dirent)
    if (type === DIRENT_TYPE.LINK && targetIsDirectory(fsPath(joinPath(path, name)))) type = DIRENT_TYPE.LINK_TO_DIR
    names.push(name)
    types.push(type)
    if (stats !== undefined) {
      if (type === DIRENT_TYPE.DIR) stats.push(0, 0, 0, 0, 0)
      else pushLstat(fsPath(joinPath(path, name)), stats)
    }
  }
  return { types, stats }
}

/** Every entry of a directory, in read order (the OS's), with names as strings or raw bytes. */
function readEntries(path: string | Buffer, encoding: 'utf8' | 'buffer'): (Dirent | Dirent<Buffer>)[] {
  const dir = opendirSync(
    path,
    encoding === 'utf8' ? DIR_OPTIONS : { ...DIR_OPTIONS, encoding: 'buffer' as BufferEncoding }
  )
  const entries: (Dirent | Dirent<Buffer>)[] = []
  try {
    for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) entries.push(dirent)
  } finally {
    try {
      dir.closeSync()
    } catch {
      // Closing a directory we only read cannot lose data; nothing useful to report.
    }
  }
  return entries
}

function direntType(entry: Dirent | Dirent<Buffer>): number {
  if (entry.isFile()) return DIRENT_TYPE.FILE
  if (entry.isDirectory()) return DIRENT_TYPE.DIR
  if (entry.isSymbolicLink()) return DIRENT_TYPE.LINK
  if (entry.isFIFO()) return DIRENT_TYPE.FIFO
  if (entry.isSocket()) return DIRENT_TYPE.SOCKET
  if (entry.isCharacterDevice()) return DIRENT_TYPE.CHAR
  if (entry.isBlockDevice()) return DIRENT_TYPE.BLOCK
  return DIRENT_TYPE.UNKNOWN
}

/** Appends an entry's lstat numbers as the native listing gives them (minus the errno, then zeros, when it fails). */
function pushLstat(path: string | Buffer, stats: number[]): void {
  let info
  try {
    info = lstatSync(path, NO_THROW_IF_MISSING)
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).errno
    stats.push(typeof errno === 'number' ? errno : -EIO, 0, 0, 0, 0)
    return
  }
  if (info === undefined) stats.push(-ENOENT, 0, 0, 0, 0)
  else stats.push(info.size, info.blocks * 512, info.dev, exactInode(path, info.ino), info.nlink)
}

/**
 * An inode number as the stat records keep it (a double): above 2^53 Node's plain stat has rounded
 * it, so neighbouring files would share one and their hard links be counted as one file's (NTFS
 * gives such numbers): they are read again exactly and kept as inodeNumber keeps them.
 */
function exactInode(path: string | Buffer, ino: number): number {
  if (Number.isSafeInteger(ino)) return ino
  try {
    const exact = lstatSync(path, BIGINT_NO_THROW)
    return exact === undefined ? ino : inodeNumber(exact.ino)
  } catch {
    return ino // gone meanwhile: the rounded number is all there is
  }
}

/** The EntryStat of a directory as the walker stat'ed it. */
function entryStat(stats: BigIntStats): EntryStat {
  return {
    apparentSize: Number(stats.size),
    diskUsage: Number(stats.blocks) * 512,
    dev: Number(stats.dev),
    ino: inodeNumber(stats.ino),
    nlink: Number(stats.nlink)
  }
}

/** entry.is_dir() for a symlink: stat the target; any error means "not a directory". */
function targetIsDirectory(path: string | Buffer): boolean {
  try {
    return statSync(path, NO_THROW_IF_MISSING)?.isDirectory() ?? false
  } catch {
    return false
  }
}
