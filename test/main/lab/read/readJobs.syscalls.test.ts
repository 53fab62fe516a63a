/**
 * What the process job opens: each input once, by its reader. Its warning about a text file read
 * in a binary mode is made from the first bytes that reader read, not from a second open.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { processArgsSchema, type ProcessArgs, type ProcessJobStats } from '../../../../src/shared/readJobs'
import type { JobControl } from '../../../../src/main/lab/progress'

const opened = vi.hoisted(() => [] as string[])

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>()
  const openSync = (...args: Parameters<typeof actual.openSync>): number => {
    opened.push(String(args[0]))
    return actual.openSync(...args)
  }
  return { ...actual, default: { ...actual, openSync }, openSync }
})

const { processJob } = await import('../../../../src/main/lab/read/readJobs')

let dir: string
let text: string
let binary: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-readjobs-opens-'))
  // 6,000 bytes, more than the 4 KiB looked at: the head is gathered across reads.
  text = join(dir, 'numbers.txt')
  writeFileSync(text, '1.5\n'.repeat(1500))
  binary = join(dir, 'numbers.bin')
  writeFileSync(binary, new Float64Array([1.5, 2.5, 3.5]))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeEach(() => {
  opened.length = 0
})

function runProcess(args: ProcessArgs): { warnings: string[]; count: number } {
  const control: JobControl<ProcessJobStats> = { isCancelled: () => false, report: () => undefined }
  const job = processJob(v.parse(processArgsSchema, args), control)
  const step = job.next()
  if (step.done !== true) throw new Error('the process job yielded')
  return step.value
}

describe('files the process job opens', () => {
  it.each([
    ['eager', 8],
    ['lazyItem', 1],
    ['lazyItem', 1000],
    ['lazyChunk', 7],
    ['lazyChunk', 8192]
  ] as const)('%s, %i items per read: each input once, the text warning kept', (mode, chunkSize) => {
    const result = runProcess({ inputs: [text, binary].map((path) => ({ path, mode, chunkSize })) })
    expect(result.count).toBe(750 + 3)
    expect(result.warnings).toEqual([
      `${text}: this looks like a text file (numbers written out as text). The binary modes read its characters as float64 items, as np.fromfile would, so the sum means nothing; the Text mode reads it as numbers.`
    ])
    expect(opened).toEqual([text, binary])
  })

  it.each([1, 8192])(
    'the same 4 KiB are looked at with reads of %i items: a binary byte at 1,000 means binary',
    (chunkSize) => {
      const mixed = join(dir, 'mixed.bin')
      const bytes = Buffer.from('1.5\n'.repeat(1024))
      bytes[1000] = 0xff
      writeFileSync(mixed, bytes)
      for (const mode of ['lazyItem', 'lazyChunk'] as const)
        expect(runProcess({ inputs: [{ path: mixed, mode, chunkSize }] }).warnings, mode).toEqual([])
      expect(runProcess({ inputs: [{ path: text, mode: 'lazyItem', chunkSize }] }).warnings).toHaveLength(1)
    }
  )

  it('a file chained twice is warned about once; a text file in the text mode not at all', () => {
    const result = runProcess({
      inputs: [
        { path: text, mode: 'lazyChunk' },
        { path: text, mode: 'eager' },
        { path: text, mode: 'text' }
      ]
    })
    expect(result.warnings).toHaveLength(1)
    expect(opened).toEqual([text, text, text])
  })
})
