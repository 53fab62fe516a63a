import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { sortInSteps } from '@renderer/walk/sortInSteps'

/** Runs a stepped sort to its end; returns how many times it yielded. */
function stepsOf<T>(list: T[], compare: (a: T, b: T) => number): number {
  let steps = 0
  for (const _ of sortInSteps(list, compare)) steps++
  return steps
}

describe('sortInSteps', () => {
  test('gives what Array.prototype.sort gives, equal elements in their order (property)', () => {
    // Few distinct keys, so most elements tie with others; lengths up to several runs of 1,024.
    // The list comes from a length and a seed, so a failure shrinks fast.
    const byKey = (a: [number, number], b: [number, number]): number => a[0] - b[0]
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (length, seed) => {
        let state = seed
        const list = Array.from({ length }, (_, at): [number, number] => {
          state = (state * 48271) % 2147483647
          return [state % 21, at]
        })
        const expected = list.slice().sort(byKey)
        stepsOf(list, byKey)
        expect(list).toEqual(expected)
      }),
      { numRuns: 60 }
    )
  })

  test('yields between steps, more often the longer the list', () => {
    const descending = (a: number, b: number): number => b - a
    const short = Array.from({ length: 1000 }, (_, i) => i)
    const long = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000)
    const shortSteps = stepsOf(short, descending)
    const longSteps = stepsOf(long, descending)
    expect(short[0]).toBe(999)
    expect(long.every((value, at) => value === 99_999 - at)).toBe(true)
    expect(shortSteps).toBeGreaterThanOrEqual(1)
    // 98 runs of 1,024 sorted one a step, then seven merges of 100,000 in steps of 4,096 comparisons.
    expect(longSteps).toBeGreaterThan(98 + 100)
  })
})
