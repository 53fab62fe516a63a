import type { ResultRow } from '../../src/renderer/src/read/readResults'

/** A finished Read-tab run with plausible numbers, for the results, explanation and chart tests. */
export function resultRow(run: number, overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    run,
    outcome: 'done',
    paths: ['/d/sample.bin'],
    mode: 'lazyChunk',
    dtype: 'float64',
    chunkItems: 8192,
    progressEvery: 10_000,
    style: 'pull',
    sum: 1000.5,
    count: 2000,
    elapsedMs: 10,
    bytes: 16000,
    mbPerSecond: 1.6,
    itemsPerSecond: 200_000,
    peakRssBytes: 200,
    startRssBytes: 150,
    eager: null,
    costs: { minorPageFaults: 3, majorPageFaults: 0, blocksRead: 0 },
    sharedCpuWith: [],
    ...overrides
  }
}
