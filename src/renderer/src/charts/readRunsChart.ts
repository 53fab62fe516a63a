/**
 * The Read tab's runs → Chart.js: one small bar chart per measure (MB/s, or peak RSS), a bar per
 * finished run coloured by its mode, as a pure function of the rows and the theme's colours
 * (read from CSS variables by the component). Peak RSS is stacked: the process's RSS when the run
 * started (grey, mostly the app itself) and what the run added on top (its mode's colour), so
 * eager's whole-file buffer shows against lazy's flat line. Cancelled runs are left out: their
 * numbers stop part-way. Unit-tested without a canvas.
 */
import type { ChartData, ChartOptions, TooltipItem } from 'chart.js'
import { formatBytes, formatRate } from '@shared/format'
import type { ReadMode } from '@shared/readJobs'
import { modeInfo } from '@renderer/read/readForm'
import type { RowView } from '@renderer/read/readResults'

export type RunsMeasure = 'rate' | 'peakRss'

export interface RunsChartTheme {
  text: string
  muted: string
  grid: string
  modes: Record<ReadMode, string>
}

export interface RunsChart {
  data: ChartData<'bar', number[], string>
  options: ChartOptions<'bar'>
  /** The chart in words, for screen readers. */
  summary: string
}

const MIB = 1024 * 1024

function format(value: number, measure: RunsMeasure): string {
  return measure === 'rate' ? formatRate(value) : formatBytes(value * MIB)
}

export function buildRunsChart(views: readonly RowView[], measure: RunsMeasure, theme: RunsChartTheme): RunsChart {
  const done = views.filter((view) => view.row.outcome === 'done')
  const labels = done.map((view) => `#${view.row.run}`)
  const title = measure === 'rate' ? 'MB/s' : 'Peak RSS (MiB)'
  const colours = done.map((view) => theme.modes[view.row.mode])
  const datasets: ChartData<'bar', number[], string>['datasets'] =
    measure === 'rate'
      ? [{ label: title, data: done.map((view) => view.row.mbPerSecond), backgroundColor: colours }]
      : [
          {
            label: 'RSS at the start',
            data: done.map((view) => (view.row.peakRssBytes - view.memoryCost) / MIB),
            backgroundColor: theme.grid
          },
          { label: 'added by the run', data: done.map((view) => view.memoryCost / MIB), backgroundColor: colours }
        ]
  for (const dataset of datasets) Object.assign(dataset, { borderWidth: 0, maxBarThickness: 36 })
  const options: ChartOptions<'bar'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { display: false },
      title: { display: true, text: title, color: theme.text, font: { size: 12, weight: 'bold' } },
      tooltip: {
        callbacks: {
          title: (items: TooltipItem<'bar'>[]) => {
            const view = done[items[0]?.dataIndex ?? 0]
            return view === undefined ? '' : `Run ${view.row.run}: ${modeInfo(view.row.mode).label}`
          },
          label: (item: TooltipItem<'bar'>) =>
            measure === 'rate'
              ? format(item.parsed.y ?? 0, measure)
              : `${item.dataset.label ?? ''}: ${format(item.parsed.y ?? 0, measure)}`
        }
      }
    },
    scales: {
      x: { stacked: true, ticks: { color: theme.muted }, grid: { display: false } },
      y: {
        stacked: true,
        beginAtZero: true,
        ticks: { color: theme.muted, maxTicksLimit: 5 },
        grid: { color: theme.grid }
      }
    }
  }
  const summary =
    done.length === 0
      ? `${title}: no finished runs yet.`
      : `${title}: ${done
          .map((view) => {
            const what = `run ${view.row.run} (${modeInfo(view.row.mode).label})`
            return measure === 'rate'
              ? `${what} ${formatRate(view.row.mbPerSecond)}`
              : `${what} ${formatBytes(view.row.peakRssBytes)} (+${formatBytes(view.memoryCost)})`
          })
          .join(', ')}.`
  return {
    data: { labels, datasets },
    options,
    summary
  }
}
