/**
 * The sweep's estimator against a scripted machine: every run's time follows known rates (ms per
 * byte = a + b / chunk bytes, per mode), and a fake clock advances by exactly what each run and
 * stage takes, so the estimate can be compared with the true time left.
 */
import { describe, expect, test } from 'vitest'
import { planRuns } from '@shared/sweepMaths'
import { fitCost, SweepEstimator, type EstimatorPlan } from '@shared/sweepEstimate'
import type { MeasuredMode, SweepMode } from '@shared/sweep'

const MiB = 1024 * 1024
const ITEM_BYTES = 8

interface Machine {
  /** ms per byte = a + b / chunkBytes. */
  cost: Record<SweepMode, { a: number; b: number }>
  eagerMs: number
  /** Wall-clock time of a run beyond its own timing. */
  extraMs: number
}

const machine: Machine = {
  cost: {
    lazyItem: { a: 1e-5, b: 2e-3 }, // 100 MB/s, 2 µs per read
    lazyChunk: { a: 5e-7, b: 1e-3 }, // 2 GB/s, 1 µs per read
    text: { a: 2e-5, b: 2e-3 } // 50 MB/s of text
  },
  eagerMs: 30,
  extraMs: 3
}

const config = {
  chunkSizes: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536],
  modes: ['lazyItem', 'lazyChunk', 'text'] as SweepMode[],
  repeats: 3,
  eager: true,
  seed: 7
}
const fileBytes = 16 * MiB
const textBytes = 50 * MiB
const capMs = 100

/** One run on a machine: its own timing (a prefix when capped) and its wall-clock time. */
function simulate(
  m: Machine,
  mode: MeasuredMode,
  chunkItems: number | null,
  cap: number
): { run: { mode: MeasuredMode; chunkItems: number | null; bytesRead: number; elapsedMs: number }; wallMs: number } {
  if (mode === 'eager') {
    return { run: { mode, chunkItems, bytesRead: fileBytes, elapsedMs: m.eagerMs }, wallMs: m.eagerMs + m.extraMs }
  }
  const { a, b } = m.cost[mode]
  const perByte = a + b / (chunkItems! * ITEM_BYTES)
  const bytes = mode === 'text' ? textBytes : fileBytes
  const elapsedMs = Math.min(cap, bytes * perByte)
  return { run: { mode, chunkItems, bytesRead: elapsedMs / perByte, elapsedMs }, wallMs: elapsedMs + m.extraMs }
}

function estimatorPlan(): EstimatorPlan {
  return {
    runs: planRuns(config),
    itemBytes: ITEM_BYTES,
    fileBytes,
    textBytes,
    timeCapMs: capMs,
    cacheBytes: fileBytes + textBytes
  }
}

/** Code not yet compiled: every mode five times slower, and each run 20 ms more. */
function uncompiled(m: Machine): Machine {
  const slower = (cost: { a: number; b: number }): { a: number; b: number } => ({ a: cost.a * 5, b: cost.b * 5 })
  return {
    cost: { lazyItem: slower(m.cost.lazyItem), lazyChunk: slower(m.cost.lazyChunk), text: slower(m.cost.text) },
    eagerMs: m.eagerMs * 5,
    extraMs: m.extraMs + 20
  }
}

/**
 * The warm-up the sweep does: each mode at the smallest and the middle chunk (40 ms cap), twice,
 * the first pass on code not yet compiled (not learnt from), then eager twice.
 */
function warmUp(estimator: SweepEstimator, m: Machine, clock: { now: number }): void {
  estimator.startStage('warmup', clock.now)
  for (const pass of [uncompiled(m), m]) {
    for (const mode of config.modes) {
      for (const chunk of [config.chunkSizes[0]!, config.chunkSizes[4]!]) {
        const { run, wallMs } = simulate(pass, mode, chunk, 40)
        clock.now += wallMs
        if (pass === m) estimator.warmupRun(run, clock.now)
        else estimator.timePassed(clock.now)
      }
    }
  }
  for (const pass of [uncompiled(m), m]) {
    const { run, wallMs } = simulate(pass, 'eager', null, Infinity)
    clock.now += wallMs
    if (pass === m) estimator.warmupRun(run, clock.now)
    else estimator.timePassed(clock.now)
  }
}

/** Runs the whole plan on `m`; returns the estimate before each run and the true time left then. */
function runAll(estimator: SweepEstimator, m: Machine, clock: { now: number }): { estimated: number; truth: number }[] {
  const order = planRuns(config)
  const walls = order.map((planned) => simulate(m, planned.mode, planned.chunkItems, capMs).wallMs)
  const points: { estimated: number; truth: number }[] = []
  estimator.startStage('runs', clock.now)
  order.forEach((planned, i) => {
    const truth = walls.slice(i).reduce((sum, w) => sum + w, 0)
    points.push({ estimated: estimator.estimate(clock.now).totalMs!, truth })
    const { run, wallMs } = simulate(m, planned.mode, planned.chunkItems, capMs)
    clock.now += wallMs
    estimator.runDone(run, clock.now)
  })
  return points
}

describe('fitCost', () => {
  test('recovers a per-byte and a per-read cost from exact samples', () => {
    const samples = [8, 64, 8192, 65536].map((chunkBytes) => ({ chunkBytes, msPerByte: 1e-5 + 2e-3 / chunkBytes }))
    const model = fitCost(samples)!
    expect(model.a).toBeCloseTo(1e-5, 12)
    expect(model.b).toBeCloseTo(2e-3, 12)
  })

  test('never a negative cost: smaller chunks measured faster fall back to one term', () => {
    const model = fitCost([
      { chunkBytes: 8, msPerByte: 1e-5 },
      { chunkBytes: 8192, msPerByte: 2e-5 }
    ])!
    expect(model.a).toBeGreaterThanOrEqual(0)
    expect(model.b).toBeGreaterThanOrEqual(0)
    expect(model.b).toBe(0)
    expect(fitCost([])).toBeUndefined()
  })
})

describe('SweepEstimator', () => {
  test('checking the files: nothing can be told yet', () => {
    const estimator = new SweepEstimator(estimatorPlan(), 0)
    expect(estimator.estimate(5)).toEqual({ totalMs: undefined, stageMs: undefined })
  })

  test('the page cache: the bytes left at the rate read so far', () => {
    const clock = { now: 1000 }
    const estimator = new SweepEstimator(estimatorPlan(), clock.now)
    estimator.startStage('cache', clock.now)
    expect(estimator.estimate(clock.now).stageMs).toBeUndefined()
    // 200 MB/s: 66 MiB take 346 ms.
    const total = fileBytes + textBytes
    clock.now += 100
    estimator.cacheProgress(200e3 * 100)
    expect(estimator.estimate(clock.now).stageMs).toBeCloseTo(total / 200e3 - 100, 6)
    clock.now += 200
    estimator.cacheProgress(200e3 * 300)
    expect(estimator.estimate(clock.now).stageMs).toBeCloseTo(total / 200e3 - 300, 6)
    // The total waits for the warm-up.
    expect(estimator.estimate(clock.now).totalMs).toBeUndefined()
  })

  test('calibrated by the warm-up: the first estimate of the runs is the true time', () => {
    const clock = { now: 0 }
    const estimator = new SweepEstimator(estimatorPlan(), clock.now)
    warmUp(estimator, machine, clock)
    const points = runAll(estimator, machine, clock)
    expect(points[0]!.estimated / points[0]!.truth).toBeCloseTo(1, 2)
    for (const { estimated, truth } of points) expect(Math.abs(estimated - truth)).toBeLessThan(0.01 * points[0]!.truth)
    expect(estimator.estimate(clock.now).totalMs).toBe(0)
  })

  test('no total until every mode has been measured in the warm-up', () => {
    const clock = { now: 0 }
    const estimator = new SweepEstimator(estimatorPlan(), clock.now)
    estimator.startStage('warmup', clock.now)
    const { run, wallMs } = simulate(machine, 'lazyItem', 1, 40)
    clock.now += wallMs
    estimator.warmupRun(run, clock.now)
    expect(estimator.estimate(clock.now).totalMs).toBeUndefined()
  })

  test('a machine slower than in the warm-up: the runs correct the estimate as they finish', () => {
    const clock = { now: 0 }
    const estimator = new SweepEstimator(estimatorPlan(), clock.now)
    warmUp(estimator, machine, clock)
    // Another program starts: every mode reads at 60% of the warm-up's rate, and runs pay 10 ms more.
    const slower: Machine = {
      cost: {
        lazyItem: { a: machine.cost.lazyItem.a / 0.6, b: machine.cost.lazyItem.b / 0.6 },
        lazyChunk: { a: machine.cost.lazyChunk.a / 0.6, b: machine.cost.lazyChunk.b / 0.6 },
        text: { a: machine.cost.text.a / 0.6, b: machine.cost.text.b / 0.6 }
      },
      eagerMs: machine.eagerMs / 0.6,
      extraMs: machine.extraMs + 10
    }
    const points = runAll(estimator, slower, clock)
    const error = (i: number): number => Math.abs(points[i]!.estimated / points[i]!.truth - 1)
    expect(error(0)).toBeGreaterThan(0.1)
    const third = Math.floor(points.length / 3)
    expect(error(third)).toBeLessThan(error(0) / 2)
    expect(error(2 * third)).toBeLessThan(0.05)
  })

  test('between runs the estimate counts down with the clock', () => {
    const clock = { now: 0 }
    const estimator = new SweepEstimator(estimatorPlan(), clock.now)
    warmUp(estimator, machine, clock)
    estimator.startStage('runs', clock.now)
    const at = estimator.estimate(clock.now).totalMs!
    expect(estimator.estimate(clock.now + 20).totalMs).toBeCloseTo(at - 20, 6)
    expect(estimator.estimate(clock.now + 20).stageMs).toBeCloseTo(at - 20, 6)
  })
})
