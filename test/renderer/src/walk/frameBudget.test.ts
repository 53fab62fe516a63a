/**
 * Slices of bounded time, on a fake clock: items are pulled one at a time, a slice ends once its
 * budget is spent, the event loop is given back in between, and a stop closes the source.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { applyInSlices } from '@renderer/walk/frameBudget'

let clock = 0
beforeEach(() => {
  clock = 0
  vi.spyOn(performance, 'now').mockImplementation(() => clock)
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** Items that cost 1 ms each to produce, made only when pulled; `made` counts them, `closed` says whether the source was closed. */
function costlyItems(count: number): { items: Generator<number>; made: () => number; closed: () => boolean } {
  let made = 0
  let closed = false
  function* produce(): Generator<number> {
    try {
      for (let i = 0; i < count; i++) {
        clock += 1
        made++
        yield i
      }
    } finally {
      closed = true
    }
  }
  return { items: produce(), made: () => made, closed: () => closed }
}

describe('applyInSlices', () => {
  test('pulls a generator lazily and ends each slice once its budget is spent, giving the event loop back', async () => {
    const source = costlyItems(10)
    const applied: number[] = []
    const slices: number[][] = []
    let sliceStart = 0
    const running = applyInSlices(source.items, (item) => applied.push(item), {
      budgetMs: 3,
      afterSlice: () => {
        slices.push(applied.slice(sliceStart))
        sliceStart = applied.length
      }
    })
    // The first slice ran before the call returned: three items made (3 ms), nothing pulled beyond.
    expect(source.made()).toBe(3)
    expect(slices).toEqual([[0, 1]])
    expect(await running).toBe(true)
    slices.push(applied.slice(sliceStart))
    expect(slices).toEqual([
      [0, 1],
      [2, 3, 4],
      [5, 6, 7],
      [8, 9]
    ])
  })

  test('an array within one budget is applied in one slice, with no yield', async () => {
    const applied: string[] = []
    let slices = 0
    expect(await applyInSlices(['a', 'b', 'c'], (item) => applied.push(item), { afterSlice: () => slices++ })).toBe(
      true
    )
    expect(applied).toEqual(['a', 'b', 'c'])
    expect(slices).toBe(0)
  })

  test('stops between slices when keepGoing turns false, and closes the generator', async () => {
    const source = costlyItems(10)
    const applied: number[] = []
    expect(
      await applyInSlices(source.items, (item) => applied.push(item), { budgetMs: 3, keepGoing: () => false })
    ).toBe(false)
    expect(applied).toEqual([0, 1])
    expect(source.made()).toBe(3)
    expect(source.closed()).toBe(true)
  })
})
