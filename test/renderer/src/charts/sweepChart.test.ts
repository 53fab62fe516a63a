import { describe, expect, test } from 'vitest'
import {
  buildSweepChart,
  chartSummary,
  exportLegend,
  logTickLabel,
  tickLabel,
  tooltipLines,
  tooltipTitle,
  withAlpha,
  xTickValues,
  yAxisTop,
  type ChartTheme,
  type SweepDatum
} from '@renderer/charts/sweepChart'
import { makeSweepRun as makeRun } from '../../../support/sweepRecords'

const theme: ChartTheme = {
  text: '#111111',
  muted: '#555555',
  grid: '#dddddd',
  panel: '#ffffff',
  band: '#e3eafc',
  modes: { lazyItem: '#c77700', lazyChunk: '#2f5bd3', text: '#6b5bd3', eager: '#1c7c4a' }
}

describe('axes', () => {
  test('x: log scale over the chunk sizes, ticks at powers of two labelled in items and bytes', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'current', label: 'data.bin', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const x = chart.options.scales!['x']!
    expect(x.type).toBe('logarithmic')
    expect(chart.xRange.min).toBeLessThan(1)
    expect(chart.xRange.max).toBeGreaterThan(16384)
    expect(chart.xTicks).toEqual([1, 4, 16, 64, 256, 1024, 4096, 16384])
    const callback = (x.ticks as { callback: (value: number) => unknown }).callback
    expect(callback(1024)).toEqual(['1 Ki items', '8 KiB'])
    expect(callback(1)).toEqual(['1 item', '8 B'])
    expect((x as { title: { text: string } }).title.text).toContain('items of float64 · bytes')
    const axis = { ticks: [] as { value: number }[] }
    ;(x as unknown as { afterBuildTicks: (a: typeof axis) => void }).afterBuildTicks(axis)
    expect(axis.ticks.map((t) => t.value)).toEqual(chart.xTicks)
  })

  test('tick helpers', () => {
    expect(xTickValues(1, 1024 * 1024)).toEqual([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576])
    expect(xTickValues(1, 64)).toEqual([1, 2, 4, 8, 16, 32, 64])
    expect(xTickValues(3, 20)).toEqual([4, 8, 16])
    expect(tickLabel(1024 * 1024, 4)).toEqual(['1 Mi items', '4 MiB'])
    expect(logTickLabel(1000)).toBe('1,000')
    expect(logTickLabel(20)).toBe('20')
    expect(logTickLabel(0.5)).toBe('0.5')
    expect(logTickLabel(30)).toBe('')
    expect(withAlpha('#2f5bd3', 0.5)).toBe('rgba(47, 91, 211, 0.5)')
    expect(withAlpha('#fff', 1)).toBe('rgba(255, 255, 255, 1)')
    expect(withAlpha('rgb(1, 2, 3)', 0.2)).toBe('rgba(1, 2, 3, 0.2)')
  })

  test('y: MB/s, log by option; the time view plots seconds per file', () => {
    const run = makeRun()
    const log = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run, primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(log.options.scales!['y']!.type).toBe('logarithmic')
    expect((log.options.scales!['y'] as { title: { text: string } }).title.text).toContain('MB/s')
    const linear = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run, primary: true }],
      view: 'time',
      yLog: false,
      theme
    })
    expect(linear.options.scales!['y']!.type).toBe('linear')
    expect((linear.options.scales!['y'] as { title: { text: string } }).title.text).toContain(
      'time to read the whole file, s (1 MiB file)'
    )
    const median = linear.data.datasets.find((d) => d.key === 'c/lazyChunk/median')!
    const at1024 = median.data.find((d) => d.x === 1024)!
    // Median of 1024 × (1, 1.1, 1.2) MB/s is 1126.4 MB/s: 1 MiB takes 1048576 / 1126.4e6 s.
    expect(at1024.y).toBeCloseTo(1048576 / 1126.4e6, 12)
  })
})

describe('y axis headroom', () => {
  /** Where the highest mark sits on the y axis once its callback has set the limits: 0 at the base, 1 at the top. */
  function highestMarkPosition(yLog: boolean, view: 'throughput' | 'time'): { position: number; base: number } {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'data.bin', run: makeRun(), primary: true }],
      view,
      yLog,
      theme
    })
    const ys = chart.data.datasets.flatMap((dataset) => dataset.data.map((datum) => datum.y))
    const highest = Math.max(...ys)
    // The limits Chart.js finds in the data: from the lowest value on a log axis, from zero on a linear one.
    const axis = { min: yLog ? Math.min(...ys) : 0, max: highest }
    const y = chart.options.scales!['y'] as { afterDataLimits?: (scale: typeof axis) => void }
    y.afterDataLimits?.(axis)
    const position = yLog
      ? Math.log(highest / axis.min) / Math.log(axis.max / axis.min)
      : (highest - axis.min) / (axis.max - axis.min)
    return { position, base: axis.min }
  }

  test('the highest mark sits below the top edge of a log axis, not on it', () => {
    const { position } = highestMarkPosition(true, 'throughput')
    expect(1 - position).toBeGreaterThanOrEqual(0.05)
    expect(1 - position).toBeLessThan(0.1)
  })

  test('a linear axis keeps zero as its base and leaves room above the highest mark', () => {
    for (const view of ['throughput', 'time'] as const) {
      const { position, base } = highestMarkPosition(false, view)
      expect(base).toBe(0)
      expect(1 - position).toBeGreaterThanOrEqual(0.05)
      expect(1 - position).toBeLessThan(0.1)
    }
  })

  test('limits with no range to pad are kept as they are', () => {
    expect(yAxisTop(5, 5, true)).toBe(5)
    expect(yAxisTop(0, 5, true)).toBe(5)
    expect(yAxisTop(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, false)).toBe(Number.NEGATIVE_INFINITY)
  })
})

describe('datasets', () => {
  test('per mode: a median line over a min–max band (upper edge filled down to the lower), and the eager reference line', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'data.bin', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const datasets = chart.data.datasets
    expect(datasets.map((d) => d.key)).toEqual([
      'c/lazyItem/low',
      'c/lazyItem/high',
      'c/lazyItem/median',
      'c/lazyChunk/low',
      'c/lazyChunk/high',
      'c/lazyChunk/median',
      'c/eager/low',
      'c/eager/high',
      'c/eager'
    ])
    const [low, high, median] = datasets
    expect(high!.fill).toEqual({ target: 0 })
    expect(datasets[4]!.fill).toEqual({ target: 3 })
    expect(median!.data.map((d) => d.x)).toEqual([1, 2, 4, 8, 1024, 2048, 16384])
    // MB/s per repeat is chunk × 1, 1.1, 1.2: median 1.1 × chunk, min 1 ×, max 1.2 ×.
    expect(median!.data.map((d) => d.y)).toEqual([1, 2, 4, 8, 1024, 2048, 16384].map((c) => expect.closeTo(c * 1.1, 9)))
    expect(low!.data.map((d) => d.y)).toEqual([1, 2, 4, 8, 1024, 2048, 16384].map((c) => expect.closeTo(c, 9)))
    expect(high!.data.map((d) => d.y)).toEqual([1, 2, 4, 8, 1024, 2048, 16384].map((c) => expect.closeTo(c * 1.2, 9)))
    expect(median!.label).toBe('lazy per item')
    expect(median!.borderColor).toBe(theme.modes.lazyItem)
    expect(high!.backgroundColor).toBe('rgba(199, 119, 0, 0.18)')
    const eager = datasets.find((d) => d.role === 'eager')!
    expect(new Set(eager.data.map((d) => d.y))).toEqual(new Set([5000]))
    expect(eager.data.map((d) => d.x)).toEqual([1, 2, 4, 8, 1024, 2048, 16384])
    expect(eager.borderDash).toEqual([8, 5])
  })

  test('eager’s repeats are a min–max band across the width, drawn like the other modes’', () => {
    const run = makeRun()
    // Eager's three repeats at 4000, 5000 and 6500 MB/s.
    const rates = [4000, 5000, 6500]
    for (const m of run.measurements) if (m.mode === 'eager') m.elapsedMs = m.bytesRead / 1e3 / rates[m.repeat]!
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run, primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const datasets = chart.data.datasets
    const low = datasets.find((d) => d.key === 'c/eager/low')!
    const high = datasets.find((d) => d.key === 'c/eager/high')!
    const line = datasets.find((d) => d.key === 'c/eager')!
    expect(new Set(low.data.map((d) => d.y))).toEqual(new Set([expect.closeTo(4000, 6)]))
    expect(new Set(high.data.map((d) => d.y))).toEqual(new Set([expect.closeTo(6500, 6)]))
    expect(new Set(line.data.map((d) => d.y))).toEqual(new Set([expect.closeTo(5000, 6)]))
    expect(high.data.map((d) => d.x)).toEqual(line.data.map((d) => d.x))
    expect(high.fill).toEqual({ target: datasets.indexOf(low) })
    expect(high.backgroundColor).toBe('rgba(28, 124, 74, 0.12)')
    expect([low.role, high.role]).toEqual(['bandLow', 'bandHigh'])
    // Hiding eager hides its band with it.
    const hidden = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run, primary: true }],
      view: 'throughput',
      yLog: true,
      theme,
      hiddenModes: ['eager']
    })
    expect(hidden.data.datasets.filter((d) => d.mode === 'eager').map((d) => d.hidden)).toEqual([true, true, true])
  })

  test('capped points are hollow, and the legend says what hollow means', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const median = chart.data.datasets.find((d) => d.key === 'c/lazyChunk/median')!
    expect(median.pointBackgroundColor).toEqual([
      theme.panel,
      theme.panel,
      theme.modes.lazyChunk,
      theme.modes.lazyChunk,
      theme.modes.lazyChunk,
      theme.modes.lazyChunk,
      theme.modes.lazyChunk
    ])
    expect(chart.hasCapped).toBe(true)
    expect(chart.legend.find((e) => e.key === 'capped')).toMatchObject({
      label: 'hollow: time-capped, extrapolated',
      sample: 'hollow'
    })
    const uncapped = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ chunkSizes: [64, 128] }), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(uncapped.hasCapped).toBe(false)
    expect(uncapped.legend.some((e) => e.key === 'capped')).toBe(false)
  })

  test('the 10–100 kB band in items of the file’s dtype', () => {
    const float64 = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(float64.sweetSpot).toMatchObject({ from: 1250, to: 12500, color: theme.band })
    expect(float64.options.plugins!.sweetSpot).toEqual(float64.sweetSpot)
    const int32 = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ dtype: 'int32' }), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(int32.sweetSpot).toMatchObject({ from: 2500, to: 25000 })
    expect(tickLabel(2048, 4)).toEqual(['2 Ki items', '8 KiB'])
  })

  test('overlays: dashed, own point shapes, labelled with the run, x in the primary run’s items', () => {
    const primary = makeRun({ chunkSizes: [64, 128] })
    const other = makeRun({ chunkSizes: [64, 128], dtype: 'int32', label: 'colleague.bin', eager: false })
    const chart = buildSweepChart({
      runs: [
        { key: 'sweep-b', label: 'colleague.bin · Jan 1', run: other, primary: false },
        { key: 'current', label: 'data.bin', run: primary, primary: true }
      ],
      view: 'throughput',
      yLog: true,
      theme
    })
    const medians = chart.data.datasets.filter((d) => d.role === 'median')
    expect(medians.map((d) => d.label)).toEqual([
      'lazy per item',
      'lazy per chunk',
      'lazy per item — colleague.bin · Jan 1',
      'lazy per chunk — colleague.bin · Jan 1'
    ])
    expect(medians[0]!.borderDash).toEqual([])
    expect(medians[2]!.borderDash).toEqual([6, 4])
    expect(medians[2]!.pointStyle).toBe('rectRot')
    // 64 int32 items are 256 bytes: 32 float64 items on the primary run's axis.
    expect(medians[2]!.data.map((d) => d.x)).toEqual([32, 64])
    expect(new Set(chart.data.datasets.map((d) => d.key)).size).toBe(chart.data.datasets.length)
  })

  test('the legend: one entry per run in its line style, then what eager, hollow points and the band mean', () => {
    const run = makeRun()
    const chart = buildSweepChart({
      runs: [
        { key: 'sweep-b', label: 'colleague.bin · Jan 1', run, primary: false },
        { key: 'current', label: 'data.bin', run, primary: true },
        { key: 'sweep-c', label: 'older.bin · Jan 2', run, primary: false }
      ],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(chart.options.plugins!.legend).toEqual({ display: false })
    expect(chart.legend.map((e) => [e.label, e.sample, e.dash, e.pointStyle])).toEqual([
      ['data.bin', 'line', [], 'circle'],
      ['colleague.bin · Jan 1 (overlay)', 'line', [6, 4], 'rectRot'],
      ['older.bin · Jan 2 (overlay)', 'line', [2, 3], 'triangle'],
      ['eager: whole file', 'line', [8, 5], null],
      ['hollow: time-capped, extrapolated', 'hollow', [], 'circle'],
      ['shaded: min–max of the repeats', 'band', [], null]
    ])
    // Each run's entry draws as its median lines do.
    const colleague = chart.data.datasets.find((d) => d.key === 'sweep-b/lazyItem/median')!
    expect([colleague.borderDash, colleague.pointStyle]).toEqual([[6, 4], 'rectRot'])
    expect(chart.legend.find((e) => e.key === 'eager')!.color).toBe(theme.modes.eager)
    const bare = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ chunkSizes: [64, 128], eager: false }), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(bare.legend.map((e) => e.key)).toEqual(['run/c', 'band'])
    // One run per point: no band to explain.
    const single = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ chunkSizes: [64, 128], repeats: 1 }), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    expect(single.legend.map((e) => e.key)).toEqual(['run/c', 'eager'])
  })

  test('hidden modes stay in the data, hidden, so they can be turned back on', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme,
      hiddenModes: ['lazyItem']
    })
    expect(chart.data.datasets.filter((d) => d.mode === 'lazyItem').every((d) => d.hidden === true)).toBe(true)
    expect(chart.data.datasets.filter((d) => d.mode === 'lazyChunk').every((d) => d.hidden === false)).toBe(true)
  })
})

describe('the exported image', () => {
  test('its legend names the colour of each mode drawn, then what the lines and marks mean', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'data.bin', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme,
      hiddenModes: ['lazyItem']
    })
    expect(exportLegend(chart, theme).map((e) => [e.label, e.color])).toEqual([
      ['lazy per chunk', theme.modes.lazyChunk],
      ['data.bin', theme.text],
      ['eager: whole file', theme.modes.eager],
      ['hollow: time-capped, extrapolated', theme.muted],
      ['shaded: min–max of the repeats', theme.muted]
    ])
    const noEager = buildSweepChart({
      runs: [{ key: 'c', label: 'data.bin', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme,
      hiddenModes: ['eager']
    })
    expect(exportLegend(noEager, theme).map((e) => e.label)).toEqual([
      'lazy per item',
      'lazy per chunk',
      'data.bin',
      'hollow: time-capped, extrapolated',
      'shaded: min–max of the repeats'
    ])
  })
})

describe('tooltips and text alternative', () => {
  test('exact numbers, the spread, and what was extrapolated', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun(), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const median = chart.data.datasets.find((d) => d.key === 'c/lazyItem/median')!
    const capped = median.data[0] as SweepDatum
    expect(tooltipTitle(capped)).toBe('chunk 1 item · 8 B')
    const lines = tooltipLines(capped, 'throughput')
    expect(lines[0]).toBe('lazy per item: 1.1 MB/s median of 3 runs (min 1 MB/s, max 1.2 MB/s)')
    expect(lines[1]).toBe('953 ms median of 3 runs (min 874 ms, max 1.05 s) per file of 1 MiB')
    expect(lines[2]).toBe('3 of 3 runs hit the time cap: extrapolated from a 1 KiB prefix (median)')
    const big = median.data.at(-1)!
    expect(tooltipLines(big, 'time')[0]).toBe(
      'lazy per item: 0.0582 ms median of 3 runs (min 0.0533 ms, max 0.064 ms) per file of 1 MiB'
    )
    expect(tooltipLines(big, 'time')).toHaveLength(2)
    const tooltip = chart.options.plugins!.tooltip!
    const filter = tooltip.filter as unknown as (item: { dataset: { role: string } }) => boolean
    expect(filter({ dataset: { role: 'bandHigh' } })).toBe(false)
    expect(filter({ dataset: { role: 'median' } })).toBe(true)
    expect(chartSummary(chart, 'throughput')).toBe(
      'lazy per item: best 18,022 MB/s at 16 Ki items; lazy per chunk: best 18,022 MB/s at 16 Ki items.'
    )
    const time = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ chunkSizes: [1, 2] }), primary: true }],
      view: 'time',
      yLog: true,
      theme
    })
    expect(chartSummary(time, 'time')).toBe(
      'lazy per item: best 477 ms per file at 2 items; lazy per chunk: best 477 ms per file at 2 items.'
    )
  })

  test('a point of one run shows its one value, not a min and max', () => {
    const chart = buildSweepChart({
      runs: [{ key: 'c', label: 'x', run: makeRun({ repeats: 1 }), primary: true }],
      view: 'throughput',
      yLog: true,
      theme
    })
    const median = chart.data.datasets.find((d) => d.key === 'c/lazyChunk/median')!
    const point = median.data.find((d) => d.point.chunkItems === 1024)!
    expect(tooltipLines(point, 'throughput')).toEqual([
      'lazy per chunk: 1,024 MB/s (1 run)',
      '1.02 ms (1 run) per file of 1 MiB'
    ])
    expect(tooltipLines(point, 'time')[0]).toBe('lazy per chunk: 1.02 ms (1 run) per file of 1 MiB')
    const capped = median.data[0]!
    expect(tooltipLines(capped, 'throughput')[2]).toBe(
      '1 of 1 run hit the time cap: extrapolated from a 1 KiB prefix (median)'
    )
  })

  test('no runs: an empty chart over the default range', () => {
    const chart = buildSweepChart({ runs: [], view: 'throughput', yLog: true, theme })
    expect(chart.data.datasets).toEqual([])
    expect(chart.xTicks[0]).toBe(1)
    expect(chart.xTicks.at(-1)).toBe(1024 * 1024)
    expect(chartSummary(chart, 'throughput')).toBe('No measurements yet.')
  })
})
