/**
 * The Browse tab's model of a walk: a directory tree built from streamed `walk` items, with
 * cumulative sizes per directory counted as du and ncdu count them (each directory's own size
 * included, an unreadable one's too, symlinks by their own size), in apparent size and disk usage
 * alike, errors attached where they happened, and a flat, sorted list of the visible rows below
 * any directory (the view's root) for a virtualized view.
 *
 * A hard-linked file counts once per (device, inode) in each directory whose subtree holds at
 * least one of its names, as ncdu 1.x counts it: every directory's total is what `du -sb` of that
 * directory alone prints, top's counts each file once, and no entry outweighs its directory.
 *
 * Plain objects, no Vue: applying an item costs O(its dirnames + depth) (file arrays are adopted
 * as they arrived, not copied), plus O(depth × names met so far) per hard-linked file, and only
 * expanded directories are ever sorted or flattened, so a walk of 200,000 entries stays cheap.
 * A folder too large to sort within one task (SORT_IN_STEPS_FROM) is sorted in steps (sortSteps)
 * that the caller spreads over frames; its last order is shown until then.
 * Directories are matched by (parent path, name), so items may arrive top-down (parent first) or
 * bottom-up (children first) alike.
 */
import type { LabErrorInfo } from '@shared/errors'
import {
  emptyWalkSummary,
  inYieldedOrder,
  regularFileBytes,
  splitWalkPath,
  TYPE_LETTER,
  type WalkDirItem,
  type WalkErrorItem,
  type WalkItem,
  type WalkSkipItem,
  type WalkSkipReason,
  type WalkSummary,
  WALK_STAT
} from '@shared/walkJob'
import { sortInSteps } from './sortInSteps'

export type SortKey = 'name' | 'size' | 'walk'
export interface SortOrder {
  key: SortKey
  descending: boolean
}

/**
 * Lists this long are sorted in steps (sortSteps), not at once: in V8 a sort by name of 20,000
 * names takes about 15 ms, of 300,000 up to 0.4 s, too long a task for the window to stay smooth.
 */
export const SORT_IN_STEPS_FROM = 20_000

const NO_NAMES: string[] = []
const NO_FILES: number[] = []
const NO_STATS = new Float64Array(0)

/** What sizes mean: st_size (`du -b`, ncdu's apparent size) or st_blocks × 512 (`du -B1`, ncdu's default). */
export type SizeMeasure = 'apparent' | 'disk'

/**
 * A file with more than one hard link: its first name met, where top's total counts it, or a
 * later one (top counts it once; a directory holding only later names counts it too).
 */
export const HARD_LINK_COUNTED = 1
export const HARD_LINK_ELSEWHERE = 2

export class DirNode {
  /** dirpath, once known (its triple arrived, or a descendant's named it). */
  path: string | undefined
  /** Listed in its parent's dirnames as a symlink to a directory. */
  isLink = false
  /**
   * Such a link's own size (its lstat, as du counts it in the parent's total): the size its row
   * shows while the walk does not enter it (without followlinks).
   */
  linkBytes = 0
  linkDisk = 0
  /** Listed, but the walk did not enter it (another file system, or a cycle). */
  skipped: WalkSkipReason | undefined
  /** Pruned by an exclude pattern: never entered, not in its parent's dirnames. */
  excluded = false
  /** Its triple arrived. */
  listed = false
  expanded = false
  /** Subdirectories in os.walk order. */
  subdirs: DirNode[] = []
  /** Subdirectories by name, made with the first: most directories have none (9,500 of /usr's 15,700). */
  private childrenByName: Map<string, DirNode> | undefined
  /** The filenames that came out of the pipeline, with their types (the arrays as received). */
  files: string[] = NO_NAMES
  fileTypes = ''
  /** WALK_STAT records of the files, as received. */
  fileStats: Float64Array = NO_STATS
  /**
   * WALK_STAT records: the directory's own (an unlisted one's from its error item), and its
   * dirnames' (a symlink's own lstat), as received.
   */
  ownStat: Float64Array = NO_STATS
  dirnameStats: Float64Array = NO_STATS
  /** Per file, for files with more than one link: HARD_LINK_COUNTED or HARD_LINK_ELSEWHERE (0 otherwise). */
  hardLinks: Uint8Array | undefined
  /** Filenames the pipeline dropped here. */
  dropped = 0
  /** onerror reports about entries of this directory, by name (for top's own failure: `error`). */
  errors: Map<string, LabErrorInfo> | undefined
  error: LabErrorInfo | undefined
  /**
   * What this directory adds itself, as du counts it: its own size (an unreadable one's too), its
   * files', its symlinks'; a hard-linked file once, unless its total already held it.
   */
  ownBytes = 0
  ownDisk = 0
  /**
   * Over the subtree, this directory included: apparent bytes and disk usage (as du counts them),
   * count of shown files, of entries listed (ncdu's items: every name in a listing's dirnames,
   * walked or not, as links, other file systems, unreadable and excluded folders are, and its shown
   * files), errors.
   */
  totalBytes = 0
  totalDisk = 0
  totalFiles = 0
  totalEntries = 0
  totalErrors = 0
  /** Bumped when a total in the subtree changes / when subdirs change: sort caches key on them. */
  version = 0
  structure = 0
  /**
   * The last sort of subdirs and of files: for which order, and the structure (and, for subdirs,
   * the version) it saw. While a large one is re-sorted in steps, a list of the same structure
   * stands in for it.
   */
  dirCache: { order: string; structure: number; version: number; list: DirNode[] } | undefined
  fileCache: { order: string; structure: number; list: Uint32Array } | undefined
  fileSet: Set<string> | undefined
  /** sortKey of each file name ('' until a sort needs it: by name all, by size only the tied). */
  fileKeys: string[] | undefined
  private key: string | undefined

  constructor(
    public name: string,
    public parent: DirNode | undefined
  ) {}

  /** The subdirectory of that name (listed, excluded or skipped), if one is known. */
  childNamed(name: string): DirNode | undefined {
    return this.childrenByName?.get(name)
  }

  /** A new subdirectory of that name, known by childNamed from now on (the caller puts it in subdirs). */
  newChild(name: string): DirNode {
    const child = new DirNode(name, this)
    ;(this.childrenByName ??= new Map()).set(name, child)
    return child
  }

  get sortKey(): string {
    return (this.key ??= sortKey(this.name))
  }

  get depth(): number {
    let depth = 0
    for (let node = this.parent; node !== undefined; node = node.parent) depth++
    return depth
  }
}

export const ROW_DIR = 0
export const ROW_FILE = 1
export const ROW_ERROR = 2

/**
 * The visible rows, as runs: a directory's row, an error's, or file rows of a directory in one run
 * (all of them, or by size those between two of its folders), so a folder of 300,000 files adds
 * one run, not 300,000 rows (a flatten per refresh stays cheap). Parallel arrays, no object per
 * run; row i is found by a binary search of `starts`.
 */
export class Rows {
  /** The row each run starts at, ascending. */
  private readonly starts: number[] = []
  private readonly nodes: DirNode[] = []
  private readonly kinds: number[] = []
  /** An error run's index into errorNames; a file run's first position in its order; -1 for a directory. */
  private readonly refs: number[] = []
  /** A file run's order of its node's files (undefined: os.walk order). */
  private readonly fileOrders: (Uint32Array | undefined)[] = []
  private readonly depths: number[] = []
  readonly errorNames: string[] = []
  length = 0

  /** One row: a directory, or an error (ref: its index in errorNames). */
  push(node: DirNode, kind: typeof ROW_DIR | typeof ROW_ERROR, ref: number, depth: number): void {
    this.pushRun(node, kind, ref, undefined, depth, 1)
  }

  /** A row for each of node's files in `order` (undefined: os.walk order), `count` of them from position `from` on. */
  pushFiles(
    node: DirNode,
    order: Uint32Array | undefined,
    depth: number,
    from = 0,
    count = node.files.length - from
  ): void {
    if (count > 0) this.pushRun(node, ROW_FILE, from, order, depth, count)
  }

  private pushRun(
    node: DirNode,
    kind: number,
    ref: number,
    order: Uint32Array | undefined,
    depth: number,
    count: number
  ): void {
    this.starts.push(this.length)
    this.nodes.push(node)
    this.kinds.push(kind)
    this.refs.push(ref)
    this.fileOrders.push(order)
    this.depths.push(depth)
    this.length += count
  }

  /** The run holding row `index` (-1 when out of range). */
  private runOf(index: number): number {
    if (!(index >= 0 && index < this.length)) return -1
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle]! <= index) low = middle
      else high = middle - 1
    }
    return low
  }

  /** Row `index`: its directory, kind, depth, and ref (a file's index in node.files, an error's in errorNames). */
  at(index: number): { node: DirNode; kind: RowKey['kind']; ref: number; depth: number } | undefined {
    const run = this.runOf(index)
    if (run === -1) return undefined
    const kind = this.kinds[run]! as RowKey['kind']
    const offset = index - this.starts[run]!
    const order = this.fileOrders[run]
    const position = this.refs[run]! + offset
    const ref = kind !== ROW_FILE ? this.refs[run]! : order === undefined ? position : order[position]!
    return { node: this.nodes[run]!, kind, ref, depth: this.depths[run]! }
  }

  /** The row of a key, or -1 when it is not shown. */
  indexOf(key: RowKey): number {
    /** A file's position in its folder's order, found once: by size, its files may be in a run between each two of its folders. */
    let position = -1
    for (let run = 0; run < this.starts.length; run++) {
      if (this.nodes[run] !== key.node || this.kinds[run] !== key.kind) continue
      if (key.kind === ROW_DIR) return this.starts[run]!
      if (key.kind === ROW_ERROR) {
        if (this.errorNames[this.refs[run]!] === key.ref) return this.starts[run]!
        continue
      }
      const ref = key.ref as number
      if (!(ref >= 0 && ref < key.node.files.length)) return -1
      if (position === -1) {
        const order = this.fileOrders[run]
        position = order === undefined ? ref : order.indexOf(ref)
      }
      const from = this.refs[run]!
      const end = run + 1 < this.starts.length ? this.starts[run + 1]! : this.length
      if (position >= from && position < from + end - this.starts[run]!) return this.starts[run]! + position - from
    }
    return -1
  }

  /** The nearest row above `index` that is less deep: its folder's row (-1 for the first row). */
  parentOf(index: number): number {
    const run = this.runOf(index)
    if (run === -1) return -1
    const depth = this.depths[run]!
    // A run's last row is the nearest of its rows.
    for (let before = run - 1; before >= 0; before--)
      if (this.depths[before]! < depth) return this.starts[before + 1]! - 1
    return -1
  }
}

export type DirStatus = 'listed' | 'pending' | 'link' | 'error' | 'unwalked' | 'excluded' | 'otherFileSystem' | 'cycle'

/** A row's identity that survives sorting, streaming and re-rooting: the directory, and which of its rows. */
export interface RowKey {
  node: DirNode
  kind: typeof ROW_DIR | typeof ROW_FILE | typeof ROW_ERROR
  /** A file's index in node.files, an error's name; unused for a directory. */
  ref?: number | string
}

/** Whether two keys stand for the same row. */
export function sameRow(a: RowKey, b: RowKey): boolean {
  return a.node === b.node && a.kind === b.kind && a.ref === b.ref
}

/** A name the search found: a directory, or a file of `node`. */
export type SearchMatch = RowKey

/** One row, ready to render. */
export interface RowView {
  kind: 'dir' | 'file' | 'error'
  depth: number
  name: string
  node: DirNode
  /** Bytes in the tree's measure: cumulative for a directory, own for a file. */
  bytes: number
  /** Share of the parent directory's bytes, 0…1 (the view's root: 1, or 0 when it holds nothing). */
  share: number
  /** Directory: shown files in its subtree. */
  files?: number
  /** Directory: entries below it, files and folders, entered or not (ncdu's item count). */
  items?: number
  /** File: HARD_LINK_COUNTED or HARD_LINK_ELSEWHERE when it has more than one link, and how many. */
  hardLink?: number
  nlink?: number
  status?: DirStatus
  /** File: 'f' regular, 'l' symlink, 'o' other. */
  type?: string
  expanded?: boolean
  error?: LabErrorInfo
}

/**
 * A natural sort key: case folded, each digit run as '0', a character for its length without
 * leading zeros, then those digits, so that `f9` sorts before `f10` (and `f007` with `f7`; the
 * name breaks the tie). Keys are compared with `<`, which is several times faster than
 * Intl.Collator on the large directories a walk meets. The length character keeps keys short:
 * 20-digit zero padding made them twice as slow to build and sort (300,000 names: 0.45 s, against
 * 0.3 s in Node).
 */
export function sortKey(name: string): string {
  const folded = name.toLowerCase()
  // A loop rather than replace(/\d+/g, fn): faster, and a name without digits costs only its case fold.
  let key = ''
  let copied = 0
  for (let at = 0; at < folded.length; at++) {
    if (!isDigit(folded.charCodeAt(at))) continue
    let end = at + 1
    while (end < folded.length && isDigit(folded.charCodeAt(end))) end++
    let significant = at
    while (significant < end - 1 && folded.charCodeAt(significant) === 0x30) significant++
    key += `${folded.slice(copied, at)}0${String.fromCharCode(0x20 + end - significant)}${folded.slice(significant, end)}`
    copied = end
    at = end
  }
  return copied === 0 ? folded : key + folded.slice(copied)
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The key of sort caches and sort jobs: the order, and by size the measure (names do not change with it). */
export function sortCacheKey(order: SortOrder, measure: SizeMeasure): string {
  return order.key === 'size' ? `${order.key}:${order.descending}:${measure}` : `${order.key}:${order.descending}`
}

export class WalkTree {
  readonly root: DirNode
  /** What the walk has yielded so far, counted as its summary counts it. */
  readonly counters: WalkSummary = emptyWalkSummary()
  /** The directory (or error) yielded last, for step mode. */
  last: DirNode | undefined
  /** The walk ended (exhausted, failed or cancelled): unlisted directories will stay so. */
  ended = false
  /** What sizes mean in views and size order. */
  measure: SizeMeasure = 'apparent'
  /**
   * Directories whose subdirs or files are shown in an older order until sortSteps sorts them, for
   * the order (and measure) the last flatten or search asked for: asking for another forgets them.
   */
  readonly unsorted = new Set<DirNode>()
  private unsortedOrder = ''
  private readonly byPath = new Map<string, DirNode>()
  /** Every hard-linked file met so far, by `dev:ino`: where its names are, so each directory counts it once. */
  private readonly linkedInodes = new Map<string, LinkedInode>()
  private sep: string | undefined

  constructor(readonly top: string) {
    this.root = new DirNode(top, undefined)
    this.root.path = top
    this.root.expanded = true
    this.byPath.set(top, this.root)
  }

  apply(item: WalkItem): DirNode {
    if (item.kind === 'dir') return this.applyDir(item)
    if (item.kind === 'skip') return this.applySkip(item)
    return this.applyError(item)
  }

  /** Checks the counters against the generator's return value (they must agree). */
  matches(summary: WalkSummary): boolean {
    const c = this.counters
    return (
      c.dirs === summary.dirs &&
      c.files === summary.files &&
      c.bytes === summary.bytes &&
      c.errors === summary.errors &&
      c.keptFiles === summary.keptFiles &&
      c.keptBytes === summary.keptBytes
    )
  }

  private applyDir(item: WalkDirItem): DirNode {
    this.learnSeparator(item.dirpath, item.parent, item.name)
    const node = item.parent === null ? this.root : this.child(this.dirAt(item.parent), item.name)
    node.path = item.dirpath
    this.byPath.set(item.dirpath, node)
    this.last = node
    let bytes = 0
    for (let i = 0; i < item.filenames.length; i++) bytes += regularFileBytes(item, i)
    const c = this.counters
    c.dirs++
    c.files += item.filenames.length + item.dropped
    c.bytes += bytes + item.droppedBytes
    c.keptFiles += item.filenames.length
    c.keptBytes += bytes
    if (node.listed) return node // the walker yields a path once; never add a directory to the totals twice

    const previous = node.subdirs
    const subdirs = new Array<DirNode>(item.dirnames.length)
    for (let i = 0; i < item.dirnames.length; i++) {
      const name = item.dirnames[i]!
      const child = node.childNamed(name) ?? node.newChild(name)
      child.isLink = item.dirTypes.charCodeAt(i) === TYPE_LETTER.LINK
      if (child.isLink) {
        child.linkBytes = item.dirnameStats[i * WALK_STAT.FIELDS + WALK_STAT.APPARENT_SIZE] ?? 0
        child.linkDisk = item.dirnameStats[i * WALK_STAT.FIELDS + WALK_STAT.DISK_USAGE] ?? 0
      }
      subdirs[i] = child
    }
    const excluded = item.excluded.map((name) => {
      const child = node.childNamed(name) ?? node.newChild(name)
      child.excluded = true
      return child
    })
    // Pruned folders keep their place in os.walk's order (the tree's "os.walk order" sort).
    const inWalkOrder = inYieldedOrder(subdirs, excluded, item.excludedAt)
    if (previous.length > 0) {
      // Bottom-up, children came first; keep any the listing does not name (renamed meanwhile).
      const named = new Set(inWalkOrder)
      for (const child of previous) if (!named.has(child)) inWalkOrder.push(child)
    }
    node.subdirs = inWalkOrder
    node.structure++
    node.listed = true
    node.files = item.filenames
    node.fileTypes = item.fileTypes
    node.fileStats = item.filenameStats
    node.ownStat = item.ownStat
    node.dirnameStats = item.dirnameStats
    node.dropped = item.dropped
    node.fileSet = undefined
    node.fileKeys = undefined
    const [ownBytes, ownDisk, firstLink] = this.ownSizes(item)
    node.ownBytes = ownBytes
    node.ownDisk = ownDisk
    for (let n: DirNode | undefined = node; n !== undefined; n = n.parent) {
      n.totalBytes += ownBytes
      n.totalDisk += ownDisk
      n.totalFiles += item.filenames.length
      n.totalEntries += item.dirnames.length + item.excluded.length + item.filenames.length
      n.version++
    }
    node.hardLinks = firstLink < 0 ? undefined : this.countHardLinks(node, item.filenameStats, firstLink)
    return node
  }

  /**
   * What a directory adds to the totals, as du counts, hard-linked files aside: its own size, each
   * file's (a symlink's own), each symlink in dirnames; and where the first hard-linked file's
   * record starts in filenameStats (-1: none).
   */
  private ownSizes(item: WalkDirItem): [apparent: number, disk: number, firstLink: number] {
    const F = WALK_STAT.FIELDS
    const own = item.ownStat
    let apparent = own.length === 0 ? 0 : own[WALK_STAT.APPARENT_SIZE]!
    let disk = own.length === 0 ? 0 : own[WALK_STAT.DISK_USAGE]!
    const stats = item.filenameStats
    let firstLink = -1
    for (let at = 0; at < stats.length; at += F) {
      if (stats[at + WALK_STAT.NLINK]! > 1) {
        if (firstLink < 0) firstLink = at // countHardLinks counts them
        continue
      }
      apparent += stats[at + WALK_STAT.APPARENT_SIZE]!
      disk += stats[at + WALK_STAT.DISK_USAGE]!
    }
    const dirStats = item.dirnameStats
    for (let at = 0; at < dirStats.length; at += F) {
      apparent += dirStats[at + WALK_STAT.APPARENT_SIZE]!
      disk += dirStats[at + WALK_STAT.DISK_USAGE]!
    }
    return [apparent, disk, firstLink]
  }

  /**
   * Adds the hard-linked files of a directory just listed to the totals, as ncdu 1.x does: each to
   * the directory and its ancestors up to the first one whose subtree already holds another of its
   * names (which, and everything above it, counts the file already). Returns their marks.
   */
  private countHardLinks(node: DirNode, stats: Float64Array, firstLink: number): Uint8Array {
    const F = WALK_STAT.FIELDS
    const marks = new Uint8Array(stats.length / F)
    for (let at = firstLink; at < stats.length; at += F) {
      if (stats[at + WALK_STAT.NLINK]! <= 1) continue
      const apparent = stats[at + WALK_STAT.APPARENT_SIZE]!
      const disk = stats[at + WALK_STAT.DISK_USAGE]!
      const key = `${stats[at + WALK_STAT.DEV]}:${stats[at + WALK_STAT.INO]}`
      const inode = this.linkedInodes.get(key)
      let countedFrom: DirNode | undefined
      if (inode === undefined) {
        this.linkedInodes.set(key, { dirs: [node] })
        marks[at / F] = HARD_LINK_COUNTED
      } else {
        marks[at / F] = HARD_LINK_ELSEWHERE
        countedFrom = deepestCommonAncestor(node, inode.dirs)
        if (countedFrom === node) continue
        inode.dirs.push(node)
      }
      addSizes(node, apparent, disk, countedFrom)
    }
    return marks
  }

  private applySkip(item: WalkSkipItem): DirNode {
    const node = this.child(this.dirAt(item.parent), item.name)
    node.skipped = item.reason
    this.last = node
    return node
  }

  private applyError(item: WalkErrorItem): DirNode {
    this.counters.errors++
    const path = item.error.path ?? this.top
    this.learnSeparator(path, item.parent, item.name)
    let node: DirNode
    if (item.parent === null) {
      node = this.root
      node.error = item.error
    } else {
      node = this.dirAt(item.parent)
      ;(node.errors ??= new Map()).set(item.name, item.error)
      node.fileSet = undefined
    }
    for (let n: DirNode | undefined = node; n !== undefined; n = n.parent) {
      n.totalErrors++
      n.version++
    }
    if (item.ownStat !== undefined)
      this.countUnlisted(item.parent === null ? node : this.child(node, item.name), item.ownStat)
    this.last = node.childNamed(item.name) ?? node
    return this.last
  }

  /** A directory that could not be listed was stat'ed all the same: du and ncdu count its own size. */
  private countUnlisted(node: DirNode, ownStat: Float64Array): void {
    if (node.listed || node.ownStat.length > 0) return // counted already
    node.ownStat = ownStat
    addSizes(node, ownStat[WALK_STAT.APPARENT_SIZE] ?? 0, ownStat[WALK_STAT.DISK_USAGE] ?? 0)
  }

  /** Below depth 1, the text between parent and name in a joined path is the separator. */
  private learnSeparator(path: string, parent: string | null, name: string): void {
    if (this.sep !== undefined || parent === null) return
    const gap = path.slice(parent.length, path.length - name.length)
    if (gap.length === 1) this.sep = gap
  }

  private child(parent: DirNode, name: string): DirNode {
    let node = parent.childNamed(name)
    if (node === undefined) {
      node = parent.newChild(name)
      parent.subdirs.push(node)
      parent.structure++
    }
    return node
  }

  /** The directory at a path the walker produced, created (with its ancestors) if not seen yet. */
  private dirAt(path: string): DirNode {
    const known = this.byPath.get(path)
    if (known !== undefined) return known
    // Bottom-up, an ancestor is named before its own triple arrives. Walk down from the nearest known one.
    const names: string[] = []
    let at = path
    let node: DirNode | undefined
    while (node === undefined) {
      if (this.sep === undefined) {
        names.push(at) // cannot split without knowing the separator: hang it under top whole
        node = this.root
        break
      }
      const { parent, name } = splitWalkPath(this.top, at, this.sep)
      if (parent === null) {
        node = this.root
        break
      }
      names.push(name)
      at = parent
      node = this.byPath.get(at)
    }
    for (let i = names.length - 1; i >= 0; i--) node = this.child(node, names[i]!)
    node.path = path
    this.byPath.set(path, node)
    return node
  }

  // -------------------------------------------------------------------------------------------
  // Views

  status(node: DirNode): DirStatus {
    if (node.listed) return 'listed'
    if (node.excluded) return 'excluded'
    if (node.skipped !== undefined) return node.skipped
    if (node.error !== undefined || node.parent?.errors?.has(node.name) === true) return 'error'
    if (node.isLink) return this.ended ? 'link' : 'pending'
    return this.ended ? 'unwalked' : 'pending'
  }

  /** A directory's total in the tree's measure. */
  /** What a directory's row counts: its subtree's total, or a link not walked into, the link itself. */
  bytesOf(node: DirNode): number {
    if (node.isLink && !node.listed) return this.measure === 'disk' ? node.linkDisk : node.linkBytes
    return this.measure === 'disk' ? node.totalDisk : node.totalBytes
  }

  /** A file's size in the tree's measure (a symlink's own; a file whose lstat failed counts 0). */
  fileBytes(node: DirNode, index: number): number {
    const at = index * WALK_STAT.FIELDS + (this.measure === 'disk' ? WALK_STAT.DISK_USAGE : WALK_STAT.APPARENT_SIZE)
    return node.fileStats[at] ?? 0
  }

  /**
   * Subdirectories in display order (cached until the subtree changes). A list of SORT_IN_STEPS_FROM
   * or more is not sorted here: its last order stands in (os.walk's at first), and the directory
   * joins `unsorted`, for sortSteps.
   */
  sortedDirs(node: DirNode, order: SortOrder): DirNode[] {
    if (order.key === 'walk' && !order.descending) return node.subdirs
    const cache = node.dirCache
    const key = this.orderKey(order)
    if (cache !== undefined && this.dirCacheFits(node, key, order)) return cache.list
    if (order.key !== 'walk' && node.subdirs.length >= SORT_IN_STEPS_FROM) {
      this.leaveUnsorted(node, key)
      return cache?.structure === node.structure ? cache.list : node.subdirs
    }
    const list = node.subdirs.slice()
    if (order.key === 'walk') list.reverse()
    else list.sort(this.dirOrder(order))
    node.dirCache = { order: key, structure: node.structure, version: node.version, list }
    return list
  }

  /** File indices in display order (undefined: os.walk order as is); large lists as sortedDirs. */
  sortedFiles(node: DirNode, order: SortOrder): Uint32Array | undefined {
    if (order.key === 'walk' && !order.descending) return undefined
    const cache = node.fileCache
    const key = this.orderKey(order)
    if (cache !== undefined && cache.order === key && cache.structure === node.structure) return cache.list
    if (order.key !== 'walk' && node.files.length >= SORT_IN_STEPS_FROM) {
      this.leaveUnsorted(node, key)
      return cache?.structure === node.structure ? cache.list : undefined
    }
    const list = this.fileIndices(node)
    if (order.key === 'walk') list.reverse()
    else list.sort(this.fileOrder(node, order))
    node.fileCache = { order: key, structure: node.structure, list: Uint32Array.from(list) }
    return node.fileCache.list
  }

  /**
   * Sorts what sortedDirs and sortedFiles left to it (`unsorted`), for `order`, yielding every few
   * thousand comparisons: applyInSlices runs it between frames, and the next flatten shows the
   * new order. Neither the order nor the measure may change until it is done; a directory whose
   * listing changes meanwhile stays unsorted (the next flatten asks again).
   */
  *sortSteps(order: SortOrder): Generator<void, void, undefined> {
    const key = this.orderKey(order)
    if (this.unsortedEntries(order) === 0) return
    for (let node = first(this.unsorted); node !== undefined; node = first(this.unsorted)) {
      this.unsorted.delete(node)
      const { structure, version } = node
      if (!this.dirCacheFits(node, key, order) && node.subdirs.length >= SORT_IN_STEPS_FROM) {
        const list = node.subdirs.slice()
        yield* sortInSteps(list, this.dirOrder(order))
        if (node.structure === structure) node.dirCache = { order: key, structure, version, list }
      }
      if (node.fileCache?.order !== key || node.fileCache.structure !== structure) {
        const list = this.fileIndices(node)
        yield* sortInSteps(list, this.fileOrder(node, order))
        if (node.structure === structure) node.fileCache = { order: key, structure, list: Uint32Array.from(list) }
      }
    }
  }

  private leaveUnsorted(node: DirNode, key: string): void {
    if (key !== this.unsortedOrder) {
      this.unsorted.clear()
      this.unsortedOrder = key
    }
    this.unsorted.add(node)
  }

  /** Entries sortSteps(order) has to sort (0: none, or none for that order). */
  unsortedEntries(order: SortOrder): number {
    if (order.key === 'walk' || this.orderKey(order) !== this.unsortedOrder) return 0
    let entries = 0
    for (const node of this.unsorted) entries += node.subdirs.length + node.files.length
    return entries
  }

  private orderKey(order: SortOrder): string {
    return sortCacheKey(order, this.measure)
  }

  /** Sorted by size, subdirectories follow their totals (version); by name, only who they are (structure). */
  private dirCacheFits(node: DirNode, key: string, order: SortOrder): boolean {
    const cache = node.dirCache
    return (
      cache !== undefined &&
      cache.order === key &&
      cache.structure === node.structure &&
      (order.key !== 'size' || cache.version === node.version)
    )
  }

  private dirOrder(order: SortOrder): (a: DirNode, b: DirNode) => number {
    const sign = order.descending ? -1 : 1
    const byName = (a: DirNode, b: DirNode): number => compareKeys(a.sortKey, b.sortKey) || compareKeys(a.name, b.name)
    return order.key === 'name'
      ? (a, b) => sign * byName(a, b)
      : (a, b) => sign * (this.bytesOf(a) - this.bytesOf(b)) || byName(a, b)
  }

  private fileIndices(node: DirNode): number[] {
    const list = new Array<number>(node.files.length)
    for (let i = 0; i < list.length; i++) list[i] = i
    return list
  }

  /** By name, or by size then name: a name's key is made when a comparison first needs it (by size, only tied names). */
  private fileOrder(node: DirNode, order: SortOrder): (a: number, b: number) => number {
    const { files } = node
    // '' for a key not made yet (a name is never empty); filled, so the array stays packed.
    const keys = (node.fileKeys ??= new Array<string>(files.length).fill(''))
    const byName = (a: number, b: number): number =>
      compareKeys((keys[a] ||= sortKey(files[a]!)), (keys[b] ||= sortKey(files[b]!))) ||
      compareKeys(files[a]!, files[b]!) ||
      a - b
    const sign = order.descending ? -1 : 1
    if (order.key === 'name') return (a, b) => sign * byName(a, b)
    const stats = node.fileStats
    const F = WALK_STAT.FIELDS
    const sizes = this.measure === 'disk' ? WALK_STAT.DISK_USAGE : WALK_STAT.APPARENT_SIZE
    return (a, b) => sign * (stats[a * F + sizes]! - stats[b * F + sizes]!) || byName(a, b)
  }

  /**
   * Whether `node`'s files are shown among its folders: by size, folders and files rank together,
   * as in ncdu and gdu; by name or in os.walk order the folders come first, as a file manager and
   * the triple list them. A folder too large to sort at once keeps its files after its folders
   * until sortSteps has put them in order, so rows and search agree meanwhile too.
   */
  private filesAmongDirs(node: DirNode, order: SortOrder): boolean {
    if (order.key !== 'size') return false
    if (node.files.length < SORT_IN_STEPS_FROM) return true // sortedFiles sorts it at once
    const cache = node.fileCache
    return cache !== undefined && cache.order === this.orderKey(order) && cache.structure === node.structure
  }

  /** Whether a file of `node` (its index) ranks before its subdirectory `dir` by size (a folder first where they tie). */
  private fileBeforeDir(node: DirNode, file: number, dir: DirNode, order: SortOrder): boolean {
    const sign = order.descending ? -1 : 1
    return sign * (this.fileBytes(node, file) - this.bytesOf(dir)) < 0
  }

  /**
   * The position in `files` (node's files in size order) of the first file from `from` on that
   * does not rank before `dir`. Those before it are a prefix, and the folders come in size order
   * too, so the gap from `from` is short: it is found by galloping, then bisection, a few
   * comparisons per folder, each a size read from a file's stat record wherever it lies.
   */
  private filesBefore(node: DirNode, files: Uint32Array, from: number, dir: DirNode, order: SortOrder): number {
    let low = from
    let step = 1
    while (low < files.length && this.fileBeforeDir(node, files[low]!, dir, order)) {
      low += step
      step *= 2
    }
    // Every file up to the last one found (at low - step / 2) ranks before dir: the boundary is after it, up to low.
    let high = Math.min(low, files.length)
    low = Math.max(from, low - step + 1)
    while (low < high) {
      const middle = (low + high) >> 1
      if (this.fileBeforeDir(node, files[middle]!, dir, order)) low = middle + 1
      else high = middle
    }
    return low
  }

  /**
   * The visible rows: the view's root (top unless re-rooted), then the children of every expanded
   * directory (by size, folders and files together; else folders first). The view's root always
   * shows its children.
   */
  flatten(order: SortOrder, from: DirNode = this.root): Rows {
    const rows = new Rows()
    rows.push(from, ROW_DIR, -1, 0)
    if (from === this.root && !from.expanded) return rows
    interface Frame {
      node: DirNode
      depth: number
      dirs: DirNode[]
      next: number
      files: Uint32Array | undefined
      /** Set where the files are shown among the folders (filesAmongDirs). */
      among: boolean
      /** Position in `files` of the first file not shown yet. */
      nextFile: number
    }
    const frameOf = (node: DirNode, depth: number): Frame => {
      const files = this.sortedFiles(node, order)
      const among = files !== undefined && this.filesAmongDirs(node, order)
      return { node, depth, dirs: this.sortedDirs(node, order), next: 0, files, among, nextFile: 0 }
    }
    const stack: Frame[] = [frameOf(from, 1)]
    while (stack.length > 0) {
      const frame = stack.at(-1)!
      if (frame.next < frame.dirs.length) {
        const child = frame.dirs[frame.next++]!
        const { node, files, nextFile } = frame
        if (frame.among) {
          const end = this.filesBefore(node, files!, nextFile, child, order)
          rows.pushFiles(node, files, frame.depth, nextFile, end - nextFile)
          frame.nextFile = end
        }
        rows.push(child, ROW_DIR, -1, frame.depth)
        if (child.expanded) stack.push(frameOf(child, frame.depth + 1))
        continue
      }
      stack.pop()
      const { node, depth } = frame
      rows.pushFiles(node, frame.files, depth, frame.nextFile)
      if (node.errors !== undefined) {
        for (const name of node.errors.keys()) {
          if (node.childNamed(name) !== undefined || this.fileSetOf(node).has(name)) continue
          rows.errorNames.push(name)
          rows.push(node, ROW_ERROR, rows.errorNames.length - 1, depth)
        }
      }
    }
    return rows
  }

  private fileSetOf(node: DirNode): Set<string> {
    return (node.fileSet ??= new Set(node.files))
  }

  /** Everything a row shows. */
  view(rows: Rows, index: number): RowView | undefined {
    const row = rows.at(index)
    if (row === undefined) return undefined
    const { node, kind, ref, depth } = row
    if (kind === ROW_DIR) {
      const bytes = this.bytesOf(node)
      // The view's root is the whole of what is shown, as ncdu's current folder is: 100%.
      const parentBytes = depth === 0 || node.parent === undefined ? bytes : this.bytesOf(node.parent)
      const error = node.parent === undefined ? node.error : node.parent.errors?.get(node.name)
      return {
        kind: 'dir',
        depth,
        name: node.name,
        node,
        bytes,
        share: parentBytes > 0 ? bytes / parentBytes : 0,
        files: node.totalFiles,
        items: node.totalEntries,
        status: this.status(node),
        // A re-rooted view's root always shows its children.
        expanded: node.expanded || (depth === 0 && node.parent !== undefined),
        ...(error === undefined ? {} : { error })
      }
    }
    if (kind === ROW_FILE) {
      const name = node.files[ref]!
      const bytes = this.fileBytes(node, ref)
      const parentBytes = this.bytesOf(node)
      const error = node.errors?.get(name)
      const hardLink = node.hardLinks?.[ref] ?? 0
      return {
        kind: 'file',
        depth,
        name,
        node,
        bytes,
        share: parentBytes > 0 ? bytes / parentBytes : 0,
        type: node.fileTypes.charAt(ref),
        ...(hardLink === 0 ? {} : { hardLink, nlink: node.fileStats[ref * WALK_STAT.FIELDS + WALK_STAT.NLINK] ?? 0 }),
        ...(error === undefined ? {} : { error })
      }
    }
    const name = rows.errorNames[ref]!
    return { kind: 'error', depth, name, node, bytes: 0, share: 0, error: node.errors!.get(name)! }
  }

  /** Expands every directory from top down to node (step mode shows where the walk is). */
  reveal(node: DirNode): void {
    for (let n = node.parent; n !== undefined; n = n.parent) n.expanded = true
  }

  /** The key of a row, to find it again after the rows change. */
  keyAt(rows: Rows, index: number): RowKey | undefined {
    const row = rows.at(index)
    if (row === undefined) return undefined
    const { node, kind, ref } = row
    if (kind === ROW_DIR) return { node, kind }
    return { node, kind, ref: kind === ROW_FILE ? ref : rows.errorNames[ref]! }
  }

  /** Whether `node` is `ancestor` or below it. */
  within(node: DirNode, ancestor: DirNode): boolean {
    for (let n: DirNode | undefined = node; n !== undefined; n = n.parent) if (n === ancestor) return true
    return false
  }

  /** The path of a directory as the walker joins it (os.path.join), known or not yet walked. */
  pathOf(node: DirNode): string {
    if (node.path !== undefined) return node.path
    return joinName(this.pathOf(node.parent!), node.name, this.separator())
  }

  /** The path of a row: a directory's, or a file's or error's below its directory. */
  pathOfKey(key: RowKey): string {
    if (key.kind === ROW_DIR) return this.pathOf(key.node)
    const name = key.kind === ROW_FILE ? key.node.files[key.ref as number]! : (key.ref as string)
    return joinName(this.pathOf(key.node), name, this.separator())
  }

  private separator(): string {
    return this.sep ?? (this.top.includes('\\') && !this.top.includes('/') ? '\\' : '/')
  }

  /**
   * Names below `from` (the view's root; top unless re-rooted) that contain `query` (case folded),
   * directories and files, in display order for `order`; at most `limit`. `from` itself is where
   * the search looks, not a match, as a file manager searches the folder it shows.
   */
  search(query: string, order: SortOrder, limit: number, from: DirNode = this.root): SearchMatch[] {
    const needles = searchNeedles(query)
    const matches: SearchMatch[] = []
    if (needles.length === 0) return matches
    const found = (name: string): boolean => {
      const lower = name.toLowerCase()
      return needles.some((form) => lower.includes(form))
    }
    /** The files of `node` that match, in display order. */
    const matchingFiles = (node: DirNode): number[] => {
      // Files are put in display order only where two or more match: most folders hold none, and
      // sorting them all made the first search after a walk of /usr a task of 110-130 ms.
      const { files } = node
      let first = -1
      let second = -1
      for (let i = 0; i < files.length && second === -1; i++)
        if (found(files[i]!)) [first, second] = first === -1 ? [i, -1] : [first, i]
      if (first === -1) return NO_FILES
      if (second === -1) return [first]
      const shown = this.sortedFiles(node, order)
      const matching: number[] = []
      if (shown === undefined) {
        for (let i = first; i < files.length; i++) if (found(files[i]!)) matching.push(i)
      } else for (const ref of shown) if (found(files[ref]!)) matching.push(ref)
      return matching
    }
    const visit = (node: DirNode): boolean => {
      if (node !== from && found(node.name)) matches.push({ node, kind: ROW_DIR })
      if (matches.length >= limit) return false
      const files = matchingFiles(node)
      // As flatten places them: a file that ranks before a folder (in files sorted by size, a prefix).
      const among = files.length > 0 && this.filesAmongDirs(node, order)
      let next = 0
      const fileMatches = (until?: DirNode): boolean => {
        for (
          ;
          next < files.length &&
          (until === undefined || (among && this.fileBeforeDir(node, files[next]!, until, order)));
          next++
        ) {
          matches.push({ node, kind: ROW_FILE, ref: files[next]! })
          if (matches.length >= limit) return false
        }
        return true
      }
      for (const child of this.sortedDirs(node, order)) if (!fileMatches(child) || !visit(child)) return false
      return fileMatches()
    }
    visit(from)
    return matches
  }
}

/**
 * The forms the search looks for a query in, case folded: as typed, and in either Unicode
 * normalization form where it differs (macOS file systems keep "é" as e + U+0301, which a
 * keyboard types as U+00E9). None for an empty query.
 */
export function searchNeedles(query: string): string[] {
  const lower = query.toLowerCase()
  return lower === '' ? [] : [...new Set([lower, lower.normalize('NFC'), lower.normalize('NFD')])]
}

/**
 * Adds sizes to what `node` adds itself, and to the totals of it and its ancestors, up to (not
 * including) `until`, which counts them already.
 */
function addSizes(node: DirNode, apparent: number, disk: number, until?: DirNode): void {
  node.ownBytes += apparent
  node.ownDisk += disk
  for (let n: DirNode | undefined = node; n !== undefined && n !== until; n = n.parent) {
    n.totalBytes += apparent
    n.totalDisk += disk
    n.version++
  }
}

/** Where the names of a hard-linked file are: the directories whose listing held one (each once). */
interface LinkedInode {
  dirs: DirNode[]
}

/**
 * The deepest directory that is `node` or an ancestor of it and holds one of `others` in its
 * subtree (all share the tree's root). The latest first: a walk lists each subtree in one run,
 * so the latest shares the deepest ancestor most often, and one in `node` itself ends the search.
 */
function deepestCommonAncestor(node: DirNode, others: readonly DirNode[]): DirNode {
  const depth = node.depth
  let deepest = node
  let deepestDepth = -1
  for (let i = others.length - 1; i >= 0; i--) {
    const other = others[i]!
    let a = node
    let b = other
    let aDepth = depth
    let bDepth = other.depth
    for (; aDepth > bDepth; aDepth--) a = a.parent!
    for (; bDepth > aDepth; bDepth--) b = b.parent!
    for (; a !== b; aDepth--) {
      a = a.parent!
      b = b.parent!
    }
    if (aDepth > deepestDepth) {
      deepest = a
      deepestDepth = aDepth
      if (aDepth === depth) break
    }
  }
  return deepest
}

/** os.path.join(dir, name) for one name: no separator is added after one. */
function joinName(dir: string, name: string, sep: string): string {
  return dir.endsWith(sep) || dir.endsWith('/') ? dir + name : dir + sep + name
}

/** The first element of a set, in insertion order. */
function first<T>(set: Set<T>): T | undefined {
  for (const element of set) return element
  return undefined
}
