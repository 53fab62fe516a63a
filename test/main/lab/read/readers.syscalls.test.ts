/**
 * How many read() calls each reader makes: chunk size 1 really reads one number per call (the
 * lecture's slow version), a chunk of k items reads k items per call, eager reads in a few large
 * pieces (each split over threads by the native helper where it is built), and no reader ever
 * opens a non-regular file.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

const calls = vi.hoisted(() => ({ read: [] as number[], open: [] as string[] }))

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>()
  const readSync = (...args: Parameters<typeof actual.readSync>): number => {
    const n = (actual.readSync as (...a: unknown[]) => number)(...args)
    calls.read.push(n)
    return n
  }
  const openSync = (...args: Parameters<typeof actual.openSync>): number => {
    calls.open.push(String(args[0]))
    return actual.openSync(...args)
  }
  return { ...actual, default: { ...actual, readSync, openSync }, readSync, openSync }
})

// The eager reader's large pieces go through the native helper's parallel read where it is built:
// each such call counts as one read of the bytes it returns.
vi.mock('../../../../src/main/lab/native', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/main/lab/native')>()
  const readParallel = (...args: Parameters<typeof actual.readParallel>): number => {
    const n = actual.readParallel(...args)
    calls.read.push(n)
    return n
  }
  return { ...actual, readParallel }
})

const { readBinaryChunks, readBinaryEager, readBinaryLazy, readTextLazy, EAGER_READ_PIECE_BYTES } =
  await import('../../../../src/main/lab/read/readers')

let dir: string
let file: string
const ITEMS = 10_007

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-syscalls-'))
  file = join(dir, 'data.bin')
  writeFileSync(file, Buffer.from(new Float64Array(ITEMS).map((_, i) => i).buffer))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

beforeEach(() => {
  calls.read.length = 0
  calls.open.length = 0
})

describe('read() calls per reader', () => {
  it('chunk size 1: one read() of 8 bytes per number', () => {
    let count = 0
    for (const x of readBinaryLazy(file, 1)) expect(x).toBe(count++)
    expect(count).toBe(ITEMS)
    expect(calls.read.length).toBe(ITEMS)
    expect(calls.read.every((n) => n === 8)).toBe(true)
  })

  it.each([7, 1000, 4096])('chunk size %i: one read() per chunk, for items and for chunks', (chunk) => {
    const expected = Math.ceil(ITEMS / chunk)
    expect([...readBinaryLazy(file, chunk)].length).toBe(ITEMS)
    expect(calls.read.length).toBe(expected)
    calls.read.length = 0
    expect([...readBinaryChunks(file, chunk)].length).toBe(expected)
    expect(calls.read.length).toBe(expected)
    expect(calls.read.slice(0, -1).every((n) => n === chunk * 8)).toBe(true)
  })

  it('eager: one read for a small file; a few large reads for a big one', () => {
    expect(readBinaryEager(file).length).toBe(ITEMS)
    expect(calls.read).toEqual([ITEMS * 8])
    calls.read.length = 0
    const big = join(dir, 'big.bin')
    writeFileSync(big, Buffer.alloc(EAGER_READ_PIECE_BYTES * 2 + 800))
    expect(readBinaryEager(big).length).toBe((EAGER_READ_PIECE_BYTES * 2 + 800) / 8)
    expect(calls.read).toEqual([EAGER_READ_PIECE_BYTES, EAGER_READ_PIECE_BYTES, 800])
    rmSync(big)
  })

  it('text: reads its chunk size at a time, never the whole file at once', () => {
    const text = join(dir, 'data.txt')
    writeFileSync(text, Array.from({ length: 5000 }, (_, i) => `${i}.5`).join('\n'))
    const values = [...readTextLazy(text, { chunkBytes: 4096 })]
    expect(values.length).toBe(5000)
    expect(calls.read.every((n) => n <= 4096)).toBe(true)
    expect(calls.read.length).toBeGreaterThan(5)
  })

  it('a FIFO or device is refused from its stat: open() is never even called', () => {
    // Opening a FIFO nobody writes to would block for good.
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    for (const path of [fifo, '/dev/zero', '/dev/null']) {
      const readers = [
        () => readBinaryEager(path),
        () => [...readBinaryLazy(path, 1)],
        () => [...readBinaryChunks(path, 1)],
        () => [...readTextLazy(path)]
      ]
      for (const read of readers) expect(read).toThrow(/is a named pipe \(FIFO\)|is a character device/)
    }
    expect(calls.open).toEqual([])
  })
})
