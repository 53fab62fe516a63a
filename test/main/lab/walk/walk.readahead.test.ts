/**
 * What walk's readAhead asks the native listing pool to list, seen by recording every call to the
 * pool: a pruned directory is never queued, a symlink to a directory (top-down, without
 * followlinks) and a directory on another device (oneFileSystem) are stat'ed but not listed;
 * with 'subtrees', the pool queues the real subdirectories itself and the walk only the rest.
 * The walks themselves must still be what they are without readAhead (walk.test.ts and
 * walk.differential.test.ts check that on many trees). Needs the native helper.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as native from '../../../../src/main/lab/native'
import { walk, walkEntries } from '../../../../src/main/lab/walk/walk'
import { walkJob } from '../../../../src/main/lab/walk/walkJob'
import { build, Link, type Spec } from '../../../support/tree'

interface Take {
  path: string
  statMode: native.StatMode
  device: number | undefined
  /** Whether the pool listed it (a listing, or the error listing gave). */
  listed: boolean
}

const calls = vi.hoisted(() => ({
  queued: [] as { path: string; statMode: string; device: number | undefined }[],
  taken: [] as Take[],
  /** listAhead of each pool made. */
  listAhead: [] as boolean[]
}))

vi.mock('../../../../src/main/lab/native', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../../src/main/lab/native')>()
  return {
    ...original,
    createListingPool(withStats: boolean, threads?: number, listAhead?: boolean): native.ListingPool | undefined {
      calls.listAhead.push(listAhead ?? false)
      const pool = original.createListingPool(withStats, threads, listAhead)
      if (pool === undefined) return undefined
      return {
        prefetch(paths, from, statMode, device) {
          for (const path of paths.slice(from)) calls.queued.push({ path, statMode, device })
          pool.prefetch(paths, from, statMode, device)
        },
        take(path, names, statMode, device) {
          const result = pool.take(path, names, statMode, device)
          calls.taken.push({
            path,
            statMode,
            device,
            listed: result.listing !== undefined || result.error !== undefined
          })
          return result
        },
        close: () => pool.close(),
        state: () => pool.state()
      }
    }
  }
})

let base = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-readahead-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})
beforeEach(() => {
  calls.queued.length = 0
  calls.taken.length = 0
  calls.listAhead.length = 0
})

describe.runIf(native.canListNatively)('readAhead lists only what the walk enters', () => {
  it('never queues nor lists a pruned directory; takes every other one once', () => {
    const top = join(base, 'prune')
    const spec: Spec = {}
    for (let i = 0; i < 30; i++) spec[`keep${i}`] = { inner: { f: 'f' } }
    spec.pruned = { deep: { deeper: { f: 'f' } } }
    spec.keep7 = { pruned: { x: {} }, y: {} }
    build(top, spec)
    const seen: string[] = []
    for (const [dirpath, dirnames] of walk(top, { readAhead: true })) {
      seen.push(dirpath)
      const index = dirnames.indexOf('pruned')
      if (index >= 0) dirnames.splice(index, 1)
    }
    expect(seen).toEqual([...walk(top)].map(([dirpath]) => dirpath).filter((path) => !path.includes('pruned')))
    const everything = [...calls.queued.map((call) => call.path), ...calls.taken.map((call) => call.path)]
    expect(everything.filter((path) => path.includes('pruned'))).toEqual([])
    // Every directory the walk entered was queued before it was taken, except top, listed where it is taken.
    expect(calls.taken.map((call) => call.path)).toEqual(seen)
    expect(calls.queued.map((call) => call.path).sort()).toEqual(seen.slice(1).sort())
    expect(calls.taken.every((call) => call.listed)).toBe(true)
  })

  it("top-down without followlinks, a symlink to a directory is lstat'ed, not listed; followed, it is listed", () => {
    const top = join(base, 'links')
    build(top, { real: { f: 'f' }, link: new Link('real') })
    const link = join(top, 'link')
    expect([...walk(top, { readAhead: true })].map(([dirpath]) => dirpath)).toEqual([top, join(top, 'real')])
    expect(calls.taken.find((call) => call.path === link)).toEqual({
      path: link,
      statMode: 'lstat',
      device: undefined,
      listed: false
    })

    calls.taken.length = 0
    const followed = [...walkEntries(top, { readAhead: true, followlinks: true })].map((dir) => dir.dirpath)
    expect(followed.sort()).toEqual([top, link, join(top, 'real')].sort())
    expect(calls.taken.find((call) => call.path === link)).toMatchObject({ statMode: 'stat', listed: true })
  })

  it.runIf(process.platform === 'linux')(
    "oneFileSystem: a directory on another device is stat'ed, not listed, nor anything below it",
    () => {
      const elsewhere = mkdtempSync('/dev/shm/yield-lab-readahead-')
      try {
        const top = join(base, 'one-fs')
        build(top, { here: { f: 'f' }, away: new Link(elsewhere) })
        build(elsewhere, { inside: { deep: {} } })
        const device = statSync(top).dev
        expect(statSync(elsewhere).dev, 'the test needs /dev/shm on another device').not.toBe(device)
        for (const topdown of [true, false]) {
          calls.taken.length = 0
          calls.queued.length = 0
          const skipped: string[] = []
          const dirs = [
            ...walk(top, {
              topdown,
              followlinks: true,
              oneFileSystem: true,
              readAhead: true,
              onskip: (path) => skipped.push(path)
            })
          ].map(([dirpath]) => dirpath)
          expect(dirs.sort()).toEqual([top, join(top, 'here')].sort())
          expect(skipped).toEqual([join(top, 'away')])
          expect(calls.taken.find((call) => call.path === join(top, 'away'))).toEqual({
            path: join(top, 'away'),
            statMode: 'stat',
            device,
            listed: false
          })
          expect(calls.queued.filter((call) => call.path.startsWith(`${join(top, 'away')}/`))).toEqual([])
        }
      } finally {
        rmSync(elsewhere, { recursive: true, force: true })
      }
    }
  )

  it("'subtrees': the pool queues the real directories as it lists them, the walk queues only top's and the links", () => {
    const top = join(base, 'subtrees')
    build(top, {
      a: { b: { c: { f: 'f' } }, g: {} },
      d: { e: {}, back: new Link('..') },
      linked: new Link('a'),
      f: 'f'
    })
    for (const topdown of [true, false]) {
      for (const followlinks of [false, true]) {
        calls.queued.length = 0
        calls.taken.length = 0
        const options = { topdown, followlinks }
        const cycles: string[] = []
        const triples = [...walk(top, { ...options, readAhead: 'subtrees', onskip: (path) => cycles.push(path) })]
        expect(triples, JSON.stringify(options)).toEqual([...walk(top, options)])
        const links = new Set([join(top, 'linked'), join(top, 'd', 'back')])
        const topChildren = [join(top, 'a'), join(top, 'd'), join(top, 'linked')]
        // Below top, what the walk queued itself is only links, which the pool does not follow.
        const queued = calls.queued.map((call) => call.path)
        expect(queued.filter((path) => !topChildren.includes(path) && !links.has(path))).toEqual([])
        // Every directory it entered was taken once, and listed (a cycle too: found by its stat, after).
        const entered = triples.map(([dirpath]) => dirpath)
        const taken = calls.taken.filter((call) => call.listed).map((call) => call.path)
        expect(taken.sort()).toEqual([...entered, ...cycles].sort())
        expect(cycles).toEqual(followlinks ? [join(top, 'd', 'back')] : [])
      }
    }
  })

  it('the walk job lists whole subtrees ahead only when no exclude pattern can prune', () => {
    const top = join(base, 'job')
    build(top, { keep: { inner: {} }, pruned: { deep: {} } })
    const control = { isCancelled: () => false, report: () => undefined }
    const run = (exclude: string[]): void => {
      const job = walkJob({ top, topdown: true, followlinks: false, oneFileSystem: false, exclude, files: [] }, control)
      while (job.next().done !== true);
    }
    run([])
    expect(calls.listAhead).toEqual([true])
    calls.listAhead.length = 0
    calls.queued.length = 0
    calls.taken.length = 0
    run(['prune*'])
    expect(calls.listAhead).toEqual([false])
    const everything = [...calls.queued.map((call) => call.path), ...calls.taken.map((call) => call.path)]
    expect(everything.filter((path) => path.includes('pruned'))).toEqual([])
    expect(everything).toContain(join(top, 'keep', 'inner'))
  })
})
