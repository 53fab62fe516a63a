/**
 * The walker against Python's os.walk and the fdir package (sync crawl), on a tree of 20×20
 * directories × 500 empty files (200,420 entries), warm cache. Each comparison interleaves rounds
 * of ours and the reference so drift on a shared machine hits both alike; values are medians.
 *
 * The tree is generated once under os.tmpdir()/yield-lab-bench-tree (a marker file next to it
 * says it is complete) and reused by later runs.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fdir } from 'fdir'
import { walk } from '../../src/main/lab/walk/walk'
import { median, type Benchmark } from '../types'

const FANOUT = 20
const FILES_PER_DIR = 500
const EXPECTED_DIRS = FANOUT + FANOUT * FANOUT
const EXPECTED_FILES = FANOUT * FANOUT * FILES_PER_DIR
const ROUNDS = 7
const RUNS_PER_ROUND = 3

const treeRoot = join(tmpdir(), 'yield-lab-bench-tree')
const treeMarker = `${treeRoot}.complete`
const pythonScript = join(import.meta.dirname, '..', 'reference', 'oswalk.py')

/** The bench's tree of 200,420 entries, made once and reused (see the module comment). */
export function ensureTree(): string {
  if (existsSync(treeMarker) && existsSync(treeRoot)) return treeRoot
  rmSync(treeRoot, { recursive: true, force: true })
  for (let i = 0; i < FANOUT; i++) {
    for (let j = 0; j < FANOUT; j++) {
      const dir = join(treeRoot, `d${i}`, `e${j}`)
      mkdirSync(dir, { recursive: true })
      for (let k = 0; k < FILES_PER_DIR; k++) writeFileSync(join(dir, `file${k}.dat`), '')
    }
  }
  writeFileSync(treeMarker, `${EXPECTED_DIRS} dirs, ${EXPECTED_FILES} files\n`)
  return treeRoot
}

function ours(top: string): number {
  let dirs = 0
  let files = 0
  for (const [, dirnames, filenames] of walk(top)) {
    dirs += dirnames.length
    files += filenames.length
  }
  if (dirs !== EXPECTED_DIRS || files !== EXPECTED_FILES)
    throw new Error(`walk saw ${dirs} dirs and ${files} files in ${top}`)
  return dirs + files
}

function theirs(top: string): number {
  // Directories and files with their paths: the closest fdir gets to what os.walk produces.
  return new fdir().withBasePath().withDirs().crawl(top).sync().length
}

function timeOnce(f: () => unknown): number {
  const start = performance.now()
  f()
  return (performance.now() - start) / 1000
}

function pythonTimes(top: string, runs: number): number[] {
  let out: string
  try {
    out = execFileSync('python3', [pythonScript, top, String(runs)], { encoding: 'utf8' })
  } catch (error) {
    throw new Error(`python3 is needed as the reference for walk.ratio_vs_oswalk: ${(error as Error).message}`)
  }
  const result = JSON.parse(out) as { times: number[]; dirs: number; files: number }
  if (result.dirs !== EXPECTED_DIRS || result.files !== EXPECTED_FILES)
    throw new Error(`os.walk saw ${result.dirs} dirs and ${result.files} files`)
  return result.times
}

/**
 * Interleaved rounds of RUNS_PER_ROUND runs each, alternating which side goes first, so neither
 * always pays for garbage the other left behind.
 */
function compare(reference: (top: string) => number[]): { value: number; reference: number; unit: string } {
  const top = ensureTree()
  ours(top) // warm the cache and the JIT
  reference(top)
  const ourTimes: number[] = []
  const theirTimes: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 1) theirTimes.push(...reference(top))
    for (let run = 0; run < RUNS_PER_ROUND; run++) ourTimes.push(timeOnce(() => ours(top)))
    if (round % 2 === 0) theirTimes.push(...reference(top))
  }
  return { value: median(ourTimes), reference: median(theirTimes), unit: 's' }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'walk.ratio_vs_oswalk',
    description: `walk() vs python os.walk, ${EXPECTED_DIRS + EXPECTED_FILES} entries, warm`,
    run: async () => compare((top) => pythonTimes(top, RUNS_PER_ROUND))
  },
  {
    name: 'walk.ratio_vs_fdir',
    description: `walk() vs fdir sync crawl (withBasePath, withDirs), ${EXPECTED_DIRS + EXPECTED_FILES} entries, warm`,
    run: async () =>
      compare((top) => {
        const times: number[] = []
        for (let run = 0; run < RUNS_PER_ROUND; run++) {
          times.push(
            timeOnce(() => {
              const count = theirs(top)
              // fdir also lists top itself
              if (count !== EXPECTED_DIRS + EXPECTED_FILES + 1) throw new Error(`fdir saw ${count} entries`)
            })
          )
        }
        return times
      })
  }
]
