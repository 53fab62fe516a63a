/**
 * The optional native helper (`native/`, package @yield-lab/native, built by `npm install` with a
 * C compiler, see native/build.cjs): a one-call directory listing for the walker, threads that
 * list ahead of it (ListingPool), and huge-page advice and parallel reads for eager reads.
 * When it is missing (no compiler where the app was installed, or Windows, where it has no
 * listing), everything works through Node's fs, only slower. YIELD_LAB_NATIVE=off in the
 * environment forces the fallback (the tests run both ways).
 */
import { createRequire } from 'node:module'
import { getSystemErrorMap } from 'node:util'
import { fsdecode } from '../../shared/fsNames'
import { WALK_STAT } from '../../shared/walkJob'
import { fsPath } from './fsPath'

/** The helper's API, as its package declares it (native/index.d.ts). */
type NativeHelper = typeof import('@yield-lab/native')

/** The helper, or why it is not loaded (its package's error names the reason its build failed). */
function load(): NativeHelper | string {
  if (process.env.YIELD_LAB_NATIVE === 'off') return 'YIELD_LAB_NATIVE=off'
  try {
    // YIELD_LAB_NATIVE_BUILD names another build of the helper (scripts/native-sanitize.sh tests one built with sanitizers).
    return createRequire(import.meta.url)(process.env.YIELD_LAB_NATIVE_BUILD ?? '@yield-lab/native') as NativeHelper
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const loaded = load()
const helper = typeof loaded === 'string' ? undefined : loaded

/** Whether the native helper is loaded. */
export const nativeHelperLoaded = helper !== undefined

/** Why it is not loaded, e.g. "Yield Lab native helper unavailable: not built: no C compiler found (tried cc)"; '' when it is. */
export const nativeHelperProblem = typeof loaded === 'string' ? loaded : ''

/** Its directory listing, listing pool and parallel reads, where it has them (not on Windows). */
export const canListNatively = helper !== undefined && process.platform !== 'win32'
export const canReadInParallel = canListNatively

/**
 * The entry types a listing gives: libuv's uv_dirent_type_t values (Node's fs.constants.UV_DIRENT_*),
 * and LINK_TO_DIR, a symlink whose target is a directory (os.walk's is_dir() follows symlinks;
 * LINK is one whose target is anything else or cannot be stat'ed).
 */
export const DIRENT_TYPE = {
  UNKNOWN: 0,
  FILE: 1,
  DIR: 2,
  LINK: 3,
  FIFO: 4,
  SOCKET: 5,
  CHAR: 6,
  BLOCK: 7,
  LINK_TO_DIR: 8
} as const

/** Node's own names and messages for system errors, keyed by negative errno. */
const systemErrors = getSystemErrorMap()

/**
 * Appends the names in a directory, in read order, to `names` and returns their DIRENT_TYPE codes
 * (an entry of unknown type is lstat'ed for it; one that vanished stays UNKNOWN). With `sizes`,
 * appends one number per name too: a regular file's size, minus the errno of its failed lstat
 * (e.g. -2 when it vanished), 0 for other entries. Throws an error shaped like Node's fs errors
 * (code, errno, syscall, path), so toLabError names the problem. Only call when `canListNatively`.
 */
export function listDirectory(path: string, names: string[], sizes?: number[]): number[] {
  return parseListing(
    callHelper(path, (native) => native.listDirectory(fsPath(path), sizes !== undefined)),
    names,
    sizes
  )
}

/**
 * Like `listDirectory` without sizes, plus five numbers per entry (WALK_STAT, src/shared/walkJob.ts) from an lstat of
 * each entry that is not a directory: apparent size, disk usage (st_blocks × 512), device, inode
 * and link count (minus the errno then zeros when that lstat failed; zeros for a directory).
 * Only call when `canListNatively`.
 */
export function listDirectoryStats(path: string, names: string[]): { types: number[]; stats: Float64Array } {
  const [listing, stats] = callHelper(path, (native) => native.listDirectoryStats(fsPath(path)))
  return { types: parseListing(listing, names, undefined), stats: new Float64Array(stats) }
}

function parseListing(listing: string, names: string[], sizes: number[] | undefined): number[] {
  // Entries are "<type digit>[<size>:]<name>/", or "<type letter>[<size>:]<hex of the name's bytes>/"
  // for a name that is not valid UTF-8 (see native/index.d.ts).
  const types: number[] = []
  for (let start = 0; start < listing.length;) {
    const code = listing.charCodeAt(start)
    const raw = code >= 65 /* A */
    types.push(code - (raw ? 65 : 48))
    let nameStart = start + 1
    if (sizes !== undefined) {
      const colon = listing.indexOf(':', nameStart)
      sizes.push(colon === nameStart ? 0 : Number(listing.slice(nameStart, colon)))
      nameStart = colon + 1
    }
    const end = listing.indexOf('/', nameStart)
    names.push(raw ? fsdecode(Buffer.from(listing.slice(nameStart, end), 'hex')) : listing.slice(nameStart, end))
    start = end + 1
  }
  return types
}

/** The numbers of a directory's own stat as a ListingPool gives them (native/index.d.ts, ListingPool.take). */
export const POOL_SELF = { ERRNO: 0, TYPE: 1, APPARENT_SIZE: 2, DISK_USAGE: 3, DEV: 4, INO: 5, NLINK: 6 } as const
const SELF_FIELDS = Object.keys(POOL_SELF).length
/** A pool's scratch for take: a directory's own stat and the stats of up to 6,500 entries (a bigger one gets buffers of its own). */
const TAKE_SCRATCH_BYTES = 1 << 18

export type StatMode = 'lstat' | 'stat'

/** A directory as a ListingPool hands it over. */
export interface TakenDirectory {
  /** Its own (l)stat as POOL_SELF numbers; undefined when the stat failed. Like `listing.stats`, valid until the next take. */
  self: Float64Array | undefined
  /** "dev:ino" of that stat, exact ('' when it failed). */
  key: string
  /** DIRENT_TYPE codes of the names appended and, in a pool with stats, listDirectoryStats' numbers; undefined when not listed or listing failed. */
  listing: { types: number[]; stats: Float64Array | undefined } | undefined
  /** Why listing failed, as Node's fs would throw it. */
  error: NodeJS.ErrnoException | undefined
  /** In a pool that lists ahead: the subdirectories its listing names (not symlinks) are queued already. */
  subdirectoriesQueued: boolean
}

/**
 * Threads that stat and list directories ahead of a walker (native/index.d.ts, ListingPool): queue
 * the directories it will enter, most needed last; take each when it gets there.
 */
export interface ListingPool {
  /** Queues paths[from..] (each to be stat'ed with statMode and, when `device` is given, not listed if on another device). */
  prefetch(paths: readonly string[], from: number, statMode: StatMode, device: number | undefined): void
  /**
   * The directory at `path`, its names appended to `names`; stat'ed and listed right here if it was
   * never queued. Its numbers (`self`, `listing.stats`) may be views of memory the next take reuses.
   */
  take(path: string, names: string[], statMode: StatMode, device: number | undefined): TakenDirectory
  /** Drops what is not taken and stops the threads. */
  close(): void
  /** What it holds and what its threads do (native/index.d.ts, ListingPoolState), for tests of its bounds. */
  state(): ListingPoolState
}

export type ListingPoolState = import('@yield-lab/native').ListingPoolState

let openPools = 0

/** How many listing pools are open (created and not closed), so tests can see that every walk closes its own. */
export function openListingPools(): number {
  return openPools
}

/**
 * A listing pool whose listings carry listDirectoryStats' numbers if `withStats`, or undefined
 * without the helper's listing (`canListNatively`). `threads` (1 to 4) overrides the number of
 * threads (online cores, at most 4), for tests. `listAhead`: queue each listing's subdirectories as
 * soon as it is made (native/index.d.ts, createListingPool).
 */
export function createListingPool(withStats: boolean, threads?: number, listAhead = false): ListingPool | undefined {
  if (!canListNatively) return undefined
  const pool = helper!.createListingPool(threads, withStats, listAhead)
  let open = true
  // Each take writes a directory's numbers here when they fit, rather than into two new
  // ArrayBuffers: a walk of /usr takes 15,700 directories, and V8 sweeps every buffer made.
  const scratch = new ArrayBuffer(TAKE_SCRATCH_BYTES)
  const scratchSelf = new Float64Array(scratch, 0, SELF_FIELDS)
  /** A take's `self`: the scratch's numbers when take wrote them there, else its own buffer's. */
  const selfOf = (self: ArrayBuffer): Float64Array | undefined =>
    ownStat(self === scratch ? scratchSelf : new Float64Array(self))
  openPools++
  return {
    prefetch(paths, from, statMode, device) {
      const targets: (string | Buffer)[] = []
      for (let i = from; i < paths.length; i++) {
        try {
          targets.push(fsPath(paths[i]!))
        } catch {
          // A name no bytes decode to (a consumer may rename dirnames): take reports it when the walk gets there.
        }
      }
      pool.prefetch(targets, statMode, device)
    },
    take(path, names, statMode, device) {
      let taken
      try {
        taken = pool.take(fsPath(path), statMode, device, scratch)
      } catch (error) {
        const failure = error as { errno?: unknown; syscall?: unknown; self?: unknown; key?: unknown }
        if (typeof failure.errno !== 'number' || !(failure.self instanceof ArrayBuffer)) throw error
        return {
          self: selfOf(failure.self),
          key: String(failure.key),
          listing: undefined,
          error: errnoError(failure.errno, String(failure.syscall), path),
          subdirectoriesQueued: false
        }
      }
      const [listing, stats, self, key, subdirectoriesQueued] = taken
      const types = listing === null ? undefined : parseListing(listing, names, undefined)
      return {
        self: selfOf(self),
        key,
        listing:
          types === undefined
            ? undefined
            : {
                types,
                stats:
                  stats === null
                    ? undefined
                    : stats === scratch
                      ? new Float64Array(
                          scratch,
                          SELF_FIELDS * Float64Array.BYTES_PER_ELEMENT,
                          types.length * WALK_STAT.FIELDS
                        )
                      : new Float64Array(stats)
              },
        error: undefined,
        subdirectoriesQueued
      }
    },
    close() {
      if (!open) return
      open = false
      openPools--
      pool.close()
    },
    state() {
      return pool.state()
    }
  }
}

function ownStat(numbers: Float64Array): Float64Array | undefined {
  return numbers[POOL_SELF.ERRNO] === 0 ? numbers : undefined
}

/** Calls the helper, turning the errors it throws (errno, syscall) into Node-style fs errors naming `path`. */
function callHelper<T>(path: string, call: (native: NativeHelper) => T): T {
  try {
    return call(helper!)
  } catch (error) {
    const errno = (error as { errno?: unknown }).errno
    if (typeof errno !== 'number') throw error
    throw errnoError(errno, String((error as { syscall?: unknown }).syscall), path)
  }
}

/** The error Node's fs would throw for a positive errno, e.g. "ENOENT: no such file or directory, opendir '/x'". */
export function errnoError(errno: number, syscall: string, path: string): NodeJS.ErrnoException {
  const [code, description] = systemErrors.get(-errno) ?? [`E${errno}`, `error ${errno}`]
  return Object.assign(new Error(`${code}: ${description}, ${syscall} '${path}'`), {
    code,
    errno: -errno,
    syscall,
    path
  })
}

/** Like numpy, advise only buffers of 4 MiB and more: for less, huge pages save next to nothing. */
const HUGE_PAGE_ADVICE_MIN_BYTES = 4 * 1024 * 1024

/**
 * Asks for transparent huge pages behind a fresh buffer of 4 MiB or more before it is filled
 * (Linux; numpy does the same for its arrays): faulting in 4 KiB pages costs more than reading a
 * cached file. Returns whether the advice was taken.
 */
export function adviseHugePages(buffer: ArrayBuffer): boolean {
  return helper !== undefined && buffer.byteLength >= HUGE_PAGE_ADVICE_MIN_BYTES && helper.adviseHugePages(buffer)
}

/**
 * Reads `length` bytes of the open file `fd` at `position` into `target`, with up to four threads
 * on parts of at least 4 MiB (copying from the page cache is bound by one core's speed). Returns
 * the bytes read without a gap from the start: fewer than `length` only when the file ended
 * early. Throws like Node's readSync. Only call when `canReadInParallel`. `threads` (1 to 4) fixes
 * the number of parts whatever the length and cores, for tests.
 */
export function readParallel(
  fd: number,
  target: Uint8Array,
  length: number,
  position: number,
  path: string,
  threads?: number
): number {
  return callHelper(path, (native) =>
    native.readParallel(fd, target.buffer as ArrayBuffer, target.byteOffset, length, position, threads)
  )
}
