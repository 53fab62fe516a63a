/**
 * The Browse tab's tree as ncdu's export (src/shared/ncdu.ts), for Export for ncdu. What the walk
 * items carry goes in: names, each regular file's apparent size, symlinks and other non-regular
 * entries as `notreg`, a folder that could not be listed as `read_error`. Disk usage, devices,
 * inodes and link counts go in once the walk items carry them; until then ncdu shows the apparent
 * sizes only (its `a` key).
 */
import type { NcduEntry, NcduExport } from '@shared/ncdu'
import type { DirNode, WalkTree } from './walkTree'

const PROGNAME = 'yield-lab'

function dirEntry(node: DirNode, name: string): NcduEntry {
  const entry: NcduEntry = { name, children: [] }
  if (node.error !== undefined) entry.readError = true
  return entry
}

/** The export of `tree` as it stands (a walk still running exports what has arrived). */
export function ncduExportOf(tree: WalkTree, header: { progver: string; timestamp: number }): NcduExport {
  const root = dirEntry(tree.root, tree.root.path ?? tree.top)
  const stack: [DirNode, NcduEntry][] = [[tree.root, root]]
  while (stack.length > 0) {
    const [node, entry] = stack.pop()!
    const children = entry.children!
    for (const sub of node.subdirs) {
      if (sub.isLink) {
        children.push({ name: sub.name, notreg: true })
        continue
      }
      const child = dirEntry(sub, sub.name)
      if (node.errors?.has(sub.name) === true) child.readError = true
      children.push(child)
      stack.push([sub, child])
    }
    for (let i = 0; i < node.files.length; i++) {
      const name = node.files[i]!
      if (node.childByName.has(name)) continue
      const file: NcduEntry = { name }
      if (node.fileTypes.charCodeAt(i) === 102 /* f */) {
        if (node.sizes[i]! > 0) file.asize = node.sizes[i]!
      } else file.notreg = true
      children.push(file)
    }
  }
  return { progname: PROGNAME, ...header, root }
}
