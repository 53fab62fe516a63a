/**
 * process() (pull) and summingConsumer/pushInto (push): chaining, sums, progress, cancel, and
 * the two styles agreeing.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobProgress } from '../../../../src/shared/jobs'
import type { JobControl } from '../../../../src/main/lab/progress'
import type { DataItem } from '../../../../src/shared/dataFiles'
import type { ProcessDataStats } from '../../../../src/shared/readJobs'
import { processData, pushInto, summingConsumer } from '../../../../src/main/lab/read/process'
import { readBinaryChunks, readBinaryLazy, readTextLazy } from '../../../../src/main/lab/read/readers'
import { allocateSummableBuffer, sumChunk, sumFloat64 } from '../../../../src/main/lab/sum'
import { catchLabError } from '../../../support/labErrors'

let dir: string
let file: string
const ITEMS = 25_013

function recorder(
  cancelAfterReports = Infinity
): JobControl<ProcessDataStats> & { reports: JobProgress<ProcessDataStats>[]; checks: number } {
  const control = {
    reports: [] as JobProgress<ProcessDataStats>[],
    checks: 0,
    isCancelled: () => {
      control.checks++
      return control.reports.length >= cancelAfterReports
    },
    report: (progress: JobProgress<ProcessDataStats>) => void control.reports.push(progress)
  }
  return control
}

/** A generator that logs when it starts, and whether its finally ran. */
function tracked(name: string, values: DataItem[], log: string[]): Generator<DataItem, void, undefined> {
  return (function* () {
    log.push(`start ${name}`)
    try {
      yield* values
      log.push(`end ${name}`)
    } finally {
      log.push(`finally ${name}`)
    }
  })()
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-process-'))
  file = join(dir, 'data.bin')
  const data = new Float64Array(ITEMS).map((_, i) => Math.sin(i) * 100)
  writeFileSync(file, Buffer.from(data.buffer))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('process()', () => {
  it('sums and counts numbers, chunks and mixtures of inputs', () => {
    const result = processData([
      [1, 2, 3],
      new Float64Array([4, 5]),
      [new Int32Array([6, 7]), 8],
      [new BigInt64Array([9n, -10n])]
    ])
    expect([result.sum, result.count]).toEqual([1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 - 10, 10])
    expect(result.bytes).toBe(0) // none of these inputs reads a file
    const empty = processData([])
    expect([empty.sum, empty.count, empty.mbPerSecond]).toEqual([0, 0, 0])
  })

  it('chains lazily like itertools.chain.from_iterable: one input after the other', () => {
    const log: string[] = []
    const inputs = (function* () {
      log.push('outer asked for a')
      yield tracked('a', [1, 2], log)
      log.push('outer asked for b')
      yield tracked('b', [3], log)
    })()
    expect(processData(inputs).sum).toBe(6)
    expect(log).toEqual([
      'outer asked for a',
      'start a',
      'end a',
      'finally a',
      'outer asked for b',
      'start b',
      'end b',
      'finally b'
    ])
  })

  it('reports progress every N items through control.report, plus a final report', () => {
    const control = recorder()
    const result = processData([Array.from({ length: 25_000 }, () => 1)], { progressEvery: 10_000, control })
    expect(result.count).toBe(25_000)
    expect(control.reports.map((r) => r.completed)).toEqual([10_000, 20_000, 25_000])
    for (const report of control.reports) {
      expect(report.unit).toBe('items')
      expect(report.stats.items).toBe(report.completed)
      expect(report.stats.rssBytes).toBeGreaterThan(0)
      expect(report.stats).toHaveProperty('bytes')
    }
  })

  it('the default is every 10000 items, as in the lecture', () => {
    const control = recorder()
    processData([readBinaryLazy(file, 4096)], { control })
    expect(control.reports.map((r) => r.completed)).toEqual([10_000, 20_000, ITEMS])
  })

  it('with chunks, one report each time the count passes a multiple of N', () => {
    const control = recorder()
    processData([readBinaryChunks(file, 3000)], { progressEvery: 10_000, control })
    // counts after each chunk: 3000, 6000, 9000, 12000 (report), …, 21000 (report), 24000, 25013 (final)
    expect(control.reports.map((r) => r.completed)).toEqual([12_000, 21_000, ITEMS])
    const big = recorder()
    processData([readBinaryChunks(file, 25_000)], { progressEvery: 1000, control: big })
    // 25000 passes 25 multiples at once: one report; 25013 passes none: only the final report
    expect(big.reports.map((r) => r.completed)).toEqual([25_000, ITEMS])
  })

  it('reports bytes read from files, with throughput figures', () => {
    const control = recorder()
    const result = processData([readBinaryLazy(file, 1000), readBinaryChunks(file, 1000)], {
      progressEvery: 5000,
      control
    })
    expect(result.count).toBe(2 * ITEMS)
    expect(result.bytes).toBe(2 * ITEMS * 8)
    expect(result.itemsPerSecond).toBeGreaterThan(0)
    expect(result.mbPerSecond).toBeCloseTo(result.bytes / 1e6 / (result.elapsedMs / 1000), 6)
    expect(result.peakRssBytes).toBeGreaterThan(0)
    const bytes = control.reports.map((r) => r.stats.bytes!)
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b)) // never goes back
    expect(bytes.at(-1)).toBe(2 * ITEMS * 8)
    expect(bytes[0]).toBeGreaterThan(0)
  })

  it('checks for cancel regularly, and on cancel closes the current and remaining inputs and throws CANCELLED', () => {
    const log: string[] = []
    const control = recorder(2)
    const notStarted = tracked('c', [5], log)
    const started = tracked('d', [6], log)
    started.next()
    const error = catchLabError(() =>
      processData(
        [
          tracked('a', [1, 2], log),
          tracked(
            'b',
            Array.from({ length: 100_000 }, () => 1),
            log
          ),
          notStarted,
          started
        ],
        {
          progressEvery: 1000,
          control
        }
      )
    )
    expect(error.code).toBe('CANCELLED')
    expect(log).toEqual(['start d', 'start a', 'end a', 'finally a', 'start b', 'finally b', 'finally d'])
    expect(notStarted.next().done).toBe(true) // closed before it ever ran: it never will
    expect(control.checks).toBeGreaterThan(2)
  })

  it('cancel is noticed within a few thousand items even when progress is rare', () => {
    let checks = 0
    const error = catchLabError(() =>
      processData(
        [
          (function* () {
            for (let i = 0; ; i++) yield i
          })()
        ],
        {
          progressEvery: 1e12,
          control: { isCancelled: () => ++checks > 3, report: () => {} }
        }
      )
    )
    expect(error.code).toBe('CANCELLED')
  })

  it('an input that fails closes the others and its error comes through unchanged', () => {
    const log: string[] = []
    const bad = join(dir, 'bad.txt')
    writeFileSync(bad, '1\n2\nnope\n')
    const error = catchLabError(() => processData([readTextLazy(bad), tracked('later', [1], log)]))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toContain('line 3')
    expect(log).toEqual([]) // never started, and closed so it never will
  })

  it('rejects items that are not numbers or numeric chunks, and bad options', () => {
    expect(catchLabError(() => processData([['1' as unknown as number]])).code).toBe('INVALID_ARGUMENT')
    expect(catchLabError(() => processData([[new Uint8Array(2) as unknown as Float64Array]])).code).toBe(
      'INVALID_ARGUMENT'
    )
    expect(catchLabError(() => processData([5 as unknown as number[]])).code).toBe('INVALID_ARGUMENT')
    for (const progressEvery of [0, -5, 1.5, NaN])
      expect(catchLabError(() => processData([[1]], { progressEvery })).code).toBe('INVALID_ARGUMENT')
  })

  it('leaves no file descriptor open, whether it finishes or is cancelled', () => {
    const fds = (): number => readdirSync('/proc/self/fd').length
    const before = fds()
    processData([readBinaryLazy(file, 100), readBinaryChunks(file, 100)], { progressEvery: 100 })
    expect(fds()).toBe(before)
    const bad = join(dir, 'bad-fd.txt')
    writeFileSync(bad, '1\n2\nnope\n')
    catchLabError(() => processData([readBinaryLazy(file, 100), readTextLazy(bad), readBinaryLazy(file, 7)]))
    expect(fds()).toBe(before)
    let reports = 0
    const cancel = { isCancelled: () => reports > 2, report: () => void reports++ }
    catchLabError(() =>
      processData([readBinaryLazy(file, 100), readBinaryChunks(file, 7)], { progressEvery: 100, control: cancel })
    )
    expect(fds()).toBe(before)
  })
})

describe('push style: summingConsumer and pushInto', () => {
  it('is a coroutine: primed with next(), fed with next(value), ended by next() with no value', () => {
    const consumer = summingConsumer()
    expect(consumer.next()).toEqual({ value: { sum: 0, count: 0 }, done: false })
    expect(consumer.next(1.5).value).toEqual({ sum: 1.5, count: 1 })
    expect(consumer.next(new Float64Array([1, 2])).value).toEqual({ sum: 4.5, count: 3 })
    expect(consumer.next(new BigInt64Array([5n])).value).toEqual({ sum: 9.5, count: 4 })
    expect(consumer.next()).toEqual({ value: { sum: 9.5, count: 4 }, done: true })
    expect(consumer.next(1).done).toBe(true) // finished for good
  })

  it('closing with return() ends it; the last running total was already yielded', () => {
    const consumer = summingConsumer()
    consumer.next()
    const last = consumer.next(2).value
    expect(consumer.return({ sum: -1, count: -1 }).done).toBe(true)
    expect(last).toEqual({ sum: 2, count: 1 })
    expect(consumer.next(3).done).toBe(true)
  })

  it('a bad value is INVALID_ARGUMENT', () => {
    const consumer = summingConsumer()
    consumer.next()
    expect(catchLabError(() => consumer.next('x' as unknown as number)).code).toBe('INVALID_ARGUMENT')
  })

  it.each([
    ['items, chunk 1', () => [readBinaryLazy(file, 1)]],
    ['items, chunk 999', () => [readBinaryLazy(file, 999)]],
    ['owned chunks', () => [readBinaryChunks(file, 4096)]],
    ['reused chunks', () => [readBinaryChunks(file, 4096, 'float64', { reuseBuffer: true })]],
    ['several inputs', () => [readBinaryLazy(file, 100), readBinaryChunks(file, 777), [1, 2, new Float32Array([0.5])]]]
  ] as const)('gives exactly the same sum and count as process(): %s', (_, inputs) => {
    const pull = processData(inputs())
    const push = pushInto(summingConsumer(), inputs())
    expect([push.sum, push.count, push.bytes]).toEqual([pull.sum, pull.count, pull.bytes])
  })

  it('pull and push agree on random inputs split into random chunks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 50 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 2 })),
        (groups, modes) => {
          const inputs = (): DataItem[][] =>
            groups.map((values, i) => {
              const mode = modes[i] ?? 0
              if (mode === 0) return values
              if (mode === 1) return [new Float64Array(values)]
              return values.map((v, j) => (j % 2 === 0 ? v : new Float64Array([v])))
            })
          const pull = processData(inputs())
          const push = pushInto(summingConsumer(), inputs())
          expect([push.sum, push.count]).toEqual([pull.sum, pull.count])
        }
      ),
      { numRuns: 200 }
    )
  })

  it('reports progress and cancels like process(), closing the inputs and the consumer', () => {
    const log: string[] = []
    const control = recorder(2)
    const consumer = summingConsumer()
    const error = catchLabError(() =>
      pushInto(
        consumer,
        [
          tracked(
            'a',
            Array.from({ length: 50_000 }, () => 1),
            log
          ),
          tracked('b', [1], log)
        ],
        { progressEvery: 1000, control }
      )
    )
    expect(error.code).toBe('CANCELLED')
    expect(control.reports.map((r) => r.completed)).toEqual([1000, 2000])
    expect(log).toEqual(['start a', 'finally a'])
    expect(consumer.next(1).done).toBe(true)
  })

  it('a consumer that finishes early stops the feed and closes the inputs', () => {
    const log: string[] = []
    function* firstThree(): Generator<
      { sum: number; count: number },
      { sum: number; count: number },
      DataItem | undefined
    > {
      let sum = 0
      for (let i = 0; i < 3; i++) sum += (yield { sum, count: i }) as number
      return { sum, count: 3 }
    }
    const result = pushInto(firstThree(), [tracked('a', [1, 2, 3, 4, 5], log), tracked('b', [6], log)])
    expect([result.sum, result.count]).toEqual([6, 3])
    expect(log).toEqual(['start a', 'finally a'])
  })
})

describe('sumChunk', () => {
  it('the SIMD sum of a reusable chunk buffer is bit-identical to the JS sum (property)', () => {
    const buffer = allocateSummableBuffer(8 * 4096)
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 64 }),
        (values, offset) => {
          const inWasm = new Float64Array(buffer, offset * 8, values.length)
          inWasm.set(values)
          const plain = Float64Array.from(values)
          expect(Object.is(sumFloat64(inWasm), sumFloat64(plain))).toBe(true)
          const leftToRight = values.reduce((a, b) => a + b, 0)
          const scale = values.reduce((a, b) => a + Math.abs(b), 0)
          expect(Math.abs(sumFloat64(plain) - leftToRight)).toBeLessThanOrEqual(1e-12 * scale)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('int64: exact while items and sums stay within 2^53; float32 and int32 left to right', () => {
    expect(sumChunk(new BigInt64Array([2n ** 53n, -(2n ** 53n) + 1n, 2n ** 40n + 1n, -1n]))).toBe(1 + 2 ** 40)
    expect(sumChunk(new BigInt64Array([-(2n ** 63n)]))).toBe(-(2 ** 63))
    expect(sumChunk(new BigInt64Array([2n ** 63n - 1n]))).toBe(2 ** 63)
    expect(sumChunk(new Int32Array([2 ** 31 - 1, 2 ** 31 - 1]))).toBe(2 ** 32 - 2)
    expect(sumChunk(new Float32Array([0.5, 0.25]))).toBe(0.75)
  })
})
