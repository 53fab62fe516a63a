/**
 * Past runs: each row says which file was swept and how (modes, chunk range, repeats, cap), so
 * two sweeps of the same file tell apart.
 */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, test } from 'vitest'
import type { SweepRun } from '@shared/sweep'
import SweepHistory from '@renderer/components/sweep/SweepHistory.vue'
import { useSweepStore } from '@renderer/stores/sweep'
import { installInProcessLab } from '../../../../support/inProcessLab'
import { makeSweepRun } from '../../../../support/sweepRecords'

beforeEach(() => {
  installInProcessLab()
  setActivePinia(createPinia())
})

function inHistory(id: string, options: Parameters<typeof makeSweepRun>[0]): SweepRun {
  return { ...makeSweepRun(options), id }
}

describe('past runs', () => {
  test('rows show the file, modes, chunk range, repeats and cap', async () => {
    const store = useSweepStore()
    store.history = [
      inHistory('sweep-20250101T000000Z-aaaaaa', { repeats: 1, timeCapMs: 50, chunkSizes: [1, 2, 4] }),
      inHistory('sweep-20250101T000100Z-bbbbbb', {
        repeats: 3,
        timeCapMs: 1000,
        modes: ['lazyChunk'],
        eager: false,
        label: 'colleague'
      })
    ]
    const wrapper = mount(SweepHistory)
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="sweep-history"] tbody tr')
    expect(rows).toHaveLength(2)
    /** The lines of each cell of a row. */
    const cells = (row: number): string[][] =>
      rows[row]!.findAll('td').map((cell) => cell.findAll('div').map((line) => line.text().replace(/\s+/g, ' ')))
    expect(cells(0)[2]).toEqual(['data.bin', '1 MiB float64'])
    expect(rows[0]!.find('td:nth-child(3) .path').attributes('title')).toBe('/d/data.bin')
    expect(cells(0)[3]).toEqual([
      'lazy per item, lazy per chunk + eager',
      '1 item – 4 items, 3 sizes',
      '1 run per point · cap 50 ms · cache warm'
    ])
    expect(cells(1)[3]).toEqual([
      'lazy per chunk',
      '1 item – 16 Ki items, 7 sizes',
      '3 runs per point · cap 1 s · cache warm'
    ])
    // A label of its own (not the file's name) is shown under the date.
    expect(cells(1)[1]).toHaveLength(2)
    expect(cells(1)[1]![1]).toBe('colleague')
    expect(cells(0)[1]).toHaveLength(1)
    expect(cells(0)[5]).toEqual(['7 / 7', 'complete'])
  })
})

describe('files in the sweeps folder that are not runs', () => {
  test('the heading fits a file that cannot be read as well as one that is not a run', async () => {
    const store = useSweepStore()
    store.historyProblems = [
      { file: 'sweep-a.json', message: 'permission denied' },
      { file: 'sweep-b.json', message: 'not a Yield Lab sweep' }
    ]
    const wrapper = mount(SweepHistory)
    await flushPromises()
    const problems = wrapper.find('details.problems')
    expect(problems.find('summary').text().replace(/\s+/g, ' ')).toBe(
      '2 files in the sweeps folder could not be read as runs (left untouched)'
    )
    expect(problems.findAll('li').map((item) => item.text())).toEqual([
      'sweep-a.json: permission denied',
      'sweep-b.json: not a Yield Lab sweep'
    ])
  })
})
