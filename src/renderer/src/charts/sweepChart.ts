/**
 * Sweep data → Chart.js: datasets, axes and options for the Benchmark tab's chart, as a pure
 * function of the runs to draw, the view and the theme's colours (read from CSS variables by the
 * component, so light and dark both look right). Unit-tested without a canvas.
 *
 * For every run and mode: a median line (hollow points where a run was time-capped and its time
 * per file extrapolated), and a min–max band drawn as two edge datasets, the upper one filled down
 * to the lower. Eager is a dashed horizontal reference line over its own min–max band. The x
 * axis is the chunk size on a log-2 scale, ticks labelled in items and bytes; the lecture's
 * 10–100 kB advice is a shaded band (drawn by sweetSpotPlugin). Overlaid past runs are dashed, with their own point shapes.
 */
import type { Chart, ChartDataset, ChartOptions, ChartType, Plugin, TooltipItem } from 'chart.js'
import { itemBytes, type Dtype } from '@shared/dataFiles'
import { formatBinaryBytes, formatDuration, formatItems, formatSignificant, plural } from '@shared/format'
import { modeLabels, type MeasuredMode, type SweepRunDraft } from '@shared/sweep'
import { summarize, sweetSpotItems, type Spread, type SweepPoint } from '@shared/sweepMaths'

export type SweepChartView = 'throughput' | 'time'

export interface ChartTheme {
  text: string
  muted: string
  grid: string
  /** Chart background (also the fill of hollow points). */
  panel: string
  /** Fill of the 10–100 kB band. */
  band: string
  modes: Record<MeasuredMode, string>
}

export interface ChartRun {
  /** Unique among the runs drawn (a history id, or 'current'). */
  key: string
  label: string
  run: Pick<SweepRunDraft, 'file' | 'config' | 'measurements'>
  /** The run being measured or looked at (solid); others are overlays (dashed). */
  primary: boolean
}

export interface SweepChartInput {
  runs: readonly ChartRun[]
  view: SweepChartView
  yLog: boolean
  theme: ChartTheme
  /** Modes switched off by the user (their datasets stay, hidden, so they can be turned back on). */
  hiddenModes?: readonly MeasuredMode[]
}

/** One point as Chart.js gets it: x = chunk size in items of the x axis' dtype, y = MB/s or seconds. */
export interface SweepDatum {
  x: number
  y: number
  point: SweepPoint
  runLabel: string
  primary: boolean
  /** Bytes per item of the run's file, for the tooltip. */
  itemBytes: number
}

export type DatasetRole = 'median' | 'bandLow' | 'bandHigh' | 'eager'

export type SweepDataset = ChartDataset<'line', SweepDatum[]> & {
  /** Unique id (vue-chartjs matches datasets across updates by it). */
  key: string
  role: DatasetRole
  mode: MeasuredMode | null
}

export interface SweetSpotOptions {
  /** The band in x units (items of the axis' dtype). */
  from: number
  to: number
  color: string
  textColor: string
  label: string
  /** Where the label goes: away from where the data usually is (high MB/s, low times at large chunks). */
  labelAt: 'top' | 'bottom'
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    sweetSpot?: SweetSpotOptions | false
    sweepBackground?: { color: string } | false
  }
}

export interface SweepChart {
  data: { datasets: SweepDataset[] }
  options: ChartOptions<'line'>
  /** Tick values of the x axis (powers of two). */
  xTicks: number[]
  xRange: { min: number; max: number }
  sweetSpot: SweetSpotOptions
  /** Any point drawn hollow (a capped run). */
  hasCapped: boolean
  /** What the lines and marks mean (the modes' colours are the toolbar's). */
  legend: LegendEntry[]
}

/** One entry of the legend: a run's line style, the eager line, hollow points, the band. */
export interface LegendEntry {
  key: string
  label: string
  /** How its sample is drawn. */
  sample: 'line' | 'hollow' | 'band'
  color: string
  dash: number[]
  pointStyle: string | null
}

const overlayDashes = [
  [6, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 4]
]
const overlayPointStyles = ['rectRot', 'triangle', 'rect', 'crossRot'] as const

/** "#2f5bd3" or "rgb(…)" with an alpha. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d).join('') : hex[1]!
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16))
    return `rgba(${r}, ${g}, ${b}, ${alpha})`
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim())
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`
  return color
}

/** Powers of two inside [min, max], every `stride` doublings so that at most ~12 are labelled. */
export function xTickValues(min: number, max: number, maxTicks = 12): number[] {
  const first = Math.ceil(Math.log2(min) - 1e-9)
  const last = Math.floor(Math.log2(max) + 1e-9)
  const count = last - first + 1
  if (count <= 0) return []
  const stride = Math.max(1, Math.ceil(count / maxTicks))
  const ticks: number[] = []
  // Anchor on multiples of the stride so ticks stay put as the range grows.
  for (let e = Math.ceil(first / stride) * stride; e <= last; e += stride) ticks.push(2 ** e)
  return ticks
}

/** Two-line tick label: items, then bytes ("1 Ki items", "8 KiB"). */
export function tickLabel(items: number, itemBytes: number): [string, string] {
  return [formatItems(items), formatBinaryBytes(items * itemBytes)]
}

/** The y axis' tick labels: 1, 2 and 5 times powers of ten on a log axis (others left blank). */
export function logTickLabel(value: number): string {
  if (!(value > 0)) return ''
  const lead = value / 10 ** Math.floor(Math.log10(value) + 1e-12)
  return [1, 2, 5].some((d) => Math.abs(lead - d) < 1e-6) ? formatSignificant(value, 3) : ''
}

/** The share of the y axis' height left above the highest mark, so its point and line are not cut by the top edge. */
export const Y_HEADROOM = 0.06

/**
 * The top of the y axis for data from `min` to `max`: `max` raised so that it sits `Y_HEADROOM` of
 * the axis' height below the top, on a log axis as on a linear one (Chart.js' `grace` only pads a
 * linear axis). Chart.js then rounds it up to its next tick. Limits it cannot pad are kept.
 */
export function yAxisTop(min: number, max: number, log: boolean): number {
  const share = Y_HEADROOM / (1 - Y_HEADROOM)
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) return max
  if (!log) return max + (max - min) * share
  return min > 0 ? max * (max / min) ** share : max
}

function yValue(point: SweepPoint, view: SweepChartView, which: 'median' | 'min' | 'max'): number {
  return view === 'throughput' ? point.mbPerSecond[which] : point.timePerFileMs[which] / 1000
}

/** A spread as words: the median of several runs with their range, or the one run's value. */
function spreadText(spread: Spread, runs: number, format: (value: number) => string): string {
  if (runs === 1) return `${format(spread.median)} (1 run)`
  return `${format(spread.median)} median of ${plural(runs, 'run')} (min ${format(spread.min)}, max ${format(spread.max)})`
}

/** The tooltip of one point: exact numbers, and what was extrapolated. */
export function tooltipLines(datum: SweepDatum, view: SweepChartView): string[] {
  const p = datum.point
  const mode = modeLabels[p.mode]
  const who = datum.primary ? '' : ` (${datum.runLabel})`
  const mbps = spreadText(p.mbPerSecond, p.runs, (value) => `${formatSignificant(value, 6)} MB/s`)
  const time = `${spreadText(p.timePerFileMs, p.runs, (ms) => formatDuration(ms))} per file of ${formatBinaryBytes(p.fileBytes)}`
  const lines = view === 'throughput' ? [`${mode}${who}: ${mbps}`, time] : [`${mode}${who}: ${time}`, mbps]
  if (p.cappedRuns > 0) {
    lines.push(
      `${p.cappedRuns} of ${plural(p.runs, 'run')} hit the time cap: extrapolated from a ${formatBinaryBytes(p.bytesRead)} prefix (median)`
    )
  }
  return lines
}

export function tooltipTitle(datum: SweepDatum): string {
  if (datum.point.chunkItems === null) return 'eager: the whole file in one read'
  const items = datum.point.chunkItems
  return `chunk ${formatItems(items)} · ${formatBinaryBytes(items * datum.itemBytes)}`
}

interface Built {
  datasets: SweepDataset[]
  hasCapped: boolean
  xs: number[]
}

function datasetsFor(input: SweepChartInput, axisItemBytes: number): Built {
  const { theme, view } = input
  const hidden = new Set(input.hiddenModes ?? [])
  const datasets: SweepDataset[] = []
  const xs: number[] = []
  let hasCapped = false
  let overlay = 0
  const ordered = [...input.runs].sort((a, b) => Number(b.primary) - Number(a.primary))
  for (const chartRun of ordered) {
    const runItemBytes = itemBytes[chartRun.run.file.dtype]
    const toX = (items: number): number => (items * runItemBytes) / axisItemBytes
    for (const size of chartRun.run.config.chunkSizes) xs.push(toX(size))
    const points = summarize(chartRun.run.measurements)
    const dash = chartRun.primary ? [] : overlayDashes[overlay % overlayDashes.length]!
    const pointStyle = chartRun.primary ? 'circle' : overlayPointStyles[overlay % overlayPointStyles.length]!
    if (!chartRun.primary) overlay++
    const suffix = chartRun.primary ? '' : ` — ${chartRun.label}`
    const datum = (point: SweepPoint, x: number, y: number): SweepDatum => ({
      x,
      y,
      point,
      runLabel: chartRun.label,
      primary: chartRun.primary,
      itemBytes: runItemBytes
    })
    for (const mode of chartRun.run.config.modes) {
      const own = points.filter((p) => p.mode === mode && p.chunkItems !== null)
      if (own.length === 0) continue
      const color = theme.modes[mode]
      const isHidden = hidden.has(mode)
      const xOf = (p: SweepPoint): number => toX(p.chunkItems!)
      const bandIndex = datasets.length
      datasets.push({
        key: `${chartRun.key}/${mode}/low`,
        label: `${modeLabels[mode]}${suffix} · lowest run`,
        role: 'bandLow',
        mode,
        data: own.map((p) => datum(p, xOf(p), yValue(p, view, 'min'))),
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        fill: false,
        hidden: isHidden,
        order: 3
      })
      datasets.push({
        key: `${chartRun.key}/${mode}/high`,
        label: `${modeLabels[mode]}${suffix} · min–max band`,
        role: 'bandHigh',
        mode,
        data: own.map((p) => datum(p, xOf(p), yValue(p, view, 'max'))),
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        backgroundColor: withAlpha(color, chartRun.primary ? 0.18 : 0.08),
        fill: { target: bandIndex },
        hidden: isHidden,
        order: 3
      })
      const capped = own.map((p) => p.cappedRuns > 0)
      if (capped.some(Boolean)) hasCapped = true
      datasets.push({
        key: `${chartRun.key}/${mode}/median`,
        label: `${modeLabels[mode]}${suffix}`,
        role: 'median',
        mode,
        data: own.map((p) => datum(p, xOf(p), yValue(p, view, 'median'))),
        borderColor: color,
        backgroundColor: color,
        borderWidth: chartRun.primary ? 2 : 1.5,
        borderDash: dash,
        pointStyle,
        pointRadius: own.map((_, i) => (capped[i] ? 4 : 3.5)),
        pointHoverRadius: 6,
        pointHitRadius: 8,
        pointBorderWidth: own.map((_, i) => (capped[i] ? 2 : 1)),
        pointBorderColor: color,
        pointBackgroundColor: own.map((_, i) => (capped[i] ? theme.panel : color)),
        tension: 0,
        fill: false,
        hidden: isHidden,
        order: 1
      })
    }
    const eager = points.find((p) => p.mode === 'eager')
    if (eager !== undefined && chartRun.run.config.chunkSizes.length > 0) {
      const sizes = chartRun.run.config.chunkSizes.map(toX)
      // Eager's repeats spread like any point's: the same band, across the whole width.
      const bandIndex = datasets.length
      datasets.push({
        key: `${chartRun.key}/eager/low`,
        label: `${modeLabels.eager}${suffix} · lowest run`,
        role: 'bandLow',
        mode: 'eager',
        data: sizes.map((x) => datum(eager, x, yValue(eager, view, 'min'))),
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        fill: false,
        hidden: hidden.has('eager'),
        order: 3
      })
      datasets.push({
        key: `${chartRun.key}/eager/high`,
        label: `${modeLabels.eager}${suffix} · min–max band`,
        role: 'bandHigh',
        mode: 'eager',
        data: sizes.map((x) => datum(eager, x, yValue(eager, view, 'max'))),
        borderWidth: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        // Lighter than a mode's band: it spans the whole width, behind every other line.
        backgroundColor: withAlpha(theme.modes.eager, chartRun.primary ? 0.12 : 0.06),
        fill: { target: bandIndex },
        hidden: hidden.has('eager'),
        order: 3
      })
      datasets.push({
        key: `${chartRun.key}/eager`,
        label: `${modeLabels.eager}${suffix}`,
        role: 'eager',
        mode: 'eager',
        data: sizes.map((x) => datum(eager, x, yValue(eager, view, 'median'))),
        borderColor: theme.modes.eager,
        backgroundColor: theme.modes.eager,
        borderWidth: 2,
        borderDash: chartRun.primary ? [8, 5] : [3, 4],
        pointRadius: 0,
        pointHoverRadius: 4,
        pointHitRadius: 6,
        pointStyle: 'line',
        fill: false,
        hidden: hidden.has('eager'),
        order: 2
      })
    }
  }
  return { datasets, hasCapped, xs }
}

/** The legend: each run's line (solid for the primary run, an overlay's own dash and shape), then the marks. */
function legendEntries(input: SweepChartInput, built: Built): LegendEntry[] {
  const { theme } = input
  const entries: LegendEntry[] = []
  let overlay = 0
  const ordered = [...input.runs].sort((a, b) => Number(b.primary) - Number(a.primary))
  for (const chartRun of ordered) {
    const style = chartRun.primary ? undefined : overlay++ % overlayDashes.length
    entries.push({
      key: `run/${chartRun.key}`,
      label: chartRun.primary ? chartRun.label : `${chartRun.label} (overlay)`,
      sample: 'line',
      color: theme.text,
      dash: style === undefined ? [] : overlayDashes[style]!,
      pointStyle: style === undefined ? 'circle' : overlayPointStyles[style % overlayPointStyles.length]!
    })
  }
  if (built.datasets.some((d) => d.role === 'eager'))
    entries.push({
      key: 'eager',
      label: 'eager: whole file',
      sample: 'line',
      color: theme.modes.eager,
      dash: [8, 5],
      pointStyle: null
    })
  if (built.hasCapped)
    entries.push({
      key: 'capped',
      label: 'hollow: time-capped, extrapolated',
      sample: 'hollow',
      color: theme.muted,
      dash: [],
      pointStyle: 'circle'
    })
  // A band shows only where a point has more than one run.
  if (built.datasets.some((d) => d.role === 'bandHigh' && d.data.some((datum) => datum.point.runs > 1)))
    entries.push({
      key: 'band',
      label: 'shaded: min–max of the repeats',
      sample: 'band',
      color: theme.muted,
      dash: [],
      pointStyle: null
    })
  return entries
}

/**
 * The legend of an exported image, which has no toolbar: the colour of each mode drawn (and not
 * hidden), then the chart's own legend.
 */
export function exportLegend(chart: SweepChart, theme: ChartTheme): LegendEntry[] {
  const modes = new Set<MeasuredMode>()
  for (const dataset of chart.data.datasets)
    if (dataset.role === 'median' && dataset.mode !== null && dataset.hidden !== true) modes.add(dataset.mode)
  const entries = [...modes].map((mode): LegendEntry => ({
    key: `mode/${mode}`,
    label: modeLabels[mode],
    sample: 'line',
    color: theme.modes[mode],
    dash: [],
    pointStyle: 'circle'
  }))
  const eagerShown = chart.data.datasets.some((d) => d.role === 'eager' && d.hidden !== true)
  return [...entries, ...chart.legend.filter((entry) => entry.key !== 'eager' || eagerShown)]
}

/** Sweep data → Chart.js data and options. */
export function buildSweepChart(input: SweepChartInput): SweepChart {
  const { theme, view } = input
  const primary = input.runs.find((run) => run.primary) ?? input.runs[0]
  const dtype: Dtype = primary?.run.file.dtype ?? 'float64'
  const axisItemBytes = itemBytes[dtype]
  const built = datasetsFor(input, axisItemBytes)
  const datasets = built.datasets
  const xMin = built.xs.length > 0 ? Math.min(...built.xs) : 1
  const xMax = built.xs.length > 0 ? Math.max(...built.xs) : 1024 * 1024
  const xRange = { min: xMin / 1.3, max: xMax * 1.3 }
  const xTicks = xTickValues(xMin, xMax)
  const spot = {
    ...sweetSpotItems(dtype),
    color: theme.band,
    textColor: theme.muted,
    label: 'lecture: read at least 10–100 kB at a time',
    labelAt: view === 'throughput' ? ('bottom' as const) : ('top' as const)
  }
  const textBytes = primary?.run.config.modes.includes('text') ? primary.run.file.textBytes : null
  const sizes =
    primary === undefined
      ? ''
      : textBytes === null
        ? ` (${formatBinaryBytes(primary.run.file.bytes)} file)`
        : ` (binary ${formatBinaryBytes(primary.run.file.bytes)}, text ${formatBinaryBytes(textBytes)})`
  const yTitle =
    view === 'throughput' ? 'throughput, MB/s (10⁶ bytes per second)' : `time to read the whole file, s${sizes}`
  const options: ChartOptions<'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: true },
    layout: { padding: { top: 8, right: 12 } },
    scales: {
      x: {
        type: 'logarithmic',
        min: xRange.min,
        max: xRange.max,
        title: { display: true, text: `chunk size: items of ${dtype} · bytes (log₂ scale)`, color: theme.muted },
        grid: { color: theme.grid },
        border: { color: theme.grid },
        afterBuildTicks: (axis) => {
          axis.ticks = xTicks.map((value) => ({ value }))
        },
        ticks: {
          color: theme.text,
          autoSkip: false,
          maxRotation: 0,
          callback: (value) => tickLabel(Number(value), axisItemBytes)
        }
      },
      y: {
        type: input.yLog ? 'logarithmic' : 'linear',
        ...(input.yLog ? {} : { beginAtZero: true }),
        afterDataLimits: (axis) => {
          axis.max = yAxisTop(axis.min, axis.max, input.yLog)
        },
        title: { display: true, text: yTitle, color: theme.muted },
        grid: { color: theme.grid },
        border: { color: theme.grid },
        ticks: {
          color: theme.text,
          // Labels are already thinned to 1, 2 and 5 × 10ⁿ on a log axis; Chart.js must not drop those.
          autoSkip: !input.yLog,
          callback: (value) => (input.yLog ? logTickLabel(Number(value)) : formatSignificant(Number(value), 4))
        }
      }
    },
    plugins: {
      // The legend is the component's own, on one line that scrolls (legendEntries).
      legend: { display: false },
      tooltip: {
        filter: (item: TooltipItem<'line'>) => {
          const role = (item.dataset as SweepDataset).role
          return role === 'median' || role === 'eager'
        },
        callbacks: {
          title: (items) => (items[0] ? tooltipTitle(items[0].raw as SweepDatum) : ''),
          label: (item) => tooltipLines(item.raw as SweepDatum, view)
        }
      },
      sweetSpot: spot,
      sweepBackground: { color: theme.panel }
    }
  }
  return {
    data: { datasets },
    options,
    xTicks,
    xRange,
    sweetSpot: spot,
    hasCapped: built.hasCapped,
    legend: legendEntries(input, built)
  }
}

/** Fills the canvas with the panel colour first, so exported PNGs are not transparent. */
export const sweepBackgroundPlugin: Plugin<'line'> = {
  id: 'sweepBackground',
  beforeDraw(chart, _args, pluginOptions) {
    const options = pluginOptions as { color?: string } | false
    if (!options || !options.color) return
    const { ctx, width, height } = chart
    ctx.save()
    ctx.fillStyle = options.color
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  }
}

/** Shades the 10–100 kB band across the plot area, with its label at the top. */
export const sweetSpotPlugin: Plugin<'line'> = {
  id: 'sweetSpot',
  beforeDatasetsDraw(chart: Chart<'line'>, _args, pluginOptions) {
    const options = pluginOptions as SweetSpotOptions | false
    if (!options || options.from === undefined) return
    const x = chart.scales['x']
    const area = chart.chartArea
    if (x === undefined || area === undefined) return
    const left = Math.max(area.left, x.getPixelForValue(options.from))
    const right = Math.min(area.right, x.getPixelForValue(options.to))
    if (!(right > left)) return
    const { ctx } = chart
    ctx.save()
    ctx.fillStyle = options.color
    ctx.fillRect(left, area.top, right - left, area.bottom - area.top)
    ctx.fillStyle = options.textColor
    ctx.font = '11px system-ui, sans-serif'
    ctx.textAlign = 'center'
    ctx.textBaseline = options.labelAt === 'top' ? 'top' : 'bottom'
    const width = ctx.measureText(options.label).width
    const center = Math.min(Math.max((left + right) / 2, area.left + width / 2 + 4), area.right - width / 2 - 4)
    ctx.fillText(options.label, center, options.labelAt === 'top' ? area.top + 4 : area.bottom - 4)
    ctx.restore()
  }
}

/** The chart's text alternative: what it shows, in a sentence. */
export function chartSummary(chart: SweepChart, view: SweepChartView): string {
  const medians = chart.data.datasets.filter((d) => d.role === 'median')
  if (medians.length === 0) return 'No measurements yet.'
  const parts = medians.map((d) => {
    const best = d.data.reduce((a, b) => (view === 'throughput' ? (b.y > a.y ? b : a) : b.y < a.y ? b : a))
    const value =
      view === 'throughput' ? `${formatSignificant(best.y, 4)} MB/s` : `${formatDuration(best.y * 1000)} per file`
    return `${d.label}: best ${value} at ${formatItems(best.point.chunkItems ?? 0)}`
  })
  return parts.join('; ') + '.'
}
