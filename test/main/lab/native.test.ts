/**
 * The optional native helper (native/, loaded by src/main/lab/native.ts): its directory listing
 * must agree with Node's own (fs.opendirSync, the fallback) name for name, type for type and in
 * the same order; its errors must read like Node's fs errors; and its huge-page advice must really
 * give the buffer huge pages where the kernel offers them. Its listing pool (read-ahead for the
 * walker) must give exactly the same listings, its own stat of each directory as Node's, and the
 * same errors, and must list nothing the walker will not enter.
 *
 * This file runs twice (vitest.config.ts): with the helper, where it must be built on Linux and
 * macOS (npm install builds it with a C compiler, native/build.cjs), and with YIELD_LAB_NATIVE=off,
 * where nothing of it may be used.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  opendirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { toLabError } from '../../../src/main/lab/errors'
import { fsPath } from '../../../src/main/lab/fsPath'
import { fsdecode } from '../../../src/shared/fsNames'
import {
  adviseHugePages,
  canListNatively,
  canReadInParallel,
  createListingPool,
  DIRENT_TYPE,
  listDirectory,
  listDirectoryStats,
  openListingPools,
  POOL_SELF,
  type ListingPool,
  type ListingPoolState,
  nativeHelperLoaded,
  nativeHelperProblem,
  readParallel
} from '../../../src/main/lab/native'
import { until } from '../../support/until'

const helperWanted = process.env.YIELD_LAB_NATIVE !== 'off'
const posix = process.platform === 'linux' || process.platform === 'darwin'

let base = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-native-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

/** Whether a path's target is a directory: os.walk's is_dir(), false when it cannot be stat'ed. */
function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

/** What Node's fs says about a directory: names in read order (raw bytes, decoded as os.fsdecode) with their DIRENT_TYPE codes. */
function nodeListing(path: string): { names: string[]; types: number[] } {
  const dir = opendirSync(path, { encoding: 'buffer' as BufferEncoding })
  const names: string[] = []
  const types: number[] = []
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      names.push(fsdecode(entry.name as unknown as Buffer))
      if (entry.isFile()) types.push(DIRENT_TYPE.FILE)
      else if (entry.isDirectory()) types.push(DIRENT_TYPE.DIR)
      else if (entry.isSymbolicLink())
        types.push(isDirectory(join(path, entry.name.toString())) ? DIRENT_TYPE.LINK_TO_DIR : DIRENT_TYPE.LINK)
      else if (entry.isFIFO()) types.push(DIRENT_TYPE.FIFO)
      else if (entry.isSocket()) types.push(DIRENT_TYPE.SOCKET)
      else if (entry.isCharacterDevice()) types.push(DIRENT_TYPE.CHAR)
      else if (entry.isBlockDevice()) types.push(DIRENT_TYPE.BLOCK)
      else types.push(DIRENT_TYPE.UNKNOWN)
    }
  } finally {
    dir.closeSync()
  }
  return { names, types }
}

function nativeListing(path: string): { names: string[]; types: number[] } {
  const names: string[] = []
  const types = listDirectory(path, names)
  return { names, types }
}

/** AnonHugePages of this process, in KiB (Linux). */
function anonHugePagesKiB(): number {
  const match = /^AnonHugePages:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))
  if (!match) throw new Error('/proc/self/smaps_rollup has no AnonHugePages line')
  return Number(match[1])
}

if (helperWanted) {
  describe('with the native helper', () => {
    // Without it every test here fails, each saying why it was not built (no compiler, …).
    beforeEach(() => {
      if (posix && !nativeHelperLoaded) throw new Error(nativeHelperProblem)
    })

    it('is built and loaded on Linux and macOS (npm install builds it)', () => {
      if (!posix) return expect(canListNatively).toBe(false)
      expect(nativeHelperLoaded, nativeHelperProblem).toBe(true)
      expect(canListNatively).toBe(true)
    })

    it('lists names, types and order exactly as fs.opendirSync does', () => {
      const dir = join(base, 'mixed')
      mkdirSync(dir)
      writeFileSync(join(dir, 'file.txt'), 'x')
      mkdirSync(join(dir, 'sub'))
      symlinkSync('file.txt', join(dir, 'link-to-file'))
      symlinkSync('sub', join(dir, 'link-to-dir'))
      symlinkSync('nowhere', join(dir, 'broken'))
      execFileSync('mkfifo', [join(dir, 'pipe')])
      for (const name of ['ünïcödé ✓', 'line\nbreak', 'back\\slash', ' space ', '.hidden', '..dots', 'tab\there']) {
        writeFileSync(join(dir, name), '')
      }
      // Not valid UTF-8: the bad bytes come out as surrogate escapes (os.fsdecode), so they name the same bytes.
      writeFileSync(Buffer.concat([Buffer.from(dir + '/bad-'), Buffer.from([0xff, 0xc3]), Buffer.from('-name')]), '')
      writeFileSync(Buffer.concat([Buffer.from(dir + '/truncated-'), Buffer.from([0xe2, 0x82])]), '')

      const ours = nativeListing(dir)
      expect(ours).toEqual(nodeListing(dir))
      expect(ours.names).toHaveLength(15)
      expect(ours.names).toContain('line\nbreak')
      expect(ours.names).toContain('bad-\udcff\udcc3-name')
      expect(ours.names).toContain('truncated-\udce2\udc82')
      expect(ours.types[ours.names.indexOf('pipe')]).toBe(DIRENT_TYPE.FIFO)
      // A symlink is stat'ed as it is listed: to a directory it is one for os.walk, else (broken too) it is a link.
      expect(ours.types[ours.names.indexOf('link-to-dir')]).toBe(DIRENT_TYPE.LINK_TO_DIR)
      expect(ours.types[ours.names.indexOf('link-to-file')]).toBe(DIRENT_TYPE.LINK)
      expect(ours.types[ours.names.indexOf('broken')]).toBe(DIRENT_TYPE.LINK)
      expect(ours.types[ours.names.indexOf('sub')]).toBe(DIRENT_TYPE.DIR)
    })

    it('lists large directories completely, and empty ones as empty', () => {
      const big = join(base, 'big')
      mkdirSync(big)
      // Long names overflow the helper's first 16 KiB listing buffer many times over.
      for (let i = 0; i < 3000; i++) writeFileSync(join(big, `${'n'.repeat(100)}-${i}`), '')
      const ours = nativeListing(big)
      expect(ours.names).toHaveLength(3000)
      expect(ours).toEqual(nodeListing(big))

      const empty = join(base, 'empty')
      mkdirSync(empty)
      expect(nativeListing(empty)).toEqual({ names: [], types: [] })
    })

    it('gives regular files their lstat sizes when asked, 0 for other entries', () => {
      const dir = join(base, 'sizes')
      mkdirSync(dir)
      writeFileSync(join(dir, 'three'), 'abc')
      writeFileSync(join(dir, 'empty'), '')
      writeFileSync(join(dir, 'big'), Buffer.alloc(100_000))
      mkdirSync(join(dir, 'sub'))
      symlinkSync('big', join(dir, 'link'))
      execFileSync('mkfifo', [join(dir, 'pipe')])
      const names: string[] = []
      const sizes: number[] = []
      const types = listDirectory(dir, names, sizes)
      expect(sizes).toHaveLength(names.length)
      const byName = Object.fromEntries(names.map((name, i) => [name, [types[i], sizes[i]]]))
      expect(byName).toEqual({
        three: [DIRENT_TYPE.FILE, 3],
        empty: [DIRENT_TYPE.FILE, 0],
        big: [DIRENT_TYPE.FILE, 100_000],
        sub: [DIRENT_TYPE.DIR, 0],
        link: [DIRENT_TYPE.LINK, 0],
        pipe: [DIRENT_TYPE.FIFO, 0]
      })
      expect(nativeListing(dir)).toEqual(nodeListing(dir))
    })

    it('appends to the names it is given', () => {
      const dir = join(base, 'append')
      mkdirSync(dir)
      writeFileSync(join(dir, 'only'), '')
      const names = ['earlier']
      expect(listDirectory(dir, names)).toEqual([DIRENT_TYPE.FILE])
      expect(names).toEqual(['earlier', 'only'])
    })

    it('fails like Node: code, errno, syscall and path, which toLabError turns into words', () => {
      const missing = join(base, 'missing')
      const nodeError = (() => {
        try {
          opendirSync(missing)
        } catch (error) {
          return error as NodeJS.ErrnoException
        }
        throw new Error('opendirSync did not fail')
      })()
      let ours: NodeJS.ErrnoException | undefined
      try {
        listDirectory(missing, [])
      } catch (error) {
        ours = error as NodeJS.ErrnoException
      }
      expect(ours).toMatchObject({ code: nodeError.code, errno: nodeError.errno, syscall: 'opendir', path: missing })
      expect(toLabError(ours, missing)).toMatchObject({
        code: 'NOT_FOUND',
        message: `${missing}: does not exist`,
        path: missing
      })

      const file = join(base, 'plain-file')
      writeFileSync(file, '')
      expect(() => listDirectory(file, [])).toThrow(
        expect.objectContaining({ code: 'ENOTDIR', syscall: 'opendir', path: file })
      )
      expect(() => listDirectory('bad\0path', [])).toThrow(expect.objectContaining({ code: 'EINVAL' }))
    })

    it('huge-page advice gives a fresh buffer huge pages where the kernel offers them (Linux)', () => {
      if (process.platform !== 'linux') return expect(adviseHugePages(new ArrayBuffer(64 << 20))).toBe(false)
      const setting = '/sys/kernel/mm/transparent_hugepage/enabled'
      const mode = existsSync(setting) ? /\[(\w+)\]/.exec(readFileSync(setting, 'utf8'))?.[1] : 'never'
      const buffer = new ArrayBuffer(64 << 20)
      if (mode === 'never') return expect(adviseHugePages(buffer)).toBe(false)
      const before = anonHugePagesKiB()
      expect(adviseHugePages(buffer)).toBe(true)
      const bytes = new Uint8Array(buffer)
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1
      // At least half of the 64 MiB (the buffer need not start on a 2 MiB boundary, and memory may be short).
      expect(anonHugePagesKiB() - before).toBeGreaterThanOrEqual(32 * 1024)
    })

    it('parallel reads give exactly the bytes of the file, at any offset and position', () => {
      expect(canReadInParallel).toBe(canListNatively)
      const path = join(base, 'random.bin')
      // 13 MiB + 5 bytes: split over several threads, with a part that is not a whole number of pages.
      const content = randomBytes(13 * 1024 * 1024 + 5)
      writeFileSync(path, content)
      const fd = openSync(path, 'r')
      try {
        for (const [offset, length, position] of [
          [0, content.length, 0],
          [3, content.length - 1000, 997],
          [0, 5 * 1024 * 1024, 8 * 1024 * 1024 + 5],
          [0, 100, 0],
          [0, 0, 0]
        ] as const) {
          const target = new Uint8Array(content.length + 16)
          expect(readParallel(fd, target.subarray(offset), length, position, path)).toBe(length)
          expect(
            Buffer.from(target.subarray(offset, offset + length)).equals(content.subarray(position, position + length))
          ).toBe(true)
          expect(target.subarray(0, offset).every((byte) => byte === 0)).toBe(true)
        }
        // Past the end of the file: what there is, then the count stops short.
        const target = new Uint8Array(content.length)
        expect(readParallel(fd, target, 10 * 1024 * 1024, content.length - 1234, path)).toBe(1234)
      } finally {
        closeSync(fd)
      }
    })

    it('parallel reads split every length near a multiple of 16 KiB correctly, with 1 to 4 threads on any machine', () => {
      const path = join(base, 'split.bin')
      const content = randomBytes(16 * 1024 * 1024 + 64 * 1024)
      writeFileSync(path, content)
      const fd = openSync(path, 'r')
      const step = 16 * 1024
      // Every multiple of 16 KiB up to 1 MiB, and those around 16 MiB (where the review's 4-core case split into 5 parts).
      const multiples = [...Array.from({ length: 64 }, (_, i) => i + 1), 1023, 1024]
      const remainders = [0, 1, 2, 3, 7, 4095, 4096, 4097, 8191, step - 1]
      const placements = [
        [0, 0],
        [3, 4096 + 5],
        [8, 1]
      ] as const
      const failures: string[] = []
      try {
        let case_ = 0
        for (const multiple of multiples) {
          for (const remainder of remainders) {
            const length = multiple * step + remainder
            for (let threads = 1; threads <= 4; threads++) {
              const [offset, position] = placements[case_++ % placements.length]!
              if (position + length > content.length) continue
              // The target ends 16 canary bytes after the read: nothing may land there or before `offset`.
              const target = new Uint8Array(offset + length + 16).fill(0xa5)
              const read = readParallel(fd, target.subarray(offset), length, position, path, threads)
              const exact = Buffer.from(target.subarray(offset, offset + length)).equals(
                content.subarray(position, position + length)
              )
              const untouched =
                target.subarray(0, offset).every((byte) => byte === 0xa5) &&
                target.subarray(offset + length).every((byte) => byte === 0xa5)
              if (read !== length || !exact || !untouched)
                failures.push(
                  `length ${length}, ${threads} threads: read ${read}, exact ${exact}, untouched ${untouched}`
                )
            }
          }
        }
      } finally {
        closeSync(fd)
      }
      expect(failures).toEqual([])
    })

    it('parallel reads refuse a thread count outside 1 to 4', () => {
      const path = join(base, 'threads.bin')
      writeFileSync(path, 'data')
      const fd = openSync(path, 'r')
      try {
        for (const threads of [0, 5, 1.5, -1])
          expect(() => readParallel(fd, new Uint8Array(4), 4, 0, path, threads)).toThrow(RangeError)
      } finally {
        closeSync(fd)
      }
    })

    it('parallel reads fail like Node: a closed descriptor is EBADF naming the file; a target too small is refused', () => {
      const path = join(base, 'closed.bin')
      writeFileSync(path, 'data')
      const fd = openSync(path, 'r')
      closeSync(fd)
      expect(() => readParallel(fd, new Uint8Array(4), 4, 0, path)).toThrow(
        expect.objectContaining({ code: 'EBADF', syscall: 'read', path })
      )
      const open = openSync(path, 'r')
      try {
        expect(() => readParallel(open, new Uint8Array(4), 8, 0, path)).toThrow(RangeError)
      } finally {
        closeSync(open)
      }
    })

    describe('listing pool', () => {
      let tree = ''
      beforeAll(() => {
        tree = join(base, 'pool')
        mkdirSync(tree)
        for (let d = 0; d < 40; d++) {
          const dir = join(tree, `d${d}`)
          mkdirSync(dir)
          for (let f = 0; f < d * 5; f++) writeFileSync(join(dir, `f${f}-${'n'.repeat(d)}`), 'x'.repeat(f))
          mkdirSync(join(dir, 'sub'))
          symlinkSync('sub', join(dir, 'link'))
        }
        writeFileSync(Buffer.concat([Buffer.from(join(tree, 'd0') + '/bad-'), Buffer.from([0xff])]), 'raw')
        writeFileSync(join(tree, 'plain-file'), '')
        symlinkSync('d1', join(tree, 'link-to-dir'))
      })

      /** What the pool must give for a directory: listDirectoryStats' names, types and numbers. */
      function expected(path: string): { names: string[]; types: number[]; stats: number[] } {
        const names: string[] = []
        const { types, stats } = listDirectoryStats(path, names)
        return { names, types, stats: [...stats] }
      }

      function taken(pool: ListingPool, path: string, statMode: 'lstat' | 'stat' = 'stat', device?: number) {
        const names: string[] = []
        const result = pool.take(path, names, statMode, device)
        return { names, types: result.listing?.types, stats: result.listing && [...result.listing.stats!], result }
      }

      /** A directory's own stat as the pool gives it, from Node's BigInt stat. */
      function ownStat(path: string | Buffer, follow: boolean): number[] {
        const info = follow ? statSync(path, { bigint: true }) : lstatSync(path, { bigint: true })
        const type = info.isSymbolicLink() ? DIRENT_TYPE.LINK : info.isDirectory() ? DIRENT_TYPE.DIR : DIRENT_TYPE.FILE
        return [
          0,
          type,
          Number(info.size),
          Number(info.blocks) * 512,
          Number(info.dev),
          Number(info.ino),
          Number(info.nlink)
        ]
      }

      /**
       * The pool's state once it has settled: no thread listing and none woken, so nothing changes
       * until the next prefetch or take. No deadline of its own: a pool that never settles fails by the
       * test's timeout, and no assertion depends on how long anything took.
       */
      async function settledState(pool: ListingPool): Promise<ListingPoolState> {
        let state = pool.state()
        await until(
          () => {
            state = pool.state()
            return state.threads > 0 && state.listing === 0 && state.idleThreads === state.threads
          },
          'the pool settles',
          { timeoutMs: Infinity }
        )
        return state
      }

      it('gives what listDirectoryStats gives, and each directory its own stat, queued or not', () => {
        const dirs = Array.from({ length: 40 }, (_, d) => join(tree, `d${d}`))
        for (const threads of [1, 2, 4]) {
          const pool = createListingPool(true, threads)!
          try {
            pool.prefetch(dirs, 0, 'stat', undefined)
            // In queue order and not: whichever thread listed it, or none.
            for (const dir of [...dirs.slice(20).reverse(), ...dirs.slice(0, 20), tree]) {
              const { names, types, stats, result } = taken(pool, dir)
              expect({ names, types, stats }, dir).toEqual(expected(dir))
              expect([...result.self!], dir).toEqual(ownStat(dir, true))
              const info = statSync(dir, { bigint: true })
              expect(result.key).toBe(`${info.dev}:${info.ino}`)
              expect(result.error).toBeUndefined()
            }
            expect(taken(pool, join(tree, 'd0')).names).toContain('bad-\udcff')
          } finally {
            pool.close()
          }
        }
        // Without stats: listDirectory's listing only.
        const pool = createListingPool(false)!
        try {
          pool.prefetch(dirs, 30, 'stat', undefined)
          for (const dir of dirs.slice(30)) {
            const names: string[] = []
            const result = pool.take(dir, names, 'stat', undefined)
            expect({ names, types: result.listing!.types }).toEqual(nativeListing(dir))
            expect(result.listing!.stats).toBeUndefined()
          }
        } finally {
          pool.close()
        }
      })

      it('gives each listing whole and alone, whatever its thread listed before: huge, large, small, empty', () => {
        const sizes = { huge: 11_000, large: 2_000, small: 3, empty: 0 }
        const dirs = Object.fromEntries(
          Object.entries(sizes).map(([name, count]) => {
            const dir = join(base, `pool-sizes-${name}`)
            mkdirSync(dir)
            // Names of 100 bytes: the huge listing's text passes 1 MiB, past what a thread keeps to list into,
            // and its numbers (440 KB) do not fit the scratch the pool hands take, where the others' do.
            for (let i = 0; i < count; i++) writeFileSync(join(dir, `${i}-${'s'.repeat(96)}`.slice(0, 100)), '')
            return [name, dir]
          })
        ) as Record<keyof typeof sizes, string>
        // Listed by the one thread, most recent first, then by take itself (never queued), in orders
        // where a listing follows a bigger one and a smaller one.
        const order = [dirs.small, dirs.large, dirs.empty, dirs.huge, dirs.small, dirs.large, dirs.small]
        const pool = createListingPool(true, 1)!
        try {
          pool.prefetch([...order].reverse(), 0, 'stat', undefined)
          for (const dir of order) expect(taken(pool, dir), dir).toMatchObject(expected(dir))
          for (const dir of order) expect(taken(pool, dir), dir).toMatchObject(expected(dir))
          expect(taken(pool, dirs.huge).names).toHaveLength(sizes.huge)
          // The numbers of the listings that fit are views of one scratch, which each take reuses.
          const small = taken(pool, dirs.small).result
          const scratch = small.self!.buffer
          expect(small.listing!.stats!.buffer).toBe(scratch)
          const large = taken(pool, dirs.large).result
          expect(large.self!.buffer).toBe(scratch)
          expect(large.listing!.stats!.buffer).toBe(scratch)
          expect(taken(pool, dirs.huge).result.listing!.stats!.buffer).not.toBe(scratch)
        } finally {
          pool.close()
        }
      })

      it('listing ahead, lists the subdirectories of what is queued on its own: raw names, no doubled separator', async () => {
        const top = join(base, 'ahead')
        mkdirSync(join(top, 'a', 'b', 'c'), { recursive: true })
        const raw = Buffer.concat([Buffer.from(`${top}/x-`), Buffer.from([0xff])])
        mkdirSync(raw)
        mkdirSync(Buffer.concat([raw, Buffer.from('/inner')]))
        symlinkSync('a', join(top, 'link'))
        writeFileSync(join(top, 'file'), '')
        const below = [
          join(top, 'a'),
          join(top, 'a', 'b'),
          join(top, 'a', 'b', 'c'),
          join(top, 'x-\udcff'),
          join(top, 'x-\udcff', 'inner')
        ]
        for (const threads of [1, 2]) {
          const pool = createListingPool(true, threads, true)!
          try {
            // Queued with a trailing separator, as a top given so would be: the pool adds none.
            pool.prefetch([`${top}/`], 0, 'lstat', undefined)
            // Everything below is listed before the walker has taken anything or queued any more.
            expect(await settledState(pool)).toMatchObject({ queued: 0, listed: 1 + below.length })
            const first = taken(pool, `${top}/`, 'lstat')
            expect(first.result.subdirectoriesQueued).toBe(true)
            for (const dir of below) {
              const { names, types, stats, result } = taken(pool, dir, 'lstat')
              expect({ names, types, stats }, dir).toEqual(expected(dir))
              expect([...result.self!], dir).toEqual(ownStat(fsPath(dir), false))
              expect(result.subdirectoriesQueued, dir).toBe(true)
            }
            // The symlink was not queued: all that was is taken.
            expect(pool.state()).toMatchObject({ queued: 0, listing: 0, listed: 0 })
            // Not queued, listed where it is taken: nothing below it is queued.
            expect(taken(pool, top, 'lstat').result.subdirectoriesQueued).toBe(false)
            expect(await settledState(pool)).toMatchObject({ queued: 0, listed: 0 })
          } finally {
            pool.close()
          }
        }
        // Without listAhead, nothing is queued but what the walker queues.
        const pool = createListingPool(true, 2)!
        try {
          pool.prefetch([top], 0, 'lstat', undefined)
          expect(taken(pool, top, 'lstat').result.subdirectoriesQueued).toBe(false)
          expect(pool.state()).toMatchObject({ queued: 0, listed: 0 })
        } finally {
          pool.close()
        }
      })

      it('a directory queued twice is taken twice', () => {
        const pool = createListingPool(true, 2)!
        try {
          const dir = join(tree, 'd3')
          pool.prefetch([dir, dir], 0, 'stat', undefined)
          expect(taken(pool, dir).names).toEqual(expected(dir).names)
          expect(taken(pool, dir).names).toEqual(expected(dir).names)
        } finally {
          pool.close()
        }
      })

      it('fails as listDirectory fails, and still gives the stat it could make', () => {
        const missing = join(tree, 'missing')
        const file = join(tree, 'plain-file')
        const long = join(tree, 'n'.repeat(300))
        const fifo = join(tree, 'pool-fifo')
        execFileSync('mkfifo', [fifo])
        for (const queued of [false, true]) {
          const pool = createListingPool(true, 2)!
          try {
            if (queued) {
              pool.prefetch([missing, file, long], 0, 'lstat', undefined)
              pool.prefetch([fifo], 0, 'stat', undefined)
            }
            const gone = taken(pool, missing, 'lstat').result
            expect(gone.self).toBeUndefined()
            expect(gone.key).toBe('')
            expect(gone.listing).toBeUndefined()
            expect(gone.error).toMatchObject({ code: 'ENOENT', syscall: 'opendir', path: missing })
            expect(toLabError(gone.error, missing).code).toBe('NOT_FOUND')
            // A file where a directory is expected: its lstat works, listing it does not.
            const notDir = taken(pool, file, 'lstat').result
            expect([...notDir.self!]).toEqual(ownStat(file, false))
            expect(notDir.self![POOL_SELF.TYPE]).toBe(DIRENT_TYPE.FILE)
            expect(notDir.error).toMatchObject({ code: 'ENOTDIR', syscall: 'opendir', path: file })
            expect(taken(pool, long, 'lstat').result.error).toMatchObject({ code: 'ENAMETOOLONG', path: long })
            // A FIFO is not opened (which would wait for a writer): it is no directory, and its stat is given.
            const pipe = taken(pool, fifo, 'stat').result
            expect(pipe.self![POOL_SELF.TYPE]).toBe(DIRENT_TYPE.FIFO)
            expect(pipe.error).toMatchObject({ code: 'ENOTDIR', syscall: 'opendir', path: fifo })
          } finally {
            pool.close()
          }
        }
      })

      it('does not list a symlink under lstat, nor a directory on another device', () => {
        const link = join(tree, 'link-to-dir')
        const pool = createListingPool(true, 2)!
        const elsewhere = process.platform === 'linux' ? mkdtempSync('/dev/shm/yield-lab-pool-') : ''
        try {
          pool.prefetch([link], 0, 'lstat', undefined)
          const asLink = taken(pool, link, 'lstat')
          expect(asLink.result.listing).toBeUndefined()
          expect(asLink.result.error).toBeUndefined()
          expect([...asLink.result.self!]).toEqual(ownStat(link, false))
          expect(asLink.result.self![POOL_SELF.TYPE]).toBe(DIRENT_TYPE.LINK)
          // Followed, it is its target, and listed.
          expect(taken(pool, link, 'stat').names).toEqual(expected(join(tree, 'd1')).names)

          if (process.platform !== 'linux') return
          const here = Number(statSync(tree).dev)
          expect(Number(statSync(elsewhere).dev), '/dev/shm must be another device').not.toBe(here)
          writeFileSync(join(elsewhere, 'inside'), '')
          pool.prefetch([elsewhere, join(tree, 'd2')], 0, 'stat', here)
          const away = taken(pool, elsewhere, 'stat', here).result
          expect(away.listing).toBeUndefined()
          expect(away.self![POOL_SELF.DEV]).toBe(Number(statSync(elsewhere).dev))
          expect(taken(pool, join(tree, 'd2'), 'stat', here).names).toEqual(expected(join(tree, 'd2')).names)
          // Given its own device, it is listed.
          const own = Number(statSync(elsewhere).dev)
          expect(taken(pool, elsewhere, 'stat', own).names).toEqual(['inside'])
        } finally {
          pool.close()
          if (elsewhere !== '') rmSync(elsewhere, { recursive: true, force: true })
        }
      })

      it('closes while its threads are busy, drops what was not taken, and counts as closed', () => {
        const before = openListingPools()
        const big = join(base, 'pool-big')
        mkdirSync(big)
        for (let i = 0; i < 2000; i++) writeFileSync(join(big, `${'m'.repeat(80)}-${i}`), '')
        for (let round = 0; round < 20; round++) {
          const pool = createListingPool(true, 4)!
          expect(openListingPools()).toBe(before + 1)
          pool.prefetch(
            Array.from({ length: 50 }, () => big),
            0,
            'stat',
            undefined
          )
          if (round % 2 === 1) expect(taken(pool, big).names).toHaveLength(2000)
          pool.close()
          pool.close()
          expect(openListingPools()).toBe(before)
          expect(() => pool.take(big, [], 'stat', undefined)).toThrow('the listing pool is closed')
          expect(() => pool.prefetch([big], 0, 'stat', undefined)).toThrow('the listing pool is closed')
        }
      })

      describe('bounds', () => {
        // The bounds in native/src/yield_lab_native.c, restated so that changing one there fails these tests.
        const LOOKAHEAD = 64 // POOL_LOOKAHEAD
        const DONE_MAX = 256 // POOL_DONE_MAX
        const DONE_BYTES_MAX = 32 << 20 // POOL_DONE_BYTES_MAX

        /** `count` empty directories under a new folder `name`, in the order a walker would queue them. */
        function emptyDirectories(name: string, count: number): string[] {
          const parent = join(base, name)
          mkdirSync(parent)
          return Array.from({ length: count }, (_, i) => {
            const dir = join(parent, `${i}`)
            mkdirSync(dir)
            return dir
          })
        }

        it('lists only among the 64 most recently queued directories, a window that moves when one is taken', async () => {
          const dirs = emptyDirectories('pool-lookahead', 100)
          const pool = createListingPool(true, 4)!
          try {
            pool.prefetch(dirs, 0, 'stat', undefined)
            // Listing does not move the window: listed directories stay in it until taken.
            expect(await settledState(pool)).toMatchObject({ queued: 100 - LOOKAHEAD, listed: LOOKAHEAD })
            // Taking the most recent lets the one below the window in, and only that one.
            expect(taken(pool, dirs[99]!).result.listing).toBeDefined()
            expect(await settledState(pool)).toMatchObject({ queued: 99 - LOOKAHEAD, listed: LOOKAHEAD })
            // The oldest 35 were never listed: taking each lists it right here, and the pool's listings stay as they were.
            for (const dir of dirs.slice(0, 99 - LOOKAHEAD)) {
              expect(taken(pool, dir).result.listing, dir).toBeDefined()
              expect(await settledState(pool), dir).toMatchObject({ listed: LOOKAHEAD })
            }
            expect(pool.state()).toMatchObject({ queued: 0, listed: LOOKAHEAD })
            // The one that came into the window was listed by a thread: taking it takes a listing.
            taken(pool, dirs[99 - LOOKAHEAD]!)
            expect(await settledState(pool)).toMatchObject({ queued: 0, listed: LOOKAHEAD - 1 })
          } finally {
            pool.close()
          }
        })

        it('stops listing while 256 listings wait to be taken, and goes on once a quarter of them are taken', async () => {
          const dirs = emptyDirectories('pool-done', DONE_MAX + LOOKAHEAD)
          // Four threads, and still exact: each batch fits the window.
          const pool = createListingPool(true, 4)!
          try {
            // As a walker queues each directory's subdirectories: every batch is listed, and stays listed below the next.
            for (let from = 0; from < dirs.length; from += LOOKAHEAD) {
              pool.prefetch(dirs.slice(from, from + LOOKAHEAD), 0, 'stat', undefined)
              const listed = Math.min(from + LOOKAHEAD, DONE_MAX)
              expect(await settledState(pool), `${from + LOOKAHEAD} queued`).toMatchObject({
                queued: from + LOOKAHEAD - listed,
                listed
              })
            }
            // Taking listings makes no room until only three quarters of the bound are left: the
            // threads go on together then, not one woken per listing taken.
            const resumeAt = (DONE_MAX / 4) * 3
            let listed = DONE_MAX
            let queued = LOOKAHEAD
            for (const dir of [dirs[DONE_MAX - 1]!, ...dirs.slice(0, DONE_MAX - resumeAt - 2)]) {
              expect(taken(pool, dir).result.listing, dir).toBeDefined()
              listed--
              expect(await settledState(pool), dir).toMatchObject({ queued, listed })
            }
            expect(listed).toBe(resumeAt + 1)
            // Taking one no thread listed makes no room either.
            taken(pool, dirs[DONE_MAX]!)
            queued--
            expect(await settledState(pool)).toMatchObject({ queued, listed })
            // The listing that leaves three quarters: the threads list what is queued, up to the bound.
            taken(pool, dirs[DONE_MAX - resumeAt - 2]!)
            listed--
            expect(await settledState(pool)).toMatchObject({ queued: 0, listed: listed + queued })
          } finally {
            pool.close()
          }
        })

        it('listing ahead, keeps the same bound of 256 listings, over all that is queued rather than a window', async () => {
          const dirs = emptyDirectories('pool-ahead-done', DONE_MAX + LOOKAHEAD)
          const parent = join(dirs[0]!, '..')
          // One thread, so none is still listing when another has filled the bound: the count is exact.
          const pool = createListingPool(true, 1, true)!
          try {
            pool.prefetch([parent], 0, 'stat', undefined)
            // The parent, then its subdirectories (first on top) until 256 listings wait.
            expect(await settledState(pool)).toMatchObject({ queued: dirs.length + 1 - DONE_MAX, listed: DONE_MAX })
            const parentTaken = taken(pool, parent)
            expect(parentTaken.result.subdirectoriesQueued).toBe(true)
            expect(await settledState(pool)).toMatchObject({ queued: dirs.length + 1 - DONE_MAX, listed: DONE_MAX - 1 })
            // The walker's order: the first subdirectory in read order is on top, listed first. Taking
            // listings makes no room until at most three quarters of the bound wait (as without listAhead).
            for (const name of parentTaken.names.slice(0, 3))
              expect(taken(pool, join(parent, name)).result.listing, name).toBeDefined()
            expect(await settledState(pool)).toMatchObject({ queued: dirs.length + 1 - DONE_MAX, listed: DONE_MAX - 4 })
          } finally {
            pool.close()
          }
        })

        it('stops listing while 32 MiB of listings wait to be taken', async () => {
          const dir = join(base, 'pool-bytes')
          mkdirSync(dir)
          const names = Array.from({ length: 3000 }, (_, i) => `${i}-${'b'.repeat(200)}`)
          for (const name of names) writeFileSync(join(dir, name), '')
          // What one listing holds (native/index.d.ts): its text, a type character, the name and a '/' per
          // entry, and five doubles per entry. About 0.7 MB, so the bound falls inside one window's worth.
          const bytes = names.reduce((sum, name) => sum + name.length + 2 + 5 * 8, 0)
          const fitting = Math.ceil(DONE_BYTES_MAX / bytes)
          expect(fitting).toBeLessThan(LOOKAHEAD)
          // One thread, so none is still listing when another has filled the bound: the count is exact.
          const pool = createListingPool(true, 1)!
          try {
            // The same directory queued again and again is listed again and again.
            pool.prefetch(
              Array.from({ length: LOOKAHEAD }, () => dir),
              0,
              'stat',
              undefined
            )
            expect(await settledState(pool)).toMatchObject({
              queued: LOOKAHEAD - fitting,
              listed: fitting,
              listedBytes: fitting * bytes
            })
            // Taking listings makes no room until at most three quarters of the bound are left; then
            // the thread lists up to the bound again.
            const toResume = fitting - Math.floor(((DONE_BYTES_MAX / 4) * 3) / bytes)
            expect(toResume).toBeGreaterThan(1)
            for (let k = 1; k < toResume; k++) {
              expect(taken(pool, dir).names).toHaveLength(names.length)
              expect(await settledState(pool)).toMatchObject({
                queued: LOOKAHEAD - fitting,
                listed: fitting - k,
                listedBytes: (fitting - k) * bytes
              })
            }
            expect(taken(pool, dir).names).toHaveLength(names.length)
            expect(await settledState(pool)).toMatchObject({
              queued: LOOKAHEAD - fitting - toResume,
              listed: fitting,
              listedBytes: fitting * bytes
            })
          } finally {
            pool.close()
          }
        })
      })

      it('refuses a thread count outside 1 to 4', () => {
        for (const threads of [0, 5, 1.5, -1]) expect(() => createListingPool(true, threads)).toThrow(RangeError)
        expect(openListingPools()).toBe(0)
      })

      it('refuses withStats or listAhead that is not a boolean', () => {
        const notBoolean = 'yes' as unknown as boolean
        expect(() => createListingPool(notBoolean)).toThrow(/withStats must be a boolean/)
        expect(() => createListingPool(true, 1, notBoolean)).toThrow(/listAhead must be a boolean/)
        expect(openListingPools()).toBe(0)
      })
    })

    it('huge-page advice is not asked for buffers under 4 MiB (as numpy)', () => {
      expect(adviseHugePages(new ArrayBuffer(100))).toBe(false)
      expect(adviseHugePages(new ArrayBuffer(4 * 1024 * 1024 - 1))).toBe(false)
    })
  })
} else {
  describe('without the native helper (YIELD_LAB_NATIVE=off)', () => {
    it('nothing of it is loaded or used', () => {
      expect(nativeHelperLoaded).toBe(false)
      expect(canListNatively).toBe(false)
      expect(canReadInParallel).toBe(false)
      expect(createListingPool(true)).toBeUndefined()
      expect(adviseHugePages(new ArrayBuffer(64 << 20))).toBe(false)
    })
  })
}
