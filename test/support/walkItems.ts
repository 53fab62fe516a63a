/**
 * Walk items as the `walk` job yields them, for renderer tests: a dir item from names and sizes,
 * with stat records a plain file system would give (one inode and one link per entry, disk
 * usage in whole 4 KiB blocks) unless the test passes its own.
 */
import { WALK_STAT, type WalkDirItem, type WalkErrorItem } from '@shared/walkJob'

let nextIno = 1000

/** A stat record per entry: [apparent size, disk usage, dev, ino, nlink]; partial records are filled in. */
export type StatRecord = [apparentSize: number, diskUsage?: number, dev?: number, ino?: number, nlink?: number]

export function statRecords(records: readonly StatRecord[]): Float64Array {
  const stats = new Float64Array(records.length * WALK_STAT.FIELDS)
  records.forEach(([apparentSize, diskUsage, dev, ino, nlink], i) => {
    stats.set(
      [apparentSize, diskUsage ?? Math.ceil(apparentSize / 4096) * 4096, dev ?? 1, ino ?? nextIno++, nlink ?? 1],
      i * WALK_STAT.FIELDS
    )
  })
  return stats
}

export function dir(
  dirpath: string,
  parent: string | null,
  name: string,
  dirnames: string[],
  files: Record<string, number>,
  extra: Partial<WalkDirItem> = {}
): WalkDirItem {
  const sizes = Object.values(files)
  return {
    kind: 'dir',
    dirpath,
    parent,
    name,
    dirnames,
    dirTypes: 'd'.repeat(dirnames.length),
    excluded: [],
    excludedAt: [],
    filenames: Object.keys(files),
    fileTypes: 'f'.repeat(sizes.length),
    dropped: 0,
    droppedBytes: 0,
    ownStat: new Float64Array(WALK_STAT.FIELDS),
    dirnameStats: new Float64Array(dirnames.length * WALK_STAT.FIELDS),
    filenameStats: statRecords(sizes.map((size) => [size])),
    ...extra
  }
}

export function error(
  path: string,
  parent: string | null,
  name: string,
  code: WalkErrorItem['error']['code'] = 'NOT_FOUND'
): WalkErrorItem {
  return { kind: 'error', error: { code, message: `${path}: does not exist`, path }, parent, name }
}
