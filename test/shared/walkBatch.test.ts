import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { packWalkItems, unpackWalkItems } from '../../src/shared/walkBatch'
import { batchItems } from '../../src/shared/jobKinds'
import {
  WALK_STAT,
  walkArgsSchema,
  yieldedDirnames,
  type WalkDirItem,
  type WalkItem,
  type WalkSkipItem
} from '../../src/shared/walkJob'
import { walkJob } from '../../src/main/lab/walk/walkJob'
import * as v from 'valibot'
import { dir, error, statRecords, type StatRecord } from '../support/walkItems'
import { build, FIFO, Link } from '../support/tree'

const base = mkdtempSync(join(tmpdir(), 'yield-lab-walkbatch-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

const control = { isCancelled: () => false, report: () => undefined, log: () => undefined, pause: () => true }

function walkItems(args: v.InferInput<typeof walkArgsSchema>): WalkItem[] {
  const generator = walkJob(v.parse(walkArgsSchema, args), control)
  const items: WalkItem[] = []
  for (let step = generator.next(); step.done !== true; step = generator.next()) items.push(step.value)
  return items
}

/** Through postMessage's structured clone, moving the transfer list, as the job worker sends a batch. */
function posted(items: readonly WalkItem[]): WalkItem[] {
  const { packed, transfer } = packWalkItems(items)
  const received = structuredClone(packed, { transfer })
  for (const buffer of transfer) expect(buffer.byteLength).toBe(0) // moved, not copied
  return [...unpackWalkItems(received)]
}

/** How many bytes a value takes on the e2e bridge's wire: its typed arrays as raw bytes, the rest as JSON. */
function travelBytes(value: unknown): number {
  let bytes = 0
  const json = JSON.stringify(value, (_key, item: unknown) => {
    if (!ArrayBuffer.isView(item)) return item
    bytes += item.byteLength
    return null
  })
  return bytes + json.length
}

describe('packed walk batches', () => {
  test('a real walk comes back equal: names, types, sizes, stats, pruned names, dropped files, links, a fifo', () => {
    const top = join(base, 'tree')
    build(top, {
      'a.py': 'print(1)\n',
      'notes.txt': 'hello',
      src: { 'main.py': 'pass\n', deep: { 'x.py': 'x', 'y.tmp': 'yy' }, empty: {} },
      'new\nline dir': { 'f\nname.py': 'n', 'ünï cödé 🐍': 'u' },
      node_modules: { 'pkg.js': 'p' },
      link: new Link('src'),
      dangling: new Link('nowhere'),
      pipe: FIFO
    })
    writeFileSync(join(top, 'src', 'big.bin'), Buffer.alloc(70_000))
    const items = walkItems({
      top,
      exclude: ['node_modules'],
      files: [{ fn: 'filterfalse', test: 'endswith', suffixes: ['.tmp'] }]
    })
    expect(items.length).toBeGreaterThan(4)
    // Names travel as UTF-8 bytes, an emoji (a surrogate pair) among them.
    expect(packWalkItems(items).packed.names).toBeInstanceOf(Uint8Array)
    const back = posted(items)
    expect(back).toEqual(items)
    // Each typed array keeps its type and length; the stat records are views of one shared buffer.
    const root = back[0]!
    if (root.kind !== 'dir') throw new Error('the first item is top')
    expect(root.excluded).toEqual(['node_modules'])
    expect(root.filenameStats).toBeInstanceOf(Float64Array)
    expect(root.filenameStats.length).toBe(root.filenames.length * WALK_STAT.FIELDS)
    expect(back.map((item) => (item.kind === 'dir' ? item.dropped : 0)).reduce((a, b) => a + b)).toBe(1)
  })

  test('a packed batch is its own: packing the next one, smaller or larger, does not change it', () => {
    const files = (count: number, size: number): Record<string, number> =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, size + i]))
    const batches = [
      [dir('/a', null, '/a', [], files(300, 10))],
      [dir('/b', null, '/b', ['sub'], files(3, 5000))],
      [dir('/c', null, '/c', [], files(900, 70))]
    ]
    const packed = batches.map((items) => packWalkItems(items).packed)
    packed.forEach((batch, i) => expect([...unpackWalkItems(batch)], `batch ${i}`).toEqual(batches[i]))
    // Each carries exactly what it wrote: its own record, then each file's record whole (these have no link count).
    const F = WALK_STAT.FIELDS
    expect(packed.map((batch) => batch.numbers.length)).toEqual([F + 300 * F, F + 3 * F, F + 900 * F])
  })

  test('names that are not UTF-8 (surrogate escapes), errors, skips and empty directories keep their place', () => {
    const skip: WalkSkipItem = { kind: 'skip', reason: 'otherFileSystem', parent: '/t', name: 'proc' }
    const items: WalkItem[] = [
      error('/t', null, '/t', 'PERMISSION_DENIED'),
      dir('/t', null, '/t', ['a\udcff', 'proc'], { 'f\udce9.txt': 3, '': 0 }),
      skip,
      dir('/t/a\udcff', '/t', 'a\udcff', [], {}),
      dir('/t/e', '/t', 'e', [], {}, { ownStat: new Float64Array(0), dropped: 2, droppedBytes: 2 ** 40 }),
      error('/t/x', '/t', 'x')
    ]
    // An empty name is impossible on a disk; here it shows the split keeps empty strings in place.
    expect(posted(items)).toEqual(items)
    // UTF-8 cannot carry a surrogate escape: these names travel as the string itself.
    expect(packWalkItems(items).packed.names).toBe('a\udcff/proc/f\udce9.txt//' + 'a\udcff/' + 'e/')
  })

  test('a directory whose type letters do not match its names is refused, naming it', () => {
    const item = dir('/t', null, '/t', ['a'], { f: 1 }, { fileTypes: 'ff' })
    expect(() => packWalkItems([item])).toThrow('/t: a walk item needs one type letter per dirname and per filename')
  })

  test('excluded names come back where they stood in dirnames: first, middle, last, several, all', () => {
    const all = ['a', 'b', 'c', 'd', 'e']
    /** A directory listing `all` as os.walk yields them, with the names at `at` pruned; b and d are symlinks. */
    const pruned = (path: string, at: number[]): WalkDirItem => {
      const kept = all.filter((_, i) => !at.includes(i))
      return dir(
        path,
        null,
        path,
        kept,
        { f: 1 },
        {
          dirTypes: kept.map((name) => (name === 'b' || name === 'd' ? 'l' : 'd')).join(''),
          dirnameStats: statRecords(kept.map((): StatRecord => [7])),
          excluded: at.map((i) => all[i]!),
          excludedAt: at
        }
      )
    }
    const cases = [[0], [2], [4], [0, 2], [1, 3, 4], [0, 1, 2, 3, 4], []]
    const items = cases.map((at, i) => pruned(`/t${i}`, at))
    const back = posted(items)
    expect(back).toEqual(items)
    for (const item of back) if (item.kind === 'dir') expect(yieldedDirnames(item)).toEqual(all)
    // Each excluded name travels once, in its place, with one letter saying it was pruned.
    const { packed } = packWalkItems([pruned('/t', [1, 3])])
    expect(new TextDecoder().decode(packed.names as Uint8Array)).toBe('a/b/c/d/e/f/')
    expect(packed.letters).toBe('dxdxd' + 'f')
    expect(packed.shapes).toHaveLength(3 + 1)
  })

  test('stat records come back exactly, compact or whole: hard links, other devices, -0, fractions, big inode steps', () => {
    const ownStat = statRecords([[4096, 4096, 7, 1000, 3]])
    const records = statRecords([
      [10, 4096, 7, 1001, 1], // plain: compact
      [0, 0, 7, 999, 1], // an empty file, an inode below the last: compact
      [5, 4096, 7, 1002, 2], // a hard link: whole
      [5, 4096, 8, 1003, 1], // another device (a file bind-mounted on it): whole
      [1, -0, 7, 1004, 1], // a disk usage of -0, which blocks (an int32) cannot say
      [1, 100.5, 7, 1005, 1], // disk usage that is not whole blocks (an ncdu file may say so)
      [1, 2 ** 45, 7, 1006, 1], // more blocks than an int32 holds
      [1, 512, 7, 1006 + 2 ** 31, 1], // an inode step beyond an int32
      [1, 512, 7, 2 ** 53 + 2, 1], // an inode a double barely holds
      [-13, 0, 0, 0, 0], // a failed lstat (minus its errno)
      [Number.NaN, 0, 7, 1, 1] // any apparent size travels as the double it is: compact
    ])
    const item = dir(
      '/t',
      null,
      '/t',
      ['sub'],
      {},
      {
        ownStat,
        dirnameStats: new Float64Array(WALK_STAT.FIELDS),
        filenames:
          records.length === 0 ? [] : Array.from({ length: records.length / WALK_STAT.FIELDS }, (_, i) => `f${i}`),
        fileTypes: 'f'.repeat(records.length / WALK_STAT.FIELDS),
        filenameStats: records
      }
    )
    const { packed } = packWalkItems([item])
    const [back] = posted([item])
    expect(back).toEqual(item)
    if (back?.kind !== 'dir') throw new Error('a dir item')
    for (let i = 0; i < records.length; i++)
      expect(Object.is(back.filenameStats[i], records[i]), `number ${i}`).toBe(true)
    // A real directory's zeros travel as nothing; a compact record as a double and two int32s.
    expect([...packed.shapes]).toEqual([0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1])
    expect(packed.words).toHaveLength(3 * 2)
    expect(packed.numbers).toHaveLength(WALK_STAT.FIELDS + 3 + 8 * WALK_STAT.FIELDS)
  })

  test('a directory path travels as its parent (an earlier directory of the batch) and its name', () => {
    const items = [
      dir('/top/', null, '/top/', ['a'], {}),
      dir('/top/a', '/top/', 'a', ['b'], {}), // top ends with its separator: none is added
      dir('/top/a/b', '/top/a', 'b', [], {}),
      dir('/elsewhere/c', '/elsewhere', 'c', [], {}), // a parent from an earlier batch
      dir('C:\\d', 'C:', '\\d', [], {}), // not the parent joined to the name: the path as it is
      dir('/top/a/e', '/top/a', 'e', [], {})
    ]
    const { packed } = packWalkItems(items)
    expect(posted(items)).toEqual(items)
    // Each directory's parent, name and path: [parent's index, or -1 for none, or -2: in texts; 0: the
    // name is in names, -2: in texts; the separator's char code (0 for none), or -2: the path is in texts].
    const HEAD_FIELDS = 9
    const heads = (i: number): number[] => [...packed.heads.slice(i * HEAD_FIELDS, i * HEAD_FIELDS + 3)]
    const slash = '/'.charCodeAt(0)
    expect(heads(0)).toEqual([-1, -2, -2])
    expect(heads(1)).toEqual([0, 0, 0])
    expect(heads(2)).toEqual([1, 0, slash])
    expect(heads(3)).toEqual([-2, 0, slash])
    expect(heads(4)).toEqual([-2, 0, 0])
    expect(heads(5)).toEqual([1, 0, slash])
    expect(packed.texts).toEqual(['/top/', '/top/', '/elsewhere', 'C:'])
    // Each name but top's, then its dirnames: top's a, a and its b, b, c, \d, e.
    expect(new TextDecoder().decode(packed.names as Uint8Array)).toBe('a/' + 'a/b/' + 'b/' + 'c/' + '\\d/' + 'e/')
    expect(travelBytes(packed)).toBeLessThan(travelBytes(items))
  })

  test('an empty batch and a batch of errors only', () => {
    expect(posted([])).toEqual([])
    const errors = [error('/a', null, '/a'), error('/a/b', '/a', 'b')]
    expect(posted(errors)).toEqual(errors)
  })

  test('batchItems unpacks only the kinds that travel packed', () => {
    const items = [dir('/t', null, '/t', [], { f: 1 })]
    const { packed } = packWalkItems(items)
    expect([...batchItems('walk', { items: [], packed })]).toEqual(items)
    expect([...batchItems('ncduImport', { items: [], packed })]).toEqual(items)
    expect([...batchItems('range', { items: [1, 2] })]).toEqual([1, 2])
    expect([...batchItems('walk', { items: [] })]).toEqual([])
  })
})
