/**
 * Temporary files of atomic writes: the app writes a file under a recognisable temporary name in
 * the target's folder, flushes it, and renames it over the final name only when it is complete.
 *
 * Names are `.yield-lab-tmp-<pid>-<thread>-<random>-<final name>`: hidden, ours at a glance, and
 * tied to the thread that writes them, so main can remove what a worker that died left behind.
 * Ones older than a day are stale (a crash or a power cut) and are removed whenever the app
 * writes in that folder again, and in its data folder at start.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { toLabError } from './errors'

export const TEMPORARY_PREFIX = '.yield-lab-tmp-'
export const STALE_TEMPORARY_MS = 24 * 60 * 60 * 1000

/** The name prefix of every temporary file one thread writes. */
export function writerTag(thread: number = threadId, pid: number = process.pid): string {
  return `${TEMPORARY_PREFIX}${pid}-${thread}-`
}

/** A fresh temporary path beside `finalName` in `directory`, for this thread. */
export function temporaryPath(directory: string, finalName: string): string {
  return join(directory, `${writerTag()}${randomBytes(4).toString('hex')}-${finalName}`)
}

function removeRegularFiles(directory: string, select: (name: string, mtimeMs: number) => boolean): void {
  let names: string[]
  try {
    names = readdirSync(directory)
  } catch {
    return // nothing to tidy, or not ours to list
  }
  for (const name of names) {
    if (!name.startsWith(TEMPORARY_PREFIX)) continue
    const path = join(directory, name)
    try {
      const stats = lstatSync(path)
      if (stats.isFile() && select(name, stats.mtimeMs)) unlinkSync(path)
    } catch {
      // Gone already, or another instance is tidying too.
    }
  }
}

/** Removes our temporary files in `directory` that were last written more than a day ago. */
export function removeStaleTemporaryFiles(directory: string, now: number = Date.now()): void {
  removeRegularFiles(directory, (_name, mtimeMs) => now - mtimeMs > STALE_TEMPORARY_MS)
}

/** Removes the temporary files one writer (`writerTag(thread)`) left in `directory`. */
export function removeTemporaryFilesOf(directory: string, tag: string): void {
  removeRegularFiles(directory, (name) => name.startsWith(tag))
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

/** Writes `data` (text as UTF-8) to a temporary file beside `target`, flushes it, then renames it into place. */
export function writeAtomically(target: string, data: string | Uint8Array): void {
  // Its leading dot keeps a half-written file out of folder listings (and the sweep history's).
  removeStaleTemporaryFiles(dirname(target))
  const hidden = temporaryPath(dirname(target), basename(target))
  let fd: number | undefined
  try {
    fd = openSync(hidden, 'wx', 0o644)
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(hidden, target)
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
