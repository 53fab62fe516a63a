/**
 * The `ncduImport` job: an ncdu export (src/shared/ncdu.ts) read in the worker and yielded as the
 * walk job's items, top-down as os.walk would have yielded them, so the Browse tab loads it
 * exactly as it loads a walk and nothing on disk is walked.
 *
 * - Each directory of the export is one WalkDirItem (dirpath = parent + '/' + name, as ncdu's
 *   paths are POSIX): its subdirectories are dirnames; everything else is a filename with type
 *   'f' (regular) or 'o' (ncdu's notreg: a symlink, FIFO, socket or device; ncdu does not say
 *   which) and its apparent size (0 for notreg, as the walker counts only regular files).
 * - Each entry's stat record (WALK_STAT) holds what ncdu recorded: apparent size, disk usage,
 *   device (inherited where ncdu leaves it out), inode and link count.
 * - A directory ncdu could not read (read_error) is a WalkErrorItem carrying its own stat, as
 *   the walker gives it; a file it could not stat (read_error) stays among its folder's filenames,
 *   with a WalkErrorItem (`file`) before the folder's item, as the walker gives a failed lstat.
 *   One on another file system (excluded "othfs") stays in its parent's dirnames and comes as a
 *   skip item, as the walker gives it with oneFileSystem. What a pattern excluded is in the
 *   item's `excluded`, and where it stood among the dirnames in `excludedAt`.
 */
import { LabError } from '../../../shared/errors'
import { shownName } from '../../../shared/fsNames'
import { decodeNcdu, joinNcduPath, MAX_NCDU_EXPORT_BYTES, type NcduEntry } from '../../../shared/ncdu'
import {
  emptyWalkSummary,
  type NcduImportSummary,
  type WalkDirItem,
  type WalkErrorItem,
  type WalkItem,
  type WalkSkipItem,
  type WalkStats,
  WALK_STAT
} from '../../../shared/walkJob'
import { readWholeFile } from '../readWholeFile'
import type { JobControl } from '../progress'

/** One stat record as walk items carry it (WALK_STAT): what ncdu recorded, the device inherited. */
function statRecord(into: Float64Array, at: number, entry: NcduEntry, dev: number): void {
  const base = at * WALK_STAT.FIELDS
  into[base + WALK_STAT.APPARENT_SIZE] = entry.asize ?? 0
  into[base + WALK_STAT.DISK_USAGE] = entry.dsize ?? 0
  into[base + WALK_STAT.DEV] = dev
  into[base + WALK_STAT.INO] = entry.ino ?? 0
  into[base + WALK_STAT.NLINK] = entry.nlink ?? (entry.children === undefined ? 1 : 0)
}

/** An entry ncdu marked read_error: a folder it could not read, or a file it could not stat (`file`). */
function readErrorItem(path: string, parent: string | null, name: string, file: boolean): WalkErrorItem {
  const error = {
    code: 'UNAVAILABLE' as const,
    message: `${shownName(path)}: could not be read when the export was made (read_error)`,
    path
  }
  return file ? { kind: 'error', error, parent, name, file: true } : { kind: 'error', error, parent, name }
}

export function* ncduImportJob(
  args: { file: string },
  control: JobControl<WalkStats>
): Generator<WalkItem, NcduImportSummary, unknown> {
  const scan = decodeNcdu(
    readWholeFile(args.file, MAX_NCDU_EXPORT_BYTES, 'an ncdu export', { isCancelled: control.isCancelled }),
    args.file
  )
  const summary = emptyWalkSummary()
  const report = (): void =>
    control.report({
      completed: summary.dirs + summary.files,
      unit: 'entries',
      stats: { dirs: summary.dirs, files: summary.files, bytes: summary.bytes, errors: summary.errors }
    })
  // Top-down, in the export's order: a stack of directories still to yield, with their device.
  const stack: { entry: NcduEntry; dirpath: string; parent: string | null; dev: number }[] = [
    { entry: scan.root, dirpath: scan.root.name, parent: null, dev: scan.root.dev ?? 0 }
  ]
  while (stack.length > 0) {
    if (control.isCancelled()) {
      report()
      throw new LabError('CANCELLED', `Opening ${args.file} was cancelled.`, args.file)
    }
    const { entry, dirpath, parent, dev } = stack.pop()!
    const name = parent === null ? dirpath : entry.name
    if (entry.readError === true) {
      summary.errors++
      // ncdu stat'ed it before failing to read it: its own size still counts.
      const ownStat = new Float64Array(WALK_STAT.FIELDS)
      statRecord(ownStat, 0, entry, dev)
      yield { ...readErrorItem(dirpath, parent, name, false), ownStat }
      continue
    }
    const children = entry.children ?? []
    const subdirs: NcduEntry[] = []
    const files: NcduEntry[] = []
    const excluded: string[] = []
    const excludedAt: number[] = []
    for (const child of children) {
      if (child.children !== undefined) subdirs.push(child)
      // ncdu writes what a pattern excluded as an object it never stat'ed, folder or file alike;
      // it lists entries in read order, so the excluded ones stood there among the dirnames.
      else if (child.excluded !== undefined) {
        excludedAt.push(subdirs.length + excluded.length)
        excluded.push(child.name)
      } else files.push(child)
    }
    const ownStat = new Float64Array(WALK_STAT.FIELDS)
    statRecord(ownStat, 0, entry, dev)
    const filenameStats = new Float64Array(files.length * WALK_STAT.FIELDS)
    const filenames = new Array<string>(files.length)
    let fileTypes = ''
    /** Files ncdu listed but could not stat: errors of their folder, yielded before it, as the walk yields a failed lstat. */
    const fileErrors: WalkErrorItem[] = []
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!
      const regular = file.notreg !== true
      filenames[i] = file.name
      fileTypes += regular ? 'f' : 'o'
      summary.bytes += regular ? (file.asize ?? 0) : 0
      statRecord(filenameStats, i, file, file.dev ?? dev)
      if (file.readError === true)
        fileErrors.push(readErrorItem(joinNcduPath(dirpath, file.name), dirpath, file.name, true))
    }
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath,
      parent,
      name,
      dirnames: subdirs.map((sub) => sub.name),
      dirTypes: 'd'.repeat(subdirs.length),
      excluded,
      excludedAt,
      filenames,
      fileTypes,
      dropped: 0,
      droppedBytes: 0,
      ownStat,
      // Zeros for real directories: each one's own item carries its stat.
      dirnameStats: new Float64Array(subdirs.length * WALK_STAT.FIELDS),
      filenameStats
    }
    summary.dirs++
    summary.files += files.length
    const skipped: WalkSkipItem[] = []
    for (let i = subdirs.length - 1; i >= 0; i--) {
      const sub = subdirs[i]!
      if (sub.excluded === undefined)
        stack.push({ entry: sub, dirpath: joinNcduPath(dirpath, sub.name), parent: dirpath, dev: sub.dev ?? dev })
      else skipped.unshift({ kind: 'skip', reason: 'otherFileSystem', parent: dirpath, name: sub.name })
    }
    report()
    summary.errors += fileErrors.length
    yield* fileErrors
    yield item
    yield* skipped
  }
  summary.keptFiles = summary.files
  summary.keptBytes = summary.bytes
  return { ...summary, top: scan.root.name, progname: scan.progname, progver: scan.progver, timestamp: scan.timestamp }
}

/**
 * The `ncduCheck` job: decodes an export main is asked to save, which throws a LabError naming
 * `file` and the problem when it is not well-formed. In a job worker, because a large export
 * takes seconds to decode and main's thread must keep serving the window meanwhile.
 */
export function* ncduCheckJob(args: { bytes: Uint8Array; file: string }): Generator<never, undefined, unknown> {
  decodeNcdu(args.bytes, args.file)
  return undefined
}
