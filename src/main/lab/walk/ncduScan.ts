/**
 * A walk as ncdu's export tree (src/shared/ncdu.ts): the same walker as the Browse tab and the walk
 * CLI (walkEntries, top-down), with what ncdu records per entry (apparent size, blocks × 512,
 * device, inode and link count) from an lstat of each entry, since ncdu never follows a link.
 *
 * How the walk's outcomes map to ncdu's flags, as ncdu 1.18 writes them:
 * - a directory that could not be listed: a directory with `read_error`; a file whose lstat
 *   failed: a file with `read_error` and no sizes (a folder that can be listed but not entered:
 *   ncdu, which enters a folder to list it, marks the folder instead);
 * - a directory pruned by an exclude pattern: `excluded: "pattern"`, not stat'ed (ncdu writes it as
 *   a file object without sizes);
 * - with oneFileSystem, a directory on another device: `excluded: "othfs"` with its device;
 * - a symlink, FIFO, socket or device: `notreg`; a symlink to a directory is such an entry too
 *   (followlinks off), as ncdu lists it.
 */
import { lstatSync, statSync } from 'node:fs'
import { sep } from 'node:path'
import type { LabError } from '../../../shared/errors'
import type { NcduEntry, NcduExport } from '../../../shared/ncdu'
import type { WalkStats } from '../../../shared/walkJob'
import { fsPath } from '../fsPath'
import type { JobControl } from '../progress'
import { pruneInPlace } from './prune'
import { walkEntries, type EntryStat } from './walk'

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

/** Sizes and device of an entry, and inode + links of a multiply linked non-directory. */
function describe(entry: NcduEntry, stat: EntryStat, isDir: boolean): NcduEntry {
  if (stat.apparentSize > 0) entry.asize = stat.apparentSize
  else delete entry.asize
  if (stat.diskUsage > 0) entry.dsize = stat.diskUsage
  else delete entry.dsize
  entry.dev = stat.dev
  if (!isDir && stat.nlink > 1) {
    entry.ino = stat.ino
    entry.nlink = stat.nlink
  }
  return entry
}

/**
 * A directory the walk did not enter (another device, unreadable, a cycle): its own lstat, if any;
 * the top is stat'ed, as the walk follows it.
 */
function statOf(path: string, follow: boolean): EntryStat | undefined {
  try {
    const stats = (follow ? statSync : lstatSync)(fsPath(path))
    return {
      apparentSize: stats.size,
      diskUsage: stats.blocks * 512,
      dev: stats.dev,
      ino: stats.ino,
      nlink: stats.nlink
    }
  } catch {
    return undefined
  }
}

/** Walks `top` and returns the scan as ncdu would export it (children in the walker's order, directories first). */
export function scanForNcdu(top: string, options: NcduScanOptions): NcduExport {
  const timestamp = Math.floor(Date.now() / 1000)
  const failed = new Set<string>()
  const otherDevice = new Set<string>()
  const root: NcduEntry = { name: top, children: [] }
  /** Directories listed but not yet walked, by path. */
  const pending = new Map<string, NcduEntry>([[top, root]])
  const excluded = options.excluded
  for (const dir of walkEntries(top, {
    topdown: true,
    followlinks: options.followlinks ?? false,
    oneFileSystem: options.oneFileSystem ?? false,
    onerror: (error) => {
      if (error.path !== undefined) failed.add(error.path)
      options.onerror?.(error)
    },
    onskip: (path, reason) => {
      if (reason === 'otherFileSystem') otherDevice.add(path)
    },
    control: options.control,
    // A scan only reads, so directories can be listed ahead; whole subtrees when it prunes nothing.
    readAhead: excluded === undefined ? 'subtrees' : true
  })) {
    const entry = pending.get(dir.dirpath)
    pending.delete(dir.dirpath)
    if (entry === undefined) continue
    describe(entry, dir.self, true)
    const children = entry.children!
    // os.walk's pruning idiom, in place: what is removed is never walked, and ncdu lists it as excluded.
    const pruned = excluded === undefined ? [] : pruneInPlace(dir.dirs, excluded, (sub) => sub.name)
    for (const sub of pruned) children.push({ name: sub.name, dev: 0, excluded: 'pattern' })
    for (const sub of dir.dirs) {
      if (sub.type === 'symlink' && options.followlinks !== true) {
        // ncdu lists a symlink to a directory as what it is, a symlink.
        children.push(describe({ name: sub.name, notreg: true }, sub.stat, false))
        continue
      }
      const child: NcduEntry = { name: sub.name, children: [] }
      children.push(child)
      pending.set(join(dir.dirpath, sub.name), child)
    }
    for (const file of dir.files) {
      // Listed, but its lstat failed (onerror named it): read_error and no sizes, which ncdu keeps when it
      // reads the export (its own scan, which cannot enter such a folder, marks the folder instead).
      if (failed.size > 0 && failed.has(join(dir.dirpath, file.name))) {
        children.push({ name: file.name, readError: true })
        continue
      }
      const child = describe({ name: file.name }, file.stat, false)
      if (file.type !== 'file') child.notreg = true
      children.push(child)
    }
  }
  // Directories listed but not walked: on another device (ncdu's othfs), unreadable, or a cycle.
  for (const [path, entry] of pending) {
    const stat = statOf(path, path === top)
    if (otherDevice.has(path)) {
      entry.dev = stat?.dev ?? 0
      entry.excluded = 'othfs'
      continue
    }
    if (stat !== undefined) describe(entry, stat, true)
    if (failed.has(path)) entry.readError = true
  }
  return { progname: options.progname, progver: options.progver, timestamp, root }
}
