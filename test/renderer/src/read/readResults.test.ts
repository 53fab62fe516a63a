import { describe, expect, test } from 'vitest'
import {
  chainKey,
  datasetKey,
  filesLabel,
  filesTitle,
  sortViews,
  viewRows,
  type SortKey
} from '@renderer/read/readResults'
import { fileLabel } from '@shared/paths'
import { shownWithNote } from '../../../support/notUtf8'
import { resultRow as row } from '../../../support/readRows'

describe('chained runs', () => {
  test('chained files are one dataset in their order, checked against the sum of their sidecars', () => {
    const ab = ['/d/a.bin', '/d/b.bin']
    expect(chainKey(ab, 'eager', 'float64')).toBe(chainKey(['/d/a.txt', '/d/b.bin'], 'text', 'float64'))
    expect(chainKey(ab, 'eager', 'float64')).not.toBe(chainKey(['/d/b.bin', '/d/a.bin'], 'eager', 'float64'))
    expect(chainKey(ab, 'eager', 'float64')).not.toBe(chainKey(['/d/a.bin'], 'eager', 'float64'))

    const known = new Map([
      [datasetKey('/d/a.bin', 'lazyChunk', 'float64'), { sum: 1.5, count: 10 }],
      [datasetKey('/d/b.bin', 'lazyChunk', 'float64'), { sum: 2.25, count: 20 }]
    ])
    const views = viewRows(
      [
        row(1, { paths: ab, sum: 3.75, count: 30 }),
        row(2, { paths: ab, sum: 3.5, count: 30 }),
        row(3, { paths: ['/d/a.bin', '/d/c.bin'], sum: 9, count: 30 })
      ],
      known
    )
    expect(views[0]!.agreement).toEqual({ status: 'agrees', against: 'the sums written in the sidecars' })
    expect(views[1]!.agreement.status).toBe('differs')
    // c.bin's sum is not known, and nothing else read a.bin + c.bin.
    expect(views[2]!.agreement).toEqual({ status: 'alone' })
  })
})

describe('cancelled runs', () => {
  test('are kept, compared with nothing, and never the fastest', () => {
    const views = viewRows([
      row(1, { elapsedMs: 10 }),
      row(2, { outcome: 'cancelled', sum: NaN, count: 5, elapsedMs: 1 }),
      row(3, { elapsedMs: 20 })
    ])
    expect(views.map((view) => view.agreement.status)).toEqual(['agrees', 'cancelled', 'agrees'])
    expect(views.map((view) => view.slowdown)).toEqual([1, null, 2])
  })
})

describe('sorting', () => {
  const rows = [
    row(1, { mode: 'eager', chunkItems: null, elapsedMs: 30, mbPerSecond: 5, peakRssBytes: 900 }),
    row(2, { mode: 'lazyItem', chunkItems: 1, elapsedMs: 300, mbPerSecond: 0.5, peakRssBytes: 200 }),
    row(3, { outcome: 'cancelled', elapsedMs: 1, mbPerSecond: 50, peakRssBytes: 100 }),
    row(4, { paths: ['/d/a.bin'], elapsedMs: 10, mbPerSecond: 15, peakRssBytes: 200 })
  ]
  const views = viewRows(rows)
  const order = (key: SortKey, descending = false): number[] =>
    sortViews(views, { key, descending }).map((view) => view.row.run)

  test('by any column, either way; cancelled runs last except by run number; ties keep run order', () => {
    expect(order('run')).toEqual([1, 2, 3, 4])
    expect(order('run', true)).toEqual([4, 3, 2, 1])
    expect(order('time')).toEqual([4, 1, 2, 3])
    expect(order('rate', true)).toEqual([4, 1, 2, 3])
    expect(order('peakRss')).toEqual([2, 4, 1, 3])
    expect(order('mode')).toEqual([1, 2, 4, 3])
    expect(order('chunk')).toEqual([2, 4, 1, 3])
    expect(order('file')).toEqual([4, 1, 2, 3])
    expect(order('slowdown')).toEqual([1, 2, 4, 3]) // run 4 has nothing to compare with
  })
})

describe('file names as people read them', () => {
  test('base names are chained with " + "; full paths make the tooltip, one a line', () => {
    expect(filesLabel(['/data/a.bin', '/data/b.bin'])).toBe('a.bin + b.bin')
    expect(filesTitle(['/data/a.bin', '/data/b.bin'])).toBe('/data/a.bin\n/data/b.bin')
    expect(fileLabel('/data/a.bin')).toBe('a.bin')
  })

  test('a name that is not valid UTF-8 shows U+FFFD and the note once, however many such names', () => {
    expect(fileLabel('/data/odd-\udcff.bin')).toBe(shownWithNote('odd-\udcff.bin'))
    expect(filesLabel(['/d/odd-\udcff.bin'])).toBe(shownWithNote('odd-\udcff.bin'))
    expect(filesLabel(['/d/x-\udcfe.bin', '/d/y-\udcff.bin'])).toBe(shownWithNote('x-\udcfe.bin + y-\udcff.bin'))
    expect(filesTitle(['/d/odd-\udcff.bin'])).toBe(shownWithNote('/d/odd-\udcff.bin'))
  })
})
