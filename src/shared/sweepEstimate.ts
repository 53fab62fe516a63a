/**
 * How long a sweep will take, over every stage: checking the files, preparing the page cache,
 * the warm-up and the runs. Nothing is assumed about the machine: each stage is estimated from
 * what the sweep has measured so far.
 *
 * - cache: the bytes left to read at the rate read so far;
 * - runs: per mode, the cost of a byte as a function of the chunk, `a + b / chunkBytes` (a per-byte
 *   cost plus a per-read cost), fitted to the warm-up's short runs (each mode at two chunk sizes)
 *   and refitted as runs finish. A run takes the file's bytes at that cost, at most the time cap.
 *   A chunk size already measured is predicted by its own runs. Every run also pays what the
 *   clock shows beyond its own timing (opening the file, the renderer pulling it, cache eviction),
 *   learnt from the runs so far. Eager takes what its warm-up runs, then its measured runs, took.
 *
 * The total is known once the warm-up has measured every mode; before that only the current
 * stage is estimated. Pure: the caller passes each reading of its clock, so tests drive it with a
 * fake clock and scripted rates, and `npm run bench -- --only sweep` checks it against real sweeps.
 */
import { median } from './sweepMaths'
import type { MeasuredMode, SweepMode } from './sweep'

export type SweepStage = 'check' | 'cache' | 'warmup' | 'runs'

export interface EstimatorPlan {
  /** Every planned run (its order does not matter). */
  runs: readonly { mode: MeasuredMode; chunkItems: number | null }[]
  itemBytes: number
  /** Bytes of the binary file, and of the text twin (read by the text mode). */
  fileBytes: number
  textBytes: number | null
  timeCapMs: number
  /** Bytes the cache preparation reads (0 when it reads none). */
  cacheBytes: number
}

/** A run as the estimator learns from it: what it read in how long (its own timing). */
export interface TimedRun {
  mode: MeasuredMode
  chunkItems: number | null
  bytesRead: number
  elapsedMs: number
}

export interface SweepEstimate {
  /** Time left for the whole sweep; undefined until the warm-up has measured every mode. */
  totalMs: number | undefined
  /** Time left in the current stage, when it can be told. */
  stageMs: number | undefined
}

interface CostSample {
  chunkBytes: number
  msPerByte: number
}

/** `a + b / chunkBytes` ms per byte. */
interface CostModel {
  a: number
  b: number
}

/**
 * Fits ms per byte = a + b / chunkBytes, both at least 0, minimising the relative error (so tiny
 * chunks, a thousand times slower per byte, do not drown the large ones).
 */
export function fitCost(samples: readonly CostSample[]): CostModel | undefined {
  if (samples.length === 0) return undefined
  // Weighted least squares on y = a + b·x with weights 1/y².
  let sw = 0
  let sx = 0
  let sy = 0
  let sxx = 0
  let sxy = 0
  for (const { chunkBytes, msPerByte: y } of samples) {
    const w = 1 / (y * y)
    const x = 1 / chunkBytes
    sw += w
    sx += w * x
    sy += w * y
    sxx += w * x * x
    sxy += w * x * y
  }
  const det = sw * sxx - sx * sx
  if (det > 1e-12 * sw * sxx) {
    const a = (sy * sxx - sx * sxy) / det
    const b = (sw * sxy - sx * sy) / det
    if (a >= 0 && b >= 0) return { a, b }
  }
  // One term only: whichever fits better.
  const perByte: CostModel = { a: sy / sw, b: 0 }
  const perRead: CostModel = { a: 0, b: sxx > 0 ? sxy / sxx : 0 }
  const error = (model: CostModel): number =>
    samples.reduce((sum, s) => sum + ((model.a + model.b / s.chunkBytes) / s.msPerByte - 1) ** 2, 0)
  return error(perRead) < error(perByte) ? perRead : perByte
}

const key = (mode: MeasuredMode, chunkItems: number | null): string => `${mode}/${String(chunkItems)}`

export class SweepEstimator {
  private stage: SweepStage = 'check'
  private stageStartedAt: number
  /** When the last run (of the warm-up or the sweep) ended: the next one started then. */
  private lastEventAt: number
  private cacheBytesDone = 0
  private readonly warmupCost = new Map<SweepMode, CostSample[]>()
  private readonly runCost = new Map<SweepMode, CostSample[]>()
  private readonly warmupEagerMs: number[] = []
  /** Wall-clock time of each measured run, by mode and chunk. */
  private readonly runWallMs = new Map<string, number[]>()
  /** Wall-clock time beyond a run's own timing. */
  private readonly warmupExtraMs: number[] = []
  private readonly runExtraMs: number[] = []
  /** Runs still to measure, by mode and chunk. */
  private readonly left = new Map<string, { mode: MeasuredMode; chunkItems: number | null; count: number }>()
  private readonly lazyModes: Set<SweepMode>

  constructor(
    private readonly plan: EstimatorPlan,
    now: number
  ) {
    this.stageStartedAt = now
    this.lastEventAt = now
    const lazy = new Set<SweepMode>()
    for (const run of plan.runs) {
      const entry = this.left.get(key(run.mode, run.chunkItems))
      if (entry === undefined) this.left.set(key(run.mode, run.chunkItems), { ...run, count: 1 })
      else entry.count++
      if (run.mode !== 'eager') lazy.add(run.mode)
    }
    this.lazyModes = lazy
  }

  get currentStage(): SweepStage {
    return this.stage
  }

  startStage(stage: SweepStage, now: number): void {
    this.stage = stage
    this.stageStartedAt = now
    this.lastEventAt = now
  }

  /** Bytes read so far by the cache preparation. */
  cacheProgress(bytesDone: number): void {
    this.cacheBytesDone = bytesDone
  }

  /** Something the estimate does not learn from (a run of code not yet compiled) ended at `now`. */
  timePassed(now: number): void {
    this.lastEventAt = now
  }

  /** A warm-up run ended at `now`. */
  warmupRun(run: TimedRun, now: number): void {
    const wallMs = now - this.lastEventAt
    this.lastEventAt = now
    this.warmupExtraMs.push(Math.max(0, wallMs - run.elapsedMs))
    if (run.mode === 'eager') this.warmupEagerMs.push(wallMs)
    else this.addCost(this.warmupCost, run.mode, run)
  }

  /** A measured run ended at `now`. */
  runDone(run: TimedRun, now: number): void {
    const wallMs = now - this.lastEventAt
    this.lastEventAt = now
    this.runExtraMs.push(Math.max(0, wallMs - run.elapsedMs))
    const k = key(run.mode, run.chunkItems)
    const walls = this.runWallMs.get(k)
    if (walls === undefined) this.runWallMs.set(k, [wallMs])
    else walls.push(wallMs)
    const entry = this.left.get(k)
    if (entry !== undefined && entry.count > 0) entry.count--
    if (run.mode !== 'eager') this.addCost(this.runCost, run.mode, run)
  }

  private addCost(into: Map<SweepMode, CostSample[]>, mode: SweepMode, run: TimedRun): void {
    if (run.chunkItems === null || !(run.bytesRead > 0) || !(run.elapsedMs > 0)) return
    const sample = { chunkBytes: run.chunkItems * this.plan.itemBytes, msPerByte: run.elapsedMs / run.bytesRead }
    const samples = into.get(mode)
    if (samples === undefined) into.set(mode, [sample])
    else samples.push(sample)
  }

  /** The cost model of a mode: from its runs once there are a few, with the warm-up's samples. */
  private model(mode: SweepMode): CostModel | undefined {
    return fitCost([...(this.warmupCost.get(mode) ?? []), ...(this.runCost.get(mode) ?? [])])
  }

  private extraMs(): number {
    const samples = this.runExtraMs.length > 0 ? this.runExtraMs : this.warmupExtraMs
    return samples.length > 0 ? median(samples) : 0
  }

  /** Predicted wall-clock time of one run; undefined when nothing is known about its mode yet. */
  predictRunMs(mode: MeasuredMode, chunkItems: number | null): number | undefined {
    const walls = this.runWallMs.get(key(mode, chunkItems))
    if (walls !== undefined) return median(walls)
    if (mode === 'eager') return this.warmupEagerMs.at(-1)
    const model = this.model(mode)
    if (model === undefined || chunkItems === null) return undefined
    const bytes = mode === 'text' ? (this.plan.textBytes ?? 0) : this.plan.fileBytes
    const ms = bytes * (model.a + model.b / (chunkItems * this.plan.itemBytes))
    return Math.min(this.plan.timeCapMs, ms) + this.extraMs()
  }

  /** Predicted time of every run not yet measured; undefined while a mode is unknown. */
  private runsLeftMs(): number | undefined {
    let total = 0
    for (const { mode, chunkItems, count } of this.left.values()) {
      if (count === 0) continue
      const each = this.predictRunMs(mode, chunkItems)
      if (each === undefined) return undefined
      total += each * count
    }
    return total
  }

  private cacheLeftMs(now: number): number | undefined {
    const left = this.plan.cacheBytes - this.cacheBytesDone
    if (left <= 0) return 0
    const spent = now - this.stageStartedAt
    if (this.cacheBytesDone <= 0 || spent <= 0) return undefined
    return (left * spent) / this.cacheBytesDone
  }

  estimate(now: number): SweepEstimate {
    const sinceLast = Math.max(0, now - this.lastEventAt)
    switch (this.stage) {
      case 'check':
        return { totalMs: undefined, stageMs: undefined }
      case 'cache':
        return { totalMs: undefined, stageMs: this.cacheLeftMs(now) }
      case 'warmup': {
        const calibrated = [...this.lazyModes].every((mode) => this.warmupCost.has(mode))
        const runs = calibrated ? this.runsLeftMs() : undefined
        return { totalMs: runs === undefined ? undefined : Math.max(0, runs - sinceLast), stageMs: undefined }
      }
      case 'runs': {
        const runs = this.runsLeftMs()
        const totalMs = runs === undefined ? undefined : Math.max(0, runs - sinceLast)
        return { totalMs, stageMs: totalMs }
      }
    }
  }
}
