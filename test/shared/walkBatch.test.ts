import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { packWalkItems, unpackWalkItems } from '../../src/shared/walkBatch'
import { batchItems } from '../../src/shared/jobKinds'
import { WALK_STAT, walkArgsSchema, type WalkItem, type WalkSkipItem } from '../../src/shared/walkJob'
import { walkJob } from '../../src/main/lab/walk/walkJob'
import * as v from 'valibot'
import { dir, error } from '../support/walkItems'
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
  return unpackWalkItems(received)
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
  })

  test('an empty batch and a batch of errors only', () => {
    expect(posted([])).toEqual([])
    const errors = [error('/a', null, '/a'), error('/a/b', '/a', 'b')]
    expect(posted(errors)).toEqual(errors)
  })

  test('batchItems unpacks only the kinds that travel packed', () => {
    const items = [dir('/t', null, '/t', [], { f: 1 })]
    const { packed } = packWalkItems(items)
    expect(batchItems('walk', { items: [], packed })).toEqual(items)
    expect(batchItems('ncduImport', { items: [], packed })).toEqual(items)
    expect(batchItems('range', { items: [1, 2] })).toEqual([1, 2])
    expect(batchItems('walk', { items: [] })).toEqual([])
  })
})
