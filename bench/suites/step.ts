/**
 * The Step tab's recorder (trace_recorder.py) on the lecture's examples, in Pyodide (the app's
 * runtime, here in Node) against CPython (the system python3) running the same file on the same
 * programs. Both sides time record_json() — the trace as the worker hands it on — with Python's
 * own clock, over rounds of all the examples taken by turns; each reports the median round.
 *
 * The value is microseconds per recorded step, so the ratio (CPython's time ÷ Pyodide's) is
 * Pyodide's steps per second over CPython's. Issue 14 asks for at least 0.33.
 */
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { loadPyodideWithRecorder, RECORDER_PATH } from '../../test/support/traceRecorders'
import { tracePrograms } from '../../test/support/tracePrograms'
import { median, type Benchmark, type BenchMeasurement } from '../types'

/** Rounds timed on each side, alternately (after one warm-up round each); each round records every example this many times. */
const ROUNDS = 9
const REPEATS = 10

/**
 * The same timing code on both runtimes: the steps one round records, and the seconds each of
 * `rounds` rounds took. The machine is shared, so the two sides run by turns, a round at a time:
 * a change in load weighs on both alike.
 */
const TIMING = `
import json, time
import trace_recorder

def time_rounds(programs, rounds, repeats):
    steps = sum(len(trace_recorder.record(source)["steps"]) for source in programs) * repeats
    seconds = []
    for round in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            for source in programs:
                trace_recorder.record_json(source)
        seconds.append(time.perf_counter() - start)
    return json.dumps({"steps": steps, "seconds": seconds})
`

interface Rounds {
  steps: number
  seconds: number[]
}

const lecturePrograms = tracePrograms.filter((program) => program.lecture).map((program) => program.source)

function cpythonRound(): Rounds {
  const script = `import sys\nsys.path.insert(0, ${JSON.stringify(dirname(RECORDER_PATH))})\n${TIMING}
programs = json.loads(sys.stdin.read())
time_rounds(programs, 1, 1)  # warm-up: imports, caches
print(time_rounds(programs, 1, ${REPEATS}))
`
  try {
    return JSON.parse(
      execFileSync('python3', ['-c', script], { input: JSON.stringify(lecturePrograms), encoding: 'utf8' })
    ) as Rounds
  } catch (error) {
    throw new Error(`python3 (3.11+) is needed as the reference for the step benchmark: ${(error as Error).message}`)
  }
}

async function timeBothByTurns(): Promise<{ pyodide: Rounds; cpython: Rounds }> {
  const runtime = await loadPyodideWithRecorder()
  const scope = runtime.toPy({ programs: lecturePrograms })
  try {
    runtime.runPython(TIMING, { globals: scope })
    const pyodideRound = (repeats: number): Rounds =>
      JSON.parse(runtime.runPython(`time_rounds(programs, 1, ${repeats})`, { globals: scope }) as string) as Rounds
    pyodideRound(1) // warm-up
    const pyodide: Rounds = { steps: 0, seconds: [] }
    const cpython: Rounds = { steps: 0, seconds: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [side, measure] of [
        [cpython, cpythonRound],
        [pyodide, () => pyodideRound(REPEATS)]
      ] as const) {
        const { steps, seconds } = measure()
        side.steps = steps
        side.seconds.push(...seconds)
      }
    }
    return { pyodide, cpython }
  } finally {
    scope.destroy()
  }
}

function microsecondsPerStep({ steps, seconds }: Rounds): number {
  return (median(seconds) * 1e6) / steps
}

async function compare(): Promise<BenchMeasurement> {
  const { pyodide, cpython: reference } = await timeBothByTurns()
  if (pyodide.steps !== reference.steps)
    throw new Error(
      `Pyodide recorded ${pyodide.steps} steps per round and CPython ${reference.steps}: not the same work`
    )
  const value = microsecondsPerStep(pyodide)
  const cpython = microsecondsPerStep(reference)
  console.log(
    `  step.record: Pyodide ${Math.round(1e6 / value).toLocaleString('en-US')} steps/s, ` +
      `CPython ${Math.round(1e6 / cpython).toLocaleString('en-US')} steps/s ` +
      `(${reference.steps / REPEATS} steps per round of the ${lecturePrograms.length} lecture examples, medians of ${ROUNDS} rounds by turns)`
  )
  return { value, reference: cpython, unit: 'us' }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'step.record.ratio_vs_cpython',
    description:
      'recording the lecture examples step by step, µs per step: Pyodide (Node) vs python3 running the same recorder (target ratio ≥ 0.33)',
    run: compare
  }
]
