/**
 * The `walk` job: os.walk (walk.ts's walkEntries) as a remote generator for the Browse tab.
 *
 * - The root is checked at the first pull (checkWalkRoot), so a missing path, a file or an
 *   unreadable root ends the generator with a clear LabError before anything is yielded.
 * - Each directory is one compact WalkDirItem; whenever onerror fires (a directory that cannot be
 *   listed or vanished, a file that cannot be sized) a WalkErrorItem is yielded before the next
 *   directory, and the walk goes on, as os.walk does with an onerror that only records.
 * - Filenames flow through a real lazy pipeline of generator stages, the lecture's
 *   `filter(pred, files)` and `itertools.filterfalse(pred, files)`, so dropped names never cross
 *   the process boundary. Directories are not filtered: the walk still goes into every one.
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
  WALK_STAT
} from '../../../shared/walkJob'
import { compileFnmatch } from './fnmatch'
import { excludeMatcher, pruneInPlace } from './prune'
import type { JobControl } from '../progress'
import { checkWalkRoot, walkEntries, type EntryStat, type WalkEntry } from './walk'

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

/** Chains the stages: `files = filter(pred, files)` / `files = filterfalse(pred, files)`, in order. */
export function compilePipeline(
  stages: readonly WalkFilterStage[]
): (files: Iterable<WalkEntry>) => Iterable<WalkEntry> {
  const compiled = stages.map((stage) => ({ fn: stage.fn === 'filter' ? filter : filterfalse, test: nameTest(stage) }))
  return (files) => {
    let stream = files
    for (const { fn, test } of compiled) stream = fn((entry: WalkEntry) => test(entry.name), stream)
    return stream
  }
}

const fileLetter = { file: 'f', symlink: 'l', other: 'o', dir: 'd' } as const

/** Writes one WALK_STAT record at record index `index`. */
function putStat(target: Float64Array, index: number, stat: EntryStat): void {
  const at = index * WALK_STAT.FIELDS
  target[at + WALK_STAT.APPARENT_SIZE] = stat.apparentSize
  target[at + WALK_STAT.DISK_USAGE] = stat.diskUsage
  target[at + WALK_STAT.DEV] = stat.dev
  target[at + WALK_STAT.INO] = stat.ino
  target[at + WALK_STAT.NLINK] = stat.nlink
}

export function* walkJob(
  args: ParsedWalkArgs,
  control: JobControl<WalkStats>
): Generator<WalkItem, WalkSummary, unknown> {
  const { top, topdown, followlinks, oneFileSystem, files: stages } = args
  checkWalkRoot(top)
  const pipeline = stages.length === 0 ? undefined : compilePipeline(stages)
  const isExcluded = excludeMatcher(args.exclude)
  const summary = emptyWalkSummary()
  const errors: LabError[] = []
  const skipped: WalkSkipItem[] = []
  const onskip = (path: string, reason: WalkSkipItem['reason']): void => {
    const { parent, name } = splitWalkPath(top, path, sep)
    skipped.push({ kind: 'skip', reason, parent: parent ?? top, name })
  }
  const errorItem = (error: LabError): WalkErrorItem => {
    summary.errors++
    return { kind: 'error', error: error.toInfo(), ...splitWalkPath(top, error.path ?? top, sep) }
  }

  const options = {
    topdown,
    followlinks,
    oneFileSystem,
    control,
    onerror: (error: LabError) => errors.push(error),
    onskip,
    // Nothing here changes the tree while walking, so directories can be listed ahead.
    readAhead: true
  }
  for (const dir of walkEntries(top, options)) {
    for (const error of errors) yield errorItem(error)
    errors.length = 0
    yield* skipped
    skipped.length = 0

    // Pruned before the item is made, as the loop body of the Python shown prunes before it prints.
    const excluded = isExcluded === undefined ? [] : pruneInPlace(dir.dirs, isExcluded, (entry) => entry.name)
    let dirTypes = ''
    const dirnames = new Array<string>(dir.dirs.length)
    const dirnameStats = new Float64Array(dir.dirs.length * WALK_STAT.FIELDS)
    for (let i = 0; i < dir.dirs.length; i++) {
      const entry = dir.dirs[i]!
      dirnames[i] = entry.name
      dirTypes += entry.type === 'symlink' ? 'l' : 'd'
      putStat(dirnameStats, i, entry.stat)
    }
    let allBytes = 0
    for (const entry of dir.files) allBytes += entry.size
    const kept = pipeline === undefined ? dir.files : pipeline(dir.files)
    const filenames: string[] = []
    const keptStats: EntryStat[] = []
    let fileTypes = ''
    let keptBytes = 0
    for (const entry of kept) {
      filenames.push(entry.name)
      keptStats.push(entry.stat)
      fileTypes += fileLetter[entry.type]
      keptBytes += entry.size
    }
    const filenameStats = new Float64Array(keptStats.length * WALK_STAT.FIELDS)
    for (let i = 0; i < keptStats.length; i++) putStat(filenameStats, i, keptStats[i]!)
    const ownStat = new Float64Array(WALK_STAT.FIELDS)
    putStat(ownStat, 0, dir.self)
    summary.dirs++
    summary.files += dir.files.length
    summary.bytes += allBytes
    summary.keptFiles += filenames.length
    summary.keptBytes += keptBytes
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath: dir.dirpath,
      ...splitWalkPath(top, dir.dirpath, sep),
      dirnames,
      dirTypes,
      excluded: excluded.map((entry) => entry.name),
      filenames,
      fileTypes,
      dropped: dir.files.length - filenames.length,
      droppedBytes: allBytes - keptBytes,
      ownStat,
      dirnameStats,
      filenameStats
    }
    yield item
  }
  for (const error of errors) yield errorItem(error)
  errors.length = 0
  yield* skipped
  return summary
}
