import { describe, expect, test } from 'vitest'
import { machineText, modesText, rangeText, repeatsText } from '@renderer/sweep/sweepDescription'
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

  test('the machine', () => {
    expect(machineText(makeSweepRun().machine)).toBe('cpu ×2, 1 B RAM, Linux')
  })
})
