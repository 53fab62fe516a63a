import { describe, expect, test } from 'vitest'
import { formatDateTime } from '@shared/format'
import { chartCaption, machineText, modesText, rangeText, repeatsText } from '@renderer/sweep/sweepDescription'
import { makeSweepRun } from '../../../support/sweepRecords'

describe('a sweep in words', () => {
  test('modes, with eager when it was measured', () => {
    expect(modesText({ modes: ['lazyItem', 'lazyChunk', 'text'], eager: true })).toBe(
      'lazy per item, lazy per chunk, text lazy + eager'
    )
    expect(modesText({ modes: ['lazyChunk'], eager: false })).toBe('lazy per chunk')
  })

  test('the chunk range and how many sizes', () => {
    expect(rangeText({ chunkSizes: [1, 2, 4, 1024 * 1024] })).toBe('1 item – 1 Mi items, 4 sizes')
    expect(rangeText({ chunkSizes: [4096] })).toBe('4 Ki items')
  })

  test('repeats and cap, with plurals and the one duration format', () => {
    expect(repeatsText({ repeats: 1, timeCapMs: 50 })).toBe('1 run per point · cap 50 ms')
    expect(repeatsText({ repeats: 3, timeCapMs: 10_000 })).toBe('3 runs per point · cap 10 s')
  })

  test('the caption of an exported chart: title and file, settings, date and machine', () => {
    const run = makeSweepRun({ repeats: 2, timeCapMs: 250 })
    expect(machineText(run.machine)).toBe('cpu ×2, 1 B RAM, Linux')
    const caption = chartCaption(run, 'throughput')
    expect(caption.title).toBe('Throughput against chunk size — /d/data.bin')
    expect(caption.lines).toEqual([
      '1 MiB of float64 · lazy per item, lazy per chunk + eager · 1 item – 16 Ki items, 7 sizes · 2 runs per point · cap 250 ms · cache warm',
      `${formatDateTime(run.createdAt)} · cpu ×2, 1 B RAM, Linux · Yield Lab 1`
    ])
    expect(chartCaption(run, 'time').title).toBe('Time to read the whole file against chunk size — /d/data.bin')
  })
})
