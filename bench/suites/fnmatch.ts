/**
 * The walk's fnmatch (src/main/lab/fnmatch.ts) against Python's fnmatch, each compiled once and
 * then matched: a filter over 200,000 file names, and a pattern of many stars against a long name
 * that would backtrack catastrophically without atomic matching. Python runs in the same bench
 * run (python3); each side reports the median of its runs.
 */
import { execFileSync } from 'node:child_process'
import { compileFnmatch } from '../../src/main/lab/walk/fnmatch'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const RUNS = 15

interface Workload {
  pattern: string
  names: string[]
  /** How many of `names` the pattern matches (both sides are checked against it). */
  matches: number
}

const filter: Workload = {
  pattern: '*[0-9].da?',
  names: Array.from({ length: 200_000 }, (_, i) => `file-${i}.${i % 4 === 0 ? 'txt' : 'dat'}`),
  matches: 150_000
}
const manyStars: Workload = {
  pattern: '*a*a*a*a*a*a*a*a*b',
  names: Array.from({ length: 100 }, () => 'a'.repeat(5000)),
  matches: 0
}

function ours({ pattern, names, matches }: Workload): number[] {
  const match = compileFnmatch(pattern)
  const times: number[] = []
  for (let run = 0; run < RUNS + 1; run++) {
    const start = performance.now()
    let count = 0
    for (const name of names) if (match(name)) count++
    times.push(performance.now() - start)
    if (count !== matches) throw new Error(`fnmatch matched ${count} names, not ${matches}`)
  }
  return times.slice(1) // the first run warms the JIT
}

const PYTHON = `
import fnmatch, json, re, sys, time
spec = json.load(sys.stdin)
match = re.compile(fnmatch.translate(spec['pattern'])).match
times = []
for _ in range(spec['runs']):
    start = time.perf_counter()
    count = sum(1 for name in spec['names'] if match(name))
    times.append((time.perf_counter() - start) * 1000)
    if count != spec['matches']:
        sys.exit(f"fnmatch matched {count} names, not {spec['matches']}")
print(json.dumps(times))
`

function python(workload: Workload): number[] {
  try {
    const out = execFileSync('python3', ['-c', PYTHON], {
      input: JSON.stringify({ ...workload, runs: RUNS }),
      encoding: 'utf8',
      maxBuffer: 1 << 20
    })
    return JSON.parse(out) as number[]
  } catch (error) {
    throw new Error(`python3 is needed as the reference for the fnmatch benchmarks: ${(error as Error).message}`)
  }
}

function compare(workload: Workload): BenchMeasurement {
  return { value: median(ours(workload)), reference: median(python(workload)), unit: 'ms' }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'fnmatch.filter_200k.ratio_vs_python',
    description: `fnmatch '${filter.pattern}' over 200,000 names vs python fnmatch (compiled once)`,
    run: async () => compare(filter)
  },
  {
    name: 'fnmatch.many_stars.ratio_vs_python',
    description: `fnmatch '${manyStars.pattern}' vs 100 names of 5,000 'a's (no backtracking blow-up) vs python`,
    run: async () => compare(manyStars)
  }
]
