/**
 * Times our readers inside a fresh worker thread, as the app runs every read in a job worker of its
 * own: the JIT sees only this one workload (not the other benchmarks' readers), and the GC frees
 * the previous run's arrays between runs, untimed, as `del data` does between the numpy runs (a
 * 512 MiB array left for the GC to find later makes the next run fault in fresh memory).
 * Started by suites/read.ts; posts { times (ms), sum }.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { process as processData, sumChunk } from '../src/main/lab/process'
import { readBinaryChunks, readBinaryEager, readBinaryLazy } from '../src/main/lab/readers'

export interface ReadWorkerJob {
  mode: 'lazyItem' | 'lazyChunk' | 'lazyChunkOwned' | 'eager'
  file: string
  chunkSize: number
  runs: number
}

export interface ReadWorkerResult {
  times: number[]
  sum: number
}

const job = workerData as ReadWorkerJob
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('Run the benchmarks with node --expose-gc (npm run bench does).')

const work: Record<ReadWorkerJob['mode'], () => number> = {
  lazyItem: () => processData([readBinaryLazy(job.file, job.chunkSize)]).sum,
  lazyChunk: () => processData([readBinaryChunks(job.file, job.chunkSize, 'float64', { reuseBuffer: true })]).sum,
  lazyChunkOwned: () => processData([readBinaryChunks(job.file, job.chunkSize, 'float64', { reuseBuffer: false })]).sum,
  eager: () => sumChunk(readBinaryEager(job.file))
}

const times: number[] = []
let sum = NaN
for (let i = 0; i < job.runs; i++) {
  gc()
  const start = performance.now()
  sum = work[job.mode]()
  times.push(performance.now() - start)
}
parentPort!.postMessage({ times, sum } satisfies ReadWorkerResult)
