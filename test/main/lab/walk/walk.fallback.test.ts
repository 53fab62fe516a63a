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
import { WALK_STAT } from '../../../../src/shared/walkJob'
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

/** Two NTFS file ids one MFT record apart (reused 0xc6 times): one double, as Node's plain stat gives them. */
const NTFS_ID_A = 0x00c6000000035370n
const NTFS_ID_B = 0x00c6000000035371n

it('two hard-linked files whose inode numbers are above 2^53 (NTFS ids) stay two files in the tree', () => {
  expect(Number(NTFS_ID_A)).toBe(Number(NTFS_ID_B))
  build(top, { ntfs: { a: { 'one.bin': 'x'.repeat(1000), 'two.bin': 'y'.repeat(1000) }, b: {} } })
  const [a, b] = [join(top, 'ntfs', 'a'), join(top, 'ntfs', 'b')]
  fs.linkSync(join(a, 'one.bin'), join(b, 'one-link'))
  fs.linkSync(join(a, 'two.bin'), join(b, 'two-link'))
  const one = fs.statSync(join(a, 'one.bin')).ino
  const original = fs.lstatSync
  // Node on Windows: the plain lstat rounds the id to a double; with bigint it is exact.
  const windowsLike = ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
    const stats = original(path, options as fs.StatSyncOptions & { bigint: false })
    if (stats === undefined || Number(stats.nlink) < 2) return stats
    const id = BigInt(stats.ino) === BigInt(one) ? NTFS_ID_A : NTFS_ID_B
    return Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as fs.Stats, stats, {
      ino: typeof stats.ino === 'bigint' ? id : Number(id)
    })
  }) as typeof fs.lstatSync
  Object.assign(fs, { lstatSync: windowsLike })
  syncBuiltinESMExports()
  let dirs
  try {
    dirs = run(walkColumns, join(top, 'ntfs')).dirs
  } finally {
    Object.assign(fs, { lstatSync: original })
    syncBuiltinESMExports()
  }
  const inodes = dirs.flatMap((dir) =>
    dir.filenames.map((_, i) => dir.filenameStats[i * WALK_STAT.FIELDS + WALK_STAT.INO]!)
  )
  // Two numbers, each file's two names sharing its own.
  const [first, second] = [...new Set(inodes)]
  expect(inodes.sort()).toEqual([first, first, second, second].sort())
  expect(first).not.toBe(second)
})

it('folders whose inode is 0 (some Windows file systems give none) are walked, not taken for cycles', () => {
  build(top, { zero: { sub: { deeper: { 'f.txt': 'x' } } } })
  const real = { stat: fs.statSync, lstat: fs.lstatSync }
  const zeroInode = <T extends typeof fs.statSync>(look: T): T =>
    ((...args: Parameters<T>) => {
      const stats = (look as (...a: unknown[]) => fs.Stats | fs.BigIntStats | undefined)(...args)
      if (stats === undefined || !stats.isDirectory()) return stats
      return Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as object, stats, {
        ino: typeof stats.ino === 'bigint' ? 0n : 0
      })
    }) as unknown as T
  Object.assign(fs, { statSync: zeroInode(real.stat), lstatSync: zeroInode(real.lstat) })
  syncBuiltinESMExports()
  let dirs
  try {
    dirs = run(walkEntries, join(top, 'zero')).dirs
  } finally {
    Object.assign(fs, { statSync: real.stat, lstatSync: real.lstat })
    syncBuiltinESMExports()
  }
  expect(dirs.map((dir) => dir.dirpath)).toEqual(
    [[], ['sub'], ['sub', 'deeper']].map((names) => join(top, 'zero', ...names))
  )
})
