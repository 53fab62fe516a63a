/**
 * The Browse tab's tree as ncdu's export (src/shared/ncdu.ts), for Export for ncdu: names, and for
 * each entry the stat the walk items carried (WALK_STAT: apparent size, disk usage, device, inode
 * and link count); symlinks and other non-regular entries as `notreg`; a folder that could not be
 * listed as `read_error`, one pruned by a pattern as `excluded: "pattern"`, one on another file
 * system as `excluded: "othfs"`.
 */
import type { NcduEntry, NcduExport } from '@shared/ncdu'
import { TYPE_LETTER, WALK_STAT } from '@shared/walkJob'
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
  const entry = describe({ name, children: [] }, node.ownStat, 0, true)
  if (node.error !== undefined) entry.readError = true
  if (node.skipped === 'otherFileSystem') entry.excluded = 'othfs'
  return entry
}

/** The export of `tree` as it stands (a walk still running exports what has arrived). */
export function ncduExportOf(tree: WalkTree, header: { progver: string; timestamp: number }): NcduExport {
  const root = dirEntry(tree.root, tree.root.path ?? tree.top)
  const stack: [DirNode, NcduEntry][] = [[tree.root, root]]
  while (stack.length > 0) {
    const [node, entry] = stack.pop()!
    const children = entry.children!
    node.subdirs.forEach((sub, i) => {
      if (sub.excluded) children.push({ name: sub.name, dev: 0, excluded: 'pattern' })
      else if (sub.isLink) children.push(describe({ name: sub.name, notreg: true }, node.dirnameStats, i * F, false))
      else {
        const child = dirEntry(sub, sub.name)
        if (node.errors?.has(sub.name) === true) child.readError = true
        children.push(child)
        stack.push([sub, child])
      }
    })
    for (let i = 0; i < node.files.length; i++) {
      const file: NcduEntry = { name: node.files[i]! }
      if (node.fileTypes.charCodeAt(i) !== TYPE_LETTER.FILE) file.notreg = true
      describe(file, node.fileStats, i * F, false)
      children.push(file)
    }
  }
  return { progname: PROGNAME, ...header, root }
}
