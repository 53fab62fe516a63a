/**
 * The `walk` job: os.walk (walk.ts's walkColumns) as a remote generator for the Browse tab.
 *
 * - A top that cannot be walked (missing, a file, unreadable) is what os.walk makes of it: one
 *   WalkErrorItem for top itself (parent null), nothing else, and the generator ends normally,
 *   with errors 1 in its summary. The arguments were checked before (walkArgsSchema).
 * - Each directory is one compact WalkDirItem; whenever onerror fires (a directory that cannot be
 *   listed or vanished, a file that cannot be sized) a WalkErrorItem is yielded before the next
 *   directory, and the walk goes on, as os.walk does with an onerror that only records. A
 *   directory stat'ed but not listed carries its own stat, which du and ncdu still count.
 * - Filenames flow through a real lazy pipeline of generator stages, the lecture's
 *   `filter(pred, files)` and `itertools.filterfalse(pred, files)`, so dropped names never cross
 *   the process boundary. Directories are not filtered: the walk still goes into every one.
 * - An item is made of the walk's own arrays (WalkDirColumns): no object per entry is made or
 *   copied, which matters on walks of hundreds of thousands of entries.
 */
import { sep } from 'node:path'
import type { LabError } from '../../../shared/errors'
import {
  emptyWalkSummary,
  splitWalkPath,
  type ParsedWalkArgs,
  type WalkDirItem,
  type WalkErrorItem,
  type WalkFilterStage,
  type WalkItem,
  type WalkSkipItem,
  type WalkStats,
  type WalkSummary,
  regularFileBytes,
  WALK_STAT
} from '../../../shared/walkJob'
import { compileFnmatch } from './fnmatch'
import { excludeMatcher, pruneInPlace } from './prune'
import type { JobControl } from '../progress'
import { walkColumns, writeStatRecord, type EntryStat, type WalkDirColumns, type WalkOptions } from './walk'

/** Python's built-in filter(): yields the items for which pred is true, lazily. */
export function* filter<T>(pred: (item: T) => boolean, iterable: Iterable<T>): Generator<T, void, undefined> {
  for (const item of iterable) if (pred(item)) yield item
}

/** itertools.filterfalse(): yields the items for which pred is false, lazily. */
export function* filterfalse<T>(pred: (item: T) => boolean, iterable: Iterable<T>): Generator<T, void, undefined> {
  for (const item of iterable) if (!pred(item)) yield item
}

/** The name test of one stage: fnmatch(name, pattern) or name.endswith(suffixes). */
function nameTest(stage: WalkFilterStage): (name: string) => boolean {
  if (stage.test === 'fnmatch') return compileFnmatch(stage.pattern)
  const suffixes = [...stage.suffixes]
  return (name) => suffixes.some((suffix) => name.endsWith(suffix))
}

/**
 * Chains the stages: `files = filter(pred, files)` / `files = filterfalse(pred, files)`, in order,
 * over a directory's filenames; yields the indices of the names that come out.
 */
export function compilePipeline(stages: readonly WalkFilterStage[]): (names: readonly string[]) => Iterable<number> {
  const compiled = stages.map((stage) => ({ fn: stage.fn === 'filter' ? filter : filterfalse, test: nameTest(stage) }))
  return (names) => {
    let stream: Iterable<number> = names.keys()
    for (const { fn, test } of compiled) stream = fn((index: number) => test(names[index]!), stream)
    return stream
  }
}

/** Parallel columns of entries: a name, a type letter and a WALK_STAT record each. */
interface Columns {
  names: string[]
  letters: string
  records: Float64Array
}

/** The entries at `indices` (in order) of the given columns. */
function pickEntries(columns: Columns, indices: readonly number[]): Columns {
  const F = WALK_STAT.FIELDS
  const records = new Float64Array(indices.length * F)
  const names = new Array<string>(indices.length)
  let letters = ''
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!
    names[i] = columns.names[index]!
    letters += columns.letters[index]
    records.set(columns.records.subarray(index * F, (index + 1) * F), i * F)
  }
  return { names, letters, records }
}

/**
 * Removes the excluded dirnames, with their letters and records, from `dir` (so the walk, which
 * reads dirnames back after the yield, never enters them); returns them in order, and where each
 * stood in dirnames as os.walk yields it.
 */
function pruneDirnames(
  dir: WalkDirColumns,
  isExcluded: (name: string) => boolean
): Pick<WalkDirItem, 'excluded' | 'excludedAt'> {
  const { dirnames } = dir
  const kept = Array.from(dirnames.keys())
  const removed = pruneInPlace(kept, isExcluded, (index) => dirnames[index]!)
  if (removed.length === 0) return { excluded: [], excludedAt: [] }
  const picked = pickEntries({ names: dirnames, letters: dir.dirTypes, records: dir.dirnameStats }, kept)
  dir.dirnames = picked.names
  dir.dirTypes = picked.letters
  dir.dirnameStats = picked.records
  return { excluded: removed.map((index) => dirnames[index]!), excludedAt: removed }
}

export function* walkJob(
  args: ParsedWalkArgs,
  control: JobControl<WalkStats>
): Generator<WalkItem, WalkSummary, unknown> {
  const { top, topdown, followlinks, oneFileSystem, files: stages } = args
  const pipeline = stages.length === 0 ? undefined : compilePipeline(stages)
  const isExcluded = excludeMatcher(args.exclude)
  const summary = emptyWalkSummary()
  const errors: { error: LabError; self: EntryStat | undefined; entry: 'file' | undefined }[] = []
  const skipped: WalkSkipItem[] = []
  const onskip = (path: string, reason: WalkSkipItem['reason']): void => {
    const { parent, name } = splitWalkPath(top, path, sep)
    skipped.push({ kind: 'skip', reason, parent: parent ?? top, name })
  }
  const errorItem = ({ error, self, entry }: (typeof errors)[number]): WalkErrorItem => {
    summary.errors++
    const item: WalkErrorItem = { kind: 'error', error: error.toInfo(), ...splitWalkPath(top, error.path ?? top, sep) }
    if (entry === 'file') item.file = true
    if (self !== undefined) {
      item.ownStat = new Float64Array(WALK_STAT.FIELDS)
      writeStatRecord(self, item.ownStat, 0)
    }
    return item
  }

  const options: WalkOptions = {
    topdown,
    followlinks,
    oneFileSystem,
    control,
    onerror: (error, self, entry) => errors.push({ error, self, entry }),
    onskip,
    // Nothing here changes the tree while walking, so directories can be listed ahead; without
    // exclude patterns nothing is pruned either, so whole subtrees can.
    readAhead: isExcluded === undefined ? 'subtrees' : true
  }
  for (const dir of walkColumns(top, options)) {
    for (const error of errors) yield errorItem(error)
    errors.length = 0
    yield* skipped
    skipped.length = 0

    // Pruned here, as the loop body of the Python shown does right after the yield: dirnames is
    // what the walk goes into, and excludedAt lets next(w) show the triple as os.walk yielded it.
    const { excluded, excludedAt } =
      isExcluded === undefined ? { excluded: [], excludedAt: [] } : pruneDirnames(dir, isExcluded)
    let kept: Columns = { names: dir.filenames, letters: dir.fileTypes, records: dir.filenameStats }
    let keptBytes = dir.bytes
    if (pipeline !== undefined) {
      const indices = Array.from(pipeline(dir.filenames))
      if (indices.length < dir.filenames.length) {
        kept = pickEntries(kept, indices)
        const keptFiles = { fileTypes: kept.letters, filenameStats: kept.records }
        keptBytes = 0
        for (let i = 0; i < indices.length; i++) keptBytes += regularFileBytes(keptFiles, i)
      }
    }
    summary.dirs++
    summary.files += dir.filenames.length
    summary.bytes += dir.bytes
    summary.keptFiles += kept.names.length
    summary.keptBytes += keptBytes
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath: dir.dirpath,
      ...splitWalkPath(top, dir.dirpath, sep),
      dirnames: dir.dirnames,
      dirTypes: dir.dirTypes,
      excluded,
      excludedAt,
      filenames: kept.names,
      fileTypes: kept.letters,
      dropped: dir.filenames.length - kept.names.length,
      droppedBytes: dir.bytes - keptBytes,
      ownStat: dir.ownStat,
      dirnameStats: dir.dirnameStats,
      filenameStats: kept.records
    }
    yield item
  }
  for (const error of errors) yield errorItem(error)
  errors.length = 0
  yield* skipped
  return summary
}
