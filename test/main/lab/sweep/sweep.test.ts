import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LabError } from '../../../../src/shared/errors'
import {
  sweepArgsSchema,
  sweepRunDraftSchema,
  sweepRunProblems,
  type SweepArgs,
  type SweepEvent,
  type SweepMeasurement,
  type SweepRunDraft,
  type SweepStats
} from '../../../../src/shared/sweep'
import {
  buildGrid,
  median,
  mbPerSecond,
  planRuns,
  seededShuffle,
  summarize,
  timePerFileMs
} from '../../../../src/shared/sweepMaths'
import { runSweep, sweep, systemTools, type SweepTools } from '../../../../src/main/lab/sweep/sweep'
import type { JobControl } from '../../../../src/main/lab/progress'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'
import { createTestJobHost } from '../../../support/jobHost'
import { catchLabError } from '../../../support/labErrors'

let dir: string
let small: string
let smallText: string
let medium: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-sweep-'))
  const s = writeSampleData({ directory: dir, name: 'small', bytes: 64 * 1024, seed: 3, withText: true })
  small = s.binaryPath
  smallText = s.textPath!
  medium = writeSampleData({ directory: dir, name: 'medium', bytes: 4 * 1024 * 1024, seed: 4 }).binaryPath
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const quiet: JobControl<SweepStats> = { isCancelled: () => false, report: () => {} }
/** No page-cache tools: the tests must not depend on dd / fincore unless they say so. */
const noTools: SweepTools = {
  evict: () => {
    throw new LabError('UNAVAILABLE', 'Cold cache is unavailable on this platform (test)')
  },
  residentBytes: () => null
}

function args(raw: Partial<SweepArgs> & { path: string }) {
  return v.parse(sweepArgsSchema, {
    timeCapMs: 50,
    repeats: 2,
    seed: 42,
    grid: { kind: 'log2', minItems: 1, maxItems: 1024 },
    ...raw
  })
}

describe('pure helpers', () => {
  test('the default grid is 1 … 1 Mi items on powers of two', () => {
    const grid = buildGrid({ kind: 'log2', minItems: 1, maxItems: 1024 * 1024 })
    expect(grid).toHaveLength(21)
    expect(grid).toEqual(Array.from({ length: 21 }, (_, i) => 2 ** i))
  })

  test('finer and listed grids: increasing, whole items, the largest chunk always included', () => {
    expect(buildGrid({ kind: 'log2', minItems: 1, maxItems: 16, pointsPerDoubling: 2 })).toEqual([
      1, 2, 3, 4, 6, 8, 11, 16
    ])
    expect(buildGrid({ kind: 'log2', minItems: 3, maxItems: 20 })).toEqual([3, 6, 12, 20])
    expect(buildGrid({ kind: 'list', sizes: [64, 1, 8] })).toEqual([1, 8, 64])
  })

  test.each([
    [
      { kind: 'log2', minItems: 0, maxItems: 8 },
      'Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64), got 0'
    ],
    [
      { kind: 'log2', minItems: 1.5, maxItems: 8 },
      'Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64), got 1.5'
    ],
    [{ kind: 'log2', minItems: 64, maxItems: 8 }, 'the smallest chunk (64 items) is larger than the largest (8 items)'],
    [
      { kind: 'log2', minItems: 1, maxItems: 2 ** 28 },
      'Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64), got 268435456'
    ],
    [{ kind: 'log2', minItems: 1, maxItems: 2 ** 26, pointsPerDoubling: 4 }, 'too many'],
    [{ kind: 'log2', minItems: 1, maxItems: 8, pointsPerDoubling: 9 }, 'at most 4'],
    [{ kind: 'list', sizes: [] }, 'must list at least one chunk size'],
    [{ kind: 'list', sizes: [8, 4, 8] }, '8 items is listed twice'],
    [{ kind: 'list', sizes: Array.from({ length: 65 }, (_, i) => i + 1) }, 'at most 64']
  ] as const)('absurd grid %j is a clear INVALID_ARGUMENT, from the schema or the grid', (grid, message) => {
    const parsed = v.safeParse(sweepArgsSchema, { path: '/data.bin', grid })
    const error = parsed.success ? catchLabError(() => buildGrid(parsed.output.grid)).message : parsed.issues[0].message
    expect(error).toContain(message)
  })

  test('the seeded shuffle is a permutation, the same for the same seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    const a = seededShuffle(items, 7)
    expect(a).toEqual(seededShuffle(items, 7))
    expect(a).not.toEqual(items)
    expect(a).not.toEqual(seededShuffle(items, 8))
    expect([...a].sort((x, y) => x - y)).toEqual(items)
  })

  test('planRuns: every mode × chunk × repeat once, plus the eager repeats', () => {
    const runs = planRuns({ chunkSizes: [1, 2, 4], modes: ['lazyItem', 'lazyChunk'], repeats: 3, eager: true, seed: 1 })
    expect(runs).toHaveLength((3 * 2 + 1) * 3)
    expect(new Set(runs.map((r) => `${r.mode}/${r.chunkItems}/${r.repeat}`)).size).toBe(runs.length)
    expect(runs.filter((r) => r.mode === 'eager').every((r) => r.chunkItems === null)).toBe(true)
  })

  test('medians, minima and maxima per point', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    const m = (
      seq: number,
      chunkItems: number,
      elapsedMs: number,
      bytesRead = 8000,
      capped = false
    ): SweepMeasurement => ({
      seq,
      mode: 'lazyItem',
      chunkItems,
      repeat: seq % 3,
      fileBytes: 8000,
      bytesRead,
      itemsRead: bytesRead / 8,
      elapsedMs,
      capped
    })
    // MB/s = bytes / 1e3 / ms: 8000 bytes in 1, 2, 4 ms = 8, 4, 2 MB/s.
    const points = summarize([m(0, 16, 2), m(1, 16, 1), m(2, 16, 4), m(3, 1, 10, 800, true), m(4, 1, 20, 800, true)])
    expect(points.map((p) => p.chunkItems)).toEqual([1, 16])
    const [tiny, big] = points
    expect(big!.mbPerSecond).toEqual({ median: 4, min: 2, max: 8 })
    expect(big!.timePerFileMs).toEqual({ median: 2, min: 1, max: 4 })
    expect(big!.cappedRuns).toBe(0)
    // Capped: 800 of 8000 bytes in 10 / 20 ms, so 100 / 200 ms per file.
    expect(tiny!.timePerFileMs).toEqual({ median: 150, min: 100, max: 200 })
    expect(tiny!.mbPerSecond.median).toBeCloseTo(0.06, 12)
    expect(tiny!.cappedRuns).toBe(2)
    expect(timePerFileMs({ elapsedMs: 10, bytesRead: 800, fileBytes: 8000 })).toBe(100)
    expect(mbPerSecond({ elapsedMs: 1000, bytesRead: 5e6 })).toBe(5)
  })
})

describe('the sweep on a small file', () => {
  test('measures every planned run exactly once (or caps it explicitly), in the seeded order, and returns a valid record', () => {
    const events: SweepEvent[] = []
    const reports: number[] = []
    const run = runSweep(
      args({ path: small }),
      { isCancelled: () => false, report: (p) => reports.push(p.completed) },
      (event) => events.push(event),
      noTools
    )
    expect(events[0]?.type).toBe('plan')
    const plan = (events[0] as Extract<SweepEvent, { type: 'plan' }>).plan
    expect(plan.config.chunkSizes).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    expect(plan.config.modes).toEqual(['lazyItem', 'lazyChunk', 'text'])
    expect(plan.file).toMatchObject({ path: small, bytes: 65536, items: 8192, dtype: 'float64', textPath: smallText })
    expect(plan.plannedRuns).toBe((11 * 3 + 1) * 2)
    expect(plan.cache).toMatchObject({ state: 'warm', residentBytes: null })
    expect(events.slice(1).every((e) => e.type === 'measurement')).toBe(true)

    expect(run.status).toBe('complete')
    expect(run.measurements).toHaveLength(plan.plannedRuns)
    expect(reports.at(-1)).toBe(plan.plannedRuns)
    // The order is the seeded shuffle, recorded by seq.
    const order = planRuns(plan.config)
    expect(run.measurements.map((m) => `${m.mode}/${m.chunkItems}/${m.repeat}`)).toEqual(
      order.map((r) => `${r.mode}/${r.chunkItems}/${r.repeat}`)
    )
    for (const m of run.measurements) {
      expect(m.elapsedMs).toBeGreaterThan(0)
      if (m.capped) expect(m.bytesRead).toBeLessThan(m.fileBytes)
      else expect(m.bytesRead).toBe(m.fileBytes)
      if (m.mode !== 'text' && !m.capped) expect(m.itemsRead).toBe(8192)
    }
    expect(v.safeParse(sweepRunDraftSchema, run).issues).toBeUndefined()
    expect(sweepRunProblems(run)).toEqual([])
    expect(run.machine.cpuCount).toBeGreaterThan(0)
    expect(run.notes.join(' ')).toContain('seed 42')
  })

  test('reports each stage in order: check, the page cache in bytes, the warm-up runs, then the runs with the time left', () => {
    const reports: { stage: string; completed: number; total: number | undefined; unit: string; stats: SweepStats }[] =
      []
    const events: string[] = []
    const run = runSweep(
      args({ path: small, repeats: 1 }),
      {
        isCancelled: () => false,
        report: (p) =>
          reports.push({ stage: p.stats.stage, completed: p.completed, total: p.total, unit: p.unit, stats: p.stats })
      },
      (event) => events.push(`${event.type}@${reports.length}`),
      noTools
    )
    const stages = reports.map((r) => r.stage).filter((stage, i, all) => stage !== all[i - 1])
    expect(stages).toEqual(['check', 'cache', 'warmup', 'runs'])
    // The cache stage reads the binary file and its text twin, in bytes, up to their sum.
    const cache = reports.filter((r) => r.stage === 'cache')
    const cacheBytes = 65536 + statSync(smallText).size
    expect(cache.every((r) => r.unit === 'bytes' && r.total === cacheBytes)).toBe(true)
    expect(cache.at(-1)!.completed).toBe(cacheBytes)
    // The warm-up counts its own runs: three modes at two chunk sizes, twice, and eager once.
    const warmup = reports.filter((r) => r.stage === 'warmup')
    expect(warmup.map((r) => r.completed)).toEqual(Array.from({ length: 14 }, (_, i) => i))
    expect(new Set(warmup.map((r) => r.total))).toEqual(new Set([13]))
    // The total is estimated once the warm-up has measured every mode, and then at every run.
    expect(warmup[0]!.stats.etaMs).toBeNull()
    const runs = reports.filter((r) => r.stage === 'runs')
    expect(runs.map((r) => r.completed)).toEqual(Array.from({ length: 35 }, (_, i) => i))
    for (const r of runs) {
      expect(r.stats.etaMs).toEqual(expect.any(Number))
      expect(r.stats.etaMs).toBeGreaterThanOrEqual(0)
      expect(r.stats.runs).toBe(r.completed)
      expect(r.stats.planned).toBe(34)
    }
    expect(runs.at(-1)!.stats.etaMs).toBe(0)
    expect(runs[0]!.stats.etaMs).toBeGreaterThan(0)
    // The notes say it in the tab's words: plurals, and the one duration format.
    expect(run.notes.slice(0, 2)).toEqual([
      expect.stringMatching(/^Each run stops after 50 ms: /),
      expect.stringMatching(/^34 runs \(1 run per point\) in a random order/)
    ])
    // The plan is yielded after the warm-up, with the first estimate already reported.
    expect(events[0]).toBe(`plan@${reports.indexOf(runs[0]!) + 1}`)
  })

  test('a thread stalled past the cap before its first read still measures a prefix, not an error', () => {
    // As a busy machine would: the thread does not run for 40 ms as each run starts (the first
    // call after a report is the sweep's own check between runs, the second is the run's clock).
    let callsSinceReport = 0
    const stalling: JobControl<SweepStats> = {
      isCancelled: () => {
        if (++callsSinceReport === 2) {
          const until = performance.now() + 40
          while (performance.now() < until);
        }
        return false
      },
      report: () => {
        callsSinceReport = 0
      }
    }
    const run = runSweep(
      args({ path: medium, timeCapMs: 20, repeats: 1, grid: { kind: 'list', sizes: [1, 1024] }, eager: false }),
      stalling,
      () => {},
      noTools
    )
    expect(run.status).toBe('complete')
    expect(run.measurements).toHaveLength(4)
    for (const m of run.measurements) expect(m.bytesRead).toBeGreaterThan(0)
  })

  test('a run that hits the time cap reads a prefix and extrapolates its time per file', () => {
    const run = runSweep(
      args({
        path: medium,
        modes: ['lazyItem'],
        grid: { kind: 'list', sizes: [1, 4096] },
        timeCapMs: 20,
        repeats: 1,
        eager: false
      }),
      quiet,
      undefined,
      noTools
    )
    const [tiny] = run.measurements.filter((m) => m.chunkItems === 1)
    expect(tiny!.capped).toBe(true)
    expect(tiny!.bytesRead).toBeLessThan(tiny!.fileBytes)
    expect(tiny!.bytesRead).toBe(tiny!.itemsRead * 8)
    // One read() per number is slow: the whole file would take far longer than the cap.
    expect(timePerFileMs(tiny!)).toBeGreaterThan(20)
    expect(timePerFileMs(tiny!)).toBeCloseTo((tiny!.elapsedMs * tiny!.fileBytes) / tiny!.bytesRead, 9)
  })

  test('cancel between runs returns the runs measured so far as a valid, cancelled record', () => {
    let seen = 0
    const control: JobControl<SweepStats> = { isCancelled: () => seen >= 5, report: () => {} }
    const run = runSweep(args({ path: small }), control, (event) => event.type === 'measurement' && seen++, noTools)
    expect(run.status).toBe('cancelled')
    expect(run.measurements).toHaveLength(5)
    expect(run.measurements.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4])
    expect(v.safeParse(sweepRunDraftSchema, run).issues).toBeUndefined()
  })

  test('cancel in the middle of a run drops that run and keeps the ones before', () => {
    // Cancelled at the third cancel check after the first measurement: inside the second run,
    // whatever the machine's speed (a run of 512 Ki items checks every 8192 items at least).
    let measured = 0
    let checksAfterFirst = 0
    const control: JobControl<SweepStats> = {
      isCancelled: () => measured >= 1 && ++checksAfterFirst >= 3,
      report: () => {}
    }
    const generator = sweep(
      args({
        path: medium,
        modes: ['lazyItem'],
        grid: { kind: 'list', sizes: [1, 2] },
        timeCapMs: 400,
        repeats: 2,
        eager: false
      }),
      control,
      noTools
    )
    let result: SweepRunDraft | undefined
    for (;;) {
      const step = generator.next()
      if (step.done === true) {
        result = step.value
        break
      }
      if (step.value.type === 'measurement') measured++
    }
    expect(result.status).toBe('cancelled')
    // The first run is kept whole: read to its end, or to the time cap (how far depends on the machine).
    expect(result.measurements).toHaveLength(1)
    expect(v.safeParse(sweepRunDraftSchema, result).issues).toBeUndefined()
  })

  test('without a text twin the text mode is skipped with a note; eager above its limit likewise', () => {
    const run = runSweep(
      args({ path: medium, grid: { kind: 'list', sizes: [1024, 4096] }, repeats: 1, eagerMaxBytes: 1024 }),
      quiet,
      undefined,
      noTools
    )
    expect(run.config.modes).toEqual(['lazyItem', 'lazyChunk'])
    expect(run.config.eager).toBe(false)
    expect(run.file.textPath).toBeNull()
    expect(run.notes.join('\n')).toMatch(/Text lazy was skipped: no text twin medium\.txt/)
    expect(run.notes.join('\n')).toMatch(/Eager was skipped: the file \(4 MiB\) is larger than the eager limit/)
    expect(run.measurements).toHaveLength(4)
  })
})

describe.runIf(process.platform === 'linux')('file names that are not valid UTF-8', () => {
  test('the text twin beside such a data file is found and measured', () => {
    const odd = join(dir, 'odd')
    mkdirSync(odd)
    const written = writeSampleData({ directory: odd, name: 'twin', bytes: 64 * 1024, seed: 5, withText: true })
    renameSync(written.binaryPath, Buffer.from(join(odd, 'tw\xffin.bin'), 'latin1'))
    renameSync(written.textPath!, Buffer.from(join(odd, 'tw\xffin.txt'), 'latin1'))
    const run = runSweep(
      args({ path: join(odd, 'tw\udcffin.bin'), grid: { kind: 'list', sizes: [1024] }, repeats: 1 }),
      quiet,
      undefined,
      noTools
    )
    expect(run.file.textPath).toBe(join(odd, 'tw\udcffin.txt'))
    expect(run.config.modes).toEqual(['lazyItem', 'lazyChunk', 'text'])
    expect(run.measurements.filter((m) => m.mode === 'text')).toHaveLength(1)
  })
})

describe('bad input: clear errors before anything is measured', () => {
  function firstError(raw: Partial<SweepArgs> & { path: string }, tools: SweepTools = noTools): LabError {
    const generator = sweep(args(raw), quiet, tools)
    return catchLabError(() => generator.next())
  }

  test('missing file, directory, empty file, trailing bytes', () => {
    expect(firstError({ path: join(dir, 'nope.bin') })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope.bin: does not exist')
    })
    expect(firstError({ path: dir }).code).toBe('IS_A_DIRECTORY')
    const empty = join(dir, 'empty.bin')
    writeFileSync(empty, '')
    expect(firstError({ path: empty })).toMatchObject({
      code: 'MALFORMED_DATA',
      message: expect.stringContaining('empty')
    })
    const odd = join(dir, 'odd.bin')
    writeFileSync(odd, Buffer.alloc(8 * 2000 + 3, 1))
    expect(firstError({ path: odd })).toMatchObject({
      code: 'MALFORMED_DATA',
      message: expect.stringContaining('not a whole number of float64 items')
    })
  })

  test('a /proc file (size 0, with content) is not called empty', () => {
    expect(firstError({ path: '/proc/self/status' })).toMatchObject({
      code: 'NOT_A_REGULAR_FILE',
      message: expect.stringContaining('/proc/self/status: has content although its size is 0 bytes')
    })
  })

  test('a text file given as the binary file is recognised', () => {
    expect(firstError({ path: smallText })).toMatchObject({
      code: 'MALFORMED_DATA',
      message: expect.stringContaining('looks like a text file')
    })
  })

  test('a text file that is not numbers, given as the binary file, is refused as text without its twin', () => {
    const path = join(dir, 'notes.md')
    writeFileSync(path, '# Notes\nRead the .bin file, not me.\n'.repeat(2048)) // 73,728 bytes: whole float64 items
    expect(firstError({ path })).toMatchObject({
      code: 'MALFORMED_DATA',
      message: `${path}: this looks like a text file (not numbers one per line), not raw binary float64 data. Choose the binary .bin file.`
    })
  })

  test('a file smaller than the largest chunk says how far to lower it', () => {
    const error = firstError({ path: small, grid: { kind: 'log2', minItems: 1, maxItems: 1024 * 1024 } })
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toContain('holds 8 Ki items (64 KiB), fewer than the largest chunk of 1 Mi items (8 MiB)')
    expect(error.message).toContain('at most 8 Ki items')
  })

  test('an explicit text file that is missing or is not text', () => {
    expect(firstError({ path: small, textPath: join(dir, 'none.txt') }).code).toBe('NOT_FOUND')
    expect(firstError({ path: small, textPath: medium })).toMatchObject({
      code: 'MALFORMED_DATA',
      message: expect.stringContaining('one number per line')
    })
  })

  test('cold cache where the OS cannot drop it: UNAVAILABLE, honestly, and nothing measured', () => {
    const error = firstError({ path: small, cache: 'cold' })
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain('unavailable on this platform')
  })

  test.each([
    [{ repeats: 0 }, 'repeats'],
    [{ repeats: 26 }, 'repeats'],
    [{ timeCapMs: 5 }, 'timeCapMs'],
    [{ modes: [] }, 'modes'],
    [{ modes: ['lazyItem', 'lazyItem'] }, 'twice'],
    [{ modes: ['mmap'] }, 'modes'],
    [{ cache: 'lukewarm' }, 'cache'],
    [{ grid: { kind: 'log2', minItems: -1, maxItems: 8 } }, 'grid'],
    [{ path: '' }, 'path'],
    [{ rm: true }, 'rm']
  ])('the schema refuses %j', (extra, where) => {
    const result = v.safeParse(sweepArgsSchema, { path: small, ...extra })
    expect(result.success).toBe(false)
    expect(JSON.stringify(result.issues)).toContain(where)
  })
})

const ddDropsCache =
  process.platform === 'linux' &&
  spawnSync('dd', ['--version'], { encoding: 'utf8' }).stdout?.includes('coreutils') === true

describe.skipIf(!ddDropsCache)('cold cache on Linux (GNU dd, posix_fadvise DONTNEED)', () => {
  test('the files are dropped from the page cache before every run, and the record says so', () => {
    const cold = join(dir, 'cold')
    mkdirSync(cold, { recursive: true })
    const path = writeSampleData({ directory: cold, name: 'cold', bytes: 256 * 1024, seed: 9 }).binaryPath
    const evicted: string[] = []
    const tools: SweepTools = {
      evict: (p) => (evicted.push(p), systemTools.evict(p)),
      residentBytes: systemTools.residentBytes
    }
    const run = runSweep(
      args({ path, cache: 'cold', modes: ['lazyChunk'], grid: { kind: 'list', sizes: [512, 4096] }, repeats: 2 }),
      quiet,
      undefined,
      tools
    )
    expect(run.cache.state).toBe('cold')
    expect(run.cache.method).toContain('POSIX_FADV_DONTNEED')
    // Once while preparing, then before each of the 6 runs (2 sizes × 2 repeats + 2 eager).
    expect(evicted).toHaveLength(1 + 6)
    if (run.cache.residentBytes !== null) expect(run.cache.residentBytes).toBe(0)
    expect(run.notes.join(' ')).toContain('VM host')
  })

  test.runIf(process.platform === 'linux')('a file whose name is not valid UTF-8 is dropped from the cache too', () => {
    const cold = join(dir, 'cold-odd')
    mkdirSync(cold, { recursive: true })
    const written = writeSampleData({ directory: cold, name: 'cold', bytes: 256 * 1024, seed: 9 }).binaryPath
    renameSync(written, Buffer.from(join(cold, 'c\xffold.bin'), 'latin1'))
    const run = runSweep(
      args({
        path: join(cold, 'c\udcffold.bin'),
        cache: 'cold',
        modes: ['lazyChunk'],
        grid: { kind: 'list', sizes: [4096] },
        repeats: 1
      }),
      quiet,
      undefined,
      systemTools
    )
    expect(run.cache.state).toBe('cold')
    expect(run.status).toBe('complete')
    // fincore, where there is one, finds the file and sees it dropped.
    if (spawnSync('fincore', ['--version']).status === 0) expect(run.cache.residentBytes).toBe(0)
  })
})

describe('the sweep job in a worker', () => {
  test('yields the plan and then each run, one per pull; return() closes it early', async () => {
    const { host } = createTestJobHost()
    try {
      const handle = host.open('owner', 'sweep', {
        path: small,
        grid: { kind: 'list', sizes: [1, 64, 1024] },
        repeats: 1,
        timeCapMs: 50,
        seed: 5
      })
      const first = await host.next('owner', handle.id, 1)
      expect(first.items).toHaveLength(1)
      expect(first.items[0]).toMatchObject({ type: 'plan', plan: { plannedRuns: 10 } })
      const second = await host.next('owner', handle.id, 1)
      expect(second.items[0]).toMatchObject({ type: 'measurement', measurement: { seq: 0 } })
      const closed = await host.return('owner', handle.id)
      expect(closed.state).toBe('closed')

      const again = host.open('owner', 'sweep', {
        path: small,
        grid: { kind: 'list', sizes: [64, 1024] },
        repeats: 1,
        timeCapMs: 50,
        modes: ['lazyChunk'],
        eager: false
      })
      const items: unknown[] = []
      let batch = await host.next('owner', again.id, 100)
      items.push(...batch.items)
      while (!batch.done) {
        batch = await host.next('owner', again.id, 100)
        items.push(...batch.items)
      }
      expect(items).toHaveLength(3)
      expect(batch.value).toMatchObject({ status: 'complete', plannedRuns: 2 })
      expect(v.safeParse(sweepRunDraftSchema, batch.value).success).toBe(true)
    } finally {
      await host.closeAll()
    }
  })

  test('absurd arguments are refused before a worker starts', () => {
    const { host } = createTestJobHost()
    expect(() => host.open('owner', 'sweep', { path: small, repeats: 1000 })).toThrow(/repeats/)
    expect(() => host.open('owner', 'sweep', { path: small, grid: { kind: 'list', sizes: [] } })).toThrow(/chunk size/)
    expect(host.openJobs()).toEqual([])
  })
})
