/**
 * Read benchmarks: our readers against the lecture's own Python code (bench/reference/lecture_read.py)
 * and against dd, measured in the same run on the same (page-cache warm) file.
 *
 *   read.lazy_item_65536.ratio_vs_python  process(readBinaryLazy(f, 65536)) vs process(read_binary_lazy(f, 65536))
 *   read.lazy_item_1.ratio_vs_python      the same with chunk size 1, on a 4 MiB file (Python needs seconds per MiB)
 *   read.lazy_chunk.ratio_vs_dd           process(readBinaryChunks(f, 65536, reuseBuffer)) vs dd if=f bs=1M of=/dev/null
 *   read.lazy_chunk_owned.ratio_vs_dd     the same with a fresh, transferable buffer per chunk (the IPC mode)
 *   read.eager.ratio_vs_numpy             sumChunk(readBinaryEager(f)) vs np.fromfile(f).sum()
 *   read.eager_hugepages.ratio_vs_numpy   the same, ours in a child Node with GLIBC_TUNABLES=glibc.malloc.hugetlb=1
 *
 * Python times come from perf_counter inside Python (start-up and `import numpy` excluded); dd's
 * from its own "copied, … s" line (exec excluded). Each side reports the median of its runs.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { process as processData, sumChunk } from '../../src/main/lab/process'
import { readBinaryChunks, readBinaryEager, readBinaryLazy } from '../../src/main/lab/readers'
import { writeSampleData } from '../../src/main/lab/sampleData'
import type { SampleDataMeta } from '../../src/shared/readJobs'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const BENCH_DIR = join(tmpdir(), 'yield-lab-bench')
const BIG = { name: 'read-512mib', bytes: 512 * 1024 * 1024, seed: 512 }
const SMALL = { name: 'read-4mib', bytes: 4 * 1024 * 1024, seed: 4 }
const REFERENCE = join(import.meta.dirname, '..', 'reference', 'lecture_read.py')
const READERS_URL = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'main', 'lab', 'readers.ts')).href
const SUM_URL = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'main', 'lab', 'sum.ts')).href

/** Reuses a sample file from an earlier run when its sidecar matches, else (re)writes it. */
function ensureSample(spec: { name: string; bytes: number; seed: number }): { path: string; meta: SampleDataMeta } {
  const path = join(BENCH_DIR, `${spec.name}.bin`)
  const metaPath = join(BENCH_DIR, `${spec.name}.json`)
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as SampleDataMeta
      if (meta.bytes === spec.bytes && meta.seed === spec.seed && statSync(path).size === spec.bytes) return { path, meta }
    } catch {
      // Unreadable sidecar: write afresh below.
    }
  }
  const result = writeSampleData({ directory: BENCH_DIR, name: spec.name, bytes: spec.bytes, seed: spec.seed, overwrite: true })
  return { path: result.binaryPath, meta: result }
}

let prepared: { big: string; small: string; bigSum: number; smallSum: number } | undefined

function prepare(): NonNullable<typeof prepared> {
  if (prepared) return prepared
  const big = ensureSample(BIG)
  const small = ensureSample(SMALL)
  // Warm the page cache (and our code) so every contender reads from memory.
  for (let i = 0; i < 2; i++) {
    processData([readBinaryChunks(big.path, 65536, 'float64', { reuseBuffer: true })])
    processData([readBinaryLazy(small.path, 65536)])
  }
  prepared = { big: big.path, small: small.path, bigSum: big.meta.sum, smallSum: small.meta.sum }
  return prepared
}

function time(runs: number, work: () => number): { ms: number; result: number } {
  const times: number[] = []
  let result = NaN
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    result = work()
    times.push(performance.now() - start)
  }
  return { ms: median(times), result }
}

interface PythonResult {
  seconds: number[]
  sum: number
  count: number
}

function python(mode: 'lazy' | 'eager', file: string, chunkSize: number, repeat: number): PythonResult {
  let output: string
  try {
    output = execFileSync('python3', [REFERENCE, mode, file, '--chunk-size', String(chunkSize), '--repeat', String(repeat)], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024
    })
  } catch (error) {
    throw new Error(`The Python reference (python3 with numpy) could not run ${REFERENCE}: ${(error as Error).message}`)
  }
  return JSON.parse(output) as PythonResult
}

function checkSameSum(what: string, ours: number, theirs: number): void {
  if (!(Math.abs(ours - theirs) <= 1e-9 * Math.abs(theirs))) throw new Error(`${what}: our sum ${ours} differs from the reference's ${theirs}`)
}

/** Lazy per item, ours vs the lecture's read_binary_lazy + process on the same file. */
function lazyItem(file: string, chunkSize: number, runs: number): BenchMeasurement {
  const ours = time(runs, () => processData([readBinaryLazy(file, chunkSize)]).sum)
  const theirs = python('lazy', file, chunkSize, runs)
  checkSameSum(`lazy chunk ${chunkSize}`, ours.result, theirs.sum)
  return { value: ours.ms, reference: median(theirs.seconds) * 1000, unit: 'ms' }
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

function lazyChunk(reuseBuffer: boolean): BenchMeasurement {
  const { big, bigSum } = prepare()
  const runs = 9
  const ours = time(runs, () => processData([readBinaryChunks(big, 65536, 'float64', { reuseBuffer })]).sum)
  checkSameSum('lazy chunks', ours.result, bigSum)
  const dd: number[] = []
  for (let i = 0; i < runs; i++) dd.push(ddMs(big))
  return { value: ours.ms, reference: median(dd), unit: 'ms' }
}

/** Ours eager in a child Node whose glibc backs large allocations with transparent huge pages (as numpy does for its arrays). */
function eagerInChild(file: string, runs: number, env: NodeJS.ProcessEnv): number[] {
  const script = `
    const { readBinaryEager } = await import(${JSON.stringify(READERS_URL)})
    const { sumChunk } = await import(${JSON.stringify(SUM_URL)})
    const times = []
    for (let i = 0; i < ${runs}; i++) {
      const start = performance.now()
      sumChunk(readBinaryEager(${JSON.stringify(file)}))
      times.push(performance.now() - start)
    }
    console.log(JSON.stringify(times))`
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env,
    cwd: join(import.meta.dirname, '..', '..')
  })
  return JSON.parse(output.trim().split('\n').pop()!) as number[]
}

export const benchmarks: Benchmark[] = [
  {
    name: 'read.lazy_item_65536.ratio_vs_python',
    description: 'process(readBinaryLazy(512 MiB, chunk 65536)) vs lecture read_binary_lazy+process',
    run: async () => lazyItem(prepare().big, 65536, 3)
  },
  {
    name: 'read.lazy_item_1.ratio_vs_python',
    description: 'process(readBinaryLazy(4 MiB, chunk 1)): one read() per number, vs lecture',
    run: async () => lazyItem(prepare().small, 1, 3)
  },
  {
    name: 'read.lazy_chunk.ratio_vs_dd',
    description: 'process(readBinaryChunks(512 MiB, 65536, reuseBuffer)) vs dd bs=1M',
    run: async () => lazyChunk(true)
  },
  {
    name: 'read.lazy_chunk_owned.ratio_vs_dd',
    description: 'same, a fresh transferable ArrayBuffer per chunk (IPC mode), vs dd bs=1M',
    run: async () => lazyChunk(false)
  },
  {
    name: 'read.eager.ratio_vs_numpy',
    description: 'sumChunk(readBinaryEager(512 MiB)) vs np.fromfile(f).sum()',
    run: async () => {
      const { big, bigSum } = prepare()
      const runs = 7
      const ours = time(runs, () => sumChunk(readBinaryEager(big)))
      checkSameSum('eager', ours.result, bigSum)
      const theirs = python('eager', big, 0, runs)
      checkSameSum('eager numpy', theirs.sum, bigSum)
      return { value: ours.ms, reference: median(theirs.seconds) * 1000, unit: 'ms' }
    }
  },
  {
    name: 'read.eager_hugepages.ratio_vs_numpy',
    description: 'same, ours in a child node with GLIBC_TUNABLES=glibc.malloc.hugetlb=1',
    run: async () => {
      const { big } = prepare()
      const runs = 7
      const ours = eagerInChild(big, runs, { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })
      const theirs = python('eager', big, 0, runs)
      return { value: median(ours), reference: median(theirs.seconds) * 1000, unit: 'ms' }
    }
  }
]
