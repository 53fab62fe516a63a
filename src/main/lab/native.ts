/**
 * The optional native helper (`native/`, package @yield-lab/native, built by `npm install` with
 * node-gyp): a one-call directory listing for the walker and huge-page advice for eager reads.
 * When it is missing (no compiler where the app was installed, or Windows, where it has no
 * listing), everything works through Node's fs, only slower. YIELD_LAB_NATIVE=off in the
 * environment forces the fallback (the tests run both ways).
 */
import { createRequire } from 'node:module'
import { constants } from 'node:os'

interface NativeHelper {
  listDirectory(path: string): string
  adviseHugePages(buffer: ArrayBuffer): boolean
}

function load(): NativeHelper | undefined {
  if (process.env.YIELD_LAB_NATIVE === 'off') return undefined
  try {
    return createRequire(import.meta.url)('@yield-lab/native') as NativeHelper
  } catch {
    return undefined
  }
}

const helper = load()

/** Whether the native helper is loaded. */
export const nativeHelperLoaded = helper !== undefined

/** Its directory listing, where it has one (not on Windows). */
export const canListNatively = helper !== undefined && process.platform !== 'win32'

/** The entry types `listDirectory` gives: libuv's uv_dirent_type_t values (Node's fs.constants.UV_DIRENT_*). */
export const DIRENT_TYPE = { UNKNOWN: 0, FILE: 1, DIR: 2, LINK: 3, FIFO: 4, SOCKET: 5, CHAR: 6, BLOCK: 7 } as const

const errnoNames = new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]))

/**
 * Appends the names in a directory, in read order, to `names` and returns their DIRENT_TYPE codes.
 * Throws an error shaped like Node's fs errors (code, errno, syscall, path), so toLabError names
 * the problem. Only call when `canListNatively`.
 */
export function listDirectory(path: string, names: string[]): number[] {
  let listing: string
  try {
    listing = helper!.listDirectory(path)
  } catch (error) {
    const errno = (error as { errno?: unknown }).errno
    if (typeof errno !== 'number') throw error
    const code = errnoNames.get(errno) ?? `E${errno}`
    const syscall = String((error as { syscall?: unknown }).syscall)
    throw Object.assign(new Error(`${code}: ${(error as Error).message}, ${syscall} '${path}'`), { code, errno: -errno, syscall, path })
  }
  // Entries are "<type digit><name>/" (see native/index.d.ts).
  const types: number[] = []
  for (let start = 0; start < listing.length; ) {
    const end = listing.indexOf('/', start)
    types.push(listing.charCodeAt(start) - 48)
    names.push(listing.slice(start + 1, end))
    start = end + 1
  }
  return types
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
