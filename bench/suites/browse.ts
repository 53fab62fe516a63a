/**
 * The Browse tab's tree (WalkTree) on a walk of 400 directories × 500 files (200,000 files), as
 * the renderer receives it: applying the walk's items, then flattening the fully expanded tree
 * sorted by size (the first sort of each directory's names included). The references do the same
 * work with plain JavaScript in the same run: keeping each directory's names and sizes in a Map
 * with its byte total, and sorting each directory's files by size (ties by name) into flat rows.
 * Rounds interleave ours and the reference; values are medians.
 */
import { sortKey, WalkTree } from '../../src/renderer/src/walk/walkTree'
import { regularFileBytes } from '../../src/shared/walkJob'
import { dir } from '../../test/support/walkItems'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const DIRS = 400
const FILES_PER_DIR = 500
const ROUNDS = 7

const subdirs = Array.from({ length: DIRS }, (_, i) => `d${i}`)
const filenames = Array.from({ length: FILES_PER_DIR }, (_, f) => `file-${f}.dat`)
const sizes = filenames.map((_, f) => (f * 7919) % FILES_PER_DIR)
const files = Object.fromEntries(filenames.map((filename, f) => [filename, sizes[f]!]))
const items = [
  dir('/big', null, '/big', subdirs, {}),
  ...subdirs.map((name) => dir(`/big/${name}`, '/big', name, [], files))
]
const ROWS = 1 + DIRS + DIRS * FILES_PER_DIR

function time(f: () => void): number {
  const start = performance.now()
  f()
  return performance.now() - start
}

/** Ours: apply every item to a fresh tree, then flatten it expanded, sorted by size. */
function ours(): { apply: number; flatten: number } {
  const tree = new WalkTree('/big')
  const apply = time(() => {
    for (const item of items) tree.apply(item)
  })
  if (tree.counters.files !== DIRS * FILES_PER_DIR) throw new Error(`the tree counted ${tree.counters.files} files`)
  tree.root.expanded = true
  for (const node of tree.root.subdirs) node.expanded = true
  let rows = 0
  const flatten = time(() => {
    rows = tree.flatten({ key: 'size', descending: true }).length
  })
  if (rows !== ROWS) throw new Error(`the tree flattened to ${rows} rows`)
  return { apply, flatten }
}

/** The reference: the same items kept in a plain Map, then each directory's files sorted into flat rows. */
function reference(): { apply: number; flatten: number } {
  const byPath = new Map<string, { names: string[]; sizes: number[]; bytes: number }>()
  const apply = time(() => {
    for (const item of items) {
      const sizes = item.filenames.map((_, i) => regularFileBytes(item, i))
      let bytes = 0
      for (const size of sizes) bytes += size
      byPath.set(item.dirpath, { names: item.filenames, sizes, bytes })
    }
  })
  const rowNames: string[] = []
  const flatten = time(() => {
    for (const { names, sizes } of byPath.values()) {
      rowNames.push('')
      const keys = names.map(sortKey)
      const order = names
        .map((_, i) => i)
        .sort((a, b) => sizes[b]! - sizes[a]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0))
      for (const i of order) rowNames.push(names[i]!)
    }
  })
  if (rowNames.length !== ROWS) throw new Error(`the reference flattened to ${rowNames.length} rows`)
  return { apply, flatten }
}

/** Interleaved rounds (alternating which side goes first); medians of apply and flatten times. */
function compare(): { apply: BenchMeasurement; flatten: BenchMeasurement } {
  ours() // warm the JIT
  reference()
  const mine: { apply: number; flatten: number }[] = []
  const theirs: { apply: number; flatten: number }[] = []
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 1) theirs.push(reference())
    mine.push(ours())
    if (round % 2 === 0) theirs.push(reference())
  }
  const measure = (key: 'apply' | 'flatten'): BenchMeasurement => ({
    value: median(mine.map((m) => m[key])),
    reference: median(theirs.map((m) => m[key])),
    unit: 'ms'
  })
  return { apply: measure('apply'), flatten: measure('flatten') }
}

let measured: ReturnType<typeof compare> | undefined

export const benchmarks: Benchmark[] = [
  {
    name: 'browse.tree_apply_200k.ratio_vs_map',
    description: `WalkTree.apply of ${DIRS} dirs × ${FILES_PER_DIR} files vs keeping them in a Map`,
    run: async () => (measured ??= compare()).apply
  },
  {
    name: 'browse.tree_flatten_200k.ratio_vs_sort',
    description: `WalkTree.flatten by size, ${ROWS} rows expanded vs sorting each dir's files`,
    run: async () => (measured ??= compare()).flatten
  }
]
