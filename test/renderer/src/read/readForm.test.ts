import { describe, expect, test } from 'vitest'
import {
  checkChunkItems,
  checkMemoryLimitMiB,
  checkSampleMiB,
  checkSampleName,
  checkSeed,
  chunkAdvice,
  chunkPresets,
  defaultSampleName
} from '@renderer/read/readForm'
import { datasetKey, sumsAgree, viewRows } from '@renderer/read/readResults'
import { formatRate, formatSlowdown, formatSum } from '@shared/format'
import { baseName } from '@shared/paths'
import { sparklinePoints } from '@renderer/charts/sparkline'
import { resultRow } from '../../../support/readRows'

const row = resultRow

describe('chunk sizes', () => {
  test('whole numbers of items from 1 to 1 GiB worth, with a message naming the problem', () => {
    expect(checkChunkItems(8192, 'float64')).toEqual({ ok: true, value: 8192 })
    expect(checkChunkItems('16', 'float64')).toEqual({ ok: true, value: 16 })
    const rule = 'Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64), got'
    expect(checkChunkItems(0, 'float64')).toEqual({ ok: false, message: `${rule} 0` })
    expect(checkChunkItems(-3, 'float64')).toEqual({ ok: false, message: `${rule} -3` })
    expect(checkChunkItems(2.5, 'float64')).toEqual({ ok: false, message: `${rule} 2.5` })
    expect(checkChunkItems('', 'float64')).toEqual({ ok: false, message: `${rule} ""` })
    expect(checkChunkItems(2 ** 27 + 1, 'float64')).toEqual({ ok: false, message: `${rule} 134217729` })
    expect(checkChunkItems(2 ** 28, 'int32')).toEqual({ ok: true, value: 2 ** 28 })
  })

  test('advice follows the lecture: under 1 KiB is tiny, 10–100 KB the sweet spot', () => {
    expect(chunkAdvice(8)).toBe('tiny')
    expect(chunkAdvice(1023)).toBe('tiny')
    expect(chunkAdvice(1024)).toBe('small')
    expect(chunkAdvice(64 * 1024)).toBe('sweet')
    expect(chunkAdvice(1024 * 1024)).toBe('large')
    expect(chunkPresets('float32').map((p) => p.items)).toEqual([1, 256, 16384, 262144])
  })
})

describe('sample data form', () => {
  test('sizes, names and limits', () => {
    expect(checkSampleMiB(1)).toEqual({ ok: true, value: 1048576 })
    expect(checkSampleMiB(1.3)).toEqual({ ok: true, value: Math.floor((1.3 * 1048576) / 8) * 8 })
    expect(checkSampleMiB(0.5).ok).toBe(false)
    expect(checkSampleMiB(65537).ok).toBe(false)
    expect(defaultSampleName(1048576, 0)).toBe('sample-1MiB-seed0')
    expect(defaultSampleName(64 * 1048576, 42)).toBe('sample-64MiB-seed42')
    expect(checkSampleName('ok-name_1.x').ok).toBe(true)
    expect(checkSampleName('../up').ok).toBe(false)
    expect(checkSampleName('.hidden').ok).toBe(false)
    expect(checkSampleName('a/b').ok).toBe(false)
    // A seed too big to be exact says where the limit is, not only what a seed is.
    expect(checkSeed('9007199254740991')).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER })
    expect(checkSeed('99999999999999999999')).toEqual({
      ok: false,
      message: 'Seed must be a whole number from 0 to 9,007,199,254,740,991 (2^53 − 1).'
    })
    expect(checkMemoryLimitMiB(2)).toEqual({ ok: true, value: 2 * 1048576 })
    expect(checkMemoryLimitMiB(-1).ok).toBe(false)
    expect(baseName('/a/b/c.bin')).toBe('c.bin')
    expect(baseName('C:\\data\\x.txt')).toBe('x.txt')
  })
})

describe('results', () => {
  test('sums agree to a relative 1e-9 (summation order), not beyond', () => {
    expect(sumsAgree(65485.57042319, 65485.57042319 * (1 + 5e-10))).toBe(true)
    expect(sumsAgree(65485.57042319, 65485.57042319 * (1 + 5e-9))).toBe(false)
    expect(sumsAgree(0, 0)).toBe(true)
    expect(sumsAgree(NaN, NaN)).toBe(true)
    expect(sumsAgree(1, NaN)).toBe(false)
  })

  test('a sample file and its text twin are the same data; other files and dtypes are not', () => {
    expect(datasetKey('/d/s.bin', 'eager', 'float64')).toBe(datasetKey('/d/s.txt', 'text', 'int32'))
    expect(datasetKey('/d/s.bin', 'eager', 'float64')).not.toBe(datasetKey('/d/s.bin', 'eager', 'float32'))
    expect(datasetKey('/d/s.bin', 'eager', 'float64')).not.toBe(datasetKey('/d/t.bin', 'eager', 'float64'))
  })

  test('each run is marked against the first run on its data, or the known sum', () => {
    const rows = [
      row(1, { mode: 'eager', chunkItems: null, elapsedMs: 5 }),
      row(2, { mode: 'lazyItem', chunkItems: 1, sum: 1000.5 * (1 + 1e-12), elapsedMs: 500 }),
      row(3, { paths: ['/d/sample.txt'], mode: 'text', sum: 1000.6 }),
      row(4, { paths: ['/d/other.bin'] }),
      row(5, { count: 1999 })
    ]
    const views = viewRows(rows)
    expect(views.map((v) => v.agreement.status)).toEqual(['agrees', 'agrees', 'differs', 'alone', 'differs'])
    expect(views[2]!.agreement).toMatchObject({
      against: 'run 1',
      detail: expect.stringContaining('1,000.6 ≠ 1,000.5')
    })
    expect(views[4]!.agreement).toMatchObject({ detail: 'count 1999 ≠ 2000' })
    // Against nan there is no relative difference to give.
    expect(viewRows([row(1, {}), row(2, { sum: NaN })])[1]!.agreement).toMatchObject({ detail: 'sum nan ≠ 1,000.5' })
    expect(views[1]!.slowdown).toBe(100)
    expect(views[0]!.slowdown).toBe(1)
    expect(views[3]!.slowdown).toBeNull()
    expect(views[0]!.memoryCost).toBe(50)

    const known = new Map([[datasetKey('/d/other.bin', 'lazyChunk', 'float64'), { sum: 1000.5, count: 2000 }]])
    expect(viewRows([row(1, { paths: ['/d/other.bin'] })], known)[0]!.agreement).toEqual({
      status: 'agrees',
      against: 'the sum written in the sidecar'
    })
  })

  test('formats sums, rates and slowdowns for people', () => {
    expect(formatSum(65485.57042319123)).toBe('65,485.57042319')
    expect(formatSum(-0.125)).toBe('-0.125')
    expect(formatSum(0)).toBe('0')
    expect(formatSum(1e20)).toBe('1.000000000000e+20')
    expect([NaN, Infinity, -Infinity].map(formatSum)).toEqual(['nan', 'inf', '-inf'])
    expect(formatRate(1234.5)).toBe('1,235 MB/s')
    expect(formatRate(3.21)).toBe('3.2 MB/s')
    expect(formatRate(0)).toBe('—')
    expect(formatSlowdown(1)).toBe('1.0×')
    expect(formatSlowdown(97.4)).toBe('97×')
  })

  test('sparkline points span the box', () => {
    expect(sparklinePoints([], 100, 20)).toBe('')
    expect(sparklinePoints([5], 100, 20)).toBe('50.0,10.0')
    expect(sparklinePoints([1, 3, 2], 100, 20)).toBe('2.0,18.0 50.0,2.0 98.0,10.0')
  })
})
