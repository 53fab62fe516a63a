/**
 * The walker without the native helper (Windows, or no compiler at install), where it lstats each
 * entry through Node's fs: only the main-without-native project (vitest.config.ts) runs this file,
 * since with the helper the lstat happens in C and cannot be made to fail from here.
 */
import fs, { mkdtempSync, rmSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LabError } from '../../../../src/shared/errors'
import type { JobProgress } from '../../../../src/shared/jobs'
import { canListNatively } from '../../../../src/main/lab/native'
import { walkColumns, walkEntries, type WalkOptions } from '../../../../src/main/lab/walk/walk'
import { build } from '../../../support/tree'
import { asColumns } from '../../../support/walkColumns'

let top = ''
beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'yield-lab-walk-fallback-'))
})
afterAll(() => {
  if (top !== '') rmSync(top, { recursive: true, force: true })
})

/** A walk's items, errors and last progress report. */
function run<T>(
  view: (top: string, options: WalkOptions) => Iterable<T>,
  walkTop: string
): { dirs: T[]; errors: LabError[]; progress: JobProgress | undefined } {
  const errors: LabError[] = []
  let progress: JobProgress | undefined
  const control = { isCancelled: () => false, report: (p: JobProgress) => (progress = p) }
  const dirs = [...view(walkTop, { control, onerror: (e) => errors.push(e) })]
  return { dirs, errors, progress }
}

it('runs without the native helper', () => {
  expect(canListNatively).toBe(false)
})

it('walkColumns: a file whose lstat fails: onerror names it, its size and record are 0, as walkEntries', () => {
  build(top, { 'ok.txt': 'ok', 'gone.txt': 'gone', sub: { 'deep.txt': 'deep' } })
  const original = fs.lstatSync
  // The walker lstats each entry through fs here: make one of them fail.
  const failing = ((...args: Parameters<typeof fs.lstatSync>) => {
    if (String(args[0]).endsWith('gone.txt')) throw Object.assign(new Error('EACCES'), { code: 'EACCES', errno: -13 })
    return original(...args)
  }) as typeof fs.lstatSync
  Object.assign(fs, { lstatSync: failing })
  syncBuiltinESMExports()
  try {
    const entries = run(walkEntries, top)
    const columns = run(walkColumns, top)
    expect(columns.dirs).toEqual(entries.dirs.map(asColumns))
    expect(columns.errors).toEqual(entries.errors)
    expect(columns.errors.map((e) => [e.code, e.path])).toEqual([['PERMISSION_DENIED', join(top, 'gone.txt')]])
    const root = columns.dirs[0]!
    const gone = root.filenames.indexOf('gone.txt')
    expect(Array.from(root.filenameStats.subarray(gone * 5, gone * 5 + 5))).toEqual([0, 0, 0, 0, 0])
    expect(root.bytes).toBe(2)
    expect(columns.progress!.stats).toEqual({ dirs: 2, files: 3, bytes: 6, errors: 1 })
  } finally {
    Object.assign(fs, { lstatSync: original })
    syncBuiltinESMExports()
  }
})
