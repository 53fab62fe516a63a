/**
 * A walk as ncdu's export tree (src/shared/ncdu.ts): the same walker as the Browse tab and the walk
 * CLI (walkEntries, top-down), with what ncdu records per entry (apparent size, blocks × 512,
 * device, inode and link count) from an lstat of each entry, since ncdu never follows a link.
 *
 * How the walk's outcomes map to ncdu's flags, as ncdu 1.18 writes them:
 * - a directory that could not be listed: a directory with `read_error`;
 * - a directory pruned by an exclude pattern: `excluded: "pattern"`, not stat'ed (ncdu writes it as
 *   a file object without sizes);
 * - with oneFileSystem, a directory on another device: `excluded: "othfs"` with its device;
 * - a symlink, FIFO, socket or device: `notreg`; a symlink to a directory is such an entry too
 *   (followlinks off), as ncdu lists it.
 */
import { lstatSync, statSync, type Stats } from 'node:fs'
import { sep } from 'node:path'
import type { LabError } from '../../../shared/errors'
import type { NcduEntry, NcduExport } from '../../../shared/ncdu'
import { fsPath } from '../fsPath'
import type { JobControl } from '../progress'
import type { WalkStats } from '../../../shared/walkJob'
import { walkEntries, type WalkEntry } from './walk'

export interface NcduScanOptions {
  followlinks?: boolean
  oneFileSystem?: boolean
  /** Whether a directory name is pruned (kept out of dirnames before the descent). */
  excluded?: (name: string) => boolean
  onerror?: (error: LabError) => void
  control?: JobControl<WalkStats>
  /** Written into the export's header. */
  progname: string
  progver: string
}

function join(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name
}

/** The entry of one lstat'ed path: sizes, device, and inode + links of a multiply linked non-directory. */
function statEntry(name: string, stats: Stats | undefined, isDir: boolean): NcduEntry {
  const entry: NcduEntry = { name }
  if (stats === undefined) {
    entry.readError = true
    return entry
  }
  if (stats.size > 0) entry.asize = stats.size
  const dsize = stats.blocks * 512
  if (dsize > 0) entry.dsize = dsize
  entry.dev = stats.dev
  if (!isDir && stats.nlink > 1) {
    entry.ino = stats.ino
    entry.nlink = stats.nlink
  }
  if (!isDir && !stats.isFile()) entry.notreg = true
  return entry
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(fsPath(path))
  } catch {
    return undefined
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(fsPath(path))
  } catch {
    return undefined
  }
}

/** Walks `top` and returns the scan as ncdu would export it (children in the walker's order, directories first). */
export function scanForNcdu(top: string, options: NcduScanOptions): NcduExport {
  const timestamp = Math.floor(Date.now() / 1000)
  const failed = new Set<string>()
  const onerror = (error: LabError): void => {
    if (error.path !== undefined) failed.add(error.path)
    options.onerror?.(error)
  }
  const root = statEntry(top, statOrUndefined(top), true)
  root.children = []
  const rootDev = root.dev
  /** Directories listed but not yet walked, by path. */
  const pending = new Map<string, NcduEntry>([[top, root]])
  for (const dir of walkEntries(top, {
    topdown: true,
    followlinks: options.followlinks ?? false,
    oneFileSystem: options.oneFileSystem ?? false,
    onerror,
    control: options.control
  })) {
    const entry = pending.get(dir.dirpath)
    pending.delete(dir.dirpath)
    if (entry === undefined) continue
    const children: NcduEntry[] = (entry.children ??= [])
    const walked = new Set<WalkEntry>()
    for (const sub of dir.dirs) {
      const path = join(dir.dirpath, sub.name)
      if (options.excluded?.(sub.name) === true) {
        children.push({ name: sub.name, dev: 0, excluded: 'pattern' })
        continue
      }
      const linkOnly = sub.type === 'symlink' && options.followlinks !== true
      const stats = sub.type === 'symlink' && !linkOnly ? statOrUndefined(path) : lstatOrUndefined(path)
      const child = statEntry(sub.name, stats, !linkOnly)
      children.push(child)
      if (linkOnly) continue
      child.children = []
      if (options.oneFileSystem === true && stats !== undefined && child.dev !== rootDev) {
        delete child.asize
        delete child.dsize
        child.excluded = 'othfs'
        continue
      }
      walked.add(sub)
      pending.set(path, child)
    }
    // Pruning in place, as os.walk's topdown contract: only the kept names are walked.
    if (walked.size !== dir.dirs.length)
      dir.dirs.splice(0, dir.dirs.length, ...dir.dirs.filter((sub) => walked.has(sub)))
    for (const file of dir.files)
      children.push(statEntry(file.name, lstatOrUndefined(join(dir.dirpath, file.name)), false))
  }
  // Directories the walk could not list, or did not enter (a cycle): ncdu marks a listing failure.
  for (const [path, entry] of pending) if (failed.has(path)) entry.readError = true
  return { progname: options.progname, progver: options.progver, timestamp, root }
}
