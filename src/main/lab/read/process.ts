/**
 * The lecture's `process(*data_iterables)`, pull style, and a push-style twin built on a
 * coroutine (a generator that receives values through `next(value)`, Python's `send`).
 *
 *     def process(*data_iterables):
 *         val = 0
 *         item_count = 0
 *         for item in chain.from_iterable(data_iterables):
 *             val += item
 *             item_count += 1
 *             if item_count % 10000 == 0:
 *                 print(f'{item_count} items processed from input')
 *         return val
 *
 * Inputs may yield numbers (one item each) or typed-array chunks (summed in a tight loop, counted
 * by their length), so item-at-a-time and chunk-at-a-time readers go through the same function.
 */
import { memoryUsage } from 'node:process'
import { performance } from 'node:perf_hooks'
import type { DataItem, NumericChunk } from '../../../shared/dataFiles'
import { LabError } from '../../../shared/errors'
import { DEFAULT_PROGRESS_EVERY, type ProcessDataStats, type ProcessResult } from '../../../shared/readJobs'
import type { JobControl } from '../progress'
import { uncontrolled } from '../progress'
import type { ReadStats } from './readers'
import { sumChunk } from '../sum'

export { sumChunk } from '../sum'

export interface ProcessOptions {
  /** Report progress whenever the item count reaches a multiple of this (default 10000, as in the lecture). */
  progressEvery?: number
  control?: JobControl<ProcessDataStats>
}

/** Cancellation is checked at least this often (in items), and at every chunk and every new input. */
const CANCEL_CHECK_ITEMS = 8192
/** RSS is sampled at most this often: reading it costs a few microseconds (it reads /proc). */
const RSS_SAMPLE_MS = 10

function isNumericChunk(value: unknown): value is NumericChunk {
  return (
    value instanceof Float64Array ||
    value instanceof Float32Array ||
    value instanceof Int32Array ||
    value instanceof BigInt64Array
  )
}

/** MB/s (bytes / 1e6 per second) and items per second over `elapsedMs`; 0 before any time has passed. */
export function ratesOf(
  bytes: number,
  items: number,
  elapsedMs: number
): { mbPerSecond: number; itemsPerSecond: number } {
  const seconds = elapsedMs / 1000
  return { mbPerSecond: seconds > 0 ? bytes / 1e6 / seconds : 0, itemsPerSecond: seconds > 0 ? items / seconds : 0 }
}

function checkEvery(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new LabError(
      'INVALID_ARGUMENT',
      `progressEvery must be a whole number of items of at least 1, got ${String(value)}`
    )
  }
  return value
}

function readStatsOf(input: unknown): ReadStats | undefined {
  const stats = (input as { readStats?: unknown } | null)?.readStats as ReadStats | undefined
  return stats !== undefined && typeof stats === 'object' && typeof stats.bytesRead === 'number' ? stats : undefined
}

function isClosable(value: unknown): value is { return(value?: unknown): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { return?: unknown }).return === 'function'
}

function closeQuietly(iterator: unknown): void {
  if (!isClosable(iterator)) return
  try {
    iterator.return()
  } catch {
    // Closing is cleanup after another error or a cancel: that error is the one to report.
  }
}

/** Counts bytes, time and memory for a run, and sends progress reports. */
class Meter {
  private readonly started = performance.now()
  private bytesDone = 0
  private current: ReadStats | undefined
  private lastRssAt = -Infinity
  private lastRss = 0
  peakRss = 0

  private readonly checkStep: number
  private nextCheck: number
  private nextProgress: number
  /** The item count at which the per-number fast path next stops: a cancel check or a report is due. */
  nextStop: number

  constructor(
    private readonly control: JobControl<ProcessDataStats>,
    private readonly every: number
  ) {
    this.checkStep = Math.min(every, CANCEL_CHECK_ITEMS)
    this.nextCheck = this.checkStep
    this.nextProgress = every
    this.nextStop = Math.min(this.nextCheck, this.nextProgress)
    this.sampleRss(true)
  }

  /** At a stop: throws if cancelled, reports progress when due, and returns the next stop. */
  checkpoint(count: number): number {
    if (this.control.isCancelled()) throw cancelled()
    if (count >= this.nextCheck) this.nextCheck = (Math.floor(count / this.checkStep) + 1) * this.checkStep
    if (count >= this.nextProgress) {
      this.report(count)
      this.nextProgress = (Math.floor(count / this.every) + 1) * this.every
    }
    this.nextStop = Math.min(this.nextCheck, this.nextProgress)
    return this.nextStop
  }

  enter(input: unknown): void {
    this.current = readStatsOf(input)
  }

  leave(): void {
    if (this.current) this.bytesDone += this.current.bytesRead
    this.current = undefined
  }

  bytes(): number {
    return this.bytesDone + (this.current?.bytesRead ?? 0)
  }

  elapsedMs(): number {
    return performance.now() - this.started
  }

  sampleRss(force: boolean): number {
    const now = performance.now()
    if (force || now - this.lastRssAt >= RSS_SAMPLE_MS) {
      this.lastRss = memoryUsage.rss()
      this.lastRssAt = now
      if (this.lastRss > this.peakRss) this.peakRss = this.lastRss
    }
    return this.lastRss
  }

  report(count: number, force = false): void {
    const rssBytes = this.sampleRss(force)
    this.control.report({
      completed: count,
      unit: 'items',
      stats: { items: count, bytes: this.bytes(), rssBytes, elapsedMs: this.elapsedMs() }
    })
  }

  result(sum: number, count: number): ProcessResult {
    this.sampleRss(true)
    const elapsedMs = this.elapsedMs()
    const bytes = this.bytes()
    return { sum, count, elapsedMs, bytes, ...ratesOf(bytes, count, elapsedMs), peakRssBytes: this.peakRss }
  }
}

function cancelled(): LabError {
  return new LabError('CANCELLED', 'Processing was cancelled')
}

function invalidItem(value: unknown): LabError {
  return new LabError(
    'INVALID_ARGUMENT',
    `An input yielded ${value === null ? 'null' : typeof value}; inputs must yield numbers or typed-array chunks`
  )
}

/**
 * Walks the inputs one after the other, like `itertools.chain.from_iterable`: an input is only
 * asked for its iterator once the previous one is exhausted. On any abnormal end (cancel, an
 * input's error) the current input and the ones not reached yet are closed with `.return()` so
 * their `finally` blocks run (for a lazy outer iterable, the outer iterable itself is closed:
 * inputs it has not produced yet do not exist).
 */
class Chain {
  private readonly outer: Iterator<Iterable<DataItem>>
  private taken = 0
  current: Iterator<DataItem> | undefined

  constructor(private readonly inputs: Iterable<Iterable<DataItem>>) {
    if (
      inputs === null ||
      typeof inputs !== 'object' ||
      typeof (inputs as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw new LabError('INVALID_ARGUMENT', 'process() takes an iterable of inputs (e.g. an array of readers)')
    }
    this.outer = inputs[Symbol.iterator]()
  }

  /** Moves to the next input; false when there are no more. */
  nextInput(meter: Meter): boolean {
    const step = this.outer.next()
    if (step.done === true) return false
    this.taken++
    const input = step.value
    if (
      input === null ||
      typeof input !== 'object' ||
      typeof (input as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw new LabError('INVALID_ARGUMENT', `Input ${this.taken} is not iterable`)
    }
    meter.enter(input)
    this.current = input[Symbol.iterator]()
    return true
  }

  endInput(meter: Meter): void {
    meter.leave()
    this.current = undefined
  }

  closeAll(): void {
    closeQuietly(this.current)
    this.current = undefined
    if (Array.isArray(this.inputs)) {
      for (const rest of (this.inputs as unknown[]).slice(this.taken)) closeQuietly(rest)
    }
    closeQuietly(this.outer)
  }
}

/**
 * The lecture's process(): chains the inputs, sums and counts their items, and reports progress
 * through `control.report` whenever the count reaches a multiple of `progressEvery` (with chunks
 * the count can jump past several multiples at once: one report per chunk then), plus a final
 * report at the end. Checks `control.isCancelled()` regularly; on cancel closes the inputs and
 * throws LabError 'CANCELLED'.
 */
export function processData(inputs: Iterable<Iterable<DataItem>>, options: ProcessOptions = {}): ProcessResult {
  const control: JobControl<ProcessDataStats> = options.control ?? uncontrolled
  const meter = new Meter(control, checkEvery(options.progressEvery ?? DEFAULT_PROGRESS_EVERY))
  const chain = new Chain(inputs)
  let sum = 0
  let count = 0
  let nextStop = meter.nextStop
  let finished = false
  try {
    for (;;) {
      if (control.isCancelled()) throw cancelled()
      if (!chain.nextInput(meter)) break
      const iterator = chain.current!
      for (;;) {
        const next = iterator.next()
        if (next.done === true) break
        const value = next.value
        if (typeof value === 'number') {
          sum += value
          count++
          if (count < nextStop) continue
        } else if (isNumericChunk(value)) {
          sum += sumChunk(value)
          count += value.length
        } else {
          throw invalidItem(value)
        }
        nextStop = meter.checkpoint(count)
      }
      chain.endInput(meter)
    }
    finished = true
  } finally {
    if (!finished) chain.closeAll()
  }
  meter.report(count, true)
  return meter.result(sum, count)
}

// ---------------------------------------------------------------------------------------------
// Push style

export interface RunningTotal {
  sum: number
  count: number
}

/** A coroutine: receives items via `next(item)` and yields the running total after each. */
export type SummingConsumer = Generator<RunningTotal, RunningTotal, DataItem | undefined>

/**
 * The push-style consumer, a coroutine in the lecture's sense:
 *
 *     const c = summingConsumer()
 *     c.next()                     // prime: runs to the first yield, gives { sum: 0, count: 0 }
 *     c.next(1.5).value            // "send": { sum: 1.5, count: 1 }
 *     c.next(new Float64Array(…))  // a chunk counts as chunk.length items
 *     c.next()                     // no value = "end of data": { done: true, value: final total }
 *
 * Getting the total out on close: JS's `.return(x)` (Python's `close()`) would just return `x`,
 * so the end of data is signalled by sending nothing (`next()` / `next(undefined)`), which makes
 * the coroutine return its final total. Every send also yields the running total, so a caller
 * that closes it with `.return()` instead still has the last total it saw. Anything other than
 * a number or numeric chunk is an INVALID_ARGUMENT error (and finishes the coroutine).
 */
export function* summingConsumer(): SummingConsumer {
  let sum = 0
  let count = 0
  for (;;) {
    const item = yield { sum, count }
    if (item === undefined) return { sum, count }
    if (typeof item === 'number') {
      sum += item
      count++
    } else if (isNumericChunk(item)) {
      sum += sumChunk(item)
      count += item.length
    } else {
      throw invalidItem(item)
    }
  }
}

/**
 * Drives a fresh consumer (not yet primed: pushInto primes it) from the same inputs processData()
 * takes, pushing every item or chunk into it, then sends the end-of-data sentinel and returns
 * the consumer's final total with the same timing figures as processData(). Progress and cancel as
 * in processData(); on cancel or error the inputs and the consumer are closed. If the consumer
 * finishes early, the remaining inputs are closed and its returned total is the result.
 */
export function pushInto(
  consumer: SummingConsumer,
  inputs: Iterable<Iterable<DataItem>>,
  options: ProcessOptions = {}
): ProcessResult {
  const control: JobControl<ProcessDataStats> = options.control ?? uncontrolled
  const meter = new Meter(control, checkEvery(options.progressEvery ?? DEFAULT_PROGRESS_EVERY))
  const chain = new Chain(inputs)
  const primed = consumer.next()
  let total = primed.value
  let consumerDone = primed.done === true
  let pushed = 0
  let nextStop = meter.nextStop
  let finished = false
  try {
    outer: while (!consumerDone) {
      if (control.isCancelled()) throw cancelled()
      if (!chain.nextInput(meter)) break
      const iterator = chain.current!
      for (;;) {
        const next = iterator.next()
        if (next.done === true) break
        const value = next.value
        let n: number
        if (typeof value === 'number') n = 1
        else if (isNumericChunk(value)) n = value.length
        else throw invalidItem(value)
        const reply = consumer.next(value)
        total = reply.value
        pushed += n
        if (reply.done === true) {
          consumerDone = true
          chain.closeAll()
          break outer
        }
        if (pushed < nextStop && n === 1) continue
        nextStop = meter.checkpoint(pushed)
      }
      chain.endInput(meter)
    }
    if (!consumerDone) {
      const end = consumer.next(undefined)
      total = end.value
      if (end.done !== true) closeQuietly(consumer)
    }
    finished = true
  } finally {
    if (!finished) {
      chain.closeAll()
      closeQuietly(consumer)
    }
  }
  meter.report(pushed, true)
  return meter.result(total.sum, total.count)
}
