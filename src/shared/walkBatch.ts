/**
 * A batch of walk items (the `walk` and `ncduImport` jobs) packed for the trip from the job
 * worker to the renderer. A walk of /usr yields 15,000 directories naming 140,000 entries: as
 * objects, each name is a string and each directory a handful of arrays, which structured clone
 * (worker to main, Electron's IPC) and JSON (the e2e bridge) copy one by one. Packed, a batch is
 * one string holding every name, one Float64Array holding every stat record (transferred, not
 * copied), and a small array of per-directory fields and counts. Unpacking gives back items equal to the
 * originals; their stat arrays are views of the batch's one buffer.
 */
import { WALK_STAT, type WalkDirItem, type WalkErrorItem, type WalkItem, type WalkSkipItem } from './walkJob'

/** No name contains it (walkers split paths on it; the ncdu reader refuses names with it). */
const NAME_END = '/'
/** Per directory in `heads`: dirpath, parent, name, dirTypes, fileTypes, then the counts below. */
const HEAD_FIELDS = 11

export interface PackedWalkItems {
  /** One letter per item, in order: 'd' the next directory of `heads`, 'o' the next of `others`. */
  order: string
  /**
   * HEAD_FIELDS per directory: dirpath, parent (null for top), name, dirTypes, fileTypes, and the
   * counts of dirnames, excluded names, filenames and own stat records, dropped and droppedBytes.
   */
  heads: (string | number | null)[]
  /** Every directory's dirnames, excluded names and filenames, in that order, each ended by NAME_END. */
  names: string
  /** Every directory's own stat records, dirnameStats and filenameStats, in that order. */
  stats: Float64Array
  /** Error and skip items (few), in order. */
  others: (WalkErrorItem | WalkSkipItem)[]
}

/** Packs items; `transfer` lists the buffers to move rather than copy (postMessage's transfer list). */
export function packWalkItems(items: readonly WalkItem[]): { packed: PackedWalkItems; transfer: ArrayBuffer[] } {
  let order = ''
  const heads: (string | number | null)[] = []
  const others: (WalkErrorItem | WalkSkipItem)[] = []
  const nameParts: string[] = []
  let statLength = 0
  for (const item of items) {
    if (item.kind !== 'dir') continue
    statLength += item.ownStat.length + item.dirnameStats.length + item.filenameStats.length
  }
  const stats = new Float64Array(statLength)
  let statAt = 0
  for (const item of items) {
    if (item.kind !== 'dir') {
      order += 'o'
      others.push(item)
      continue
    }
    order += 'd'
    heads.push(
      item.dirpath,
      item.parent,
      item.name,
      item.dirTypes,
      item.fileTypes,
      item.dirnames.length,
      item.excluded.length,
      item.filenames.length,
      item.ownStat.length / WALK_STAT.FIELDS,
      item.dropped,
      item.droppedBytes
    )
    // join is one native pass per array; a name never contains NAME_END.
    if (item.dirnames.length > 0) nameParts.push(item.dirnames.join(NAME_END), NAME_END)
    if (item.excluded.length > 0) nameParts.push(item.excluded.join(NAME_END), NAME_END)
    if (item.filenames.length > 0) nameParts.push(item.filenames.join(NAME_END), NAME_END)
    stats.set(item.ownStat, statAt)
    statAt += item.ownStat.length
    stats.set(item.dirnameStats, statAt)
    statAt += item.dirnameStats.length
    stats.set(item.filenameStats, statAt)
    statAt += item.filenameStats.length
  }
  const packed: PackedWalkItems = {
    order,
    heads,
    names: nameParts.join(''),
    stats,
    others
  }
  return { packed, transfer: [stats.buffer] }
}

/** The items packWalkItems packed, in order. */
export function unpackWalkItems(packed: PackedWalkItems): WalkItem[] {
  const { order, heads, stats, others } = packed
  const names = packed.names === '' ? [] : packed.names.split(NAME_END)
  const items = new Array<WalkItem>(order.length)
  const F = WALK_STAT.FIELDS
  let nameAt = 0
  let statAt = 0
  let headAt = 0
  let otherAt = 0
  for (let i = 0; i < order.length; i++) {
    if (order.charCodeAt(i) !== 100 /* d */) {
      items[i] = others[otherAt++]!
      continue
    }
    const dirnameCount = heads[headAt + 5] as number
    const excludedCount = heads[headAt + 6] as number
    const filenameCount = heads[headAt + 7] as number
    const ownCount = heads[headAt + 8] as number
    const dirnames = names.slice(nameAt, (nameAt += dirnameCount))
    const excluded = names.slice(nameAt, (nameAt += excludedCount))
    const filenames = names.slice(nameAt, (nameAt += filenameCount))
    const ownStat = stats.subarray(statAt, (statAt += ownCount * F))
    const dirnameStats = stats.subarray(statAt, (statAt += dirnameCount * F))
    const filenameStats = stats.subarray(statAt, (statAt += filenameCount * F))
    const item: WalkDirItem = {
      kind: 'dir',
      dirpath: heads[headAt] as string,
      parent: heads[headAt + 1] as string | null,
      name: heads[headAt + 2] as string,
      dirnames,
      dirTypes: heads[headAt + 3] as string,
      excluded,
      filenames,
      fileTypes: heads[headAt + 4] as string,
      dropped: heads[headAt + 9] as number,
      droppedBytes: heads[headAt + 10] as number,
      ownStat,
      dirnameStats,
      filenameStats
    }
    items[i] = item
    headAt += HEAD_FIELDS
  }
  return items
}
