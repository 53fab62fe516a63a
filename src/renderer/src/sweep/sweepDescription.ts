/**
 * A sweep's settings and machine in words, the same in the history's rows, the line under the
 * chart and the caption of an exported PNG.
 */
import { formatBinaryBytes, formatDateTime, formatDuration, formatItems, plural } from '@shared/format'
import { shownMessage } from '@shared/fsNames'
import { modeLabels, type SweepConfig, type SweepMachine, type SweepRunDraft } from '@shared/sweep'
import type { SweepChartView } from '@renderer/charts/sweepChart'

/** "lazy per item, lazy per chunk + eager". */
export function modesText(config: Pick<SweepConfig, 'modes' | 'eager'>): string {
  const lazy = config.modes.map((mode) => modeLabels[mode]).join(', ')
  return config.eager ? `${lazy} + eager` : lazy
}

/** "1 item – 1 Mi items, 21 sizes". */
export function rangeText(config: Pick<SweepConfig, 'chunkSizes'>): string {
  const sizes = config.chunkSizes
  if (sizes.length === 0) return 'no chunk sizes'
  if (sizes.length === 1) return formatItems(sizes[0]!)
  return `${formatItems(sizes[0]!)} – ${formatItems(sizes.at(-1)!)}, ${plural(sizes.length, 'size')}`
}

/** "3 runs per point · cap 1 s". */
export function repeatsText(config: Pick<SweepConfig, 'repeats' | 'timeCapMs'>): string {
  return `${plural(config.repeats, 'run')} per point · cap ${formatDuration(config.timeCapMs)}`
}

/** "Intel Xeon ×2, 7.75 GiB RAM, Linux 6.8.0". */
export function machineText(machine: SweepMachine): string {
  return `${machine.cpuModel} ×${machine.cpuCount}, ${formatBinaryBytes(machine.totalMemoryBytes)} RAM, ${machine.platform}`
}

/** The title and lines above an exported chart: what it shows, of which file, when, on what. */
export function chartCaption(
  run: Pick<SweepRunDraft, 'file' | 'config' | 'machine' | 'createdAt' | 'cache'>,
  view: SweepChartView
): { title: string; lines: string[] } {
  const what =
    view === 'throughput' ? 'Throughput against chunk size' : 'Time to read the whole file against chunk size'
  const { file, config, machine } = run
  return {
    title: `${what} — ${shownMessage(file.path)}`,
    lines: [
      `${formatBinaryBytes(file.bytes)} of ${file.dtype} · ${modesText(config)} · ${rangeText(config)} · ${repeatsText(config)} · cache ${run.cache.state}`,
      `${formatDateTime(run.createdAt)} · ${machineText(machine)} · Yield Lab ${machine.appVersion}`
    ]
  }
}
