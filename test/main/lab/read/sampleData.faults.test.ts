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
import { catchLabError } from '../../../support/labErrors'

/** The write to fail: the n-th write into a file whose final name ends with `suffix`. */
const fault: { suffix?: string; afterWrites: number; code: string } = { afterWrites: 0, code: 'ENOSPC' }
/** The next rename to fail (once): one from, or one onto, a path ending with this. */
const renameFault: { from?: string; onto?: string } = {}
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
      const fails =
        (renameFault.from !== undefined && String(from).endsWith(renameFault.from)) ||
        (renameFault.onto !== undefined && String(onto).endsWith(renameFault.onto))
      if (fails) {
        renameFault.from = renameFault.onto = undefined
        throw Object.assign(new Error('EPERM: simulated'), { code: 'EPERM', syscall: 'rename' })
      }
      real.renameSync(from, onto)
    }
  }
})

let root: string
let n = 0
beforeAll(() => (root = fs.mkdtempSync(join(tmpdir(), 'yield-lab-faults-'))))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  renameFault.from = renameFault.onto = undefined
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

  it.each<[string, { from?: string; onto?: string }]>([
    ['moving the previous text twin aside', { from: '/x.txt' }],
    ['moving the new text twin in, after the new binary file', { onto: '/x.txt' }],
    ['moving the new sidecar in, last', { onto: '/x.json' }]
  ])(
    'a rename refused while %s: the previous files are byte-identical, no temporary file remains, and a retry works',
    (_what, failing) => {
      const { directory, before } = previousSet()
      Object.assign(renameFault, failing)
      const error = catchLabError(() =>
        writeSampleData({ directory, name: 'x', bytes: 1600, seed: 2, withText: true, overwrite: true })
      )
      expect(error.code).toBe('PERMISSION_DENIED')
      expect(error.path).toBe(join(directory, (failing.from ?? failing.onto)!.slice(1)))
      expect(snapshot(directory)).toEqual(before)

      const retry = writeSampleData({ directory, name: 'x', bytes: 16, seed: 2, withText: true, overwrite: true })
      expect(fs.statSync(retry.binaryPath).size).toBe(16)
      expect(fs.readdirSync(directory).sort()).toEqual(['x.bin', 'x.json', 'x.txt'])
    }
  )

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
