import { describe, expect, test } from 'vitest'
import { buildRunsChart, type RunsChartTheme } from '@renderer/charts/readRunsChart'
import { viewRows } from '@renderer/read/readResults'
import { resultRow as row } from '../../../support/readRows'

const theme: RunsChartTheme = {
  text: '#111',
  muted: '#555',
  grid: '#ddd',
  modes: { eager: 'green', lazyItem: 'orange', lazyChunk: 'blue', text: 'purple' }
}
const MIB = 1024 * 1024

describe('buildRunsChart', () => {
  const views = viewRows([
    row(1, { mode: 'eager', mbPerSecond: 500, startRssBytes: 150 * MIB, peakRssBytes: 300 * MIB }),
    row(2, { outcome: 'cancelled', mbPerSecond: 9 }),
    row(3, { mode: 'lazyItem', mbPerSecond: 12.5, startRssBytes: 60 * MIB, peakRssBytes: 80 * MIB })
  ])

  test('one bar per finished run in its mode’s colour: MB/s', () => {
    const chart = buildRunsChart(views, 'rate', theme)
    expect(chart.data.labels).toEqual(['#1', '#3'])
    expect(chart.data.datasets[0]!.data).toEqual([500, 12.5])
    expect(chart.data.datasets[0]!.backgroundColor).toEqual(['green', 'orange'])
    expect(chart.summary).toBe('MB/s: run 1 (Eager) 500 MB/s, run 3 (Lazy per item) 12.5 MB/s.')
  })

  test('peak RSS in MiB, stacked: the RSS at the start in grey, what the run added in its mode’s colour', () => {
    const chart = buildRunsChart(views, 'peakRss', theme)
    const [start, added] = chart.data.datasets
    expect(start!.data).toEqual([150, 60])
    expect(start!.backgroundColor).toBe('#ddd')
    expect(added!.data).toEqual([150, 20])
    expect(added!.backgroundColor).toEqual(['green', 'orange'])
    expect(chart.options.scales!['y']).toMatchObject({ stacked: true })
    expect(chart.summary).toBe(
      'Peak RSS (MiB): run 1 (Eager) 300 MiB (+150 MiB), run 3 (Lazy per item) 80.0 MiB (+20.0 MiB).'
    )
  })

  test('no finished runs: an empty chart that says so', () => {
    expect(buildRunsChart([], 'rate', theme).summary).toBe('MB/s: no finished runs yet.')
  })
})
