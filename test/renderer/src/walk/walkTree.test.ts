/**
 * The Browse tab's pure parts: the tree built from walk items (totals, order, errors in place,
 * bottom-up arrival), the form-to-arguments rules, and the Python it shows.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { BOTTOM_UP_PRUNING, WALK_STAT, yieldedDirnames, type WalkDirItem, type WalkItem } from '@shared/walkJob'
import { pruneLine, pyNames, pyStr, stageLine, tripleRepr, walkPythonCode } from '@renderer/walk/pythonEquivalent'
import {
  defaultWalkForm,
  filterStages,
  parseExcludes,
  parseExtensions,
  sameWalk,
  walkArgsFromForm
} from '@renderer/walk/walkOptions'
import {
  HARD_LINK_COUNTED,
  HARD_LINK_ELSEWHERE,
  ROW_DIR,
  ROW_ERROR,
  ROW_FILE,
  SORT_IN_STEPS_FROM,
  sortKey,
  WalkTree,
  type Rows,
  type SortOrder
} from '@renderer/walk/walkTree'
import { formatBytes } from '@shared/format'
import { dir, error, statRecords, type StatRecord } from '../../../support/walkItems'

/** A small tree, top-down: /t { a { a1 { deep.bin } x.txt } b { big.iso } root.txt } */
const topDown: WalkItem[] = [
  dir('/t', null, '/t', ['a', 'b'], { 'root.txt': 10 }),
  dir('/t/a', '/t', 'a', ['a1'], { 'x.txt': 5 }),
  dir('/t/a/a1', '/t/a', 'a1', [], { 'deep.bin': 1000 }),
  dir('/t/b', '/t', 'b', [], { 'big.iso': 300 })
]

function names(tree: WalkTree, rows: Rows): string[] {
  const out: string[] = []
  for (let i = 0; i < rows.length; i++) {
    const view = tree.view(rows, i)!
    out.push(
      `${'  '.repeat(view.depth)}${view.kind === 'dir' ? `${view.name}/` : view.name}${view.kind === 'error' ? ' !' : ''}`
    )
  }
  return out
}

describe('WalkTree', () => {
  test('adds sizes up the tree like ncdu and counts like the walk summary', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    expect(tree.root.totalBytes).toBe(1315)
    expect(tree.root.totalFiles).toBe(4)
    expect(tree.root.totalEntries).toBe(7) // a, b, root.txt; a1, x.txt; deep.bin; big.iso
    expect(tree.root.childNamed('a')!.totalBytes).toBe(1005)
    expect(tree.counters).toEqual({ dirs: 4, files: 4, bytes: 1315, errors: 0, keptFiles: 4, keptBytes: 1315 })
    expect(tree.matches({ dirs: 4, files: 4, bytes: 1315, errors: 0, keptFiles: 4, keptBytes: 1315 })).toBe(true)
  })

  test('shows only expanded directories, sorted by size, name or os.walk order, directories first', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    const bySize = { key: 'size', descending: true } as const
    expect(names(tree, tree.flatten(bySize))).toEqual(['/t/', '  a/', '  b/', '  root.txt'])
    tree.root.childNamed('a')!.expanded = true
    expect(names(tree, tree.flatten(bySize))).toEqual(['/t/', '  a/', '    a1/', '    x.txt', '  b/', '  root.txt'])
    expect(names(tree, tree.flatten({ key: 'name', descending: true }))).toEqual([
      '/t/',
      '  b/',
      '  a/',
      '    a1/',
      '    x.txt',
      '  root.txt'
    ])
    expect(names(tree, tree.flatten({ key: 'walk', descending: false }))).toEqual([
      '/t/',
      '  a/',
      '    a1/',
      '    x.txt',
      '  b/',
      '  root.txt'
    ])
    const rows = tree.flatten(bySize)
    const a = tree.view(rows, 1)!
    expect(a).toMatchObject({ kind: 'dir', bytes: 1005, files: 2, status: 'listed', expanded: true })
    expect(a.share).toBeCloseTo(1005 / 1315)
    expect(tree.view(rows, 3)).toMatchObject({ kind: 'file', name: 'x.txt', bytes: 5, type: 'f' })
  })

  test('files of one size sort by name, naturally and case folded; a name sort after a size sort is complete', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', [], { 'f10.txt': 7, big: 90, 'F1.txt': 7, 'f9.txt': 7, 'a.txt': 3, Z: 90 }))
    const files = (order: { key: 'size' | 'name'; descending: boolean }): string[] =>
      names(tree, tree.flatten(order))
        .slice(1)
        .map((name) => name.trim())
    // Only the ties need a name's key: 7 (F1, f9, f10 in natural order) and 90 (big before Z).
    expect(files({ key: 'size', descending: true })).toEqual(['big', 'Z', 'F1.txt', 'f9.txt', 'f10.txt', 'a.txt'])
    // Ascending by size, ties still read A to Z.
    expect(files({ key: 'size', descending: false })).toEqual(['a.txt', 'F1.txt', 'f9.txt', 'f10.txt', 'big', 'Z'])
    // a.txt's key was never needed by size: sorting by name still places it.
    expect(files({ key: 'name', descending: false })).toEqual(['a.txt', 'big', 'F1.txt', 'f9.txt', 'f10.txt', 'Z'])
  })

  test('the short natural key orders names as zero-padding every number would (property)', () => {
    const padded = (name: string): string => name.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(20, '0'))
    const byKey = (key: (name: string) => string) => (a: string, b: string) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a < b ? -1 : a > b ? 1 : 0
    const char = fc.constantFrom(...'aZb0019_.:- ~é')
    fc.assert(
      fc.property(fc.array(fc.string({ unit: char, maxLength: 10 }), { maxLength: 40 }), (names) => {
        expect(names.slice().sort(byKey(sortKey))).toEqual(names.slice().sort(byKey(padded)))
      }),
      { numRuns: 500 }
    )
    expect(['f10', 'f9', 'f007', 'f7', 'F8'].sort(byKey(sortKey))).toEqual(['f007', 'f7', 'F8', 'f9', 'f10'])
  })

  test('a folder of SORT_IN_STEPS_FROM files shows its last order until sortSteps has sorted it, step by step', () => {
    const count = SORT_IN_STEPS_FROM
    // f0 … f(count-1), listed shuffled; sizes 0, 1 or 2 bytes, so most sizes tie and names decide.
    const numbers = Array.from({ length: count }, (_, i) => (i * 7919) % count)
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', [], Object.fromEntries(numbers.map((n) => [`f${n}`, n % 3]))))
    const shown = (order: SortOrder): string[] =>
      names(tree, tree.flatten(order))
        .slice(1)
        .map((name) => name.trim())
    const walked = numbers.map((n) => `f${n}`)
    const bySize: SortOrder = { key: 'size', descending: true }
    const byName: SortOrder = { key: 'name', descending: false }
    const sortAll = (order: SortOrder): number => {
      let steps = 0
      for (const _ of tree.sortSteps(order)) steps++
      return steps
    }

    expect(shown(bySize)).toEqual(walked)
    expect([...tree.unsorted]).toEqual([tree.root])
    // Steps for another order than the one asked for, os.walk's above all, do nothing.
    expect([...tree.sortSteps({ key: 'walk', descending: true })]).toEqual([])
    expect([...tree.sortSteps(byName)]).toEqual([])
    expect([tree.unsortedEntries(byName), tree.unsortedEntries(bySize)]).toEqual([0, count])
    expect(sortAll(bySize)).toBeGreaterThan(count / 1024)
    expect(tree.unsorted.size).toBe(0)
    const sizeOrder = numbers.slice().sort((a, b) => (b % 3) - (a % 3) || a - b)
    expect(shown(bySize)).toEqual(sizeOrder.map((n) => `f${n}`))

    // By name: the size order stands in until the steps have run.
    expect(shown(byName)).toEqual(sizeOrder.map((n) => `f${n}`))
    sortAll(byName)
    const rows = tree.flatten(byName)
    expect(names(tree, rows).slice(1, 4)).toEqual(['  f0', '  f1', '  f2'])
    // A row is found by its key in the run of 20,000, and ← from it goes to the folder.
    const key = tree.keyAt(rows, 12_346)!
    expect(tree.pathOfKey(key)).toBe('/t/f12345')
    expect(rows.indexOf(key)).toBe(12_346)
    expect(rows.parentOf(12_346)).toBe(0)
    // Names do not change with the measure: disk usage keeps the name order sorted, and size waits again.
    tree.measure = 'disk'
    expect([tree.unsortedEntries(byName), tree.unsortedEntries(bySize)]).toEqual([0, 0])
    expect(names(tree, tree.flatten(byName)).slice(1, 4)).toEqual(['  f0', '  f1', '  f2'])
    expect([...tree.unsorted]).toEqual([])
    expect(names(tree, tree.flatten(bySize)).length).toBe(count + 1)
    expect(tree.unsortedEntries(bySize)).toBe(count)
  })

  test('a folder of SORT_IN_STEPS_FROM subfolders sorted by size is sorted again when sizes change during the steps', () => {
    const count = SORT_IN_STEPS_FROM
    const subdirs = Array.from({ length: count }, (_, i) => `d${i}`)
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', subdirs, {}))
    subdirs.forEach((name, i) => tree.apply(dir(`/t/${name}`, '/t', name, i === 0 ? ['x'] : [], { f: i % 100 })))
    const bySize: SortOrder = { key: 'size', descending: true }
    const firstShown = (): string => names(tree, tree.flatten(bySize))[1]!.trim()
    expect(firstShown()).toBe('d0/')

    const steps = tree.sortSteps(bySize)
    for (let i = 0; i < 5; i++) steps.next()
    // d0/x arrives while the steps run: d0 becomes the largest.
    tree.apply(dir('/t/d0/x', '/t/d0', 'x', [], { big: 10_000 }))
    while (steps.next().done !== true);
    // The order sorted before the change stands in (d99 held 99 bytes), and the folder waits again.
    expect(firstShown()).toBe('d99/')
    expect([...tree.unsorted]).toEqual([tree.root])
    for (const _ of tree.sortSteps(bySize));
    expect(firstShown()).toBe('d0/')
    expect(tree.unsorted.size).toBe(0)
  })

  test('re-sorts by size as sizes grow while streaming', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['small', 'large'], {}))
    tree.apply(dir('/t/small', '/t', 'small', [], { f: 10 }))
    const order = { key: 'size', descending: true } as const
    expect(names(tree, tree.flatten(order))).toEqual(['/t/', '  small/', '  large/'])
    tree.apply(dir('/t/large', '/t', 'large', [], { g: 99 }))
    expect(names(tree, tree.flatten(order))).toEqual(['/t/', '  large/', '  small/'])
  })

  test('bottom-up: children arrive first and hang under their ancestors at once, totals agree with top-down', () => {
    const bottomUp = [topDown[2]!, topDown[1]!, topDown[3]!, topDown[0]!]
    const tree = new WalkTree('/t')
    tree.apply(bottomUp[0]!)
    // /t/a/a1 arrived before /t/a: /t/a is there already, pending.
    const a = tree.root.childNamed('a')!
    expect(a.listed).toBe(false)
    expect(a.childNamed('a1')!.listed).toBe(true)
    expect(tree.root.totalBytes).toBe(1000)
    for (const item of bottomUp.slice(1)) tree.apply(item)
    expect(tree.root.subdirs.map((node) => node.name)).toEqual(['a', 'b'])
    expect(tree.counters).toEqual({ dirs: 4, files: 4, bytes: 1315, errors: 0, keptFiles: 4, keptBytes: 1315 })
    expect(tree.root.totalBytes).toBe(1315)
    expect(a.totalEntries).toBe(3)
  })

  test('a top ending with a separator, and Windows-style separators, match directories by parent and name', () => {
    const tree = new WalkTree('C:\\data\\')
    tree.apply(dir('C:\\data\\x\\y', 'C:\\data\\x', 'y', [], { f: 1 }))
    tree.apply(dir('C:\\data\\x', 'C:\\data\\', 'x', ['y'], {}))
    tree.apply(dir('C:\\data\\', null, 'C:\\data\\', ['x'], {}))
    expect(tree.root.childNamed('x')!.childNamed('y')!.listed).toBe(true)
    expect(tree.root.subdirs).toHaveLength(1)
    expect(tree.root.totalBytes).toBe(1)
  })

  test('errors show where they happened: on the directory row, on a file row, or as their own row', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['gone', 'ok'], { 'vanished.txt': 0 }))
    tree.apply(error('/t/gone', '/t', 'gone'))
    tree.apply(error('/t/vanished.txt', '/t', 'vanished.txt'))
    tree.apply(error('/t/ghost', '/t', 'ghost', 'MALFORMED_DATA'))
    tree.apply(dir('/t/ok', '/t', 'ok', [], {}))
    tree.ended = true
    const rows = tree.flatten({ key: 'name', descending: false })
    expect(names(tree, rows)).toEqual(['/t/', '  gone/', '  ok/', '  vanished.txt', '  ghost !'])
    expect(tree.view(rows, 1)).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND', path: '/t/gone' } })
    expect(tree.view(rows, 3)).toMatchObject({ kind: 'file', error: { path: '/t/vanished.txt' } })
    expect(tree.view(rows, 4)).toMatchObject({ kind: 'error', error: { code: 'MALFORMED_DATA' } })
    expect([0, 1, 2, 3, 4].map((i) => rows.at(i)!.kind)).toEqual([ROW_DIR, ROW_DIR, ROW_DIR, ROW_FILE, ROW_ERROR])
    expect(tree.root.totalErrors).toBe(3)
    expect(tree.counters.errors).toBe(3)
  })

  test('directories not walked say why once the walk ended: symlink not followed, or not walked', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['link', 'later'], {}, { dirTypes: 'ld' }))
    const rows = () => tree.flatten({ key: 'walk', descending: false })
    expect([tree.view(rows(), 1)!.status, tree.view(rows(), 2)!.status]).toEqual(['pending', 'pending'])
    tree.ended = true
    expect([tree.view(rows(), 1)!.status, tree.view(rows(), 2)!.status]).toEqual(['link', 'unwalked'])
  })

  test('folders pruned by an exclude pattern, and those on another file system, say so', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['src', 'mnt'], {}, { excluded: ['.git'], excludedAt: [2] }))
    tree.apply({ kind: 'skip', reason: 'otherFileSystem', parent: '/t', name: 'mnt' })
    tree.apply(dir('/t/src', '/t', 'src', [], { 'a.py': 1 }))
    tree.ended = true
    const rows = tree.flatten({ key: 'walk', descending: false })
    expect(names(tree, rows)).toEqual(['/t/', '  src/', '  mnt/', '  .git/'])
    expect([1, 2, 3].map((i) => tree.view(rows, i)!.status)).toEqual(['listed', 'otherFileSystem', 'excluded'])
  })

  test('in os.walk order, a pruned folder stays where os.walk yielded it among dirnames', () => {
    const tree = new WalkTree('/p')
    const yielded = { dirnames: ['src', 'lib'], excluded: ['.git', 'build'], excludedAt: [0, 2] }
    tree.apply(dir('/p', null, '/p', yielded.dirnames, {}, yielded))
    tree.ended = true
    const rows = tree.flatten({ key: 'walk', descending: false })
    expect(names(tree, rows)).toEqual(['/p/', '  .git/', '  src/', '  build/', '  lib/'])
    expect(names(tree, rows).map((name) => name.trim().slice(0, -1))).toEqual(['/p', ...yieldedDirnames(yielded)])
  })

  test('sizes in apparent size or disk usage; directories add their own size; items count files and folders', () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['a'], { 'f.txt': 10 }, { ownStat: statRecords([[4096, 4096]]) }))
    tree.apply(dir('/t/a', '/t', 'a', [], { 'g.bin': 5000, 'h.bin': 1 }, { ownStat: statRecords([[4096, 4096]]) }))
    expect(tree.root.totalBytes).toBe(4096 + 10 + 4096 + 5000 + 1)
    expect(tree.root.totalDisk).toBe(4096 + 4096 + 4096 + 8192 + 4096)
    const order = { key: 'size', descending: true } as const
    let rows = tree.flatten(order)
    expect(tree.view(rows, 0)).toMatchObject({ bytes: 13203, items: 4, files: 3 })
    expect(tree.view(rows, 1)).toMatchObject({ name: 'a', bytes: 9097, items: 2 })
    tree.measure = 'disk'
    rows = tree.flatten(order)
    expect(tree.view(rows, 1)).toMatchObject({ name: 'a', bytes: 16384 })
    expect(tree.view(rows, 1)!.share).toBeCloseTo(16384 / 24576)
  })

  test('a link to a folder, not walked into, shows its own size, which its parent counts: the rows add up', () => {
    const tree = new WalkTree('/t')
    tree.apply(
      dir(
        '/t',
        null,
        '/t',
        ['toA', 'a'],
        {},
        {
          dirTypes: 'ld',
          ownStat: statRecords([[4096, 4096]]),
          dirnameStats: Float64Array.from([...statRecords([[13, 0]]), ...new Float64Array(WALK_STAT.FIELDS)])
        }
      )
    )
    tree.apply(dir('/t/a', '/t', 'a', [], { 'f.bin': 100 }, { ownStat: statRecords([[4096, 4096]]) }))
    tree.ended = true
    const order = { key: 'name', descending: false } as const
    const rows = tree.flatten(order)
    expect(names(tree, rows)).toEqual(['/t/', '  a/', '  toA/'])
    const link = tree.view(rows, 2)!
    expect(link).toMatchObject({ name: 'toA', status: 'link', bytes: 13 })
    const top = tree.view(rows, 0)!
    expect(top.bytes).toBe(4096 + 13 + 4096 + 100)
    expect(link.share).toBeCloseTo(13 / top.bytes)
    expect(top.bytes - 4096).toBe(tree.view(rows, 1)!.bytes + link.bytes) // its own size, then its rows
    tree.measure = 'disk'
    expect(tree.view(tree.flatten(order), 2)!.bytes).toBe(0) // a fast symlink has no blocks
  })

  test('hard links count once per (device, inode), and every name of one is marked', () => {
    const tree = new WalkTree('/t')
    const linked = (ino: number): StatRecord => [1000, 4096, 7, ino, 2]
    tree.apply(
      dir('/t', null, '/t', ['a'], {}, { filenames: ['x'], fileTypes: 'f', filenameStats: statRecords([linked(42)]) })
    )
    tree.apply(
      dir(
        '/t/a',
        '/t',
        'a',
        [],
        {},
        {
          filenames: ['y', 'z'],
          fileTypes: 'ff',
          filenameStats: statRecords([linked(42), linked(43)])
        }
      )
    )
    expect(tree.root.totalBytes).toBe(2000)
    expect(tree.root.totalDisk).toBe(8192)
    tree.root.childNamed('a')!.expanded = true
    const rows = tree.flatten({ key: 'name', descending: false })
    expect(names(tree, rows)).toEqual(['/t/', '  a/', '    y', '    z', '  x'])
    expect([2, 3, 4].map((i) => tree.view(rows, i)!.hardLink)).toEqual([
      HARD_LINK_ELSEWHERE,
      HARD_LINK_COUNTED,
      HARD_LINK_COUNTED
    ])
    expect(tree.view(rows, 2)!.nlink).toBe(2)
  })

  test('a folder that could not be listed still counts its own size, top-down, bottom-up or as top', () => {
    const locked = { ...error('/t/locked', '/t', 'locked', 'PERMISSION_DENIED'), ownStat: statRecords([[4096, 4096]]) }
    const listing = dir('/t', null, '/t', ['locked'], { 'f.txt': 10 }, { ownStat: statRecords([[4096, 4096]]) })
    for (const items of [
      [listing, locked],
      [locked, listing]
    ]) {
      const tree = new WalkTree('/t')
      for (const item of items) tree.apply(item)
      const node = tree.root.childNamed('locked')!
      expect([node.totalBytes, node.totalDisk, tree.status(node)]).toEqual([4096, 4096, 'error'])
      expect([tree.root.totalBytes, tree.root.totalDisk]).toEqual([4096 + 10 + 4096, 4096 + 4096 + 4096])
      expect(tree.root.subdirs).toEqual([node])
    }
    // A file that could not be sized carries no stat and makes no folder.
    const tree = new WalkTree('/t')
    tree.apply(listing)
    tree.apply(error('/t/f.txt', '/t', 'f.txt'))
    expect([tree.root.subdirs.length, tree.root.totalBytes]).toEqual([1, 4096 + 10])
    // An export's top that ncdu could not read.
    const top = new WalkTree('/t')
    top.apply({ ...error('/t', null, '/t', 'UNAVAILABLE'), ownStat: statRecords([[4096, 8192]]) })
    expect([top.root.totalBytes, top.root.totalDisk, top.root.error?.code]).toEqual([4096, 8192, 'UNAVAILABLE'])
  })

  test('a hard-linked file counts in every folder holding one of its names, once, and top counts it once', () => {
    const big: StatRecord = [1_000_000, 1_003_520, 7, 42, 4]
    const small: StatRecord = [3000, 4096, 7, 43, 3]
    const own = { ownStat: statRecords([[4096, 4096]]) }
    const linked = (names: string[], records: StatRecord[]): Partial<WalkDirItem> => ({
      ...own,
      filenames: names,
      fileTypes: 'f'.repeat(names.length),
      filenameStats: statRecords(records)
    })
    // /t { big.bin, pkg { a { big-link.bin }, b { deeper { big-link.bin, small.bin } } }, c { small.bin, small-again.bin } }
    const items: WalkItem[] = [
      dir('/t', null, '/t', ['pkg', 'c'], {}, linked(['big.bin'], [big])),
      dir('/t/pkg', '/t', 'pkg', ['a', 'b'], {}, own),
      dir('/t/pkg/a', '/t/pkg', 'a', [], {}, linked(['big-link.bin'], [big])),
      dir('/t/pkg/b', '/t/pkg', 'b', ['deeper'], {}, own),
      dir('/t/pkg/b/deeper', '/t/pkg/b', 'deeper', [], {}, linked(['big-link.bin', 'small.bin'], [big, small])),
      dir('/t/c', '/t', 'c', [], {}, linked(['small.bin', 'small-again.bin'], [small, small]))
    ]
    /** A folder walked alone: only its subtree's items, itself as top (what du -sb FOLDER counts). */
    const alone = (path: string): WalkTree => {
      const tree = new WalkTree(path)
      for (const item of items) {
        if (item.kind !== 'dir' || !(item.dirpath === path || item.dirpath.startsWith(`${path}/`))) continue
        tree.apply(item.dirpath === path ? { ...item, parent: null, name: path } : item)
      }
      return tree
    }
    const dirs = (node: WalkTree['root']): WalkTree['root'][] => [node, ...node.subdirs.flatMap(dirs)]
    const reversed = [...items].reverse() // bottom-up, and later names met in other subtrees first
    for (const order of [items, reversed]) {
      const tree = new WalkTree('/t')
      for (const item of order) tree.apply(item)
      for (const node of dirs(tree.root)) {
        const path = tree.pathOf(node)
        const reference = alone(path).root
        expect([path, node.totalBytes, node.totalDisk]).toEqual([path, reference.totalBytes, reference.totalDisk])
      }
      expect(tree.root.totalBytes).toBe(6 * 4096 + 1_000_000 + 3000)
      expect(tree.root.childNamed('pkg')!.totalBytes).toBe(4 * 4096 + 1_000_000 + 3000)
      expect(tree.root.childNamed('c')!.totalBytes).toBe(4096 + 3000)
      for (const node of dirs(tree.root)) node.expanded = true
      const rows = tree.flatten({ key: 'size', descending: true })
      for (let i = 0; i < rows.length; i++) expect(tree.view(rows, i)!.share).toBeLessThanOrEqual(1)
    }
  })

  test('a later name in another subtree adds the file to that subtree only, as it streams in', () => {
    const big: StatRecord = [500_000, 503_808, 7, 42, 2]
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['a', 'b'], {}))
    tree.apply(dir('/t/a', '/t', 'a', [], {}, { filenames: ['x'], fileTypes: 'f', filenameStats: statRecords([big]) }))
    const a = tree.root.childNamed('a')!
    const b = tree.root.childNamed('b')!
    expect([tree.root.totalBytes, a.totalBytes, b.totalBytes]).toEqual([500_000, 500_000, 0])
    const versions = [tree.root.version, a.version, b.version]
    tree.apply(dir('/t/b', '/t', 'b', [], {}, { filenames: ['y'], fileTypes: 'f', filenameStats: statRecords([big]) }))
    expect([tree.root.totalBytes, a.totalBytes, b.totalBytes]).toEqual([500_000, 500_000, 500_000])
    expect([tree.root.totalDisk, a.totalDisk, b.totalDisk]).toEqual([503_808, 503_808, 503_808])
    // Sort caches see the change where a total changed.
    expect([tree.root.version > versions[0]!, a.version === versions[1], b.version > versions[2]!]).toEqual([
      true,
      true,
      true
    ])
    b.expanded = true
    const rows = tree.flatten({ key: 'name', descending: false })
    expect(names(tree, rows)).toEqual(['/t/', '  a/', '  b/', '    y'])
    expect(tree.view(rows, 2)!.share).toBe(1)
    expect(tree.view(rows, 3)).toMatchObject({ hardLink: HARD_LINK_ELSEWHERE, bytes: 500_000, share: 1 })
  })

  test('re-rooted, the folder in view is 100%, as ncdu shows its current folder', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    const a = tree.root.childNamed('a')!
    const rows = tree.flatten({ key: 'size', descending: true }, a)
    expect(tree.view(rows, 0)).toMatchObject({ name: 'a', bytes: 1005, share: 1 })
    expect(tree.view(rows, 1)).toMatchObject({ name: 'a1', bytes: 1000, share: 1000 / 1005 })
    const whole = tree.flatten({ key: 'size', descending: true })
    expect(tree.view(whole, 0)).toMatchObject({ share: 1 })
    expect(tree.view(whole, 1)).toMatchObject({ name: 'a', share: 1005 / 1315 })
  })

  test('re-rooted, the rows start at the chosen folder; keys find a row again after any change', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    const a = tree.root.childNamed('a')!
    const order = { key: 'size', descending: true } as const
    expect(names(tree, tree.flatten(order, a))).toEqual(['a/', '  a1/', '  x.txt'])
    tree.root.childNamed('a')!.expanded = true
    const rows = tree.flatten(order)
    const key = tree.keyAt(rows, 3)!
    expect(tree.pathOfKey(key)).toBe('/t/a/x.txt')
    const byName = tree.flatten({ key: 'name', descending: true })
    expect(tree.view(byName, byName.indexOf(key))!.name).toBe('x.txt')
    expect(tree.flatten(order, tree.root.childNamed('b')!).indexOf(key)).toBe(-1)
    expect(tree.pathOf(a.childNamed('a1')!)).toBe('/t/a/a1')
    expect(tree.within(a.childNamed('a1')!, a)).toBe(true)
  })

  test("a folder's files are one run of rows: every row, its key and its folder's row are found in it", () => {
    const tree = new WalkTree('/t')
    const numbers = Array.from({ length: 500 }, (_, i) => (i * 7) % 500)
    // top.txt outweighs a, so by size ascending it comes after a's files.
    tree.apply(dir('/t', null, '/t', ['a'], { 'top.txt': 1_000_000 }))
    tree.apply(dir('/t/a', '/t', 'a', [], Object.fromEntries(numbers.map((n) => [`f${n}`, n]))))
    tree.root.childNamed('a')!.expanded = true
    const rows = tree.flatten({ key: 'size', descending: false })
    // /t, a, a's 500 files (f0 … f499 by size), top.txt.
    expect(rows.length).toBe(503)
    expect(names(tree, rows).slice(0, 4)).toEqual(['/t/', '  a/', '    f0', '    f1'])
    expect(names(tree, rows).slice(-2)).toEqual(['    f499', '  top.txt'])
    for (const index of [0, 1, 2, 250, 501, 502]) expect(rows.indexOf(tree.keyAt(rows, index)!)).toBe(index)
    expect(tree.pathOfKey(tree.keyAt(rows, 252)!)).toBe('/t/a/f250')
    // ← goes to the folder: from any file of a's run to a, from top.txt to /t.
    expect([2, 300, 501, 502, 1].map((index) => rows.parentOf(index))).toEqual([1, 1, 1, 0, 0])
    expect(rows.parentOf(0)).toBe(-1)
    expect(rows.at(503)).toBeUndefined()
    expect(tree.flatten({ key: 'size', descending: false }).indexOf({ node: tree.root, kind: ROW_FILE, ref: 7 })).toBe(
      -1
    )
  })

  test('by size, files and folders rank together, as in ncdu; by name and in os.walk order, folders come first', () => {
    const tree = new WalkTree('/t')
    tree.apply(
      dir('/t', null, '/t', ['small', 'mid', 'big'], {
        'huge.iso': 100_000,
        'medium.txt': 1000,
        'tie.bin': 500,
        tiny: 1
      })
    )
    tree.apply(dir('/t/small', '/t', 'small', [], { 'a.txt': 10 }))
    tree.apply(dir('/t/mid', '/t', 'mid', [], { 'm1.txt': 300, 'm2.txt': 200 }))
    tree.apply(dir('/t/big', '/t', 'big', [], { 'b.bin': 5000 }))
    tree.root.childNamed('mid')!.expanded = true
    const bySize: SortOrder = { key: 'size', descending: true }
    const descending = tree.flatten(bySize)
    // mid (500) ties with tie.bin: the folder first.
    expect(names(tree, descending)).toEqual([
      '/t/',
      '  huge.iso',
      '  big/',
      '  medium.txt',
      '  mid/',
      '    m1.txt',
      '    m2.txt',
      '  tie.bin',
      '  small/',
      '  tiny'
    ])
    expect(names(tree, tree.flatten({ key: 'size', descending: false }))).toEqual([
      '/t/',
      '  tiny',
      '  small/',
      '  mid/',
      '    m2.txt',
      '    m1.txt',
      '  tie.bin',
      '  medium.txt',
      '  big/',
      '  huge.iso'
    ])
    // The files of /t are in four runs: each row, its key and its folder's row are still found.
    for (let index = 0; index < descending.length; index++) {
      expect(descending.indexOf(tree.keyAt(descending, index)!)).toBe(index)
      expect(descending.parentOf(index)).toBe(index === 0 ? -1 : [5, 6].includes(index) ? 4 : 0)
    }
    // The search lists matches as the rows show them (b.bin inside big, which is collapsed).
    const matched = tree.search('i', bySize, 100).map((match) => tree.pathOfKey(match))
    expect(matched).toEqual([
      '/t/huge.iso',
      '/t/big',
      '/t/big/b.bin',
      '/t/medium.txt',
      '/t/mid',
      '/t/tie.bin',
      '/t/tiny'
    ])
    const shown = Array.from({ length: descending.length }, (_, i) => tree.pathOfKey(tree.keyAt(descending, i)!))
    expect(shown.filter((path) => matched.includes(path))).toEqual(matched.filter((path) => path !== '/t/big/b.bin'))
    expect(tree.search('i', bySize, 3)).toHaveLength(3)
    // By name and in os.walk order, the triple's way: folders, then files.
    expect(names(tree, tree.flatten({ key: 'name', descending: false })).map((name) => name.trim())).toEqual([
      '/t/',
      'big/',
      'mid/',
      'm1.txt',
      'm2.txt',
      'small/',
      'huge.iso',
      'medium.txt',
      'tie.bin',
      'tiny'
    ])
  })

  test('a folder too large to sort at once keeps its files after its folders until sorted, in rows and search alike', () => {
    const tree = new WalkTree('/t')
    const small = Object.fromEntries(Array.from({ length: SORT_IN_STEPS_FROM }, (_, i) => [`s${i}`, 1]))
    tree.apply(dir('/t', null, '/t', ['dmatch'], { ...small, match1: 1000, match2: 1000 }))
    tree.apply(dir('/t/dmatch', '/t', 'dmatch', [], { 'inner.bin': 500 }))
    const bySize: SortOrder = { key: 'size', descending: true }
    const paths = (): { rows: string[]; found: string[] } => {
      const rows = tree.flatten(bySize)
      const shown = Array.from({ length: rows.length }, (_, i) => tree.pathOfKey(tree.keyAt(rows, i)!))
      const found = tree.search('match', bySize, 10).map((match) => tree.pathOfKey(match))
      return { rows: shown.filter((path) => found.includes(path)), found }
    }
    // Not sorted yet: the folder first, then the files in os.walk order; the search says the same.
    const before = paths()
    expect(before.found).toEqual(['/t/dmatch', '/t/match1', '/t/match2'])
    expect(before.rows).toEqual(before.found)
    for (const _ of tree.sortSteps(bySize));
    // Sorted: the two 1000-byte files rank above the 500-byte folder.
    const after = paths()
    expect(after.found).toEqual(['/t/match1', '/t/match2', '/t/dmatch'])
    expect(after.rows).toEqual(after.found)
  })

  test('search finds directories and files anywhere in the scanned tree, in display order', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    const order = { key: 'name', descending: false } as const
    const found = tree.search('A', order, 100).map((match) => tree.pathOfKey(match))
    expect(found).toEqual(['/t/a', '/t/a/a1'])
    expect(tree.search('.', order, 100).map((match) => tree.pathOfKey(match))).toEqual([
      '/t/a/a1/deep.bin',
      '/t/a/x.txt',
      '/t/b/big.iso',
      '/t/root.txt'
    ])
    expect(tree.search('.', order, 2)).toHaveLength(2)
    expect(tree.search('', order, 100)).toEqual([])
  })

  test('search finds a name whichever Unicode normalization form it or the query is in', () => {
    const tree = new WalkTree('/t')
    // As macOS keeps them (e + U+0301), and as Linux mostly does (U+00E9).
    tree.apply(
      dir('/t', null, '/t', ['Cafe\u0301'], { 'resume\u0301.txt': 1, 'r\u00e9sum\u00e9 v2.txt': 2, 'plain.txt': 3 })
    )
    tree.apply(dir('/t/Cafe\u0301', '/t', 'Cafe\u0301', [], {}))
    const order = { key: 'name', descending: false } as const
    const found = (query: string): string[] => tree.search(query, order, 10).map((match) => tree.pathOfKey(match))
    // Typed as one character, or as e and its accent, both find both forms.
    expect(found('\u00e9')).toEqual(['/t/Cafe\u0301', '/t/resume\u0301.txt', '/t/r\u00e9sum\u00e9 v2.txt'])
    expect(found('e\u0301')).toEqual(found('\u00e9'))
    expect(found('CAF\u00c9')).toEqual(['/t/Cafe\u0301'])
    expect(found('plain')).toEqual(['/t/plain.txt'])
  })

  test("search puts a folder's files in display order only where two or more of them match", () => {
    const tree = new WalkTree('/t')
    tree.apply(dir('/t', null, '/t', ['a', 'b', 'c'], {}))
    tree.apply(dir('/t/a', '/t', 'a', [], { hit1: 1, miss: 5, hit2: 3 }))
    tree.apply(dir('/t/b', '/t', 'b', [], { miss: 1, hit3: 2 }))
    tree.apply(dir('/t/c', '/t', 'c', [], { miss: 1, other: 0 }))
    const bySize = { key: 'size', descending: true } as const
    const found = tree.search('hit', bySize, 10).map((match) => tree.pathOfKey(match))
    expect(found).toEqual(['/t/a/hit2', '/t/a/hit1', '/t/b/hit3'])
    // a's two matches are in size order: a was sorted; b's single match and c's none needed no sort.
    const sorted = ['a', 'b', 'c'].map((name) => tree.root.childNamed(name)!.fileCache !== undefined)
    expect(sorted).toEqual([true, false, false])
  })

  test('re-rooted, search finds names below the folder in view only, the folder itself no match', () => {
    const tree = new WalkTree('/t')
    for (const item of topDown) tree.apply(item)
    const order = { key: 'name', descending: false } as const
    const a = tree.root.childNamed('a')!
    const found = (query: string, limit = 100): string[] =>
      tree.search(query, order, limit, a).map((match) => tree.pathOfKey(match))
    expect(found('.')).toEqual(['/t/a/a1/deep.bin', '/t/a/x.txt'])
    expect(found('a')).toEqual(['/t/a/a1'])
    expect(found('.', 1)).toEqual(['/t/a/a1/deep.bin'])
    expect(tree.search('.', order, 100, a.childNamed('a1')!).map((match) => tree.pathOfKey(match))).toEqual([
      '/t/a/a1/deep.bin'
    ])
  })

  // Its speed is measured by `npm run bench -- --only browse`.
  test('a 200,000-entry tree applies and flattens completely, each directory sorted', () => {
    const tree = new WalkTree('/big')
    const subdirs = Array.from({ length: 400 }, (_, i) => `d${i}`)
    tree.apply(dir('/big', null, '/big', subdirs, {}))
    const files: Record<string, number> = {}
    for (let f = 0; f < 500; f++) files[`file-${f}.dat`] = f
    for (const name of subdirs) tree.apply(dir(`/big/${name}`, '/big', name, [], files))
    expect(tree.counters.files).toBe(200_000)
    for (const node of tree.root.subdirs) node.expanded = true
    const rows = tree.flatten({ key: 'size', descending: true })
    expect(rows.length).toBe(1 + 400 + 200_000)
    // Every directory's 500 files follow it, largest first.
    const last = tree.root.subdirs.at(-1)!
    const lastRows = Array.from({ length: 501 }, (_, i) => tree.view(rows, rows.length - 501 + i)!)
    // Identity, not toMatchObject: a deep comparison would walk the whole tree through `parent`.
    expect(lastRows[0]!.kind).toBe('dir')
    expect(lastRows[0]!.node).toBe(last)
    expect(lastRows.slice(1).map((row) => row.bytes)).toEqual(Array.from({ length: 500 }, (_, i) => 499 - i))
  })
})

describe('Browse form', () => {
  test('extensions and patterns become filter / filterfalse stages', () => {
    expect(parseExtensions(' py, .txt;tar.gz  .py ')).toEqual(['.py', '.txt', '.tar.gz'])
    const form = {
      ...defaultWalkForm(),
      top: '/x',
      glob: '*.py',
      extensions: 'pyc tmp',
      extensionMode: 'drop' as const
    }
    expect(filterStages(form)).toEqual([
      { fn: 'filter', test: 'fnmatch', pattern: '*.py' },
      { fn: 'filterfalse', test: 'endswith', suffixes: ['.pyc', '.tmp'] }
    ])
    expect(walkArgsFromForm(form)).toMatchObject({ ok: true, args: { top: '/x', topdown: true, followlinks: false } })
  })

  test('problems are reported for the field that has them', () => {
    expect(walkArgsFromForm(defaultWalkForm())).toMatchObject({ ok: false, problems: [{ field: 'top' }] })
    expect(walkArgsFromForm({ ...defaultWalkForm(), top: 'x\0' })).toMatchObject({
      ok: false,
      problems: [{ field: 'top' }]
    })
    expect(walkArgsFromForm({ ...defaultWalkForm(), top: '/x', glob: '*'.repeat(300) })).toMatchObject({
      ok: false,
      problems: [{ field: 'glob' }]
    })
    expect(walkArgsFromForm({ ...defaultWalkForm(), top: '/x', extensions: `.${'e'.repeat(80)}` })).toMatchObject({
      ok: false,
      problems: [{ field: 'extensions' }]
    })
    expect(sameWalk({ top: '/x' }, { top: '/x', topdown: true, followlinks: false, files: [] })).toBe(true)
    expect(sameWalk({ top: '/x' }, { top: '/x', topdown: false })).toBe(false)
    expect(sameWalk({ top: '/x' }, { top: '/x', exclude: ['.git'] })).toBe(false)
    expect(sameWalk({ top: '/x' }, { top: '/x', oneFileSystem: true })).toBe(false)
  })

  test("exclude patterns: split on spaces and commas, checked with main's schema, pruned in the Python", () => {
    expect(parseExcludes(' .git, node_modules  build* .git')).toEqual(['.git', 'node_modules', 'build*'])
    const form = { ...defaultWalkForm(), top: '/x', exclude: '.git node_*', oneFileSystem: true }
    expect(walkArgsFromForm(form)).toMatchObject({
      ok: true,
      args: { exclude: ['.git', 'node_*'], oneFileSystem: true }
    })
    expect(walkArgsFromForm({ ...form, exclude: 'a'.repeat(300) })).toMatchObject({
      ok: false,
      problems: [{ field: 'exclude', message: expect.stringContaining('Exclude folders') as unknown }]
    })
    const code = walkPythonCode({ top: '/x', exclude: ['.git', "it's"], oneFileSystem: true })
    expect(code).toContain("    dirnames[:] = [d for d in dirnames if not fnmatch(d, '.git')]")
    expect(code).toContain(`    ${pruneLine("it's")}`)
    expect(pruneLine("it's")).toBe('dirnames[:] = [d for d in dirnames if not fnmatch(d, "it\'s")]')
    expect(code).toContain('from fnmatch import fnmatch')
    expect(code).toContain('top_dev = os.stat(top).st_dev')
    expect(code).toContain(
      '\n    dirnames[:] = [d for d in dirnames if os.lstat(os.path.join(dirpath, d)).st_dev == top_dev]\n'
    )
    const bottomUp = walkPythonCode({ top: '/x', topdown: false, exclude: ['.git'] })
    expect(bottomUp.replace(/\n\s*# /g, ' ')).toContain(BOTTOM_UP_PRUNING)
  })
})

describe('Python equivalent', () => {
  test('repr of strings as CPython writes it', () => {
    expect(pyStr('plain')).toBe("'plain'")
    expect(pyStr("it's")).toBe('"it\'s"')
    expect(pyStr(`it's "x"`)).toBe(`'it\\'s "x"'`)
    expect(pyStr('new\nline\ttab\\')).toBe("'new\\nline\\ttab\\\\'")
    expect(pyStr('\u0000\u007f\u00a0é😀\uFFFD')).toBe("'\\x00\\x7f\\xa0é😀\uFFFD'")
    expect(pyStr('\u200b')).toBe("'\\u200b'")
    expect(pyNames(['a', 'b', 'c'], 2)).toBe("['a', 'b', … 1 more]")
    expect(
      tripleRepr({
        dirpath: './',
        dirnames: ['subdir1', 'subdir2'],
        excluded: [],
        excludedAt: [],
        filenames: ['oswalk.py', 'file_top']
      })
    ).toBe("('./', ['subdir1', 'subdir2'], ['oswalk.py', 'file_top'])")
    // As os.walk yields it: the names the loop body prunes afterwards are still in their places.
    expect(
      tripleRepr({
        dirpath: '/p',
        dirnames: ['src', 'lib'],
        excluded: ['.git', 'build'],
        excludedAt: [0, 2],
        filenames: []
      })
    ).toBe("('/p', ['.git', 'src', 'build', 'lib'], [])")
  })

  test('the program spells out the walk and the pipeline, importing only what it uses', () => {
    expect(walkPythonCode({ top: '/data' })).toContain(
      'for dirpath, dirnames, filenames in os.walk(top, topdown=True, onerror=errors.append, followlinks=False):\n    shown[dirpath] = [(name, file_size(dirpath, name)) for name in filenames]'
    )
    expect(walkPythonCode({ top: '/data' })).not.toContain('fnmatch')
    const code = walkPythonCode({
      top: "/it's",
      topdown: false,
      followlinks: true,
      files: [
        { fn: 'filter', test: 'fnmatch', pattern: '*.py' },
        { fn: 'filterfalse', test: 'endswith', suffixes: ['.pyc', '.tmp'] }
      ]
    })
    expect(code).toContain('top = "/it\'s"')
    expect(code).toContain('from fnmatch import fnmatch\nfrom itertools import filterfalse')
    expect(code).toContain(
      "    files = filter(lambda name: fnmatch(name, '*.py'), filenames)\n    files = filterfalse(lambda name: name.endswith(('.pyc', '.tmp')), files)"
    )
    expect(code).toContain('topdown=False, onerror=errors.append, followlinks=True')
    expect(stageLine({ fn: 'filter', test: 'endswith', suffixes: ['.log'] }, 'files')).toBe(
      "files = filter(lambda name: name.endswith('.log'), files)"
    )
  })

  test('sizes read like ncdu', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.00 GiB')
  })
})
