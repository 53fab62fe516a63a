/**
 * The sample data generator: numpy-compatible output, its sidecar, never overwriting unless asked,
 * atomic writes (the previous files survive any failure), staying in its directory, progress and cancel.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { JobProgress } from '../../../../src/shared/jobs'
import { toLabError } from '../../../../src/main/lab/errors'
import { processData } from '../../../../src/main/lab/read/process'
import { readBinaryEager, readBinaryLazy, readTextLazy } from '../../../../src/main/lab/read/readers'
import {
  defaultDataDirectory,
  formatSavetxt,
  SampleRandom,
  writeSampleData,
  writeSavetxtLine
} from '../../../../src/main/lab/read/sampleData'
import {
  removeStaleTemporaryFiles,
  removeTemporaryFilesOf,
  STALE_TEMPORARY_MS,
  TEMPORARY_PREFIX
} from '../../../../src/main/lab/temporaryFiles'
import type { SampleDataMeta, SampleDataStats } from '../../../../src/shared/readJobs'
import { catchLabError } from '../../../support/labErrors'
import { canMountTmpfs, runOnTmpfs, runOnXinoOverlay } from '../../../support/mountedTmpfs'
import { shownWithNote } from '../../../support/notUtf8'
import { requirePython, runPython } from '../../../support/python'
import { runUnprivilegedScript } from '../../../support/unprivileged'

let root: string
let n = 0
/** A fresh empty directory per test. */
function freshDir(): string {
  const dir = join(root, `case-${n++}`)
  mkdirSync(dir)
  return dir
}

beforeAll(() => {
  requirePython()
  root = mkdtempSync(join(tmpdir(), 'yield-lab-sample-'))
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('writeSampleData', () => {
  it('writes 1 MB of float64 that numpy reads, its savetxt twin byte for byte, and a sidecar', () => {
    const directory = freshDir()
    const result = writeSampleData({ directory, name: 'one-mb', bytes: 1_000_000, seed: 42, withText: true })
    expect(result.binaryPath).toBe(join(directory, 'one-mb.bin'))
    expect(result.textPath).toBe(join(directory, 'one-mb.txt'))
    expect(statSync(result.binaryPath).size).toBe(1_000_000)
    expect(readdirSync(directory).sort()).toEqual(['one-mb.bin', 'one-mb.json', 'one-mb.txt'])

    const meta = JSON.parse(readFileSync(result.metaPath, 'utf8')) as SampleDataMeta
    expect(meta).toMatchObject({
      format: 'yield-lab-sample/1',
      binary: 'one-mb.bin',
      count: 125_000,
      dtype: 'float64',
      seed: 42,
      bytes: 1_000_000,
      text: 'one-mb.txt'
    })
    expect(meta.sum).toBe(result.sum)
    expect(meta.textBytes).toBe(statSync(result.textPath!).size)

    const check = JSON.parse(
      runPython(
        String.raw`
import io, json, sys
import numpy as np
a = np.fromfile(sys.argv[1], dtype=float)
out = io.BytesIO()
np.savetxt(out, a)
t = np.loadtxt(sys.argv[2])
print(json.dumps({'count': int(a.size), 'sum': float(a.sum()), 'min': float(a.min()), 'max': float(a.max()),
  'savetxt_identical': out.getvalue() == open(sys.argv[2], 'rb').read(), 'loadtxt_exact': bool((t == a).all())}))`,
        [result.binaryPath, result.textPath!]
      )
    ) as { count: number; sum: number; min: number; max: number; savetxt_identical: boolean; loadtxt_exact: boolean }
    expect(check.count).toBe(125_000)
    expect(Math.abs(check.sum - meta.sum)).toBeLessThanOrEqual(1e-12 * check.sum)
    expect(check.min).toBeGreaterThanOrEqual(0)
    expect(check.max).toBeLessThan(1)
    expect(check.savetxt_identical).toBe(true)
    expect(check.loadtxt_exact).toBe(true)

    // The sidecar's sum is the left-to-right sum, exactly what process() computes item by item.
    expect(processData([readBinaryLazy(result.binaryPath, 4096)]).sum).toBe(meta.sum)
    expect(processData([readTextLazy(result.textPath!)]).sum).toBe(meta.sum)
  })

  it('is deterministic: same seed, same bytes; another seed, other bytes', () => {
    const a = writeSampleData({ directory: freshDir(), name: 'a', bytes: 80_000, seed: 7 })
    const b = writeSampleData({ directory: freshDir(), name: 'a', bytes: 80_000, seed: 7 })
    const c = writeSampleData({ directory: freshDir(), name: 'a', bytes: 80_000, seed: 8 })
    expect(readFileSync(a.binaryPath).equals(readFileSync(b.binaryPath))).toBe(true)
    expect(readFileSync(a.binaryPath).equals(readFileSync(c.binaryPath))).toBe(false)
    // a prefix of a longer file with the same seed
    const d = writeSampleData({ directory: freshDir(), name: 'a', bytes: 8_000_000, seed: 7 })
    expect(readFileSync(d.binaryPath).subarray(0, 80_000).equals(readFileSync(a.binaryPath))).toBe(true)
    const values = readBinaryEager(d.binaryPath)
    const mean = values.reduce((s, x) => s + Number(x), 0) / values.length
    expect(mean).toBeGreaterThan(0.49)
    expect(mean).toBeLessThan(0.51)
  })

  it('0 bytes gives empty files and a sidecar with count 0, sum 0', () => {
    const result = writeSampleData({ directory: freshDir(), name: 'empty', bytes: 0, withText: true })
    expect(statSync(result.binaryPath).size).toBe(0)
    expect(statSync(result.textPath!).size).toBe(0)
    expect([result.count, result.sum]).toEqual([0, 0])
  })

  it('never overwrites: a file it did not make is refused outright, one it made is ALREADY_EXISTS to confirm; nothing is touched', () => {
    for (const existing of ['x.bin', 'x.txt', 'x.json']) {
      const directory = freshDir()
      writeFileSync(join(directory, existing), 'precious')
      // Refused before any "overwrite?" is offered: confirming could not change the answer.
      const error = catchLabError(() => writeSampleData({ directory, name: 'x', bytes: 800, withText: true }))
      expect(error.code).toBe('PERMISSION_DENIED')
      expect(error.path).toBe(join(directory, existing))
      expect(error.message).toBe(
        `${join(directory, existing)}: was not made by Yield Lab (no sample sidecar x.json names it), so it is not replaced. Choose another name or folder.`
      )
      expect(readdirSync(directory)).toEqual([existing])
      expect(readFileSync(join(directory, existing), 'utf8')).toBe('precious')
    }
    const directory = freshDir()
    writeSampleData({ directory, name: 'x', bytes: 800, withText: true })
    const made = readFileSync(join(directory, 'x.bin'))
    const again = catchLabError(() => writeSampleData({ directory, name: 'x', bytes: 800, withText: true, seed: 9 }))
    expect(again.code).toBe('ALREADY_EXISTS')
    expect(again.path).toBe(join(directory, 'x.bin'))
    expect(readFileSync(join(directory, 'x.bin'))).toEqual(made)
  })

  it.each(['../escape', 'a/b', 'a\\b', '..', '.hidden', '', 'x..y', 'nul\u0000', 'spa ce', 'x'.repeat(200)])(
    'name %j is INVALID_ARGUMENT and nothing is written',
    (name) => {
      const directory = freshDir()
      expect(catchLabError(() => writeSampleData({ directory, name, bytes: 8 })).code).toBe('INVALID_ARGUMENT')
      expect(readdirSync(directory)).toEqual([])
      expect(existsSync(join(root, 'escape.bin'))).toBe(false)
    }
  )

  it.each([-8, 7, 1.5, NaN, Infinity, '8' as unknown as number])('size %s is INVALID_ARGUMENT', (bytes) => {
    expect(catchLabError(() => writeSampleData({ directory: freshDir(), name: 'x', bytes })).code).toBe(
      'INVALID_ARGUMENT'
    )
  })

  it('bad seeds are INVALID_ARGUMENT; a file where the directory should be is NOT_A_DIRECTORY', () => {
    expect(catchLabError(() => writeSampleData({ directory: freshDir(), name: 'x', bytes: 8, seed: -1 })).code).toBe(
      'INVALID_ARGUMENT'
    )
    expect(catchLabError(() => writeSampleData({ directory: freshDir(), name: 'x', bytes: 8, seed: 0.5 })).code).toBe(
      'INVALID_ARGUMENT'
    )
    const file = join(freshDir(), 'file')
    writeFileSync(file, '')
    const error = catchLabError(() => writeSampleData({ directory: file, name: 'x', bytes: 8 }))
    expect([error.code, error.path]).toEqual(['NOT_A_DIRECTORY', file])
  })

  it('a folder whose name is not valid UTF-8 is refused, never written as its U+FFFD look-alike', () => {
    const parent = freshDir()
    const error = catchLabError(() => writeSampleData({ directory: join(parent, 'bad-\udcff'), name: 'x', bytes: 8 }))
    expect([error.code, error.path]).toEqual(['INVALID_ARGUMENT', join(parent, 'bad-\udcff')])
    // As it crosses to the renderer: the name shown with U+FFFD and the note, once.
    expect(toLabError(error).message).toBe(
      `${shownWithNote(join(parent, 'bad-\udcff'))}: sample data is written only into folders whose names are valid UTF-8; choose another folder`
    )
    expect(readdirSync(parent)).toEqual([])
  })

  it('creates the target directory if needed', () => {
    const directory = join(freshDir(), 'deeper', 'still')
    expect(writeSampleData({ directory, name: 'x', bytes: 8 }).count).toBe(1)
  })

  it('a size larger than the free disk space is NO_SPACE, naming the bytes needed and free, before writing anything', () => {
    const directory = freshDir()
    const error = catchLabError(() => writeSampleData({ directory, name: 'huge', bytes: 2 ** 52 }))
    expect(error.code).toBe('NO_SPACE')
    expect(error.message).toMatch(
      new RegExp(`need about .* \\(${2 ** 52} bytes\\) but only .* \\(\\d+ bytes\\) are free`)
    )
    expect(readdirSync(directory)).toEqual([])
  })

  it.runIf(canMountTmpfs)(
    'a size that would leave less than 5% of a small disk free is NO_SPACE, saying what stays free',
    () => {
      // A 64 MiB file system: 5% of it (3.2 MiB) stays free; 56 MiB fits, 62 MiB would leave too little.
      const mounted = freshDir()
      const run = runOnTmpfs(
        mounted,
        'size=64m',
        join(root, `reserve-${n++}.mts`),
        `import { writeSampleData } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/main/lab/read/sampleData'))}
        const outcomes = []
        for (const [name, mib] of [['large', 62], ['fits', 56]]) {
          try {
            outcomes.push(writeSampleData({ directory: ${JSON.stringify(mounted)}, name, bytes: mib * 2 ** 20 }).count)
          } catch (error) {
            outcomes.push(error.code + ' ' + error.message)
          }
        }
        outcomes.push((await import('node:fs')).readdirSync(${JSON.stringify(mounted)}).sort())
        process.stdout.write(JSON.stringify(outcomes))`
      )
      expect(run.status, run.stderr).toBe(0)
      expect(JSON.parse(run.stdout)).toEqual([
        `NO_SPACE ${mounted}: these files need about 62.0 MiB (${62 * 2 ** 20} bytes), which would leave only ` +
          '2.00 MiB free on its disk; Yield Lab leaves at least 3.20 MiB free, so that the system and other programs ' +
          'keep working. Choose a smaller size or another folder.',
        (56 * 2 ** 20) / 8,
        ['fits.bin', 'fits.json']
      ])
    }
  )

  /** A set `x` of 800 bytes with its text twin, overwritten by a process killed as it moves the new x.txt in. */
  function crashedOverwrite(): string {
    const directory = freshDir()
    writeSampleData({ directory, name: 'x', bytes: 800, seed: 1, withText: true })
    const script = join(root, `crash-${n++}.mts`)
    // The new x.bin is in, the rest not yet.
    writeFileSync(
      script,
      `import fs from 'node:fs'
      import { syncBuiltinESMExports } from 'node:module'
      const rename = fs.renameSync
      fs.renameSync = (from, onto) => {
        if (String(onto).endsWith('/x.txt')) process.kill(process.pid, 'SIGKILL')
        rename(from, onto)
      }
      syncBuiltinESMExports()
      const { writeSampleData } = await import(${JSON.stringify(join(import.meta.dirname, '../../../../src/main/lab/read/sampleData.ts'))})
      writeSampleData({ directory: ${JSON.stringify(directory)}, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })`
    )
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' })
    expect(run.signal).toBe('SIGKILL')
    return directory
  }

  it('a crash while the files go into place leaves every name of the set holding a file, after any cleanup', () => {
    const previous = freshDir()
    writeSampleData({ directory: previous, name: 'x', bytes: 800, seed: 1, withText: true })
    const directory = crashedOverwrite()
    // What a job's death, main's start and the next write in the folder remove: ours, whatever their age.
    removeTemporaryFilesOf(directory, TEMPORARY_PREFIX)
    removeStaleTemporaryFiles(directory, Date.now() + 2 * STALE_TEMPORARY_MS)
    expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
    expect(statSync(join(directory, 'x.bin')).size).toBe(1600)
    for (const name of ['x.txt', 'x.json'])
      expect(readFileSync(join(directory, name))).toEqual(readFileSync(join(previous, name)))
  })

  it('after such a crash, a dead writer’s cleanup keeps the previous x.bin under its second name, and names it', () => {
    const previous = freshDir()
    writeSampleData({ directory: previous, name: 'x', bytes: 800, seed: 1, withText: true })
    const directory = crashedOverwrite()
    const kept = removeTemporaryFilesOf(directory, TEMPORARY_PREFIX)
    // The new x.bin went in: its second name is the previous one's only name.
    expect(kept.map((path) => readFileSync(path))).toContainEqual(readFileSync(join(previous, 'x.bin')))
    expect(readdirSync(directory).filter((name) => name.startsWith(TEMPORARY_PREFIX))).toEqual(
      kept.map((path) => basename(path))
    )
    removeStaleTemporaryFiles(directory)
    expect(kept.every((path) => existsSync(path))).toBe(true)
  })

  it('after such a crash, before any cleanup, the set is overwritten again as usual', () => {
    const directory = crashedOverwrite()
    const again = writeSampleData({ directory, name: 'x', bytes: 2400, seed: 4, withText: true, overwrite: true })
    expect(statSync(again.binaryPath).size).toBe(2400)
    expect(
      readdirSync(directory)
        .filter((name) => !name.startsWith(TEMPORARY_PREFIX))
        .sort()
    ).toEqual(['x.bin', 'x.json', 'x.txt'])
  })

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    'overwriting a set drops only its own second names, told apart by exact inode numbers (overlayfs, 2^63 and up)',
    () => {
      // The lower layer on tmpfs: overlayfs with xino gives its files neighbouring numbers above 2^63,
      // which a double rounds to one.
      const lower = mkdtempSync('/dev/shm/yield-lab-overlay-')
      const top = freshDir()
      try {
        const data = join(lower, 'data')
        writeSampleData({ directory: data, name: 'y', bytes: 64, withText: true })
        // A file another failed write kept (the only copy of its data), made just after y's files.
        const kept = `${TEMPORARY_PREFIX}4242-0-0123abcd-x.bin`
        writeFileSync(join(data, kept), 'previous x.bin\n')
        const merged = join(top, 'merged', 'data')
        const out = runOnXinoOverlay(
          lower,
          top,
          `import { linkSync, readdirSync } from 'node:fs'
          import { writeSampleData } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/main/lab/read/sampleData'))}
          const dir = ${JSON.stringify(merged)}
          // What a crash while y was overwritten leaves: a second name of y.txt.
          linkSync(dir + '/y.txt', dir + '/${TEMPORARY_PREFIX}4243-0-89abcdef-y.txt')
          writeSampleData({ directory: dir, name: 'y', bytes: 64, withText: true, overwrite: true })
          process.stdout.write(JSON.stringify(readdirSync(dir).sort()))`
        )
        expect(out.stderr).toBe('')
        expect(JSON.parse(out.stdout)).toEqual([kept, 'y.bin', 'y.json', 'y.txt'])
      } finally {
        rmSync(lower, { recursive: true, force: true })
      }
    }
  )

  it('reports progress in bytes up to the total', () => {
    const reports: JobProgress<SampleDataStats>[] = []
    writeSampleData({
      directory: freshDir(),
      name: 'p',
      bytes: 4 * 1024 * 1024,
      withText: true,
      control: { isCancelled: () => false, report: (p) => void reports.push(p) }
    })
    expect(reports.length).toBe(4)
    expect(reports.map((r) => r.completed)).toEqual([1, 2, 3, 4].map((m) => m * 1024 * 1024))
    expect(reports.every((r) => r.unit === 'bytes' && r.total === 4 * 1024 * 1024)).toBe(true)
    expect(reports.at(-1)!.stats.textBytes).toBeGreaterThan(0)
  })

  it('on cancel removes only the partial files it created and throws CANCELLED', () => {
    const directory = freshDir()
    writeFileSync(join(directory, 'other.bin'), 'not ours')
    let reports = 0
    const error = catchLabError(() =>
      writeSampleData({
        directory,
        name: 'big',
        bytes: 64 * 1024 * 1024,
        withText: true,
        control: { isCancelled: () => reports >= 2, report: () => void reports++ }
      })
    )
    expect(error.code).toBe('CANCELLED')
    expect(readdirSync(directory)).toEqual(['other.bin'])
  })

  it('writes under temporary names and renames them into place only when complete, the sidecar last', () => {
    const directory = freshDir()
    const seen: string[][] = []
    writeSampleData({
      directory,
      name: 'x',
      bytes: 3 * 1024 * 1024,
      withText: true,
      control: { isCancelled: () => false, report: () => void seen.push(readdirSync(directory).sort()) }
    })
    // While writing, only our recognisable temporary files exist, never a target name.
    expect(seen.length).toBe(3)
    for (const listing of seen) {
      expect(listing).toHaveLength(2)
      expect(listing.every((name) => name.startsWith(TEMPORARY_PREFIX))).toBe(true)
    }
    expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
  })
})

describe('writeSampleData over existing files', () => {
  /** A directory holding a previous set x.bin, x.txt, x.json; returns their bytes. */
  function previousSet(): { directory: string; before: Map<string, Buffer> } {
    const directory = freshDir()
    writeSampleData({ directory, name: 'x', bytes: 800, seed: 1, withText: true })
    return { directory, before: snapshot(directory) }
  }
  function snapshot(directory: string): Map<string, Buffer> {
    return new Map(
      readdirSync(directory)
        .sort()
        .map((name) => [name, readFileSync(join(directory, name))])
    )
  }

  it('overwrite: true replaces the previous set', () => {
    const { directory } = previousSet()
    const again = writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    expect(statSync(again.binaryPath).size).toBe(1600)
    expect((JSON.parse(readFileSync(again.metaPath, 'utf8')) as SampleDataMeta).seed).toBe(2)
    expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
  })

  it.runIf(process.platform !== 'win32')(
    'a new set without a text twin removes the old twin even when it is write-protected (it is ours, and not replaced)',
    () => {
      const directory = join(root, `twin-${n++}`)
      writeSampleData({ directory, name: 'x', bytes: 800, withText: true })
      chmodSync(join(directory, 'x.txt'), 0o444)
      const script = `
        import { writeSampleData } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/main/lab/read/sampleData'))}
        writeSampleData({ directory: ${JSON.stringify(directory)}, name: 'x', bytes: 1600, withText: false, overwrite: true })
        process.stdout.write('done')
      `
      expect(runUnprivilegedScript(script, root)).toBe('done')
      expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json'])
      expect(statSync(join(directory, 'x.bin')).size).toBe(1600)
    }
  )

  it('too large for the disk: NO_SPACE and the previous files are byte-identical', () => {
    const { directory, before } = previousSet()
    expect(catchLabError(() => writeSampleData({ directory, name: 'x', bytes: 2 ** 52, overwrite: true })).code).toBe(
      'NO_SPACE'
    )
    expect(snapshot(directory)).toEqual(before)
  })

  it('cancelled mid-write: CANCELLED, the previous files are byte-identical and no temporary file remains', () => {
    const { directory, before } = previousSet()
    let reports = 0
    const error = catchLabError(() =>
      writeSampleData({
        directory,
        name: 'x',
        bytes: 8 * 1024 * 1024,
        withText: true,
        overwrite: true,
        control: { isCancelled: () => reports >= 2, report: () => void reports++ }
      })
    )
    expect(error.code).toBe('CANCELLED')
    expect(snapshot(directory)).toEqual(before)
  })

  it('cancelled before the first byte: the previous files are byte-identical', () => {
    const { directory, before } = previousSet()
    const error = catchLabError(() =>
      writeSampleData({
        directory,
        name: 'x',
        bytes: 8 * 1024 * 1024,
        overwrite: true,
        control: { isCancelled: () => true, report: () => {} }
      })
    )
    expect(error.code).toBe('CANCELLED')
    expect(snapshot(directory)).toEqual(before)
  })

  it('without the text twin, the replaced set’s twin is removed once the new files are in place', () => {
    const { directory } = previousSet()
    const again = writeSampleData({ directory, name: 'x', bytes: 16, seed: 3, overwrite: true })
    expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json'])
    expect(again.text).toBeNull()
  })

  it('replaces only a set the app made: a file its sidecar does not name is PERMISSION_DENIED and untouched', () => {
    // The review's case: name 'package' in a project folder.
    const project = freshDir()
    writeFileSync(join(project, 'package.json'), '{"name": "precious"}')
    const error = catchLabError(() =>
      writeSampleData({ directory: project, name: 'package', bytes: 8, overwrite: true })
    )
    expect([error.code, error.path]).toEqual(['PERMISSION_DENIED', join(project, 'package.json')])
    expect(error.message).toContain('was not made by Yield Lab')
    expect(readdirSync(project)).toEqual(['package.json'])
    expect(readFileSync(join(project, 'package.json'), 'utf8')).toBe('{"name": "precious"}')

    // A .bin without our sidecar, a sidecar of another format, one naming another file.
    for (const [file, content] of [
      ['y.bin', 'someone else’s data'],
      ['y.json', JSON.stringify({ format: 'other/1', binary: 'y.bin' })],
      ['y.json', JSON.stringify({ format: 'yield-lab-sample/1', binary: 'z.bin' })]
    ] as const) {
      const directory = freshDir()
      writeFileSync(join(directory, file), content)
      expect(catchLabError(() => writeSampleData({ directory, name: 'y', bytes: 8, overwrite: true })).code).toBe(
        'PERMISSION_DENIED'
      )
      expect(readdirSync(directory)).toEqual([file])
      expect(readFileSync(join(directory, file), 'utf8')).toBe(content)
    }
  })

  it('a .txt the replaced sidecar does not name is not ours to replace', () => {
    const directory = freshDir()
    writeSampleData({ directory, name: 'x', bytes: 8 })
    writeFileSync(join(directory, 'x.txt'), 'notes')
    expect(
      catchLabError(() => writeSampleData({ directory, name: 'x', bytes: 8, withText: true, overwrite: true })).code
    ).toBe('PERMISSION_DENIED')
    expect(readFileSync(join(directory, 'x.txt'), 'utf8')).toBe('notes')
    // Without the twin the foreign .txt is left alone too.
    writeSampleData({ directory, name: 'x', bytes: 16, overwrite: true })
    expect(readFileSync(join(directory, 'x.txt'), 'utf8')).toBe('notes')
  })

  it('a directory in the way is IS_A_DIRECTORY and stays', () => {
    const directory = freshDir()
    mkdirSync(join(directory, 'y.bin'))
    expect(catchLabError(() => writeSampleData({ directory, name: 'y', bytes: 8, overwrite: true })).code).toBe(
      'IS_A_DIRECTORY'
    )
    expect(statSync(join(directory, 'y.bin')).isDirectory()).toBe(true)
    expect(readdirSync(directory)).toEqual(['y.bin'])
  })
})

describe('temporary files', () => {
  it('ours unchanged for a day are removed when the app writes in that folder; fresh ones, others’ and folders stay', () => {
    const directory = freshDir()
    const stale = `${TEMPORARY_PREFIX}1-1-00000000-old.bin`
    const fresh = `${TEMPORARY_PREFIX}1-1-00000001-new.bin`
    const staleFolder = `${TEMPORARY_PREFIX}folder`
    writeFileSync(join(directory, stale), 'old')
    writeFileSync(join(directory, fresh), 'new')
    writeFileSync(join(directory, '.other-tmp'), 'not ours')
    mkdirSync(join(directory, staleFolder))
    // Two days on (a file's ctime cannot be set back), the fresh one written just then.
    const inTwoDays = Date.now() + 2 * STALE_TEMPORARY_MS
    utimesSync(join(directory, fresh), inTwoDays / 1000, inTwoDays / 1000)
    vi.spyOn(Date, 'now').mockReturnValue(inTwoDays)
    try {
      writeSampleData({ directory, name: 'x', bytes: 8 })
    } finally {
      vi.restoreAllMocks()
    }
    expect(readdirSync(directory).sort()).toEqual(['.other-tmp', fresh, staleFolder, 'x.bin', 'x.json'].sort())
  })
})

describe('formatSavetxt', () => {
  it("matches Python's '%.18e' (what numpy.savetxt writes) for any double (property)", () => {
    // Exact ties at 19 significant digits, where JS's toExponential rounds away from zero and C to even:
    const ties = [
      -181015431352699.03,
      8931434529556.258,
      165856038423504.53,
      71254259424241.33,
      0.5 + 2 ** -20,
      2 ** 70 + 2 ** 18
    ]
    const values = fc
      .sample(fc.double(), 3000)
      .concat(ties, [
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        5e-324,
        1.7976931348623157e308,
        1e21,
        1e-7,
        0.1,
        123456789,
        1e-300,
        2 ** -1022
      ])
    const hex = values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'))
    const python = runPython(
      String.raw`
import struct, sys
for h in sys.stdin.read().split():
    print('%.18e' % struct.unpack('<d', bytes.fromhex(h))[0])`,
      [],
      hex.join('\n')
    )
      .trim()
      .split('\n')
    expect(values.map(formatSavetxt)).toEqual(python)
  })
})

describe('writeSavetxtLine', () => {
  it("writes the bytes of Python's '%.18e' and a newline: sample values, ties, edges, any double", () => {
    const random = new SampleRandom(11)
    const uniform = Array.from({ length: 4000 }, () => random.nextDouble())
    const ties = [0.5 + 2 ** -20, 8931434529556.258, 71254259424241.33, -181015431352699.03, 2 ** 60 + 2 ** 8]
    const edges = [1e-4, 9.999999999999999e-5, 0.1, 0.9999999999999999, 1, 9.999999999999999e18, 1e19, 2 ** -53, 0, -0]
    const values = [...uniform, ...uniform.map((x) => -x * 1e6), ...ties, ...edges, ...fc.sample(fc.double(), 2000)]
    const hex = values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'))
    const python = runPython(
      String.raw`
import struct, sys
for h in sys.stdin.read().split():
    print('%.18e' % struct.unpack('<d', bytes.fromhex(h))[0])`,
      [],
      hex.join('\n')
    )
    const out = Buffer.alloc(values.length * 28)
    let end = 0
    for (const value of values) end = writeSavetxtLine(value, out, end)
    expect(out.toString('latin1', 0, end)).toBe(python)
  })
})

describe('defaultDataDirectory', () => {
  it('is yield-lab-data under the app data directory', () => {
    expect(defaultDataDirectory('/home/u/.config/Yield Lab')).toBe(join('/home/u/.config/Yield Lab', 'yield-lab-data'))
  })
})
