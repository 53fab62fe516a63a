/**
 * Lists the directory at `path`: every entry but "." and "..", in read order, each as one
 * character for its type ('0' plus libuv's UV_DIRENT_* code: 0 unknown, 1 file, 2 directory,
 * 3 symlink, 4 fifo, 5 socket, 6 character device, 7 block device; and 8 for a symlink whose
 * target is a directory, which os.walk's is_dir() counts as one: each symlink is stat'ed for
 * it, and one whose target cannot be stat'ed stays 3), then, if `withSizes`, the
 * size of a regular file in decimal (minus the errno when its lstat failed; empty for other
 * entries) and a ':', then its name and a '/'. A name that is not valid UTF-8 has 'A' plus the code
 * as its type character and is written as the hex of its raw bytes. Entries of unknown type are
 * lstat'ed for it. `path` may be a Buffer of raw bytes (a path that is not valid UTF-8). Throws an
 * Error with `errno` (positive) and `syscall` when the directory cannot be opened or read. Not
 * available on Windows (throws there).
 */
export function listDirectory(path: string | Buffer, withSizes: boolean): string

/**
 * The same listing as `listDirectory(path, false)`, with what du and ncdu need of each entry: an
 * ArrayBuffer of five doubles per entry, in listing order, from an lstat of every entry that is
 * not a directory: st_size, st_blocks * 512, st_dev, st_ino, st_nlink. When that lstat failed,
 * the first is minus the errno and the others 0; a directory has all 0 (the walker stats it when
 * it enters it). Throws as listDirectory does.
 */
export function listDirectoryStats(path: string | Buffer): [listing: string, stats: ArrayBuffer]

/**
 * Asks the kernel to back the whole pages of `buffer` that are not touched yet with transparent
 * huge pages (Linux madvise MADV_HUGEPAGE). Returns whether the advice was taken; false on other
 * systems, on kernels without transparent huge pages, and for buffers smaller than a page.
 */
export function adviseHugePages(buffer: ArrayBuffer): boolean

/**
 * Reads `length` bytes of the open file `fd` at `position` into `buffer` at `offset`, split into
 * parts of at least 4 MiB that up to four threads read at once (no more than the online cores).
 * `threads` (1 to 4) sets the number of parts instead, whatever the length and cores (for tests).
 * Returns how many bytes were read without a gap from the start: less than `length` only when
 * the file ended early. Throws an Error with `errno` and `syscall` 'read' when a read fails. Not
 * available on Windows (throws there).
 */
export function readParallel(
  fd: number,
  buffer: ArrayBuffer,
  offset: number,
  length: number,
  position: number,
  threads?: number
): number

/** How a queued directory is stat'ed before it is listed: 'lstat' does not follow a symlink (and does not list one). */
export type StatMode = 'lstat' | 'stat'

/**
 * Directory read-ahead: threads that (l)stat and list the directories a walker will enter next.
 * See createListingPool.
 */
export interface ListingPool {
  /**
   * Queues directories (path strings, or Buffers of raw bytes) to be stat'ed with `statMode`, then
   * listed, most recently queued first. Not listed: a symlink under 'lstat', and, when `device` is
   * given, a directory whose st_dev is another. Throws once the pool is closed.
   */
  prefetch(paths: (string | Buffer)[], statMode: StatMode, device?: number): void
  /**
   * The directory queued with this path, statMode and device, waiting while a thread lists it; one
   * never queued (or not started yet) is stat'ed and listed right here with the given mode and
   * device. Gives listDirectoryStats' [listing, stats] (only the listing, stats null, for a pool
   * made without stats), both null when the directory was not listed; `self`, SELF_FIELDS doubles:
   * the errno of the (l)stat (0 when it worked), the UV_DIRENT type it found, st_size,
   * st_blocks * 512, st_dev, st_ino, st_nlink; and `key`, "st_dev:st_ino" in decimal (exact where
   * the doubles are not; '' when the stat failed). When listing failed, throws as listDirectory
   * does, with `self` and `key` on the error too. With a `scratch` big enough for self and the
   * stats, both are written into it (self first, the stats right after) and it is given back as
   * both `self` and `stats`, rather than two new ArrayBuffers.
   */
  take(
    path: string | Buffer,
    statMode?: StatMode,
    device?: number,
    scratch?: ArrayBuffer
  ): [listing: string | null, stats: ArrayBuffer | null, self: ArrayBuffer, key: string, subdirectoriesQueued: boolean]
  /** Drops what is queued or listed and not taken, and joins the threads. Safe to call twice; prefetch and take throw after it. */
  close(): void
  /** What the pool holds and what its threads do, counted under its lock (ListingPoolState). Throws once the pool is closed. */
  state(): ListingPoolState
}

/**
 * A ListingPool's counts at one moment, so tests can check its bounds without depending on timing:
 * with idleThreads == threads and listing == 0 no thread works or is about to, until the next
 * prefetch or take.
 */
export interface ListingPoolState {
  /** Directories queued that no thread has started. */
  queued: number
  /** Directories a thread is stat'ing and listing. */
  listing: number
  /** Directories listed (or found not to be listed) and not taken. */
  listed: number
  /** The bytes of those listings: text plus stats, as the pool counts them against its bound. */
  listedBytes: number
  /** Threads waiting for work and not woken to any. */
  idleThreads: number
  /** Threads started (none before the first prefetch). */
  threads: number
}

/**
 * A pool of `threads` (1 to 4; by default the online cores, at most 4) that list directories
 * ahead of a walker (ListingPool). The threads start at the first prefetch. A pool that is never
 * closed is closed when it is garbage-collected. `withStats` (default true) lists as
 * listDirectoryStats, false as listDirectory(path, false). `listAhead` (default false): as soon as a
 * queued directory is listed, the subdirectories its listing names (entries of type directory, not
 * symlinks) are queued too, with its statMode and device, and take's `subdirectoriesQueued` says
 * so, for a walker that enters every subdirectory (one it skips would be listed anyway). Not
 * available on Windows (throws there).
 */
export function createListingPool(threads?: number, withStats?: boolean, listAhead?: boolean): ListingPool
