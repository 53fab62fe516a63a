/**
 * Export for ncdu from the Browse tab's tree: the bytes (files, symlinks, hard links, unreadable,
 * excluded and other-file-system folders), the same whether written at once or piece by piece,
 * and built in slices that give the event loop back.
 */
import { afterEach, describe, expect, test, vi } from 'vitest'
import { decodeNcdu, encodeNcdu, type NcduEntry, type NcduExport } from '@shared/ncdu'
import type { WalkItem } from '@shared/walkJob'
import { ncduExportBytes, ncduExportPieces } from '@renderer/walk/ncduExport'
import { WalkTree } from '@renderer/walk/walkTree'
import { dir, error, statRecords } from '../../../support/walkItems'

const header = { progver: '1.2.3', timestamp: 1_700_000_000 }

afterEach(() => {
  vi.restoreAllMocks()
})

function treeOf(top: string, items: readonly WalkItem[]): WalkTree {
  const tree = new WalkTree(top)
  for (const item of items) tree.apply(item)
  return tree
}

/** /t: a subfolder, a symlink to a folder, an unreadable folder, one on another file system, one pruned; a file, a hard link, a FIFO. */
const mixedTree = (): WalkTree =>
  treeOf('/t', [
    dir(
      '/t',
      null,
      '/t',
      ['sub', 'up', 'locked', 'proc'],
      { 'a.txt': 5, 'twice.bin': 10, fifo: 0 },
      {
        dirTypes: 'dldd',
        excluded: ['node_modules'],
        excludedAt: [4],
        fileTypes: 'ffo',
        ownStat: statRecords([[4096, 4096, 2049, 2, 5]]),
        dirnameStats: statRecords([
          [4096, 4096, 2049, 3, 2],
          [7, 0, 2049, 4, 1],
          [4096, 4096, 2049, 5, 2],
          [0, 0, 0, 0, 0]
        ]),
        filenameStats: statRecords([
          [5, 4096, 2049, 10, 1],
          [10, 4096, 2049, 11, 2],
          [0, 0, 2049, 12, 1]
        ])
      }
    ),
    dir(
      '/t/sub',
      '/t',
      'sub',
      [],
      { 'b\udcff': 3 },
      { ownStat: statRecords([[4096, 4096, 2049, 3, 2]]), filenameStats: statRecords([[3, 4096, 2049, 13, 1]]) }
    ),
    // Stat'ed, then not listed: ncdu writes its own size beside read_error.
    { ...error('/t/locked', '/t', 'locked', 'PERMISSION_DENIED'), ownStat: statRecords([[4096, 4096, 2049, 5, 2]]) },
    { kind: 'skip', reason: 'otherFileSystem', parent: '/t', name: 'proc' }
  ])

/** /big: `dirs` folders of `files` files each, beside `files` files of its own; every file 100 bytes on device 1. */
function bigTree(dirs: number, files: number): { tree: WalkTree; scan: NcduExport } {
  const names = Array.from({ length: dirs }, (_, d) => `d${d}`)
  const sizes = Object.fromEntries(Array.from({ length: files }, (_, f) => [`f${f}.txt`, 100]))
  const fileEntries = (): NcduEntry[] => Object.keys(sizes).map((name) => ({ name, asize: 100, dsize: 4096, dev: 1 }))
  const tree = treeOf('/big', [
    dir('/big', null, '/big', names, sizes),
    ...names.map((name) => dir(`/big/${name}`, '/big', name, [], sizes))
  ])
  const root: NcduEntry = {
    name: '/big',
    dev: 0,
    children: [...names.map((name) => ({ name, children: fileEntries() })), ...fileEntries()]
  }
  return { tree, scan: { progname: 'yield-lab', ...header, root } }
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1')
const joined = (pieces: Iterable<Uint8Array>): string => [...pieces].map(text).join('')

describe('Export for ncdu', () => {
  test('writes each kind of entry as ncdu does, and the one-shot encoder writes the same bytes for that scan', () => {
    const written = joined(ncduExportPieces(mixedTree(), header))
    expect(written.split('\n')).toEqual([
      '[1,2,{"progname":"yield-lab","progver":"1.2.3","timestamp":1700000000},',
      '[{"name":"/t","asize":4096,"dsize":4096,"dev":2049},',
      '[{"name":"sub","asize":4096,"dsize":4096},',
      '{"name":"b\xff","asize":3,"dsize":4096}],',
      '{"name":"up","asize":7,"notreg":true},',
      '[{"name":"locked","asize":4096,"dsize":4096,"read_error":true}],',
      '[{"name":"proc","excluded":"othfs"}],',
      '{"name":"node_modules","dev":0,"excluded":"pattern"},',
      '{"name":"a.txt","asize":5,"dsize":4096},',
      '{"name":"twice.bin","asize":10,"dsize":4096,"ino":11,"hlnkc":true,"nlink":2},',
      '{"name":"fifo","notreg":true}]]'
    ])
    const bytes = Buffer.from(written, 'latin1')
    expect(text(encodeNcdu(decodeNcdu(bytes, 'export')))).toBe(written)
  })

  test('a large tree comes in many pieces that join into the one-shot encoder’s bytes', () => {
    const { tree, scan } = bigTree(30, 40)
    const pieces = [...ncduExportPieces(tree, header)]
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.map(text).join('')).toBe(text(encodeNcdu(scan)))
  })

  test('is built in slices that end once the budget is spent, giving the event loop back in between', async () => {
    const { tree, scan } = bigTree(30, 40)
    // Every look at the clock finds 1 ms more spent: a slice of a 4 ms budget ends after a few pieces.
    let clock = 0
    vi.spyOn(performance, 'now').mockImplementation(() => ++clock)
    let slices = 0
    let finished = false
    const building = ncduExportBytes(tree, header, { budgetMs: 4, afterSlice: () => slices++ }).then((bytes) => {
      finished = true
      return bytes
    })
    // The first slice ran before the call returned, and the rest waits for the event loop.
    expect(slices).toBe(1)
    await Promise.resolve()
    expect(finished).toBe(false)
    const bytes = await building
    expect(slices).toBeGreaterThan(1)
    expect(text(bytes)).toBe(text(encodeNcdu(scan)))
  })

  test('joins its pieces in slices too: a task queued at the first copy runs before the last', async () => {
    const { tree, scan } = bigTree(30, 40)
    const expected = encodeNcdu(scan)
    // The clock moves only while pieces are copied into the export's buffer: each copy spends a slice's budget.
    let clock = 0
    vi.spyOn(performance, 'now').mockImplementation(() => clock)
    const happened: string[] = []
    const set = Uint8Array.prototype.set
    vi.spyOn(Uint8Array.prototype, 'set').mockImplementation(function (this: Uint8Array, ...args) {
      set.apply(this, args)
      if (this.length !== expected.length) return
      if (!happened.includes('copy')) {
        // Another task, queued as a click would be: it runs when the export gives the event loop back.
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          channel.port1.close()
          happened.push('other task')
        }
        channel.port2.postMessage(null)
      }
      happened.push('copy')
      clock += 4
    })
    const bytes = await ncduExportBytes(tree, header, { budgetMs: 4 })
    expect(happened.filter((step) => step === 'copy').length).toBeGreaterThan(2)
    expect(happened.indexOf('other task')).toBeGreaterThan(0)
    expect(happened.indexOf('other task')).toBeLessThan(happened.lastIndexOf('copy'))
    expect(text(bytes)).toBe(text(expected))
  })
})
