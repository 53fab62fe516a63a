/**
 * Temporary files of atomic writes: the app writes a file under a recognisable temporary name in
 * the target's folder, flushes it, and renames it over the final name only when it is complete.
 *
 * Names are `.yield-lab-tmp-<pid>-<thread>-<random>-<final name>`: hidden, ours at a glance, and
 * tied to the thread that writes them, so main can remove what a worker that died left behind.
 * A second name a write keeps of a file it replaces (sample data's) is marked
 * `.yield-lab-tmp-<pid>-<thread>-previous-<random>-<final name>`: once the new file is in, it may
 * be the previous file's only name, so a dead worker's are left for the stale cleanup.
 * Ones unchanged for a day are stale (a crash or a power cut) and are removed whenever the app
 * writes in that folder again, and in its data folder at start. Only names of exactly that shape
 * are ever removed: a user's file that merely starts with the prefix is not ours.
 *
 * A write replaces only what a rename can replace without harm (replaceableFile): nothing, or a
 * regular file with one link that this account may write, whose mode and owner the new file keeps.
 * A device, FIFO, socket, symlink, folder or hard-linked file at the target is refused: a rename
 * would put a regular file in its place (or split the links), which is not what anyone saving a
 * file means. So is a write-protected file (ncdu -o and dd refuse it too), and, unless run as
 * root, another user's: a rename asks only the folder's permission, so it must not be a way round
 * the file's own, and it would make the file ours where ncdu -o writes in place, keeping its owner.
 */
import { randomBytes } from 'node:crypto'
import {
  accessSync,
  close,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
  write,
  type BigIntStats,
  type Stats
} from 'node:fs'
import { rename } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { threadId } from 'node:worker_threads'
import { LabError } from '../../shared/errors'
import { hasEscapedBytes } from '../../shared/fsNames'
import { toLabError } from './errors'
import { describeFileType, onKernelFileSystem } from './openRegularFile'

export const TEMPORARY_PREFIX = '.yield-lab-tmp-'
export const STALE_TEMPORARY_MS = 24 * 60 * 60 * 1000

/** Marks a second name, after the writer tag (8 hex digits cannot start with it). */
const SECOND_NAME_MARK = 'previous-'
const ESCAPED_PREFIX = TEMPORARY_PREFIX.replace('.', '\\.')
/** Our temporary names: writerTag, SECOND_NAME_MARK for a second name, 8 hex digits, a dash, then (some of) the final name. */
const TEMPORARY_NAME = new RegExp(`^${ESCAPED_PREFIX}\\d+-\\d+-(?:${SECOND_NAME_MARK})?[0-9a-f]{8}-`)
const SECOND_NAME = new RegExp(`^${ESCAPED_PREFIX}\\d+-\\d+-${SECOND_NAME_MARK}[0-9a-f]{8}-`)

/** The name prefix of every temporary file one thread writes. */
export function writerTag(thread: number = threadId, pid: number = process.pid): string {
  return `${TEMPORARY_PREFIX}${pid}-${thread}-`
}

/** The longest file name most file systems take, in bytes (NAME_MAX). */
const NAME_MAX_BYTES = 255

/**
 * A fresh temporary path beside `finalName` in `directory`, for this thread: for a file being
 * written, or for a second name of the file `finalName` names, which a write keeps while replacing
 * it. The final name is cut (by whole characters) so the temporary name fits where the final one does.
 */
export function temporaryPath(directory: string, finalName: string, kind: 'file' | 'secondName' = 'file'): string {
  const prefix = `${writerTag()}${kind === 'secondName' ? SECOND_NAME_MARK : ''}${randomBytes(4).toString('hex')}-`
  let room = NAME_MAX_BYTES - Buffer.byteLength(prefix)
  let kept = ''
  for (const character of finalName) {
    room -= Buffer.byteLength(character)
    if (room < 0) break
    kept += character
  }
  return join(directory, prefix + kept)
}

/**
 * What is at `target`: undefined for nothing, or the stat of a regular file with one link that
 * this account (`uid`) may write and own (which an atomic write may replace). Anything else is
 * refused with a LabError naming it and why.
 */
export function replaceableFile(target: string, uid: number | undefined = process.getuid?.()): Stats | undefined {
  const stats = regularFileAt(target, 'replace')
  if (stats === undefined) return undefined
  try {
    accessSync(target, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EACCES' && code !== 'EPERM') throw toLabError(error, target)
    throw new LabError(
      'PERMISSION_DENIED',
      `${target}: is write-protected for this account; refusing to replace it. Choose another name, or make it writable first.`,
      target
    )
  }
  // Only root may give the new file the old one's owner (openTemporaryFor): anyone else would take it over.
  if (uid !== undefined && uid !== 0 && stats.uid !== uid)
    throw new LabError(
      'PERMISSION_DENIED',
      `${target}: belongs to another user (uid ${stats.uid}); replacing it would make it this account's. Choose another name.`,
      target
    )
  return stats
}

/**
 * What is at `target`: undefined for nothing, or the stat of a regular file with one link, which
 * may be replaced or removed (`doing`) without harm to anything else; anything else is refused
 * with a LabError naming it and why. Whether this account may write it is replaceableFile's.
 */
export function regularFileAt(target: string, doing: 'replace' | 'remove'): Stats | undefined {
  // Node's fs would write such a name as UTF-8 with U+FFFD: another file, perhaps one that exists.
  if (hasEscapedBytes(target))
    throw new LabError(
      'INVALID_ARGUMENT',
      `${target}: files are written only under names that are valid UTF-8. Choose another name.`,
      target
    )
  if (target.endsWith('/') || target.endsWith(sep))
    throw new LabError(
      'INVALID_ARGUMENT',
      `${target}: ends with a separator, so it names a folder; a file name was expected`,
      target
    )
  let stats: Stats
  try {
    stats = lstatSync(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw toLabError(error, target)
  }
  const refuse = (code: 'IS_A_DIRECTORY' | 'NOT_A_REGULAR_FILE' | 'INVALID_ARGUMENT', what: string): never => {
    throw new LabError(code, `${target}: ${what}; refusing to ${doing} it. Choose another name.`, target)
  }
  if (stats.isDirectory()) refuse('IS_A_DIRECTORY', 'is a directory')
  if (stats.isSymbolicLink())
    refuse(
      'NOT_A_REGULAR_FILE',
      doing === 'replace' ? 'is a symbolic link (saving would replace the link, not its target)' : 'is a symbolic link'
    )
  if (!stats.isFile()) refuse('NOT_A_REGULAR_FILE', `is ${describeFileType(stats)}`)
  if (stats.nlink > 1)
    refuse('INVALID_ARGUMENT', `has ${stats.nlink} hard links (the other names would keep the old content)`)
  return stats
}

/**
 * Opens a new temporary file for `target` (created, never an existing one: 'wx'), with the
 * mode and, where allowed, the owner of the file it replaces.
 */
export function openTemporaryFor(target: string, hidden: string, replaced: Stats | undefined): number {
  let fd: number
  try {
    fd = openSync(hidden, 'wx', 0o644)
  } catch (error) {
    throw cannotCreateFor(target, error)
  }
  if (replaced !== undefined) {
    try {
      fchmodSync(fd, replaced.mode & 0o7777)
      if (replaced.uid !== process.getuid?.() || replaced.gid !== process.getgid?.())
        fchownSync(fd, replaced.uid, replaced.gid)
    } catch {
      // A group this account is not in: the new file keeps ours (replaceableFile refused other owners).
    }
  }
  return fd
}

/**
 * How far a check goes. `folderMade`: the caller makes the output's folder when it is missing.
 * `probe`: also make and remove an empty file in the folder, if it exists, as only that tells
 * where access() cannot (Windows grants every folder; root is granted /proc, which takes no files);
 * only for an output the user named, since it writes there.
 */
interface WritableCheck {
  folderMade?: boolean
  probe?: boolean
}

/**
 * Throws what a write of `target` would throw, without writing it: what is at it is not
 * replaceable (replaceableFile), or its folder is missing (unless `folderMade`) or takes no files
 * from this account. For commands that write at the end of minutes of work, so that they refuse
 * before it.
 */
export function checkWritable(target: string, { folderMade = false, probe = false }: WritableCheck = {}): void {
  replaceableFile(target)
  checkFolderTakesFiles(dirname(resolve(target)), { folderMade, probe }, target)
}

/** checkWritable for a folder that files will be written into, made first if it is missing. */
export function checkWritableFolder(folder: string, { probe = false }: Pick<WritableCheck, 'probe'> = {}): void {
  const absolute = resolve(folder)
  checkFolderTakesFiles(absolute, { folderMade: true, probe }, absolute)
}

/**
 * Throws, naming `target` (a file to write in `folder`, or the folder itself) and what is wrong,
 * unless this account may add files to `folder`. With `folderMade`, the nearest folder above it
 * that exists is the one that must take them when it is missing.
 */
function checkFolderTakesFiles(folder: string, { folderMade, probe }: Required<WritableCheck>, target: string): void {
  let existing = folder
  // lstat, not stat: a broken link is not a folder still to be made (making it would fail), but the problem.
  if (folderMade) while (!lexists(existing) && dirname(existing) !== existing) existing = dirname(existing)
  let stats: Stats
  try {
    stats = statSync(existing)
  } catch (error) {
    throw toLabError(error, target) // a missing folder on the way is named
  }
  if (!stats.isDirectory())
    throw new LabError('NOT_A_DIRECTORY', `${target}: ${existing} is not a folder, so nothing can be put in it`, target)
  // access() grants root there, and making the folders to be made would never return.
  if (onKernelFileSystem(existing)) throw takesNoFiles(target, existing)
  try {
    accessSync(existing, constants.W_OK | constants.X_OK)
    // Only in the folder itself: one still to be made does not inherit what its parent forbids (chattr +a).
    if (probe && existing === folder) {
      const file = temporaryPath(existing, 'probe')
      closeSync(openSync(file, 'wx'))
      try {
        unlinkSync(file)
      } catch {
        throw new LabError(
          'PERMISSION_DENIED',
          `${target}: cannot be written: ${existing} lets files be made but not removed or renamed (an append-only folder?), which writing a file whole needs; the test file ${file} could not be removed`,
          target
        )
      }
    }
  } catch (error) {
    throw cannotCreateFor(target, error, existing)
  }
}

/** Whether anything, a broken symbolic link included, is at `path`. */
function lexists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * Why no temporary file could be made beside `target`: its folder (or `directory`, where the
 * folder is to be made) is named when the folder is the problem (this account may not add files
 * to it, or it takes none, like /proc).
 */
function cannotCreateFor(target: string, error: unknown, directory = dirname(target)): LabError {
  const code = (error as NodeJS.ErrnoException).code
  const where = folderWords(target, directory)
  if (code === 'EACCES' || code === 'EPERM') {
    return new LabError(
      'PERMISSION_DENIED',
      `${target}: cannot be written: this account may not add files to ${where}`,
      target
    )
  }
  if (code === 'EROFS')
    return new LabError('READ_ONLY', `${target}: cannot be written: ${directory} is on a read-only file system`, target)
  if (code === 'ENOENT') {
    let folderExists = false
    try {
      folderExists = statSync(directory).isDirectory()
    } catch {
      // It does not: "does not exist" below says so.
    }
    if (folderExists) return takesNoFiles(target, directory)
  }
  return toLabError(error, target)
}

/** `directory` as a refusal of `target` names it: further up when the folders between are still to be made. */
function folderWords(target: string, directory: string): string {
  if (directory === target) return 'it'
  return directory === dirname(target)
    ? `its folder ${directory}`
    : `${directory}, where the folders on its way would be made`
}

/** `directory` exists but takes no new files, as /proc and /sys do. */
function takesNoFiles(target: string, directory: string): LabError {
  return new LabError(
    'PERMISSION_DENIED',
    `${target}: cannot be written: ${folderWords(target, directory)} takes no new files (a system folder such as /proc?)`,
    target
  )
}

function removeRegularFiles(directory: string, select: (name: string, stats: BigIntStats) => boolean): void {
  let names: string[]
  try {
    names = readdirSync(directory)
  } catch {
    return // nothing to tidy, or not ours to list
  }
  for (const name of names) {
    if (!TEMPORARY_NAME.test(name)) continue
    const path = join(directory, name)
    try {
      const stats = lstatSync(path, { bigint: true })
      if (stats.isFile() && select(name, stats)) unlinkSync(path)
    } catch {
      // Gone already, or another instance is tidying too.
    }
  }
}

/**
 * When a file last changed: the later of its mtime and ctime. A second name a write keeps of a file
 * it replaces (sample data's) has that file's old mtime though it was made a moment ago; making it
 * (a link) and the rename over the file's other name change its ctime.
 */
function lastChangedMs(stats: BigIntStats): number {
  return Math.max(Number(stats.mtimeMs), Number(stats.ctimeMs))
}

/**
 * Removes our temporary files in `directory` that have not changed for a day (lastChangedMs).
 * However many links one has: removing a name of a file with other names deletes nothing (they
 * keep the data), and a file whose names are all ours goes with the last of them.
 */
export function removeStaleTemporaryFiles(directory: string, now: number = Date.now()): void {
  removeRegularFiles(directory, (_name, stats) => now - lastChangedMs(stats) > STALE_TEMPORARY_MS)
}

/**
 * Removes our temporary files in `directory` that are second names of `targets`: the links a
 * write keeps to the files it replaces (sample data's), left by a crash. While one is there, its
 * target has two links and would be refused as a hard-linked file; the target holds the data.
 */
export function removeSecondNamesOf(directory: string, targets: string[]): void {
  // Exact numbers (bigint): rounded, neighbouring inodes above 2^53 would match.
  const linked = new Set<string>()
  for (const target of targets) {
    try {
      const stats = lstatSync(target, { bigint: true })
      if (stats.isFile() && stats.nlink > 1n) linked.add(`${stats.dev}:${stats.ino}`)
    } catch {
      // Nothing there.
    }
  }
  if (linked.size > 0) removeRegularFiles(directory, (_name, stats) => linked.has(`${stats.dev}:${stats.ino}`))
}

/**
 * Removes the temporary files one writer (`writerTag(thread)`) that died or was abandoned left in
 * `directory`, but for its second names: once a new file was renamed over its target, the second
 * name is the previous file's only name. Gives their paths: the set they belong to may be part
 * new, part previous. They go as stale (removeStaleTemporaryFiles), or when the next write of
 * their set finds them linked to its targets (removeSecondNamesOf).
 */
export function removeTemporaryFilesOf(directory: string, tag: string): string[] {
  const kept: string[] = []
  removeRegularFiles(directory, (name) => {
    if (!name.startsWith(tag)) return false
    if (!SECOND_NAME.test(name)) return true
    kept.push(join(directory, name))
    return false
  })
  return kept.sort()
}

/** Flushes a folder's entries (the renames into it) to disk, where the platform allows it. */
export function syncDirectory(directory: string): void {
  let fd: number | undefined
  try {
    fd = openSync(directory, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder, and some file systems refuse fsync on one: the data is synced already.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Writes `data` (text as UTF-8) to a temporary file beside `target`, flushes it, then renames it
 * into place. The bytes are written, flushed and renamed on libuv's thread pool: an export may be
 * up to 1 GiB, and main's thread, which also routes the window's input, must not wait for the disk.
 */
export async function writeAtomically(target: string, data: string | Uint8Array): Promise<void> {
  const replaced = replaceableFile(target)
  // Its leading dot keeps a half-written file out of folder listings (and the sweep history's).
  removeStaleTemporaryFiles(dirname(target))
  const hidden = temporaryPath(dirname(target), basename(target))
  let fd: number | undefined = openTemporaryFor(target, hidden, replaced)
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let done = 0
    while (done < bytes.length) done += await writeChunk(fd, bytes, done)
    await fsyncAsync(fd)
    const closing = fd
    fd = undefined
    await closeAsync(closing)
    await rename(hidden, target)
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd)
      } catch {
        // already failing
      }
    }
    try {
      unlinkSync(hidden)
    } catch {
      // never created, or already renamed
    }
    throw toLabError(error, target)
  }
}

const fsyncAsync = promisify(fsync)
const closeAsync = promisify(close)

/** Writes what is left of `bytes` from `offset` at the file's position; resolves to the bytes written. */
function writeChunk(fd: number, bytes: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, bytes, offset, bytes.length - offset, null, (error, written) =>
      error === null ? resolve(written) : reject(error)
    )
  )
}
