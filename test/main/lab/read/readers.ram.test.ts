/**
 * The eager reader never takes in a file larger than the machine's memory, whatever limit it is
 * given: the machine here is made to report 1 MiB of memory, so that a small file stands for one
 * larger than RAM (a real one would fill this machine's memory when the check is missing).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

const MEMORY_BYTES = 1024 * 1024

vi.mock('node:os', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:os')>()),
  totalmem: () => MEMORY_BYTES
}))

const { tmpdir } = await import('node:os')
const { readBinaryEager } = await import('../../../../src/main/lab/read/readers')
const { LabError } = await import('../../../../src/shared/errors')

let dir: string
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'yield-lab-ram-'))))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readBinaryEager against the machine’s memory', () => {
  it('a file larger than memory is TOO_LARGE even under a larger limit; one that fits is read', () => {
    const big = join(dir, 'big.bin')
    writeFileSync(big, new Float64Array(MEMORY_BYTES / 8 + 1))
    let caught: unknown
    try {
      readBinaryEager(big, 'float64', { maxBytes: Number.MAX_SAFE_INTEGER })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(LabError)
    expect((caught as InstanceType<typeof LabError>).code).toBe('TOO_LARGE')
    expect((caught as Error).message).toBe(
      `${big}: ${MEMORY_BYTES + 8} bytes is more than this machine's memory (${MEMORY_BYTES} bytes), whatever the eager-read limit. ` +
        'Eager reading loads the whole file into RAM at once; data larger than memory has to be read lazily, ' +
        'a chunk at a time (the lazy readers), which is why lazy reading exists.'
    )
    const fits = join(dir, 'fits.bin')
    writeFileSync(fits, new Float64Array([1, 2, 3]))
    expect([...readBinaryEager(fits, 'float64', { maxBytes: Number.MAX_SAFE_INTEGER })]).toEqual([1, 2, 3])
  })
})
