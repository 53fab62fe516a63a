/**
 * The chunk-size rule is stated once (chunkSizeProblem in src/shared/dataFiles.ts): every entry
 * point that takes a chunk size — the Read form, the job arguments, the readers, the sweep's
 * arguments and the sweep CLI — refuses a bad one with that same message.
 */
import * as v from 'valibot'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sweepArgsFromCommandLine } from '../../bench/sweep'
import { readBinaryChunks, readBinaryLazy } from '../../src/main/lab/read/readers'
import { checkChunkItems } from '../../src/renderer/src/read/readForm'
import { chunkSizeProblem, dtypes, maxChunkItems, type Dtype } from '../../src/shared/dataFiles'
import { processArgsSchema, readArgsSchema } from '../../src/shared/readJobs'
import { sweepArgsSchema } from '../../src/shared/sweep'
import { catchLabError } from '../support/labErrors'

let dir: string
let file: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-chunk-rule-'))
  file = join(dir, 'data.bin')
  writeFileSync(file, new Float64Array(16))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function schemaMessage(schema: v.GenericSchema, input: unknown): string {
  const result = v.safeParse(schema, input)
  expect(result.success).toBe(false)
  return result.issues![0].message
}

/** What each entry point says about a chunk size, for a dtype. */
const entryPoints: Record<string, (chunkSize: number, dtype: Dtype) => string> = {
  'the Read form': (chunkSize, dtype) => {
    const checked = checkChunkItems(String(chunkSize), dtype)
    return checked.ok ? '' : checked.message
  },
  'a process job': (chunkSize, dtype) =>
    schemaMessage(processArgsSchema, { inputs: [{ path: file, mode: 'lazyItem', chunkSize, dtype }] }),
  'a read job': (chunkSize, dtype) =>
    schemaMessage(readArgsSchema, { path: file, mode: 'lazyChunk', chunkSize, dtype }),
  'the lazy reader': (chunkSize, dtype) => catchLabError(() => readBinaryLazy(file, chunkSize, dtype)).message,
  'the chunk reader': (chunkSize, dtype) => catchLabError(() => readBinaryChunks(file, chunkSize, dtype)).message,
  "a sweep's grid": (chunkSize, dtype) =>
    schemaMessage(sweepArgsSchema, { path: file, dtype, grid: { kind: 'list', sizes: [chunkSize] } }),
  'the sweep CLI': (chunkSize, dtype) =>
    catchLabError(() => sweepArgsFromCommandLine(['--sweep', file, '--dtype', dtype, `--chunks=${chunkSize}`])).message
}

describe('the chunk-size rule', () => {
  test('fits 1 to 1 GiB of items of each dtype', () => {
    for (const dtype of dtypes) {
      expect(chunkSizeProblem(1, dtype)).toBeUndefined()
      expect(chunkSizeProblem(maxChunkItems(dtype), dtype)).toBeUndefined()
      expect(chunkSizeProblem(maxChunkItems(dtype) + 1, dtype)).toContain(
        `from 1 to ${maxChunkItems(dtype)} (1 GiB of ${dtype})`
      )
    }
  })

  test.each([
    [0, 'float64'],
    [-2, 'int32'],
    [2 ** 27 + 1, 'float64'],
    [2 ** 28 + 1, 'float32'],
    [2 ** 27 + 1, 'int64']
  ] as const)('chunk size %s of %s: every entry point gives the same message', (chunkSize, dtype) => {
    const expected = chunkSizeProblem(chunkSize, dtype)!
    expect(expected).toBe(
      `Chunk size must be a whole number of items from 1 to ${maxChunkItems(dtype)} (1 GiB of ${dtype}), got ${chunkSize}`
    )
    for (const [entry, messageFor] of Object.entries(entryPoints))
      expect(messageFor(chunkSize, dtype), entry).toContain(expected)
  })
})
