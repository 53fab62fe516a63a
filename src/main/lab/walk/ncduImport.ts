/**
 * The `ncduImport` job: an ncdu export (src/shared/ncdu.ts) read in the worker and yielded as the
 * walk job's items, top-down as os.walk would have yielded them, so the Browse tab loads it
 * exactly as it loads a walk and nothing on disk is walked.
 *
 * - Each directory of the export is one WalkDirItem (dirpath = parent + '/' + name, as ncdu's
 *   paths are POSIX): its subdirectories are dirnames; everything else is a filename with type
 *   'f' (regular) or 'o' (ncdu's notreg: a symlink, FIFO, socket or device; ncdu does not say
 *   which) and its apparent size (0 for notreg, as the walker counts only regular files).
 * - A directory ncdu could not read (read_error) is a WalkErrorItem; one on another file system
 *   (excluded "othfs") stays in its parent's dirnames and is not yielded, as the walker does with
 *   --one-file-system. What a pattern excluded (folder or file: ncdu does not say) is counted as
 *   dropped.
 */
import { closeSync, readSync } from 'node:fs'
import { LabError } from '../../../shared/errors'
import { displayName } from '../../../shared/fsNames'
import { decodeNcdu, MAX_NCDU_EXPORT_BYTES, type NcduEntry } from '../../../shared/ncdu'
import {
  emptyWalkSummary,
  type NcduImportSummary,
  type WalkDirItem,
  type WalkItem,
  type WalkStats
} from '../../../shared/walkJob'
import { openRegularFile } from '../openRegularFile'
import type { JobControl } from '../progress'
import { toLabError } from '../errors'

function readWhole(file: string): Uint8Array {
  const opened = openRegularFile(file)
  try {
    if (opened.size > MAX_NCDU_EXPORT_BYTES)
      throw new LabError(
        'TOO_LARGE',
        `${displayName(file)}: is ${opened.size} bytes; an ncdu export of at most ${MAX_NCDU_EXPORT_BYTES} bytes can be opened`,
        file
      )
    const bytes = new Uint8Array(opened.size)
    let done = 0
    while (done < bytes.length) {
      const read = readSync(opened.fd, bytes, done, bytes.length - done, done)
      if (read === 0) break
      done += read
    }
    return bytes.subarray(0, done)
  } catch (error) {
    throw toLabError(error, file)
  } finally {
    try {
      closeSync(opened.fd)
    } catch {
      // Closing a file we only read cannot lose data.
    }
  }
}

function joinPosix(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

export function* ncduImportJob(
  args: { file: string },
  control: JobControl<WalkStats>
): Generator<WalkItem, NcduImportSummary, unknown> {
  const scan = decodeNcdu(readWhole(args.file), args.file)
  const summary = emptyWalkSummary()
  const report = (): void =>
    control.report({
      completed: summary.dirs + summary.files,
      unit: 'entries',
      stats: { dirs: summary.dirs, files: summary.files, bytes: summary.bytes, errors: summary.errors }
    })
  // Top-down, in the export's order: a stack of directories still to yield.
  const stack: { entry: NcduEntry; dirpath: string; parent: string | null }[] = [
    { entry: scan.root, dirpath: scan.root.name, parent: null }
  ]
  while (stack.length > 0) {
    if (control.isCancelled()) {
      report()
      throw new LabError('CANCELLED', `Opening ${args.file} was cancelled.`, args.file)
    }
    const { entry, dirpath, parent } = stack.pop()!
    const name = parent === null ? dirpath : entry.name
    if (entry.readError === true) {
      summary.errors++
      yield {
        kind: 'error',
        error: {
          code: 'UNAVAILABLE',
          message: `${displayName(dirpath)}: could not be read when the export was made (read_error)`,
          path: dirpath
        },
        parent,
        name
      }
      continue
    }
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath,
      parent,
      name,
      dirnames: [],
      dirTypes: '',
      filenames: [],
      fileTypes: '',
      sizes: [],
      dropped: 0,
      droppedBytes: 0
    }
    const below: NcduEntry[] = []
    for (const child of entry.children ?? []) {
      if (child.children !== undefined) {
        item.dirnames.push(child.name)
        item.dirTypes += 'd'
        if (child.excluded === undefined) below.push(child)
      } else if (child.excluded !== undefined) {
        // ncdu writes what a pattern excluded as an object it never stat'ed, folder or file alike:
        // counted as left out, as the file pipeline counts what it drops.
        item.dropped++
      } else {
        const regular = child.notreg !== true
        const size = regular ? (child.asize ?? 0) : 0
        item.filenames.push(child.name)
        item.fileTypes += regular ? 'f' : 'o'
        item.sizes.push(size)
        summary.bytes += size
      }
    }
    summary.dirs++
    summary.files += item.filenames.length + item.dropped
    for (let i = below.length - 1; i >= 0; i--)
      stack.push({ entry: below[i]!, dirpath: joinPosix(dirpath, below[i]!.name), parent: dirpath })
    report()
    yield item
  }
  summary.keptFiles = summary.files
  summary.keptBytes = summary.bytes
  return { ...summary, top: scan.root.name, progname: scan.progname, progver: scan.progver, timestamp: scan.timestamp }
}
