/**
 * The `importFile` job, through the real job host and worker: the chosen file's whole text comes
 * back as UTF-8, read in slices a cancel stops between, and what is no importable file (a FIFO, a
 * file of the kernel's, a folder) fails with an error naming it, without waiting on a FIFO.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { JobBatch } from '../../../src/shared/contract'
import { importFileLimits, type ImportFileKind } from '../../../src/shared/importFile'
import type { JobHost } from '../../../src/main/lab/jobs/jobHost'
import { importFileJob } from '../../../src/main/lab/importFileJob'
import { readWholeFile } from '../../../src/main/lab/readWholeFile'
import { createTestJobHost } from '../../support/jobHost'
import { catchLabError, rejectedLabError } from '../../support/labErrors'
import { shownWithNote } from '../../support/notUtf8'

let host: JobHost
let base = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-import-file-'))
})
afterEach(async () => {
  await host?.closeAll()
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

async function imported(file: string, kind: ImportFileKind): Promise<JobBatch> {
  ;({ host } = createTestJobHost())
  const { id } = await host.open('test', 'importFile', { file, kind })
  return host.next('test', id, 1)
}

describe('importFile job', () => {
  test('returns the whole text: a byte order mark dropped, a name that is not UTF-8 found by its bytes', async () => {
    const text = '{"label": "café ☕"}\n'.repeat(5000)
    const file = join(base, 'sweep-\udcff.json')
    writeFileSync(Buffer.from(join(base, 'sweep-\xff.json'), 'latin1'), '\ufeff' + text)
    expect(await imported(file, 'sweep')).toMatchObject({ done: true, items: [], value: { text } })
  })

  test('reads in slices, and stops between two when cancelled, naming the file', () => {
    const file = join(base, 'nine-mib.json')
    writeFileSync(file, Buffer.alloc(9 * 1024 * 1024, 0x20))
    let asked = 0
    expect(readWholeFile(file, 16 * 1024 * 1024, 'a trace', { isCancelled: () => (asked++, false) })).toHaveLength(
      9 * 1024 * 1024
    )
    expect(asked).toBeGreaterThanOrEqual(3) // 4 MiB at a time
    const error = catchLabError(() => readWholeFile(file, 16 * 1024 * 1024, 'a trace', { isCancelled: () => true }))
    expect(error).toMatchObject({ code: 'CANCELLED', message: `Reading ${file} was cancelled.`, path: file })
    // The job asks its control.
    const job = importFileJob({ file, kind: 'trace' }, { isCancelled: () => true, report: () => undefined })
    expect(() => job.next()).toThrow(`Reading ${file} was cancelled.`)
  })

  test('a FIFO, a /proc file, a folder, a missing file, bytes that are not UTF-8 and a file too large fail naming the file', async () => {
    const fifo = join(base, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    const latin1 = join(base, 'latin1.json')
    writeFileSync(latin1, Buffer.from('{"label": "caf\xe9"}', 'latin1'))
    // Sparse: its size is over the sweep's limit, its blocks are not.
    const big = join(base, 'big.json')
    writeFileSync(big, '')
    truncateSync(big, importFileLimits.sweep.maxBytes + 1)
    for (const [file, kind, code, message] of [
      [fifo, 'sweep', 'NOT_A_REGULAR_FILE', `${fifo}: is a named pipe (FIFO)`],
      // As the data readers refuse them: a file of the kernel's is nobody's export.
      [
        '/proc/self/environ',
        'trace',
        'NOT_A_REGULAR_FILE',
        '/proc/self/environ: has content although its size is 0 bytes'
      ],
      [base, 'trace', 'IS_A_DIRECTORY', `${base}: is a directory`],
      [join(base, 'missing.json'), 'trace', 'NOT_FOUND', join(base, 'missing.json')],
      [latin1, 'trace', 'MALFORMED_DATA', `${latin1}: is not UTF-8 text, so it cannot be a trace`],
      [big, 'sweep', 'TOO_LARGE', `${big}: is 16,777,217 bytes (16.0 MiB); a sweep of at most 16 MiB can be opened`]
    ] as const) {
      const error = await rejectedLabError(imported(file, kind))
      expect(error, file).toMatchObject({ code, path: file })
      expect(error.message).toContain(message)
      await host.closeAll()
    }
  })

  test('a file whose name is not UTF-8 is named as people see it', async () => {
    const file = join(base, 'bad-\udcff')
    writeFileSync(Buffer.from(join(base, 'bad-\xff'), 'latin1'), Buffer.from([0xff, 0xfe, 0x41]))
    const error = await rejectedLabError(imported(file, 'trace'))
    expect(error.message).toBe(`${shownWithNote(file)}: is not UTF-8 text, so it cannot be a trace`)
  })
})
