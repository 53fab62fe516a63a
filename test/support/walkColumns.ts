/** walk.ts's two views of one directory side by side: what walkColumns must give for a walkEntries directory. */
import type { EntryStat, WalkDir, WalkDirColumns } from '../../src/main/lab/walk/walk'

const record = (stat: EntryStat): number[] => [stat.apparentSize, stat.diskUsage, stat.dev, stat.ino, stat.nlink]
const letter = { dir: 'd', symlink: 'l', file: 'f', other: 'o' } as const

/** A walkEntries directory as parallel arrays, the plain way. */
export function asColumns(dir: WalkDir): WalkDirColumns {
  return {
    dirpath: dir.dirpath,
    ownStat: Float64Array.from(record(dir.self)),
    dirnames: dir.dirs.map((entry) => entry.name),
    dirTypes: dir.dirs.map((entry) => letter[entry.type]).join(''),
    dirnameStats: Float64Array.from(dir.dirs.flatMap((entry) => record(entry.stat))),
    filenames: dir.files.map((entry) => entry.name),
    fileTypes: dir.files.map((entry) => letter[entry.type]).join(''),
    filenameStats: Float64Array.from(dir.files.flatMap((entry) => record(entry.stat))),
    bytes: dir.files.reduce((sum, entry) => sum + entry.size, 0)
  }
}
