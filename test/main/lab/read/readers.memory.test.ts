/**
 * Lazy reading keeps memory flat: reading a 256 MiB file lazily grows the resident set by at
 * most one chunk plus 64 MiB (garbage the GC has not collected yet), while the eager reader, as
 * a control that the measurement can see growth, holds the whole file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataItem } from '../../../../src/shared/dataFiles'
import { processData } from '../../../../src/main/lab/read/process'
import { readBinaryChunks, readBinaryEager, readBinaryLazy, readTextLazy } from '../../../../src/main/lab/read/readers'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'

const MiB = 1024 * 1024
const FILE_BYTES = 256 * MiB
let dir: string
let big: string
let text: string
let textBytes: number

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-memory-'))
  big = writeSampleData({ directory: dir, name: 'big', bytes: FILE_BYTES, seed: 3 }).binaryPath
  const twin = writeSampleData({ directory: dir, name: 'text', bytes: 16 * MiB, seed: 4, withText: true })
  text = twin.textPath!
  textBytes = twin.textBytes!
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Peak RSS growth over the RSS before the reader starts, sampled every 32768 items. */
function peakGrowth(input: Iterable<DataItem>, stopAfter = Infinity): { growth: number; count: number } {
  const base = process.memoryUsage.rss()
  let peak = base
  let count = 0
  const result = (() => {
    try {
      return processData([input], {
        progressEvery: 32_768,
        control: {
          isCancelled: () => false,
          report: (p) => {
            peak = Math.max(peak, process.memoryUsage.rss())
            count = p.completed
            if (p.completed >= stopAfter) throw new Error('enough')
          }
        }
      })
    } catch (error) {
      if ((error as Error).message !== 'enough') throw error
      return { count }
    }
  })()
  return { growth: Math.max(peak, process.memoryUsage.rss()) - base, count: result.count }
}

describe('RSS growth while reading a 256 MiB file', () => {
  it.each([
    ['items, chunk 65536', 65536 * 8, () => readBinaryLazy(big, 65536)],
    ['chunks of 65536, owned buffers', 65536 * 8, () => readBinaryChunks(big, 65536)],
    ['chunks of 1 Mi items (8 MiB), owned buffers', 8 * MiB, () => readBinaryChunks(big, MiB)],
    ['chunks of 65536, reused buffer', 65536 * 8, () => readBinaryChunks(big, 65536, 'float64', { reuseBuffer: true })],
    [
      'chunks of 4 Mi items (32 MiB), reused buffer',
      32 * MiB,
      () => readBinaryChunks(big, 4 * MiB, 'float64', { reuseBuffer: true })
    ]
  ] as const)('lazy %s: at most one chunk + 64 MiB', (_, chunkBytes, open) => {
    const { growth, count } = peakGrowth(open())
    expect(count).toBe(FILE_BYTES / 8)
    expect(growth).toBeLessThanOrEqual(chunkBytes + 64 * MiB)
  })

  it('lazy chunks of 4 Mi items (32 MiB), owned buffers: discarded chunks wait for the GC (a few chunks + 64 MiB)', () => {
    // V8 frees a dropped ArrayBuffer only at its next GC, triggered by external memory growth of
    // ~64 MiB: with chunks this big a few of them can be waiting at once (measured up to 4).
    const { growth, count } = peakGrowth(readBinaryChunks(big, 4 * MiB))
    expect(count).toBe(FILE_BYTES / 8)
    expect(growth).toBeLessThanOrEqual(4 * 32 * MiB + 64 * MiB)
  })

  it('lazy items, chunk 1 (first 512 Ki items: one read() each)', () => {
    const { growth, count } = peakGrowth(readBinaryLazy(big, 1), 512 * 1024)
    expect(count).toBe(512 * 1024)
    expect(growth).toBeLessThanOrEqual(8 + 64 * MiB)
  })

  it(`lazy text (a ${Math.round((16 * MiB * 25) / 8 / MiB)} MiB text file, 64 KiB reads)`, () => {
    const { growth, count } = peakGrowth(readTextLazy(text))
    expect(count).toBe((16 * MiB) / 8)
    expect(textBytes).toBeGreaterThan(48 * MiB)
    expect(growth).toBeLessThanOrEqual(64 * 1024 + 64 * MiB)
  })

  it('control: eager holds the whole file, and the measurement sees it', () => {
    const base = process.memoryUsage.rss()
    const data = readBinaryEager(big)
    expect(process.memoryUsage.rss() - base).toBeGreaterThan(0.9 * FILE_BYTES)
    expect(data.length).toBe(FILE_BYTES / 8)
  })
})
