import { accessSync, constants, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs'
import { dirname } from 'node:path'
import { LabError, type LabErrorCode } from '../../shared/errors'
import { formatCount } from '../../shared/format'
import { fsdecode, fsencode, shownMessage } from '../../shared/fsNames'
import { fsPath } from './fsPath'

const errnoToCode: Record<string, { code: LabErrorCode; what: string }> = {
  ENOENT: { code: 'NOT_FOUND', what: 'does not exist' },
  EACCES: { code: 'PERMISSION_DENIED', what: 'permission denied' },
  EPERM: { code: 'PERMISSION_DENIED', what: 'operation not permitted' },
  ENOTDIR: { code: 'NOT_A_DIRECTORY', what: 'is not a directory' },
  EISDIR: { code: 'IS_A_DIRECTORY', what: 'is a directory, a file was expected' },
  EEXIST: { code: 'ALREADY_EXISTS', what: 'already exists' },
  ELOOP: { code: 'INVALID_ARGUMENT', what: 'has too many levels of symbolic links' },
  ENAMETOOLONG: { code: 'INVALID_ARGUMENT', what: 'is too long for the system' },
  ENOSPC: { code: 'NO_SPACE', what: 'no space left on the device' },
  EDQUOT: { code: 'NO_SPACE', what: 'the disk quota is used up' },
  EROFS: { code: 'READ_ONLY', what: 'is on a read-only file system' },
  EIO: { code: 'IO_ERROR', what: 'the device reported an input/output error' },
  EMFILE: { code: 'TOO_MANY_OPEN_FILES', what: 'too many files are open; close some jobs and try again' },
  ENFILE: { code: 'TOO_MANY_OPEN_FILES', what: 'the system has too many files open; close some jobs and try again' },
  EBUSY: { code: 'BUSY', what: 'is busy (in use by another program)' }
}

/**
 * Turns anything thrown by Node's fs (or by our own code) into a LabError that names the
 * file and the problem in words a person understands. Every error a job or a handler ends with
 * passes through here, so this is where a name that is not valid UTF-8 is made fit to show: a
 * LabError thrown with the escaped name in its message and as its path is noted here, once. Text
 * that does not end a job or a handler (items, warnings, log lines) uses shownName itself.
 */
export function toLabError(error: unknown, path?: string): LabError {
  if (error instanceof LabError) return shownToPeople(error)
  const errno = (error as NodeJS.ErrnoException | undefined)?.code
  const target = path ?? (error as NodeJS.ErrnoException | undefined)?.path
  if (typeof errno === 'string' && Object.hasOwn(errnoToCode, errno)) {
    const { code, what } = errnoToCode[errno]!
    const words =
      errno === 'ENAMETOOLONG' && target
        ? `${what}: ${lengthsOf(target)}`
        : ((target && whyNotReached(errno, target)) ?? what)
    return shownToPeople(new LabError(code, target ? `${target}: ${words}` : words, target))
  }
  const message = error instanceof Error ? error.message : String(error)
  return shownToPeople(new LabError('INTERNAL', target ? `${target}: ${message}` : message, target))
}

/**
 * Where "does not exist", "is not a directory" or "permission denied" alone would mislead or not
 * say enough: `path` is a symbolic link whose target is missing (a dangling link exists, lstat
 * finds it), a name before its last is missing or such a link ("/usr/shar/doc: does not exist"
 * does not say which name is wrong), a name before its last is not a folder
 * ("/data/notes.txt/x: is not a directory" blames x), or a folder before its last may not be
 * entered ("/data/closed/x: permission denied" blames x). Undefined otherwise, or when looking
 * fails. Costs a few lstat or access calls, on an error only.
 */
function whyNotReached(errno: string, path: string): string | undefined {
  try {
    if (errno === 'EACCES') {
      const closed = ancestorsOf(path).find((at) => !mayEnter(at))
      return closed === undefined
        ? undefined
        : `${closed} may not be entered by this account (it lacks search permission), so nothing inside it can be reached`
    }
    if (errno === 'ENOENT') {
      // "/data/link/" names the link as "/data/link" does, but lstat follows it.
      const named = TRAILING_SEPARATORS.exec(path)?.[1] ?? path
      for (const at of [...ancestorsOf(named), named]) {
        const said = at === named ? '' : `${at} `
        const found = statsOf(at, lstatSync)
        if (found === undefined) return said === '' ? undefined : `${said}does not exist`
        if (!found.isSymbolicLink() || statsOf(at, statSync) !== undefined) continue
        const target = fsdecode(readlinkSync(fsPath(at), { encoding: 'buffer' }))
        // Broken at its target, or further down a chain of links (the target may be a link itself).
        return `${said}is a broken symbolic link: it points to ${target}, and nothing exists at its end`
      }
      return undefined
    }
    if (errno !== 'ENOTDIR') return undefined
    const file = ancestorsOf(path).find((name) => !statSync(fsPath(name)).isDirectory())
    return file === undefined ? undefined : `${file} is not a folder, so nothing is inside it`
  } catch {
    return undefined
  }
}

/** Whether this account may pass through the folder at `path` (search permission, x). */
function mayEnter(path: string): boolean {
  try {
    accessSync(fsPath(path), constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A path and the separators it ends with (not a root's own, "/" or "C:\\"); a backslash is a separator on Windows only. */
const TRAILING_SEPARATORS = process.platform === 'win32' ? /^(.*[^\\/:])[\\/]+$/ : /^(.*[^/])\/+$/

/** The folders a path passes through, from the root down, itself left out. */
function ancestorsOf(path: string): string[] {
  const above: string[] = []
  for (let at = dirname(path); at !== dirname(at); at = dirname(at)) above.unshift(at)
  return above
}

/** What `look` (lstat or stat) finds at `path`: undefined where nothing is there; throws on any other failure. */
function statsOf(path: string, look: (path: string | Buffer) => Stats): Stats | undefined {
  try {
    return look(fsPath(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Longest path and name the system takes, in bytes (PATH_MAX and NAME_MAX), where they are known. */
const LIMITS: Partial<Record<NodeJS.Platform, { path: number; name: number }>> = {
  linux: { path: 4096, name: 255 },
  darwin: { path: 1024, name: 255 }
}

/**
 * What ENAMETOOLONG measured: a path, or one of its names, over the system's limit. Deep trees
 * meet the path's limit with short names (a walk 240 levels down), so both lengths are given.
 */
function lengthsOf(path: string, limits = LIMITS[process.platform]): string {
  const bytes = (text: string): number => fsencode(text)?.length ?? Buffer.byteLength(text)
  const longestName = Math.max(0, ...path.split(process.platform === 'win32' ? /[\\/]/ : '/').map(bytes))
  const measured = `the path is ${formatCount(bytes(path))} bytes, its longest name ${formatCount(longestName)}`
  return limits === undefined
    ? measured
    : `${measured} (this system takes paths of up to ${formatCount(limits.path)} bytes, names of up to ${limits.name})`
}

/**
 * The error with its message as people are shown names (shownMessage, noted beside its path). Its
 * `path` keeps the escapes, so it still names the same bytes.
 */
function shownToPeople(error: LabError): LabError {
  const message = shownMessage(error.message, error.path)
  return message === error.message ? error : new LabError(error.code, message, error.path)
}
