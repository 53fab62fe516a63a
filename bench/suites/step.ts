/**
 * The Step tab's recorder (trace_recorder.py) on the lecture's examples, in Pyodide (the app's
 * runtime, here in Node) against CPython (the system python3) running the same file on the same
 * programs. Both sides time record_json() — the trace as the worker hands it on — with Python's
 * own clock, over rounds of all the examples; each reports the median round.
 *
 * The value is microseconds per recorded step, so the ratio (CPython's time ÷ Pyodide's) is
 * Pyodide's steps per second over CPython's. Issue 14 asks for at least 0.33.
 */
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { loadPyodideWithRecorder, RECORDER_PATH } from '../../test/support/traceRecorders'
import { tracePrograms } from '../../test/support/tracePrograms'
import { median, type Benchmark, type BenchMeasurement } from '../types'

/** Rounds timed on each side (after one warm-up round), each recording every example this many times. */
const ROUNDS = 9
const REPEATS = 10

/** The same timing code on both runtimes: seconds per round and the steps one round records. */
const TIMING = `
import json, time
import trace_recorder

def time_rounds(programs, rounds, repeats):
    steps = sum(len(trace_recorder.record(source)["steps"]) for source in programs) * repeats
    seconds = []
    for round in range(rounds + 1):
        start = time.perf_counter()
        for _ in range(repeats):
            for source in programs:
                trace_recorder.record_json(source)
        seconds.append(time.perf_counter() - start)
    return json.dumps({"steps": steps, "seconds": seconds[1:]})
`

interface Rounds {
  steps: number
  seconds: number[]
}

const lecturePrograms = tracePrograms.filter((program) => program.lecture).map((program) => program.source)

function onCPython(): Rounds {
  const script = `import sys\nsys.path.insert(0, ${JSON.stringify(dirname(RECORDER_PATH))})\n${TIMING}
programs = json.loads(sys.stdin.read())
print(time_rounds(programs, ${ROUNDS}, ${REPEATS}))
`
  try {
    return JSON.parse(
      execFileSync('python3', ['-c', script], { input: JSON.stringify(lecturePrograms), encoding: 'utf8' })
    ) as Rounds
  } catch (error) {
    throw new Error(`python3 (3.11+) is needed as the reference for the step benchmark: ${(error as Error).message}`)
  }
}

async function onPyodide(): Promise<Rounds> {
  const pyodide = await loadPyodideWithRecorder()
  const scope = pyodide.toPy({ programs: lecturePrograms })
  try {
    pyodide.runPython(TIMING, { globals: scope })
    return JSON.parse(
      pyodide.runPython(`time_rounds(programs, ${ROUNDS}, ${REPEATS})`, { globals: scope }) as string
    ) as Rounds
  } finally {
    scope.destroy()
  }
}

function microsecondsPerStep({ steps, seconds }: Rounds): number {
  return (median(seconds) * 1e6) / steps
}

async function compare(): Promise<BenchMeasurement> {
  const reference = onCPython()
  const ours = await onPyodide()
  if (ours.steps !== reference.steps)
    throw new Error(`Pyodide recorded ${ours.steps} steps per round and CPython ${reference.steps}: not the same work`)
  const value = microsecondsPerStep(ours)
  const cpython = microsecondsPerStep(reference)
  console.log(
    `  step.record: Pyodide ${Math.round(1e6 / value).toLocaleString('en-US')} steps/s, ` +
      `CPython ${Math.round(1e6 / cpython).toLocaleString('en-US')} steps/s ` +
      `(${reference.steps / REPEATS} steps per round of the ${lecturePrograms.length} lecture examples)`
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
