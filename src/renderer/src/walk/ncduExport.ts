/**
 * The Browse tab's tree as ncdu's export (src/shared/ncdu.ts), for Export for ncdu: names, and for
 * each entry the stat the walk items carried (WALK_STAT: apparent size, disk usage, device, inode
 * and link count); symlinks and other non-regular entries as `notreg`; a folder that could not be
 * listed, or a file that could not be lstat'ed, as `read_error`; a folder pruned by a pattern as
 * `excluded: "pattern"`, one on another file system as `excluded: "othfs"`.
 */
import { encodeNcduPieces, type NcduDirectory, type NcduEntry } from '@shared/ncdu'
import { TYPE_LETTER, WALK_STAT } from '@shared/walkJob'
import { applyInSlices } from './frameBudget'
import type { DirNode, WalkTree } from './walkTree'

const PROGNAME = 'yield-lab'
const F = WALK_STAT.FIELDS

/** Fills sizes, device and (for a multiply linked non-directory) inode and links from a stat record. */
function describe(entry: NcduEntry, stats: Float64Array, at: number, isDir: boolean): NcduEntry {
  if (stats.length < at + F) return entry
  const asize = stats[at + WALK_STAT.APPARENT_SIZE]!
  const dsize = stats[at + WALK_STAT.DISK_USAGE]!
  const nlink = stats[at + WALK_STAT.NLINK]!
  if (asize > 0) entry.asize = asize
  if (dsize > 0) entry.dsize = dsize
  // An all-zero record is a failed lstat: its device is unknown, so the parent's is kept.
  const dev = stats[at + WALK_STAT.DEV]!
  if (dev > 0 || nlink > 0) entry.dev = dev
  if (!isDir && nlink > 1) {
    entry.ino = stats[at + WALK_STAT.INO]!
    entry.nlink = nlink
  }
  return entry
}

function dirEntry(node: DirNode, name: string): NcduEntry {
  const entry = describe({ name }, node.ownStat, 0, true)
  if (node.error !== undefined) entry.readError = true
  if (node.skipped === 'otherFileSystem') entry.excluded = 'othfs'
  return entry
}

/** A folder of the tree as the encoder reads it: its entries are made as they are written. */
function directoryOf(node: DirNode, info: NcduEntry): NcduDirectory {
  return { info, entries: () => entriesOf(node) }
}

function* entriesOf(node: DirNode): Generator<NcduEntry | NcduDirectory> {
  // One listing throughout: a walk going on meanwhile replaces these arrays (or appends to subdirs, hence `count`).
  const { subdirs, dirnameStats, files, fileTypes, fileStats, errors } = node
  for (let i = 0, count = subdirs.length; i < count; i++) {
    const sub = subdirs[i]!
    if (sub.excluded) yield { name: sub.name, dev: 0, excluded: 'pattern' }
    else if (sub.isLink) yield describe({ name: sub.name, notreg: true }, dirnameStats, i * F, false)
    else {
      const info = dirEntry(sub, sub.name)
      if (errors?.has(sub.name) === true) info.readError = true
      yield directoryOf(sub, info)
    }
  }
  for (let i = 0; i < files.length; i++) {
    // Listed, but its lstat failed: read_error and no sizes, as ncduScan writes it.
    if (errors?.has(files[i]!) === true) {
      yield { name: files[i]!, readError: true }
      continue
    }
    const file: NcduEntry = { name: files[i]! }
    if (fileTypes.charCodeAt(i) !== TYPE_LETTER.FILE) file.notreg = true
    yield describe(file, fileStats, i * F, false)
  }
}

/**
 * The export of `tree` as it stands (a walk still running exports what has arrived), in pieces:
 * each is built and encoded when it is pulled, so a large tree need not be exported in one task.
 * Joined, they are the export's bytes.
 */
export function ncduExportPieces(
  tree: WalkTree,
  header: { progver: string; timestamp: number }
): Generator<Uint8Array<ArrayBuffer>, void> {
  const root = directoryOf(tree.root, dirEntry(tree.root, tree.root.path ?? tree.top))
  return encodeNcduPieces({ progname: PROGNAME, ...header }, root)
}

/**
 * The export's bytes, built in slices of `budgetMs` with the event loop given back in between
 * (applyInSlices): a scan of a few hundred thousand entries never holds the window for long.
 */
export async function ncduExportBytes(
  tree: WalkTree,
  header: { progver: string; timestamp: number },
  slicing: { budgetMs: number; afterSlice?: () => void }
): Promise<Uint8Array<ArrayBuffer>> {
  const pieces: Uint8Array[] = []
  let length = 0
  await applyInSlices(
    ncduExportPieces(tree, header),
    (piece) => {
      pieces.push(piece)
      length += piece.length
    },
    slicing
  )
  // Copied into one buffer in slices too: megabytes copied at once would be a long task of their own.
  const bytes = new Uint8Array(length)
  let at = 0
  await applyInSlices(
    pieces,
    (piece) => {
      bytes.set(piece, at)
      at += piece.length
    },
    slicing
  )
  return bytes
}
