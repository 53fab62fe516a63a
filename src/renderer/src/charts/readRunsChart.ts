/**
 * The Read tab's runs → Chart.js: one small bar chart per measure (MB/s, or peak RSS), a bar per
 * finished run coloured by its mode, as a pure function of the rows and the theme's colours
 * (read from CSS variables by the component). Cancelled runs are left out: their numbers stop
 * part-way. Unit-tested without a canvas.
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

function valueOf(view: RowView, measure: RunsMeasure): number {
  return measure === 'rate' ? view.row.mbPerSecond : view.row.peakRssBytes / MIB
}

function format(value: number, measure: RunsMeasure): string {
  return measure === 'rate' ? formatRate(value) : formatBytes(value * MIB)
}

export function buildRunsChart(views: readonly RowView[], measure: RunsMeasure, theme: RunsChartTheme): RunsChart {
  const done = views.filter((view) => view.row.outcome === 'done')
  const labels = done.map((view) => `#${view.row.run}`)
  const values = done.map((view) => valueOf(view, measure))
  const title = measure === 'rate' ? 'MB/s' : 'Peak RSS (MiB)'
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
          label: (item: TooltipItem<'bar'>) => format(item.parsed.y ?? 0, measure)
        }
      }
    },
    scales: {
      x: { ticks: { color: theme.muted }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: theme.muted, maxTicksLimit: 5 }, grid: { color: theme.grid } }
    }
  }
  const summary =
    done.length === 0
      ? `${title}: no finished runs yet.`
      : `${title}: ${done.map((view, index) => `run ${view.row.run} (${modeInfo(view.row.mode).label}) ${format(values[index]!, measure)}`).join(', ')}.`
  return {
    data: {
      labels,
      datasets: [
        {
          label: title,
          data: values,
          backgroundColor: done.map((view) => theme.modes[view.row.mode]),
          borderWidth: 0,
          maxBarThickness: 36
        }
      ]
    },
    options,
    summary
  }
}
