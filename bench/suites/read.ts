/**
 * Read benchmarks: our readers against the lecture's own Python code (bench/reference/lecture_read.py)
 * and against dd, measured in the same run on the same (page-cache warm) file.
 *
 *   read.lazy_item_65536.ratio_vs_python  processData(readBinaryLazy(f, 65536)) vs process(read_binary_lazy(f, 65536))
 *   read.lazy_item_1.ratio_vs_python      the same with chunk size 1, on a 4 MiB file (Python needs seconds per MiB)
 *   read.lazy_chunk.ratio_vs_dd           processData(readBinaryChunks(f, 65536, reuseBuffer)) vs dd if=f bs=1M of=/dev/null
 *   read.lazy_chunk_owned.ratio_vs_dd     the same with a fresh, transferable buffer per chunk (the IPC mode)
 *   read.eager.ratio_vs_numpy             sumChunk(readBinaryEager(f)) vs np.fromfile(f).sum()
 *   read.sample_text.ratio_vs_savetxt     the text twin of a 16 MiB sample (2 Mi lines, written and fsynced) vs np.savetxt
 *   read.rss_growth_2gib.lazy_item.ratio_vs_limit   peak RSS growth while processData(readBinaryLazy(2 GiB, 65536))
 *   read.rss_growth_2gib.lazy_chunk.ratio_vs_limit  the same for readBinaryChunks; the limit is one chunk + 64 MiB
 *                                                   (issue 4), so a ratio >= 1 means within it
 *
 * Ours run in a fresh worker thread per benchmark, as each read in the app runs in a job worker of
 * its own (../readWorker.ts), with the GC run between eager runs as numpy's runs `del` their array.
 * Python times come from perf_counter inside Python (start-up and `import numpy` excluded); dd's
 * from its own "copied, … s" line (exec excluded). Each side reports the median of its runs.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { processData } from '../../src/main/lab/read/process'
import { readBinaryChunks, readBinaryLazy } from '../../src/main/lab/read/readers'
import { writeSampleData } from '../../src/main/lab/read/sampleData'
import type { SampleDataMeta } from '../../src/shared/readJobs'
import type { ReadWorkerJob, ReadWorkerResult } from '../readWorker'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const BENCH_DIR = join(tmpdir(), 'yield-lab-bench')
const BIG = { name: 'read-512mib', bytes: 512 * 1024 * 1024, seed: 512 }
const SMALL = { name: 'read-4mib', bytes: 4 * 1024 * 1024, seed: 4 }
const HUGE = { name: 'read-2gib', bytes: 2 * 1024 * 1024 * 1024, seed: 2048 }
const MiB = 1024 * 1024
/** What lazy reading may add to the resident set: one chunk plus 64 MiB of not yet collected garbage. */
const RSS_GROWTH_SLACK = 64 * MiB
const REFERENCE = join(import.meta.dirname, '..', 'reference', 'lecture_read.py')
const READ_WORKER = join(import.meta.dirname, '..', 'readWorker.ts')

/** Reuses a sample file from an earlier run when its sidecar matches, else (re)writes it. */
function ensureSample(spec: { name: string; bytes: number; seed: number }): { path: string; meta: SampleDataMeta } {
  const path = join(BENCH_DIR, `${spec.name}.bin`)
  const metaPath = join(BENCH_DIR, `${spec.name}.json`)
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as SampleDataMeta
      if (meta.bytes === spec.bytes && meta.seed === spec.seed && statSync(path).size === spec.bytes)
        return { path, meta }
    } catch {
      // Unreadable sidecar: write afresh below.
    }
  }
  const result = writeSampleData({
    directory: BENCH_DIR,
    name: spec.name,
    bytes: spec.bytes,
    seed: spec.seed,
    overwrite: true
  })
  return { path: result.binaryPath, meta: result }
}

let prepared: { big: string; small: string; bigSum: number; smallSum: number } | undefined

function prepare(): NonNullable<typeof prepared> {
  if (prepared) return prepared
  const big = ensureSample(BIG)
  const small = ensureSample(SMALL)
  // Warm the page cache so every contender reads from memory.
  for (let i = 0; i < 2; i++) {
    processData([readBinaryChunks(big.path, 65536, 'float64', { reuseBuffer: true })])
    processData([readBinaryLazy(small.path, 65536)])
  }
  prepared = { big: big.path, small: small.path, bigSum: big.meta.sum, smallSum: small.meta.sum }
  return prepared
}

/** Runs one benchmark job in a fresh worker thread (../readWorker.ts). */
async function inWorker(job: ReadWorkerJob): Promise<ReadWorkerResult> {
  const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(READ_WORKER)})`
  const worker = new Worker(boot, { eval: true, workerData: job })
  const outcome = await new Promise<ReadWorkerResult>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) =>
      reject(new Error(`the read benchmark worker exited with code ${code} before reporting`))
    )
  })
  await worker.terminate()
  return outcome
}

/** The median time of `runs` runs of `mode` in a fresh worker, and the sum they computed. */
async function ours(
  mode: ReadWorkerJob['mode'],
  file: string,
  chunkSize: number,
  runs: number
): Promise<{ ms: number; result: number }> {
  const outcome = await inWorker({ mode, file, chunkSize, runs })
  return { ms: median(outcome.times), result: outcome.sum }
}

/** Peak RSS growth of one lazy read of the 2 GiB file, in MiB, against the allowed growth. */
async function rssGrowth(mode: 'lazyItem' | 'lazyChunk'): Promise<BenchMeasurement> {
  const huge = ensureSample(HUGE)
  const chunkSize = 65536
  const outcome = await inWorker({ mode, file: huge.path, chunkSize, runs: 1, measure: 'rssGrowth' })
  checkSameSum(`${mode} 2 GiB`, outcome.sum, huge.meta.sum)
  return { value: outcome.rssGrowth! / MiB, reference: (chunkSize * 8 + RSS_GROWTH_SLACK) / MiB, unit: 'MiB' }
}

interface PythonResult {
  seconds: number[]
  sum: number
  count: number
}

function python(mode: 'lazy' | 'eager', file: string, chunkSize: number, repeat: number): PythonResult {
  let output: string
  try {
    output = execFileSync(
      'python3',
      [REFERENCE, mode, file, '--chunk-size', String(chunkSize), '--repeat', String(repeat)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024
      }
    )
  } catch (error) {
    throw new Error(`The Python reference (python3 with numpy) could not run ${REFERENCE}: ${(error as Error).message}`)
  }
  return JSON.parse(output) as PythonResult
}

function checkSameSum(what: string, ours: number, theirs: number): void {
  if (!(Math.abs(ours - theirs) <= 1e-9 * Math.abs(theirs)))
    throw new Error(`${what}: our sum ${ours} differs from the reference's ${theirs}`)
}

/** Lazy per item, ours vs the lecture's read_binary_lazy + process on the same file. */
async function lazyItem(file: string, chunkSize: number, runs: number): Promise<BenchMeasurement> {
  const mine = await ours('lazyItem', file, chunkSize, runs)
  const theirs = python('lazy', file, chunkSize, runs)
  checkSameSum(`lazy chunk ${chunkSize}`, mine.result, theirs.sum)
  return { value: mine.ms, reference: median(theirs.seconds) * 1000, unit: 'ms' }
}

function ddMs(file: string): number {
  const start = performance.now()
  const run = spawnSync('dd', [`if=${file}`, 'bs=1M', 'of=/dev/null'], { encoding: 'utf8' })
  const wall = performance.now() - start
  if (run.status !== 0) throw new Error(`dd failed: ${run.error?.message ?? run.stderr}`)
  // dd's own timing excludes process start-up, like Python's perf_counter excludes the interpreter's.
  const own = /copied, ([\d.]+(?:e-?\d+)?) s/.exec(run.stderr)
  return own ? Number(own[1]) * 1000 : wall
}

async function lazyChunk(reuseBuffer: boolean): Promise<BenchMeasurement> {
  const { big, bigSum } = prepare()
  const runs = 9
  const mine = await ours(reuseBuffer ? 'lazyChunk' : 'lazyChunkOwned', big, 65536, runs)
  checkSameSum('lazy chunks', mine.result, bigSum)
  const dd: number[] = []
  for (let i = 0; i < runs; i++) dd.push(ddMs(big))
  return { value: mine.ms, reference: median(dd), unit: 'ms' }
}

/**
 * The text twin's cost: writing a 16 MiB sample with its twin minus writing it without, against
 * numpy.savetxt of the same numbers into a file (timed inside Python, fsync included).
 */
function sampleText(): BenchMeasurement {
  const bytes = 16 * MiB
  const runs = 3
  const directory = join(BENCH_DIR, 'text-twin')
  const withText: number[] = []
  const without: number[] = []
  for (let i = 0; i < runs; i++) {
    let start = performance.now()
    writeSampleData({ directory, name: 'plain', bytes, seed: 16, overwrite: true })
    without.push(performance.now() - start)
    start = performance.now()
    writeSampleData({ directory, name: 'twin', bytes, seed: 16, withText: true, overwrite: true })
    withText.push(performance.now() - start)
  }
  const script = String.raw`
import os, sys, time
import numpy as np
data = np.fromfile(sys.argv[1])
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    with open(sys.argv[2], 'wb') as f:
        np.savetxt(f, data)
        f.flush()
        os.fsync(f.fileno())
    times.append(time.perf_counter() - start)
print(sorted(times)[len(times) // 2])`
  const savetxt = join(directory, 'numpy.txt')
  const seconds = Number(
    execFileSync('python3', ['-c', script, join(directory, 'plain.bin'), savetxt, String(runs)], { encoding: 'utf8' })
  )
  return { value: median(withText) - median(without), reference: seconds * 1000, unit: 'ms' }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'read.lazy_item_65536.ratio_vs_python',
    description: 'process(readBinaryLazy(512 MiB, chunk 65536)) vs lecture read_binary_lazy+process',
    run: () => lazyItem(prepare().big, 65536, 5)
  },
  {
    name: 'read.lazy_item_1.ratio_vs_python',
    description: 'process(readBinaryLazy(4 MiB, chunk 1)): one read() per number, vs lecture',
    run: () => lazyItem(prepare().small, 1, 3)
  },
  {
    name: 'read.lazy_chunk.ratio_vs_dd',
    description: 'process(readBinaryChunks(512 MiB, 65536, reuseBuffer)) vs dd bs=1M',
    run: () => lazyChunk(true)
  },
  {
    name: 'read.lazy_chunk_owned.ratio_vs_dd',
    description: 'same, a fresh transferable ArrayBuffer per chunk (IPC mode), vs dd bs=1M',
    run: () => lazyChunk(false)
  },
  {
    name: 'read.eager.ratio_vs_numpy',
    description: 'sumChunk(readBinaryEager(512 MiB)) vs np.fromfile(f).sum()',
    run: async () => {
      const { big, bigSum } = prepare()
      const runs = 7
      const mine = await ours('eager', big, 0, runs)
      checkSameSum('eager', mine.result, bigSum)
      const theirs = python('eager', big, 0, runs)
      checkSameSum('eager numpy', theirs.sum, bigSum)
      return { value: mine.ms, reference: median(theirs.seconds) * 1000, unit: 'ms' }
    }
  },
  {
    name: 'read.sample_text.ratio_vs_savetxt',
    description: "text twin of a 16 MiB sample ('%.18e', 2 Mi lines) vs np.savetxt of the same numbers",
    run: () => Promise.resolve(sampleText())
  },
  {
    name: 'read.rss_growth_2gib.lazy_item.ratio_vs_limit',
    description: 'peak RSS growth, process(readBinaryLazy(2 GiB, 65536)), vs one chunk + 64 MiB',
    run: () => rssGrowth('lazyItem')
  },
  {
    name: 'read.rss_growth_2gib.lazy_chunk.ratio_vs_limit',
    description: 'peak RSS growth, process(readBinaryChunks(2 GiB, 65536)), vs one chunk + 64 MiB',
    run: () => rssGrowth('lazyChunk')
  }
]
