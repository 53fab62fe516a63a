/**
 * The `walk` job kind: os.walk as a remote generator, with an optional file-name pipeline of
 * filter / filterfalse stages run in the worker (so dropped names never cross the process boundary).
 * Its arguments schema, what it yields and returns, and how a yielded path splits into parent and
 * name (shared by the worker, which computes it, and tests).
 */
import * as v from 'valibot'
import type { LabErrorInfo } from './errors'
import { MAX_NCDU_EXPORT_BYTES } from './ncdu'
import { filePathSchema, fsEncodable, MAX_PATH_LENGTH, noNul } from './paths'

const MAX_WALK_FILTER_STAGES = 8
const MAX_WALK_PATTERN_LENGTH = 256
const MAX_WALK_SUFFIXES = 32
const MAX_WALK_SUFFIX_LENGTH = 64
const MAX_WALK_EXCLUDES = 32

/**
 * Why a test of one name (`test`, e.g. fnmatch(name, pattern)) with `text` can match nothing: a
 * name never holds '/'. Undefined when it can match.
 */
function matchesNoName(text: string, what: string, test: string, instead: string): string | undefined {
  if (!text.includes('/')) return undefined
  return `${JSON.stringify(text)} holds a "/", so it matches nothing: each ${what} is tested against one name (${test}), and a name holds no "/". Give ${instead}`
}

/** Why an fnmatch pattern, tested against one name at a time as the Python shown does, can match nothing. */
export function patternMatchesNothing(pattern: string): string | undefined {
  return matchesNoName(pattern, 'pattern', 'fnmatch(name, pattern)', 'a name such as node_modules or *.py, not a path')
}

/** A check refusing what would silently match no name, saying why. */
function matchingSomeName(
  problem: (text: string) => string | undefined
): v.CheckAction<string, v.ErrorMessage<v.CheckIssue<string>>> {
  return v.check(
    (text: string) => problem(text) === undefined,
    (issue) => problem(issue.input) ?? ''
  )
}

const patternSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_WALK_PATTERN_LENGTH, `must be at most ${MAX_WALK_PATTERN_LENGTH} characters`),
  noNul,
  matchingSomeName(patternMatchesNothing)
)
const suffixSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_WALK_SUFFIX_LENGTH, `must be at most ${MAX_WALK_SUFFIX_LENGTH} characters`),
  noNul,
  matchingSomeName((suffix) => matchesNoName(suffix, 'suffix', 'name.endswith(suffix)', 'an extension such as .log'))
)
/** filter keeps the names the test accepts, itertools.filterfalse drops them. */
const stageFunction = v.picklist(['filter', 'filterfalse'])

/**
 * One stage of the file-name pipeline, applied to each directory's filenames in order:
 * `files = filter(lambda name: fnmatch(name, pattern), files)` or
 * `files = filterfalse(lambda name: name.endswith(suffixes), files)`.
 */
const walkFilterStageSchema = v.variant('test', [
  v.strictObject({ fn: stageFunction, test: v.literal('fnmatch'), pattern: patternSchema }),
  v.strictObject({
    fn: stageFunction,
    test: v.literal('endswith'),
    suffixes: v.pipe(
      v.array(suffixSchema),
      v.minLength(1, 'must list at least one suffix'),
      v.maxLength(MAX_WALK_SUFFIXES, `must list at most ${MAX_WALK_SUFFIXES} suffixes`)
    )
  })
])

export const walkArgsSchema = v.strictObject({
  /**
   * The directory to walk, used exactly as given (like os.walk's top). Bytes that are not valid
   * UTF-8 are surrogate escapes, as everywhere (src/shared/fsNames.ts).
   */
  top: v.pipe(
    v.string(),
    v.minLength(1, 'No folder was given to walk.'),
    v.maxLength(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`),
    noNul,
    fsEncodable
  ),
  topdown: v.optional(v.boolean(), true),
  followlinks: v.optional(v.boolean(), false),
  /** Stay on top's file system, like `du -x` / `ncdu -x` (os.walk has no such option). */
  oneFileSystem: v.optional(v.boolean(), false),
  /**
   * Folder patterns (fnmatch) pruned while walking top-down, as
   * `dirnames[:] = [d for d in dirnames if not fnmatch(d, pattern)]`: excluded folders are never
   * entered. Bottom-up this has no effect on what is walked (BOTTOM_UP_PRUNING).
   */
  exclude: v.optional(
    v.pipe(v.array(patternSchema), v.maxLength(MAX_WALK_EXCLUDES, `must list at most ${MAX_WALK_EXCLUDES} patterns`)),
    []
  ),
  /** The filename pipeline; directories are never filtered (the walk goes into all of them). */
  files: v.optional(
    v.pipe(
      v.array(walkFilterStageSchema),
      v.maxLength(MAX_WALK_FILTER_STAGES, `must have at most ${MAX_WALK_FILTER_STAGES} stages`)
    ),
    []
  )
})

/**
 * The `ncduImport` job: a scan saved in ncdu's export format (src/shared/ncdu.ts, by ncdu -o or
 * the Browse tab's export), yielded as the walk job's items, top-down, without touching the disk
 * it describes.
 */
export const ncduImportArgsSchema = v.strictObject({ file: filePathSchema })
export type NcduImportArgs = v.InferInput<typeof ncduImportArgsSchema>

/** A scan exported in ncdu's format, as the renderer hands it to main to save. */
export const ncduExportBytesSchema = v.pipe(
  v.instance(Uint8Array, 'must be the export’s bytes'),
  v.check((bytes) => bytes.byteLength <= MAX_NCDU_EXPORT_BYTES, `must be at most ${MAX_NCDU_EXPORT_BYTES} bytes`)
)

/** A file name, not a path (what a save dialog proposes). */
export const fileNameSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(255, 'must be at most 255 characters'),
  v.regex(/^[^/\\\0]+$/, 'must be a file name, not a path')
)

/**
 * The `ncduCheck` job: main's check that bytes are a well-formed ncdu export before it saves them,
 * run in a job worker, since decoding a large export takes seconds main's thread must not spend.
 * `file` names the export in its errors.
 */
export const ncduCheckArgsSchema = v.strictObject({ bytes: ncduExportBytesSchema, file: fileNameSchema })

/** What an ncdu import returns: the walk's summary, and who made the export and when. */
export interface NcduImportSummary extends WalkSummary {
  /** The scanned directory (the export's root name). */
  top: string
  progname: string
  progver: string
  /** Seconds since the epoch. */
  timestamp: number
}

export type WalkArgs = v.InferInput<typeof walkArgsSchema>
export type ParsedWalkArgs = v.InferOutput<typeof walkArgsSchema>
export type WalkFilterStage = v.InferOutput<typeof walkFilterStageSchema>

/**
 * One os.walk triple, compact: parallel arrays and one letter per entry instead of an object per
 * entry, so 200,000 entries stream cheaply. Paths and names that are not valid UTF-8 carry
 * surrogate escapes exactly as Python's os.fsdecode makes them (src/shared/fsNames.ts): sent back
 * (a walk re-rooted there, a file read), they reach the same bytes. Show them with shownName.
 */
export interface WalkDirItem {
  kind: 'dir'
  /** os.walk's dirpath, exactly. */
  dirpath: string
  /** dirpath of the directory this one was listed in; null for top. */
  parent: string | null
  /** Its name in parent's dirnames (top itself for the root). */
  name: string
  /** dirnames, in os.walk (directory read) order. */
  dirnames: string[]
  /** One letter per dirname: 'd' a directory, 'l' a symlink to a directory. */
  dirTypes: string
  /** The dirnames the exclude patterns removed (in os.walk order); they are not in dirnames. */
  excluded: string[]
  /**
   * Where each excluded name stood in dirnames as os.walk yielded it, before the loop body pruned
   * (ascending, one per excluded name): yieldedDirnames puts them back there.
   */
  excludedAt: number[]
  /** The filenames that came out of the pipeline (all of them when it is empty), in os.walk order. */
  filenames: string[]
  /** One letter per filename: 'f' a regular file, 'l' a symlink, 'o' a fifo, socket or device. */
  fileTypes: string
  /** Filenames the pipeline dropped, and the bytes of those that are regular files. */
  dropped: number
  droppedBytes: number
  /**
   * What du and ncdu count, WALK_STAT.FIELDS numbers per entry (see WALK_STAT): the directory's
   * own stat (as the walker entered it), then one record per dirname (an lstat: a symlink's own;
   * zeros for a real directory, whose own item carries it) and one per filename (an lstat, so a
   * symlink's own size; zeros when it failed). Typed arrays, so a batch crosses threads and IPC
   * as plain memory.
   */
  ownStat: Float64Array
  dirnameStats: Float64Array
  filenameStats: Float64Array
}

/**
 * dirnames as os.walk yielded them, before the loop body pruned them in place: the kept names with
 * the excluded ones back where they stood (dirnames itself when nothing was pruned). What `next(w)`
 * shows; dirnames is what the loop walks.
 */
export function yieldedDirnames(item: Pick<WalkDirItem, 'dirnames' | 'excluded' | 'excludedAt'>): string[] {
  return inYieldedOrder(item.dirnames, item.excluded, item.excludedAt)
}

/**
 * Whatever stands for a directory's dirnames (names, tree nodes), kept and excluded, merged back
 * in os.walk's order: the excluded ones at `excludedAt` (ascending positions in that order).
 */
export function inYieldedOrder<T>(kept: T[], excluded: readonly T[], excludedAt: readonly number[]): T[] {
  if (excluded.length === 0) return kept
  const merged = new Array<T>(kept.length + excluded.length)
  let keptAt = 0
  let excludedIndex = 0
  for (let at = 0; at < merged.length; at++)
    merged[at] = excludedAt[excludedIndex] === at ? excluded[excludedIndex++]! : kept[keptAt++]!
  return merged
}

/**
 * Why pruning does nothing bottom-up, as Python's docs say it: said by the CLI and the Browse tab.
 */
export const BOTTOM_UP_PRUNING =
  'excluded directories are still walked: bottom-up, os.walk has chosen the directories to walk before it yields their parent, so removing names from dirnames has no effect (as in Python)'

/** Where each field sits in a WalkDirItem stat record, and the record's length. */
export const WALK_STAT = {
  /** st_size, symlinks' included: the apparent size (`du -b`). */
  APPARENT_SIZE: 0,
  /** st_blocks × 512: the disk usage (`du -B1`). */
  DISK_USAGE: 1,
  DEV: 2,
  INO: 3,
  /** st_nlink: above 1 for a hard-linked file, which du and ncdu count once per (dev, ino). */
  NLINK: 4,
  FIELDS: 5
} as const

/** The letters of dirTypes and fileTypes as char codes: read with charCodeAt, written as bytes. */
export const TYPE_LETTER = { DIR: 100 /* d */, FILE: 102 /* f */, LINK: 108 /* l */, OTHER: 111 /* o */ } as const

/**
 * The bytes the walk's summary counts for filename `index` of a dir item (or a tree node holding
 * its arrays): a regular file's size, 0 for everything else (a symlink's own size is in its stat
 * record, but `bytes` counts what files hold, as walkEntries sizes them).
 */
export function regularFileBytes(item: { fileTypes: string; filenameStats: Float64Array }, index: number): number {
  if (item.fileTypes.charCodeAt(index) !== TYPE_LETTER.FILE) return 0
  return item.filenameStats[index * WALK_STAT.FIELDS + WALK_STAT.APPARENT_SIZE] ?? 0
}

/** onerror fired (a directory could not be listed, a file could not be sized); the walk goes on. */
export interface WalkErrorItem {
  kind: 'error'
  error: LabErrorInfo
  /** The error's path split like a dir item's (parent null when it is top itself). */
  parent: string | null
  name: string
  /**
   * A directory that was stat'ed but could not be listed: its own stat, one WALK_STAT record (du
   * and ncdu count its own size, and ncdu exports it beside read_error).
   */
  ownStat?: Float64Array
  /**
   * A file that was listed but could not be sized (its lstat failed: in a folder that can be read
   * but not searched, say). os.walk never stats a file, so this is no onerror call; the Python
   * shown counts it in its file_size().
   */
  file?: true
}

/**
 * A directory listed in its parent's dirnames that the walk did not enter, and why (not an
 * error): 'otherFileSystem' with oneFileSystem (a mount point, ncdu's "othfs"), 'cycle' for a
 * directory already on the path from top (see walk.ts). Comes before the next dir item.
 */
export interface WalkSkipItem {
  kind: 'skip'
  reason: WalkSkipReason
  parent: string
  name: string
}

export type WalkSkipReason = 'otherFileSystem' | 'cycle'

export type WalkItem = WalkDirItem | WalkErrorItem | WalkSkipItem

/**
 * What the walk returns once exhausted (StopIteration's value); the renderer counts the same as
 * the items arrive, and the two must agree.
 */
export interface WalkSummary {
  /** Directories yielded (triples). */
  dirs: number
  /** Filenames listed (before the pipeline) and the bytes of the regular files among them. */
  files: number
  bytes: number
  errors: number
  /** What came out of the pipeline. */
  keptFiles: number
  keptBytes: number
}

/** Stats of a walk's progress reports (unit 'entries', completed = dirs + files): entries listed so far. */
export type WalkStats = Pick<WalkSummary, 'dirs' | 'files' | 'bytes' | 'errors'>

/** A summary with nothing counted yet. */
export function emptyWalkSummary(): WalkSummary {
  return { dirs: 0, files: 0, bytes: 0, errors: 0, keptFiles: 0, keptBytes: 0 }
}

/**
 * Splits a path the walker built (top, or top joined with names) into the parent it was joined to
 * and its last name. Names never contain the separator, so the last one splits a joined path; no
 * separator follows top when walk.ts's os.path.join added none (top ending with one, or `C:`).
 */
export function splitWalkPath(top: string, path: string, sep: string): { parent: string | null; name: string } {
  if (path === top || !path.startsWith(top)) return { parent: null, name: path }
  const last = path.lastIndexOf(sep)
  if (last >= top.length) return { parent: path.slice(0, last), name: path.slice(last + 1) }
  return { parent: top, name: path.slice(top.length) }
}
