/**
 * The Read tab's jobs (process, sampleData, read) through the real JobHost and its worker threads:
 * results, progress, cancel, file descriptors, and every kind of bad input.
 */
import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { LabError } from '../../../../src/shared/errors'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import type { ProcessArgs, ProcessJobResult, ReadJobSummary, SampleDataResult } from '../../../../src/shared/readJobs'
import { createTestJobHost, type RecordedEvent } from '../../../support/jobHost'
import { rejectedLabError } from '../../../support/labErrors'
import { shownWithNote } from '../../../support/notUtf8'

let dir: string
let host: JobHost
let events: RecordedEvent[]
/** 40,000 float64 items (320,000 bytes) and their text twin. */
let sample: SampleDataResult

const OWNER = 'owner'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-readjobs-'))
  ;({ host, events } = createTestJobHost())
  const { id } = host.open(OWNER, 'sampleData', {
    directory: join(dir, 'data'),
    name: 'sample',
    bytes: 320_000,
    seed: 7,
    withText: true
  })
  const batch = await host.next(OWNER, id, 1)
  sample = batch.value as SampleDataResult
})
afterAll(async () => {
  await host.closeAll()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await host.closeAll()
})

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}

async function runProcess(args: ProcessArgs): Promise<{ id: string; result: ProcessJobResult }> {
  const { id } = host.open(OWNER, 'process', args)
  const batch = await host.next(OWNER, id, 1)
  expect(batch.done).toBe(true)
  expect(batch.items).toEqual([])
  return { id, result: batch.value as ProcessJobResult }
}

async function processError(args: ProcessArgs): Promise<LabError> {
  const { id } = host.open(OWNER, 'process', args)
  return rejectedLabError(host.next(OWNER, id, 1))
}

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

function float64File(name: string, values: number[]): string {
  return file(name, new Uint8Array(new Float64Array(values).buffer))
}

/** Descriptors of this process (workers share them) that point at `path`. */
function fdsOn(path: string): number {
  let count = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++
    } catch {
      // Closed while listing (the readdir descriptor itself).
    }
  }
  return count
}

describe('sampleData job', () => {
  test('writes the file, its text twin and sidecar, reporting progress in bytes', () => {
    expect(sample).toMatchObject({ count: 40_000, bytes: 320_000, seed: 7, dtype: 'float64', text: 'sample.txt' })
    expect(readFileSync(sample.binaryPath).length).toBe(320_000)
    expect(JSON.parse(readFileSync(sample.metaPath, 'utf8'))).toMatchObject({ count: 40_000, sum: sample.sum })
    const progress = events.filter((e) => e.progress?.unit === 'bytes' && e.progress.total === 320_000)
    expect(progress.at(-1)?.progress?.completed).toBe(320_000)
  })

  test('never overwrites unless asked: ALREADY_EXISTS, then overwrite: true replaces', async () => {
    const args = { directory: join(dir, 'data'), name: 'sample', bytes: 320_000, seed: 7 }
    const { id } = host.open(OWNER, 'sampleData', args)
    const error = await rejectedLabError(host.next(OWNER, id, 1))
    expect(error.code).toBe('ALREADY_EXISTS')
    expect(error.path).toBe(sample.binaryPath)
    const again = host.open(OWNER, 'sampleData', { ...args, name: 'other', bytes: 800 })
    const other = (await host.next(OWNER, again.id, 1)).value as SampleDataResult
    const replace = host.open(OWNER, 'sampleData', { ...args, name: 'other', bytes: 1600, overwrite: true })
    const replaced = (await host.next(OWNER, replace.id, 1)).value as SampleDataResult
    expect(replaced.binaryPath).toBe(other.binaryPath)
    expect(readFileSync(replaced.binaryPath).length).toBe(1600)
  })

  test('checks its arguments: size, name, directory', async () => {
    const base = { directory: join(dir, 'data'), name: 'x', bytes: 800 }
    expect(() => host.open(OWNER, 'sampleData', { ...base, bytes: 801 })).toThrow(/bytes: must be a multiple of 8/)
    expect(() => host.open(OWNER, 'sampleData', { ...base, bytes: 2 ** 40 })).toThrow(/at most .*64 GiB/)
    expect(() => host.open(OWNER, 'sampleData', { ...base, directory: '' })).toThrow(/directory: no file was given/)
    const { id } = host.open(OWNER, 'sampleData', { ...base, name: '../escape' })
    expect((await rejectedLabError(host.next(OWNER, id, 1))).message).toMatch(/plain name/)
  })
})

describe('process job', () => {
  test('every mode, pull and push, gives the sum the generator wrote', async () => {
    const runs: ProcessJobResult[] = []
    for (const style of ['pull', 'push'] as const) {
      for (const [mode, path] of [
        ['eager', sample.binaryPath],
        ['lazyItem', sample.binaryPath],
        ['lazyChunk', sample.binaryPath],
        ['text', sample.textPath!]
      ] as const) {
        const { result } = await runProcess({ inputs: [{ path, mode, chunkSize: 1000 }], style })
        expect(result.count, `${mode} ${style}`).toBe(40_000)
        expect(close(result.sum, sample.sum), `${mode} ${style}: ${result.sum} vs ${sample.sum}`).toBe(true)
        expect(result.style).toBe(style)
        runs.push(result)
      }
    }
    const eager = runs[0]!
    expect(eager.bytes).toBe(320_000)
    expect(eager.peakRssBytes).toBeGreaterThanOrEqual(eager.startRssBytes)
    expect(eager.inputs).toEqual([
      {
        path: sample.binaryPath,
        mode: 'eager',
        chunkSize: 1000,
        dtype: 'float64',
        fileBytes: 320_000,
        bytesRead: 320_000
      }
    ])
    expect(runs[3]!.bytes).toBe(sample.textBytes)
  })

  test('chains inputs like process(*data_iterables), with progress in bytes of all files', async () => {
    const { id, result } = await runProcess({
      inputs: [
        { path: sample.binaryPath, mode: 'lazyItem', chunkSize: 512 },
        { path: sample.textPath!, mode: 'text' },
        { path: sample.binaryPath, mode: 'eager' }
      ],
      progressEvery: 5000
    })
    expect(result.count).toBe(120_000)
    expect(close(result.sum, 3 * sample.sum)).toBe(true)
    expect(result.inputs.map((input) => input.bytesRead)).toEqual([320_000, sample.textBytes, 320_000])
    const progress = events.filter((e) => e.id === id && e.progress).map((e) => e.progress!)
    expect(progress.length).toBeGreaterThan(0)
    const total = 640_000 + sample.textBytes!
    for (const p of progress) {
      expect(p).toMatchObject({ unit: 'bytes', total, stats: { inputBytes: [320_000, sample.textBytes, 320_000] } })
      expect(Object.keys(p.stats).sort()).toEqual([
        'bytes',
        'elapsedMs',
        'inputBytes',
        'items',
        'itemsPerSecond',
        'mbPerSecond',
        'peakRssBytes',
        'rssBytes'
      ])
    }
    expect(progress.at(-1)).toMatchObject({ completed: total, stats: { items: 120_000, bytes: total } })
  })

  test('eager reports its phases: allocate, read (faulting in the fresh buffer) and sum; lazy has none', async () => {
    const big = float64File(
      'phases.bin',
      Array.from({ length: 2 * 1024 * 1024 }, (_, i) => i % 7)
    )
    const { result } = await runProcess({ inputs: [{ path: big, mode: 'eager' }] })
    expect(result.sum).toBe(Array.from({ length: 2 * 1024 * 1024 }, (_, i) => i % 7).reduce((a, b) => a + b, 0))
    const phases = result.eager!
    for (const phase of [phases.allocateMs, phases.readMs, phases.sumMs]) expect(phase).toBeGreaterThanOrEqual(0)
    expect(phases.allocateMs + phases.readMs + phases.sumMs).toBeLessThanOrEqual(result.elapsedMs)
    // 16 MiB of fresh memory: at least one fault per 2 MiB huge page, at most one per 4 KiB page (and some slack).
    expect(phases.readPageFaults).toBeGreaterThanOrEqual(8)
    expect(phases.readPageFaults).toBeLessThanOrEqual(4096 + 1024)
    expect(result.costs.minorPageFaults).toBeGreaterThanOrEqual(phases.readPageFaults)
    expect(result.costs.blocksRead).toBeGreaterThanOrEqual(0)

    const lazy = await runProcess({ inputs: [{ path: big, mode: 'lazyChunk', chunkSize: 8192 }] })
    expect(lazy.result.eager).toBeNull()
  })

  test('an empty file sums to 0 with count 0', async () => {
    const empty = file('empty.bin', new Uint8Array(0))
    for (const mode of ['eager', 'lazyItem', 'lazyChunk', 'text'] as const) {
      const { result } = await runProcess({ inputs: [{ path: empty, mode }] })
      expect(result).toMatchObject({ sum: 0, count: 0, bytes: 0 })
    }
  })

  test('eager refuses a file over the memory limit and explains why lazy reading exists', async () => {
    const error = await processError({ inputs: [{ path: sample.binaryPath, mode: 'eager' }], eagerMaxBytes: 100_000 })
    expect(error.code).toBe('TOO_LARGE')
    expect(error.path).toBe(sample.binaryPath)
    expect(error.message).toMatch(/320000 bytes is more than the eager-read limit of 100000 bytes/)
    expect(error.message).toMatch(/lazily, a chunk at a time/)
    // Lazy reading of the same file under the same limit is fine.
    const { result } = await runProcess({
      inputs: [{ path: sample.binaryPath, mode: 'lazyChunk' }],
      eagerMaxBytes: 100_000
    })
    expect(result.count).toBe(40_000)
  })

  test('bad files give LabErrors naming the file, and never block', async () => {
    const missing = join(dir, 'missing.bin')
    expect(await processError({ inputs: [{ path: missing, mode: 'lazyItem' }] })).toMatchObject({
      code: 'NOT_FOUND',
      path: missing
    })
    mkdirSync(join(dir, 'adir'), { recursive: true })
    expect(await processError({ inputs: [{ path: join(dir, 'adir'), mode: 'eager' }] })).toMatchObject({
      code: 'IS_A_DIRECTORY'
    })

    const odd = file('odd.bin', new Uint8Array(8 * 3 + 3))
    for (const mode of ['eager', 'lazyItem', 'lazyChunk'] as const) {
      const error = await processError({ inputs: [{ path: odd, mode }] })
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toMatch(/27 bytes is not a whole number of float64 items .*: 3 trailing bytes/)
    }

    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    // Refused from their stat, never opened (readSyscalls.test.ts counts the opens): a FIFO
    // nobody writes to would otherwise block the job for good, and /dev/zero never end.
    for (const path of [fifo, '/dev/zero']) {
      const error = await processError({ inputs: [{ path, mode: 'lazyChunk' }] })
      expect(error.code).toBe('NOT_A_REGULAR_FILE')
    }

    const text = file('bad.txt', '1.5\n2.5\nnot-a-number\n4\n')
    const bad = await processError({ inputs: [{ path: text, mode: 'text' }] })
    expect(bad).toMatchObject({ code: 'MALFORMED_DATA', path: text })
    expect(bad.message).toMatch(/line 3 is not a number: "not-a-number"/)
  })

  test.runIf(process.platform === 'linux')(
    'an error about a file whose name is not valid UTF-8 shows it with U+FFFD and the note once',
    async () => {
      writeFileSync(
        Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xff]), Buffer.from('.bin')]),
        new Uint8Array(12)
      )
      const path = join(dir, 'caf\udcff.bin')
      for (const mode of ['eager', 'lazyItem', 'lazyChunk'] as const) {
        const error = await processError({ inputs: [{ path, mode }] })
        expect(error).toMatchObject({ code: 'MALFORMED_DATA', path })
        expect(error.message).toBe(
          `${shownWithNote(path)}: 12 bytes is not a whole number of float64 items (8 bytes each): 4 trailing bytes. Is the dtype right?`
        )
      }
    }
  )

  test('a text file read in a binary mode is read as np.fromfile would, with a warning naming it', async () => {
    const text = file('numbers.txt', '1.5\n'.repeat(1000)) // 4,000 bytes: 500 float64 items of characters
    const asFloat64 = new Float64Array(new Uint8Array(readFileSync(text)).buffer)
    const warning = `${text}: this looks like a text file (numbers written out as text). The binary modes read its characters as float64 items, as np.fromfile would, so the sum means nothing; the Text mode reads it as numbers.`
    for (const mode of ['eager', 'lazyItem', 'lazyChunk'] as const) {
      const { id, result } = await runProcess({ inputs: [{ path: text, mode, chunkSize: 100 }] })
      expect(result.count).toBe(500)
      // Its characters as items (tiny numbers: compared relatively, the summation order differs).
      expect(Math.abs(result.sum / asFloat64.reduce((sum, item) => sum + item, 0) - 1)).toBeLessThan(1e-12)
      expect(result.warnings).toEqual([warning])
      expect(events.filter((e) => e.id === id && e.line === warning)).toHaveLength(1)
    }
  })

  test.runIf(process.platform === 'linux')(
    'the warning about a text file whose name is not valid UTF-8 shows it with U+FFFD and the note once',
    async () => {
      writeFileSync(Buffer.from(join(dir, 'numbers-\xff.txt'), 'latin1'), '1.5\n'.repeat(1000))
      const path = join(dir, 'numbers-\udcff.txt')
      const { id, result } = await runProcess({ inputs: [{ path, mode: 'lazyChunk', chunkSize: 100 }] })
      const warning = `${shownWithNote(path)}: this looks like a text file (numbers written out as text). The binary modes read its characters as float64 items, as np.fromfile would, so the sum means nothing; the Text mode reads it as numbers.`
      expect(result.warnings).toEqual([warning])
      expect(events.filter((e) => e.id === id && e.line === warning)).toHaveLength(1)
    }
  )

  test('a text file of other text (words, several numbers a line) read in a binary mode warns without pointing to the Text mode', async () => {
    // 4,096 bytes each: 512 float64 items of characters.
    for (const [name, line] of [
      ['notes.txt', 'hello, world!!!\n'],
      ['table.txt', '1.0 2.0 3.0 4.5\n']
    ] as const) {
      const text = file(name, line.repeat(256))
      const { id, result } = await runProcess({ inputs: [{ path: text, mode: 'lazyChunk', chunkSize: 100 }] })
      const warning = `${text}: this looks like a text file (not numbers one per line). The binary modes read its characters as float64 items, as np.fromfile would, so the sum means nothing.`
      expect(result.count).toBe(512)
      expect(result.warnings).toEqual([warning])
      expect(events.filter((e) => e.id === id && e.line === warning)).toHaveLength(1)
    }
  })

  test('a binary file, and a text file in the text mode, are read with no warning', async () => {
    const text = file('numbers.txt', '1.5\n'.repeat(1000))
    for (const mode of ['eager', 'lazyItem', 'lazyChunk'] as const) {
      const { result } = await runProcess({ inputs: [{ path: sample.binaryPath, mode, chunkSize: 100 }] })
      expect(result.warnings).toEqual([])
    }
    const { result } = await runProcess({ inputs: [{ path: text, mode: 'text' }] })
    expect(result).toMatchObject({ count: 1000, sum: 1500, warnings: [] })
  })

  test('chunk sizes: 0, negative, fractional and absurd are refused with a clear message', async () => {
    const path = sample.binaryPath
    for (const chunkSize of [0, -5, 1.5, 2 ** 28, 2 ** 40]) {
      expect(
        () => host.open(OWNER, 'process', { inputs: [{ path, mode: 'lazyItem', chunkSize }] }),
        String(chunkSize)
      ).toThrow(
        `Invalid process arguments: inputs.0.chunkSize: Chunk size must be a whole number of items from 1 to 134217728 (1 GiB of float64), got ${chunkSize}`
      )
    }
    expect(() => host.open(OWNER, 'process', { inputs: [{ path, mode: 'lazyItem', chunkSize: Number.NaN }] })).toThrow(
      'Invalid process arguments: inputs.0.chunkSize: must be a number of items'
    )
    expect(() => host.open(OWNER, 'process', { inputs: [] })).toThrow(/inputs: must list at least one input/)
    expect(() => host.open(OWNER, 'process', { inputs: [{ path: '', mode: 'eager' }] })).toThrow(
      /inputs\.0\.path: no file was given/
    )
    expect(() => host.open(OWNER, 'process', { inputs: [{ path, mode: 'lazy' }] })).toThrow(
      /inputs\.0\.mode: must be one of/
    )
  })

  test('cancel mid-file: return() while running stops it and closes the file', async () => {
    // 2 MiB read one item per read(): far longer than the test waits.
    const big = join(dir, 'big.bin')
    writeFileSync(big, new Uint8Array(2 * 1024 * 1024))
    const { id } = host.open(OWNER, 'process', {
      inputs: [{ path: big, mode: 'lazyItem', chunkSize: 1 }],
      progressEvery: 1000
    })
    const running = host.next(OWNER, id, 1)
    for (let i = 0; i < 500 && !events.some((e) => e.id === id && e.progress); i++)
      await new Promise((r) => setTimeout(r, 10))
    expect(fdsOn(big)).toBe(1)
    const closed = await host.return(OWNER, id)
    expect(closed).toEqual({ items: [], done: true, state: 'closed' })
    expect((await rejectedLabError(running)).code).toBe('CANCELLED')
    expect(fdsOn(big)).toBe(0)
    const log = events.filter((e) => e.id === id && e.line !== undefined).map((e) => e.line)
    expect(log).toEqual([`opened ${big} (${2 * 1024 * 1024} bytes)`, `closed ${big}`])
    const progress = events.filter((e) => e.id === id && e.progress).map((e) => e.progress!)
    expect(progress.at(-1)!.completed).toBeLessThan(2 * 1024 * 1024)
  })

  test('a file truncated while being read is an error, not a short sum', async () => {
    const path = float64File(
      'shrinks.bin',
      Array.from({ length: 4096 }, (_, i) => i)
    )
    const { id } = host.open(OWNER, 'read', { path, mode: 'lazyChunk', chunkSize: 1024 })
    expect((await host.next(OWNER, id, 1)).items).toHaveLength(1)
    truncateSync(path, 8 * 1500)
    const error = await rejectedLabError(host.next(OWNER, id, 10))
    expect(error).toMatchObject({ code: 'MALFORMED_DATA', path })
    expect(error.message).toMatch(/shrank while being read/)
  })
})

describe('read job', () => {
  test('lazyChunk yields owned Float64Array chunks; return() closes the file', async () => {
    const values = Array.from({ length: 2500 }, (_, i) => i * 0.5)
    const path = float64File('chunks.bin', values)
    const before = fdsOn(path)
    expect(before).toBe(0)
    const { id } = host.open(OWNER, 'read', { path, mode: 'lazyChunk', chunkSize: 1000 })
    const first = await host.next(OWNER, id, 1)
    expect(first.items).toHaveLength(1)
    const chunk = first.items[0]
    expect(chunk).toBeInstanceOf(Float64Array)
    expect(Array.from(chunk as Float64Array)).toEqual(values.slice(0, 1000))
    expect((chunk as Float64Array).buffer.byteLength).toBe(8000)
    expect(fdsOn(path)).toBe(1)
    expect(await host.return(OWNER, id)).toEqual({ items: [], done: true, state: 'closed' })
    expect(fdsOn(path)).toBe(0)
    const log = events.filter((e) => e.id === id && e.line !== undefined).map((e) => e.line)
    expect(log).toEqual([`opened ${path} (20000 bytes)`, `closed ${path}`])
  })

  test('lazyItem and text yield numbers and return a summary when exhausted', async () => {
    const path = float64File('items.bin', [1.5, -2, 3.25])
    const { id } = host.open(OWNER, 'read', { path, mode: 'lazyItem', chunkSize: 2 })
    const batch = await host.next(OWNER, id, 100)
    expect(batch).toMatchObject({
      items: [1.5, -2, 3.25],
      done: true,
      value: { count: 3, yielded: 3, bytes: 24 } satisfies ReadJobSummary
    })

    const text = host.open(OWNER, 'read', { path: sample.textPath!, mode: 'text' })
    const items: number[] = []
    for (;;) {
      const next = await host.next(OWNER, text.id, 10_000)
      items.push(...(next.items as number[]))
      if (next.done) {
        expect(next.value).toMatchObject({ count: 40_000, bytes: sample.textBytes })
        break
      }
    }
    const binary = new Float64Array(readFileSync(sample.binaryPath).buffer.slice(0))
    expect(items).toEqual(Array.from(binary))
  })

  test('int64 chunks arrive as BigInt64Array', async () => {
    const path = file('ints.bin', new Uint8Array(new BigInt64Array([1n, -2n, 2n ** 60n]).buffer))
    const { id } = host.open(OWNER, 'read', { path, mode: 'lazyChunk', chunkSize: 8, dtype: 'int64' })
    const batch = await host.next(OWNER, id, 10)
    expect(batch.items[0]).toBeInstanceOf(BigInt64Array)
    expect(Array.from(batch.items[0] as BigInt64Array)).toEqual([1n, -2n, 2n ** 60n])
  })

  test('refuses eager mode (nothing to pull) and bad arguments', () => {
    expect(() => host.open(OWNER, 'read', { path: sample.binaryPath, mode: 'eager' })).toThrow(
      /mode: must be lazyItem, lazyChunk or text/
    )
    expect(() => host.open(OWNER, 'read', { path: sample.binaryPath, mode: 'lazyItem', chunkSize: 0 })).toThrow(
      /chunkSize: Chunk size must be a whole number of items from 1 to/
    )
    expect(() => host.open(OWNER, 'read', { path: sample.binaryPath, mode: 'lazyItem', dtype: 'float16' })).toThrow(
      /dtype: must be one of/
    )
  })
})
