/** Sweep records made up for tests: valid, consistent, with rates chosen to be easy to check. */
import { expect } from 'vitest'
import { sweepRunProblems, type SweepMeasurement, type SweepMode, type SweepRunDraft } from '../../src/shared/sweep'
import { planRuns } from '../../src/shared/sweepMaths'

/** A synthetic record: throughput grows with the chunk size; chunks below 4 items are capped. */
export function makeSweepRun(
  options: {
    chunkSizes?: number[]
    modes?: SweepMode[]
    repeats?: number
    eager?: boolean
    dtype?: 'float64' | 'int32'
    label?: string
    timeCapMs?: number
  } = {}
): SweepRunDraft {
  const chunkSizes = options.chunkSizes ?? [1, 2, 4, 8, 1024, 2048, 16384]
  const modes = options.modes ?? ['lazyItem', 'lazyChunk']
  const repeats = options.repeats ?? 3
  const eager = options.eager ?? true
  const dtype = options.dtype ?? 'float64'
  const itemSize = dtype === 'float64' ? 8 : 4
  const bytes = 1 << 20
  const config = { chunkSizes, modes, repeats, timeCapMs: options.timeCapMs ?? 100, eager, seed: 9 }
  const measurements: SweepMeasurement[] = planRuns(config).map((run, seq) => {
    const capped = run.chunkItems !== null && run.chunkItems < 4
    const bytesRead = capped ? 1024 * run.chunkItems! : bytes
    // elapsed such that MB/s = chunk × (1 + repeat/10) for lazy modes, 5000 for eager.
    const rate = run.mode === 'eager' ? 5000 : run.chunkItems! * (1 + run.repeat / 10)
    return {
      seq,
      mode: run.mode,
      chunkItems: run.chunkItems,
      repeat: run.repeat,
      fileBytes: bytes,
      bytesRead,
      itemsRead: bytesRead / itemSize,
      elapsedMs: bytesRead / 1e3 / rate,
      capped
    }
  })
  const run: SweepRunDraft = {
    format: 'yield-lab-sweep/2',
    label: options.label ?? 'data.bin',
    createdAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
    status: 'complete',
    file: { path: '/d/data.bin', bytes, dtype, items: bytes / itemSize, textPath: null, textBytes: null },
    machine: {
      cpuModel: 'cpu',
      cpuCount: 2,
      totalMemoryBytes: 1,
      platform: 'Linux',
      arch: 'x64',
      appVersion: '1',
      versions: {}
    },
    config,
    cache: { state: 'warm', method: 'read once', residentBytes: null },
    plannedRuns: measurements.length,
    measurements,
    notes: []
  }
  expect(sweepRunProblems(run)).toEqual([])
  return run
}
