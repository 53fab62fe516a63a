/**
 * A sweep's settings and machine in words, the same in the history's rows and the line under the
 * chart.
 */
import { formatBinaryBytes, formatDuration, formatItems, plural } from '@shared/format'
import { modeLabels, type SweepConfig, type SweepMachine } from '@shared/sweep'

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
