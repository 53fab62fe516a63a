/**
 * Sample data when the disk fails under it: an ENOSPC (or EIO) on any of the files, at any point,
 * or a rename refused while the files go into place (Windows refuses one over a file another
 * program holds open), leaves the previous files byte-identical and no temporary file behind, and
 * the next attempt works. The file system is real; only the failing call is simulated.
 */
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'
import { removeStaleTemporaryFiles, STALE_TEMPORARY_MS } from '../../../../src/main/lab/temporaryFiles'
import { catchLabError } from '../../../support/labErrors'

/** The write to fail: the n-th write into a file whose final name ends with `suffix`. */
const fault: { suffix?: string; afterWrites: number; code: string } = { afterWrites: 0, code: 'ENOSPC' }
/** Renames to fail, each once and in order: the first onto a path ending with `onto`. */
const renameFaults: { onto: string }[] = []
/** Run once, just before the rename onto a path ending with `onto`. */
const beforeRename: { onto?: string; run?: () => void } = {}
/** Hard links fail: all (a file system without them, such as FAT), or those made at a name ending with `made`. */
const linkFault: { all: boolean; made?: string } = { all: false }
const pathOfFd = new Map<number, string>()
const writesTo = new Map<number, number>()

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  return {
    ...real,
    openSync: (...args: Parameters<typeof real.openSync>) => {
      const fd = real.openSync(...args)
      pathOfFd.set(fd, String(args[0]))
      writesTo.set(fd, 0)
      return fd
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      const done = writesTo.get(fd) ?? 0
      writesTo.set(fd, done + 1)
      if (fault.suffix !== undefined && (pathOfFd.get(fd) ?? '').endsWith(fault.suffix) && done >= fault.afterWrites) {
        throw Object.assign(new Error(`${fault.code}: simulated`), { code: fault.code, syscall: 'write' })
      }
      return (real.writeSync as (fd: number, ...rest: unknown[]) => number)(fd, ...rest)
    },
    renameSync: (from: fs.PathLike, onto: fs.PathLike) => {
      if (beforeRename.onto !== undefined && String(onto).endsWith(beforeRename.onto)) {
        beforeRename.onto = undefined
        beforeRename.run?.()
      }
      if (renameFaults.length > 0 && String(onto).endsWith(renameFaults[0]!.onto)) {
        renameFaults.shift()
        throw Object.assign(new Error('EPERM: simulated'), { code: 'EPERM', syscall: 'rename' })
      }
      real.renameSync(from, onto)
    },
    linkSync: (existing: fs.PathLike, made: fs.PathLike) => {
      if (linkFault.all || (linkFault.made !== undefined && String(made).endsWith(linkFault.made)))
        throw Object.assign(new Error('EPERM: simulated'), { code: 'EPERM', syscall: 'link' })
      real.linkSync(existing, made)
    }
  }
})

let root: string
let n = 0
beforeAll(() => (root = fs.mkdtempSync(join(tmpdir(), 'yield-lab-faults-'))))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  beforeRename.onto = undefined
  renameFaults.length = 0
  linkFault.all = false
  linkFault.made = undefined
  fault.suffix = undefined
  fault.code = 'ENOSPC'
})

function previousSet(): { directory: string; before: Map<string, Buffer> } {
  const directory = join(root, `case-${n++}`)
  fs.mkdirSync(directory)
  writeSampleData({ directory, name: 'x', bytes: 800, seed: 1, withText: true })
  return { directory, before: snapshot(directory) }
}

function snapshot(directory: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(directory)
      .sort()
      .map((name) => [name, fs.readFileSync(join(directory, name))])
  )
}

describe('writeSampleData when a write fails', () => {
  it.each([
    ['the sidecar', '-x.json', 0, 'ENOSPC', 'NO_SPACE'],
    ['the binary file, at the start', '-x.bin', 0, 'ENOSPC', 'NO_SPACE'],
    ['the binary file, midway', '-x.bin', 3, 'ENOSPC', 'NO_SPACE'],
    ['the text twin, midway', '-x.txt', 2, 'EIO', 'IO_ERROR']
  ])(
    '%s: the previous files are byte-identical, no temporary file remains, and a retry works',
    (_what, suffix, afterWrites, errno, code) => {
      const { directory, before } = previousSet()
      Object.assign(fault, { suffix, afterWrites, code: errno })
      const error = catchLabError(() =>
        writeSampleData({ directory, name: 'x', bytes: 8 * 1024 * 1024, seed: 2, withText: true, overwrite: true })
      )
      expect(error.code).toBe(code)
      expect(error.path).toBe(join(directory, `x${suffix.slice(2)}`))
      expect(snapshot(directory)).toEqual(before)

      fault.suffix = undefined
      const retry = writeSampleData({ directory, name: 'x', bytes: 16, seed: 2, withText: true, overwrite: true })
      expect(fs.statSync(retry.binaryPath).size).toBe(16)
      expect(fs.readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
    }
  )

  it.each([
    ['the new text twin in, after the new binary file', '/x.txt'],
    ['the new sidecar in, last', '/x.json']
  ])(
    'a rename refused while moving %s: the previous files are byte-identical, no temporary file remains, and a retry works',
    (_what, onto) => {
      const { directory, before } = previousSet()
      renameFaults.push({ onto })
      const error = catchLabError(() =>
        writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
      )
      expect(error.message).toBe(`${join(directory, onto.slice(1))}: operation not permitted`)
      expect(snapshot(directory)).toEqual(before)

      const retry = writeSampleData({ directory, name: 'x', bytes: 16, seed: 2, withText: true, overwrite: true })
      expect(fs.statSync(retry.binaryPath).size).toBe(16)
      expect(fs.readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
    }
  )

  it.each([
    ['before the new x.bin goes in', '/x.bin'],
    ['once the new x.bin and x.txt are in', '/x.json']
  ])('a set older than a day is put back whole though another write cleans up the folder %s', (_when, onto) => {
    const { directory, before } = previousSet()
    const twoDaysAgo = new Date(Date.now() - 2 * STALE_TEMPORARY_MS)
    for (const name of ['x.bin', 'x.txt', 'x.json']) fs.utimesSync(join(directory, name), twoDaysAgo, twoDaysAgo)
    // What another write in this folder (or the app's start) does first, while this set goes into place.
    Object.assign(beforeRename, { onto, run: () => removeStaleTemporaryFiles(directory) })
    renameFaults.push({ onto: '/x.json' })
    const error = catchLabError(() =>
      writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    )
    expect(error.message).toBe(`${join(directory, 'x.json')}: operation not permitted`)
    expect(snapshot(directory)).toEqual(before)
  })

  it('a previous file that cannot be put back is kept under a name of its own, named, which no cleanup removes', () => {
    const { directory, before } = previousSet()
    // The sidecar's rename fails, then putting the previous x.bin back fails too.
    renameFaults.push({ onto: '/x.json' }, { onto: '/x.bin' })
    const error = catchLabError(() =>
      writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    )
    expect(error.message).toBe(
      `${join(directory, 'x.json')}: operation not permitted; and putting the previous files back failed: ` +
        `the previous ${join(directory, 'x.bin')} is kept as ${join(directory, 'x.bin.previous')}` +
        ". The set is now part new, part previous, so its sidecar's sum may not match its data"
    )
    removeStaleTemporaryFiles(directory, Date.now() + 2 * STALE_TEMPORARY_MS)
    expect(fs.readdirSync(directory).sort()).toEqual(['x.bin', 'x.bin.previous', 'x.json', 'x.txt'])
    expect(fs.readFileSync(join(directory, 'x.bin.previous'))).toEqual(before.get('x.bin'))
    expect(fs.readFileSync(join(directory, 'x.txt'))).toEqual(before.get('x.txt'))
    expect(fs.readFileSync(join(directory, 'x.json'))).toEqual(before.get('x.json'))
  })

  it('a previous file kept so goes under the first .previous name free; what has the others stays', () => {
    const { directory, before } = previousSet()
    fs.writeFileSync(join(directory, 'x.bin.previous'), 'the user’s')
    renameFaults.push({ onto: '/x.json' }, { onto: '/x.bin' })
    const error = catchLabError(() =>
      writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    )
    expect(error.message).toMatch(
      new RegExp(`is kept as ${join(directory, 'x.bin.previous-2')}\\. The set is now part new`)
    )
    expect(fs.readFileSync(join(directory, 'x.bin.previous'), 'utf8')).toBe('the user’s')
    expect(fs.readFileSync(join(directory, 'x.bin.previous-2'))).toEqual(before.get('x.bin'))
  })

  it('a previous file that cannot be given a name of its own either is named under its temporary one, saying it goes', () => {
    const { directory, before } = previousSet()
    linkFault.made = '/x.bin.previous'
    renameFaults.push({ onto: '/x.json' }, { onto: '/x.bin' })
    const error = catchLabError(() =>
      writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    )
    const kept =
      /the previous (\S+) is kept as (\S+), a temporary name removed after a day: copy it to keep it\. The set is now part new, part previous/.exec(
        error.message
      )
    expect(kept?.[1]).toBe(join(directory, 'x.bin'))
    expect(fs.readFileSync(kept![2]!)).toEqual(before.get('x.bin'))
  })

  it('without hard links (FAT), a set is replaced as before, and a refused rename says what it could not put back', () => {
    linkFault.all = true
    const { directory } = previousSet()
    const written = writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
    expect(fs.statSync(written.binaryPath).size).toBe(1600)
    expect(fs.readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])

    renameFaults.push({ onto: '/x.txt' })
    const error = catchLabError(() =>
      writeSampleData({ directory, name: 'x', bytes: 800, seed: 3, withText: true, overwrite: true })
    )
    expect(error.message).toBe(
      `${join(directory, 'x.txt')}: operation not permitted; and putting the previous files back failed: ` +
        `the previous ${join(directory, 'x.bin')} was already replaced` +
        ". The set is now part new, part previous, so its sidecar's sum may not match its data"
    )
  })

  it('a new set whose sidecar hits ENOSPC leaves nothing, so the next attempt is not ALREADY_EXISTS', () => {
    const directory = join(root, `case-${n++}`)
    fs.mkdirSync(directory)
    Object.assign(fault, { suffix: '-y.json', afterWrites: 0 })
    expect(catchLabError(() => writeSampleData({ directory, name: 'y', bytes: 800 })).code).toBe('NO_SPACE')
    expect(fs.readdirSync(directory)).toEqual([])
    fault.suffix = undefined
    expect(basename(writeSampleData({ directory, name: 'y', bytes: 800 }).metaPath)).toBe('y.json')
  })
})
