/**
 * Times our readers inside a fresh worker thread, as the app runs every read in a job worker of its
 * own: the JIT sees only this one workload (not the other benchmarks' readers). Between eager runs
 * the GC frees the previous array, untimed, as `del data` does between the numpy runs (a 512 MiB
 * array left for the GC to find later makes the next run fault in fresh memory). The lazy runs
 * leave nothing that big behind, and a forced full GC shrinks the young generation: the next lazy
 * run then pays ~10% more for the garbage of its per-item results, so they run without it, as the
 * lecture's lazy runs do.
 * Started by suites/read.ts; posts { times (ms), sum }, or with `measure: 'rssGrowth'` one run's
 * peak resident-set growth over the RSS before it (sampled every 32 Ki items and at every chunk).
 */
import { memoryUsage } from 'node:process'
import { parentPort, workerData } from 'node:worker_threads'
import { processData, sumChunk } from '../src/main/lab/read/process'
import { readBinaryChunks, readBinaryEager, readBinaryLazy } from '../src/main/lab/read/readers'
import type { DataItem } from '../src/shared/dataFiles'

export interface ReadWorkerJob {
  mode: 'lazyItem' | 'lazyChunk' | 'lazyChunkOwned' | 'eager'
  file: string
  chunkSize: number
  runs: number
  measure?: 'time' | 'rssGrowth'
}

export interface ReadWorkerResult {
  times: number[]
  sum: number
  /** Bytes; with measure 'rssGrowth'. */
  rssGrowth?: number
}

const job = workerData as ReadWorkerJob
const exposedGc = (globalThis as { gc?: () => void }).gc
if (exposedGc === undefined) throw new Error('Run the benchmarks with node --expose-gc (npm run bench does).')
const gc: () => void = exposedGc

const lazyReaders: Record<Exclude<ReadWorkerJob['mode'], 'eager'>, () => Iterable<DataItem>> = {
  lazyItem: () => readBinaryLazy(job.file, job.chunkSize),
  lazyChunk: () => readBinaryChunks(job.file, job.chunkSize, 'float64', { reuseBuffer: true }),
  lazyChunkOwned: () => readBinaryChunks(job.file, job.chunkSize, 'float64', { reuseBuffer: false })
}

function lazyReader(): Iterable<DataItem> {
  if (job.mode === 'eager') throw new Error('rssGrowth is measured for the lazy readers')
  return lazyReaders[job.mode]()
}

function work(): number {
  return job.mode === 'eager' ? sumChunk(readBinaryEager(job.file)) : processData([lazyReader()]).sum
}

function measureRssGrowth(): ReadWorkerResult {
  gc()
  const base = memoryUsage.rss()
  let peak = base
  const sample = (): void => {
    peak = Math.max(peak, memoryUsage.rss())
  }
  const result = processData([lazyReader()], {
    progressEvery: 32_768,
    control: { isCancelled: () => false, report: sample }
  })
  sample()
  return { times: [result.elapsedMs], sum: result.sum, rssGrowth: peak - base }
}

function measureTimes(): ReadWorkerResult {
  const times: number[] = []
  let sum = NaN
  for (let i = 0; i < job.runs; i++) {
    if (job.mode === 'eager') gc()
    const start = performance.now()
    sum = work()
    times.push(performance.now() - start)
  }
  return { times, sum }
}

parentPort!.postMessage((job.measure === 'rssGrowth' ? measureRssGrowth() : measureTimes()) satisfies ReadWorkerResult)
