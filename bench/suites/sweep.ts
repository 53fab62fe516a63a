/**
 * The Benchmark tab's estimate of how long a sweep takes (src/shared/sweepEstimate.ts) against the
 * time the sweep really took, on a 64 MiB float64 file with its text twin, page cache warm:
 *
 *   sweep.estimate_default.ratio_vs_real          the tab's default settings (1 … 1 Mi items, every mode
 *                                                  and eager, 3 repeats, 1 s cap): the time left as estimated
 *                                                  when the warm-up ends (all of the runs), against the time
 *                                                  they really took
 *   sweep.estimate_default_midway.ratio_vs_real   the same sweep, estimated when half its runs are done
 *   sweep.estimate_short.ratio_vs_real            a short sweep: chunks of 1, 1 Ki and 1 Mi items, 1 repeat
 *   sweep.extrapolation.ratio_vs_full             a run stopped at a 20 ms cap extrapolates its time per
 *                                                  file from the prefix it read: that, against reading the
 *                                                  whole 4 MiB file (lazy per item, chunks of 4; 3 repeats)
 *
 * The time already spent (checking, the page cache, the warm-up) is left out of both sides, so
 * only what was estimated is compared.
 *
 * ratio = real time ÷ estimated time: 1.00x is exact, above 1 the sweep took longer than said; the
 * target is within 1.5× either way (0.67x … 1.5x). The sweep runs in this process, as the CLI runs
 * it; the app adds one IPC round trip per run, which the estimate learns the same way. The time
 * each stage took is printed to stderr.
 */
import { existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { runSweep, sweep } from '../../src/main/lab/sweep/sweep'
import { writeSampleData } from '../../src/main/lab/read/sampleData'
import { formatDuration } from '../../src/shared/format'
import { summarize } from '../../src/shared/sweepMaths'
import { sweepArgsSchema, type SweepArgs, type SweepStats } from '../../src/shared/sweep'
import type { SweepStage } from '../../src/shared/sweepEstimate'
import type { Benchmark, BenchMeasurement } from '../types'

const BENCH_DIR = join(tmpdir(), 'yield-lab-bench')
const SAMPLE = { name: 'sweep-64mib', bytes: 64 * 1024 * 1024, seed: 64 }

/** The sample file and its text twin, reused from an earlier run when both are there at the right size. */
function sample(): string {
  const path = join(BENCH_DIR, `${SAMPLE.name}.bin`)
  const text = join(BENCH_DIR, `${SAMPLE.name}.txt`)
  if (existsSync(path) && existsSync(text) && statSync(path).size === SAMPLE.bytes) return path
  return writeSampleData({ directory: BENCH_DIR, ...SAMPLE, withText: true, overwrite: true }).binaryPath
}

/** An estimate of the time left, and the time that really was left then. */
interface Estimated {
  estimatedMs: number
  realMs: number
}

interface Timed {
  /** When the warm-up ended. */
  afterWarmup: Estimated
  /** When half the runs were done. */
  midway: Estimated
}

/** Runs a sweep to its end; the estimates it reported, and its real time. */
function timedSweep(raw: Omit<SweepArgs, 'path'>): Timed {
  const args = v.parse(sweepArgsSchema, { ...raw, path: sample(), appVersion: 'bench' })
  let afterWarmup: { at: number; etaMs: number } | undefined
  let midway: { at: number; etaMs: number } | undefined
  const stageStarts: { stage: SweepStage; at: number }[] = []
  const onReport = (stats: SweepStats): void => {
    const at = performance.now()
    if (stageStarts.at(-1)?.stage !== stats.stage) stageStarts.push({ stage: stats.stage, at })
    if (stats.etaMs === null) return
    afterWarmup ??= { at, etaMs: stats.etaMs }
    if (midway === undefined && stats.runs >= stats.planned / 2) midway = { at, etaMs: stats.etaMs }
  }
  const generator = sweep(args, { isCancelled: () => false, report: (progress) => onReport(progress.stats) })
  let step = generator.next()
  while (step.done !== true) step = generator.next()
  const end = performance.now()
  if (step.value.status !== 'complete' || afterWarmup === undefined || midway === undefined)
    throw new Error('The sweep did not complete with estimates')
  const stages = stageStarts.map(
    ({ stage, at }, i) => `${stage} ${formatDuration((stageStarts[i + 1]?.at ?? end) - at)}`
  )
  const estimated = (e: { at: number; etaMs: number }): Estimated => ({ estimatedMs: e.etaMs, realMs: end - e.at })
  const timed = { afterWarmup: estimated(afterWarmup), midway: estimated(midway) }
  console.error(
    `  ${step.value.plannedRuns} runs; stages: ${stages.join(', ')}. After the warm-up: ${formatDuration(timed.afterWarmup.estimatedMs)} ` +
      `estimated, ${formatDuration(timed.afterWarmup.realMs)} real; midway: ${formatDuration(timed.midway.estimatedMs)} estimated, ` +
      `${formatDuration(timed.midway.realMs)} real`
  )
  return timed
}

/** Median time per file of lazy-per-item runs in chunks of 4 over a 4 MiB file, stopped at `timeCapMs`. */
function timePerFile(timeCapMs: number): { medianMs: number; capped: boolean } {
  const path = writeSampleData({
    directory: BENCH_DIR,
    name: 'extrapolation-4mib',
    bytes: 4 * 1024 * 1024,
    seed: 4,
    overwrite: true
  }).binaryPath
  const args = v.parse(sweepArgsSchema, {
    path,
    appVersion: 'bench',
    modes: ['lazyItem'],
    grid: { kind: 'list', sizes: [4] },
    repeats: 3,
    eager: false,
    timeCapMs
  })
  const run = runSweep(args, { isCancelled: () => false, report: () => {} })
  if (run.status !== 'complete') throw new Error(`The ${timeCapMs} ms sweep did not complete`)
  return {
    medianMs: summarize(run.measurements)[0]!.timePerFileMs.median,
    capped: run.measurements.every((m) => m.capped)
  }
}

let defaults: Timed | undefined
const defaultSweep = (): Timed => (defaults ??= timedSweep({}))

const ratio = ({ estimatedMs, realMs }: Estimated): BenchMeasurement => ({
  value: estimatedMs / 1000,
  reference: realMs / 1000,
  unit: 's'
})

export const benchmarks: Benchmark[] = [
  {
    name: 'sweep.estimate_default.ratio_vs_real',
    description: 'default sweep of 64 MiB + text: time left estimated after the warm-up vs real (target 0.67–1.5x)',
    run: () => {
      const timed = defaultSweep()
      return Promise.resolve(ratio(timed.afterWarmup))
    }
  },
  {
    name: 'sweep.estimate_default_midway.ratio_vs_real',
    description: 'the same sweep: time left estimated at half its runs vs real',
    run: () => {
      const timed = defaultSweep()
      return Promise.resolve(ratio(timed.midway))
    }
  },
  {
    name: 'sweep.estimate_short.ratio_vs_real',
    description: 'chunks 1, 1 Ki, 1 Mi items, 1 repeat: time left estimated after the warm-up vs real',
    run: () => {
      const timed = timedSweep({ grid: { kind: 'list', sizes: [1, 1024, 1024 * 1024] }, repeats: 1 })
      return Promise.resolve(ratio(timed.afterWarmup))
    }
  },
  {
    name: 'sweep.extrapolation.ratio_vs_full',
    description:
      'time per file extrapolated from runs stopped at 20 ms vs reading the whole 4 MiB file (1.00x: they agree)',
    run: () => {
      const capped = timePerFile(20)
      const full = timePerFile(60_000)
      if (!capped.capped || full.capped)
        throw new Error('The capped runs were not all stopped at the cap, or the full ones were')
      return Promise.resolve({ value: capped.medianMs / 1000, reference: full.medianMs / 1000, unit: 's' })
    }
  }
]
