/**
 * Opening a data file without ever blocking: readers only accept regular files. A FIFO, socket
 * or device (e.g. /dev/zero, a named pipe nobody writes to) is refused from its stat, before any
 * open() that could wait forever for a writer or hand out an endless stream.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statfsSync, statSync, type Stats } from 'node:fs'
import { isAbsolute } from 'node:path'
import { LabError } from '../../shared/errors'
import { formatCount } from '../../shared/format'
import { toLabError } from './errors'
import { fsPath } from './fsPath'

export interface OpenedFile {
  readonly fd: number
  /** Size in bytes from fstat of the open descriptor (what the readers read up to). */
  readonly size: number
}

/** O_NONBLOCK where the platform has it (not on Windows): a second guard should the path change into a FIFO between stat and open. */
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/** What a file that is not regular is, in words ("a named pipe (FIFO)"). */
export function describeFileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

function refuse(stats: Stats, path: string): LabError | undefined {
  if (stats.isDirectory())
    return new LabError('IS_A_DIRECTORY', `${path}: is a directory, a data file was expected`, path)
  if (!stats.isFile()) {
    return new LabError(
      'NOT_A_REGULAR_FILE',
      `${path}: is ${describeFileType(stats)}; only regular files can be read (a pipe or device could block or never end)`,
      path
    )
  }
  return undefined
}

/**
 * Why a path typed as in a shell may not exist: it is used exactly as given, so ~ is not the home
 * folder and a relative path starts from the app's working directory, which people do not see.
 */
function notFoundHint(path: string): string {
  if (path === '~' || path.startsWith('~/')) return '; ~ is not expanded to the home folder here: give the full path'
  if (!isAbsolute(path))
    return `; a relative path starts from the app's working directory, ${process.cwd()}: give the full path`
  return ''
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw new LabError('INVALID_ARGUMENT', 'A file path is required')
  if (path.includes('\0')) throw new LabError('INVALID_ARGUMENT', 'The file path contains a NUL character', path)
}

/**
 * Opens `path` read-only after checking it is a regular file, and checks again on the open
 * descriptor. Every failure is a LabError naming the path. The caller owns `fd` and must close it.
 */
export function openRegularFile(path: string): OpenedFile {
  checkPath(path)
  let before: Stats
  try {
    before = statSync(fsPath(path))
  } catch (error) {
    const failure = toLabError(error, path)
    const hint = failure.code === 'NOT_FOUND' ? notFoundHint(path) : ''
    throw hint === '' ? failure : new LabError(failure.code, failure.message + hint, failure.path)
  }
  const early = refuse(before, path)
  if (early) throw early
  let fd: number
  try {
    fd = openSync(fsPath(path), openFlags)
  } catch (error) {
    throw toLabError(error, path)
  }
  try {
    const stats = fstatSync(fd)
    const late = refuse(stats, path)
    if (late) throw late
    return { fd, size: stats.size }
  } catch (error) {
    closeSync(fd)
    throw toLabError(error, path)
  }
}

/** statfs f_type of sysfs and procfs (linux/magic.h). */
const KERNEL_FILE_SYSTEMS = new Set([0x62656572, 0x9fa0])

/**
 * Whether the path is on sysfs or procfs: their files report a size (4,096 bytes in /sys) that is
 * not their content's, so a reader read up to it would say the file shrank; and they take no new
 * files or folders (Node's recursive mkdir there never returns).
 */
export function onKernelFileSystem(path: string): boolean {
  if (process.platform !== 'linux') return false
  try {
    return KERNEL_FILE_SYSTEMS.has(Number(statfsSync(fsPath(path)).type))
  } catch {
    return false
  }
}

/**
 * openRegularFile() for the readers and the sweep, which read a file up to its size: a file in
 * /proc or /sys says it has 0 bytes and still has content, which they would silently skip (a sum
 * of 0 items, an "empty" file), so it is refused with an error saying so.
 */
export function openDataFile(path: string): OpenedFile {
  const file = openRegularFile(path)
  if (file.size > 0) {
    if (!onKernelFileSystem(path)) return file
    closeSync(file.fd)
    throw new LabError(
      'NOT_A_REGULAR_FILE',
      `${path}: is a file of the kernel's (in /sys or /proc), whose size (${formatCount(file.size)} bytes) does not tell what it holds; only files whose size tells what they hold can be read (copy it to a regular file first)`,
      path
    )
  }
  try {
    if (readSync(file.fd, Buffer.alloc(1), 0, 1, 0) === 0) return file
  } catch (error) {
    closeSync(file.fd)
    throw toLabError(error, path)
  }
  closeSync(file.fd)
  throw new LabError(
    'NOT_A_REGULAR_FILE',
    `${path}: has content although its size is 0 bytes, as files in /proc and /sys do; only files whose size tells what they hold can be read (copy it to a regular file first)`,
    path
  )
}
