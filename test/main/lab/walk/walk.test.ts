/**
 * The walker on its own: properties on random trees (fast-check), cycles, bad roots, directories
 * deleted during the walk, names that are not valid UTF-8, walkEntries and walkColumns, progress and cancellation,
 * each property also with readAhead, of both kinds (threads listing ahead, where the native helper is built).
 * What the read-ahead lists and skips is in walk.readahead.test.ts.
 * Equality with Python's os.walk is in walk.differential.test.ts.
 */
import { execFileSync } from 'node:child_process'
import fs, { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabError } from '../../../../src/shared/errors'
import type { JobProgress } from '../../../../src/shared/jobs'
import {
  checkWalkRoot,
  walk,
  walkColumns,
  walkEntries,
  type EntryStat,
  type WalkDir,
  type WalkOptions,
  type WalkTriple
} from '../../../../src/main/lab/walk/walk'
import { canListNatively, openListingPools } from '../../../../src/main/lab/native'
import { runOnXinoOverlay } from '../../../support/mountedTmpfs'
import { shownWithNote } from '../../../support/notUtf8'
import { build, FIFO, Link, type Spec } from '../../../support/tree'
import { asColumns } from '../../../support/walkColumns'

let base = ''
let counter = 0
function freshDir(label: string): string {
  const dir = join(base, `${label}-${++counter}`)
  mkdirSync(dir)
  return dir
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-walk-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

/** Runs a walk to the end, for its side effects (errors, progress, syscalls). */
function drain(items: Iterable<unknown>): void {
  for (const _ of items) continue
}

function collect(top: string, options: WalkOptions = {}): { triples: WalkTriple[]; errors: LabError[] } {
  const errors: LabError[] = []
  const triples = [...walk(top, { ...options, onerror: (e) => errors.push(e) })]
  return { triples, errors }
}

// ---------------------------------------------------------------------------------------------

/** A random tree: each name is a file (null) or a subdirectory. */
type Tree = [string, Tree | null][]

/** No read-ahead, read-ahead of what the walk enters, and of whole subtrees. */
const readAheadArb = fc.constantFrom(false, true, 'subtrees' as const)
const nameArb = fc.string({
  unit: fc.constantFrom('a', 'b', 'c', 'é', '日', '\n', ' ', '-', '😀'),
  minLength: 1,
  maxLength: 4
})
const { tree: treeArb } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.uniqueArray(fc.tuple(nameArb, fc.option(tie('tree'), { nil: null, depthSize: 'small', maxDepth: 4 })), {
    selector: ([name]) => name,
    maxLength: 6
  })
}))

function buildTree(dir: string, tree: Tree): void {
  for (const [name, sub] of tree) {
    if (sub === null) writeFileSync(join(dir, name), '')
    else {
      mkdirSync(join(dir, name))
      buildTree(join(dir, name), sub)
    }
  }
}

/** Relative paths of all files and all directories of a tree, skipping subtrees for which skip(path) holds. */
function contents(
  tree: Tree,
  prefix = '',
  skip: (path: string) => boolean = () => false
): { files: string[]; dirs: string[] } {
  const files: string[] = []
  const dirs: string[] = []
  for (const [name, sub] of tree) {
    const path = prefix === '' ? name : `${prefix}${sep}${name}`
    if (sub === null) files.push(path)
    else if (!skip(path)) {
      dirs.push(path)
      const inner = contents(sub, path, skip)
      files.push(...inner.files)
      dirs.push(...inner.dirs)
    }
  }
  return { files, dirs }
}

describe('properties on random trees', () => {
  it('every file and every directory appears exactly once, parents before (top-down) or after (bottom-up) children', () => {
    fc.assert(
      fc.property(treeArb, fc.boolean(), readAheadArb, (tree, topdown, readAhead) => {
        const top = freshDir('prop')
        try {
          buildTree(top, tree)
          const { triples, errors } = collect(top, { topdown, readAhead })
          expect(errors).toEqual([])
          const seenFiles = triples.flatMap(([dirpath, , filenames]) =>
            filenames.map((f) => relative(top, join(dirpath, f)))
          )
          const seenDirs = triples.map(([dirpath]) => relative(top, dirpath)).filter((d) => d !== '')
          const expected = contents(tree)
          expect(seenFiles.sort()).toEqual(expected.files.sort())
          expect([...seenDirs].sort()).toEqual(expected.dirs.sort())
          // dirnames of each triple are exactly its subdirectories, all visited
          for (const [dirpath, dirnames] of triples) {
            for (const d of dirnames) expect(seenDirs).toContain(relative(top, join(dirpath, d)))
          }
          const order = triples.map(([dirpath]) => dirpath)
          for (const [index, dirpath] of order.entries()) {
            if (dirpath === top) continue
            const parent = dirpath.slice(0, dirpath.lastIndexOf(sep))
            const parentIndex = order.indexOf(parent)
            if (topdown) expect(parentIndex).toBeLessThan(index)
            else expect(parentIndex).toBeGreaterThan(index)
          }
        } finally {
          rmSync(top, { recursive: true, force: true })
        }
      }),
      { numRuns: 60 }
    )
  })

  it('top-down pruning is honoured: pruned subtrees are never visited, everything else is', () => {
    fc.assert(
      fc.property(treeArb, fc.integer({ min: 1, max: 1000 }), readAheadArb, (tree, seed, readAhead) => {
        const top = freshDir('prune')
        try {
          buildTree(top, tree)
          // Prune a pseudo-random but deterministic subset of directories, by a hash of the path.
          const pruned = (path: string): boolean =>
            ([...path].reduce((h, ch) => (h * 31 + ch.codePointAt(0)!) % 1009, seed) & 3) === 0
          const visited: string[] = []
          const files: string[] = []
          for (const [dirpath, dirnames, filenames] of walk(top, { readAhead })) {
            const rel = relative(top, dirpath)
            visited.push(rel)
            files.push(...filenames.map((f) => join(rel, f)))
            for (let i = dirnames.length - 1; i >= 0; i--) {
              if (pruned(join(rel, dirnames[i]!))) dirnames.splice(i, 1)
            }
          }
          const expected = contents(tree, '', pruned)
          expect(visited.filter((d) => d !== '').sort()).toEqual(expected.dirs.sort())
          expect(files.sort()).toEqual(expected.files.sort())
        } finally {
          rmSync(top, { recursive: true, force: true })
        }
      }),
      { numRuns: 60 }
    )
  })

  it('walkEntries splits and orders exactly like walk, in every mode', () => {
    fc.assert(
      fc.property(treeArb, fc.boolean(), fc.boolean(), readAheadArb, (tree, topdown, followlinks, readAhead) => {
        const top = freshDir('entries')
        try {
          buildTree(top, tree)
          symlinkSync('.', join(top, 'self-link'))
          const triples = [...walk(top, { topdown, followlinks })]
          const entries = [...walkEntries(top, { topdown, followlinks, readAhead })].map((d): WalkTriple => [
            d.dirpath,
            d.dirs.map((e) => e.name),
            d.files.map((e) => e.name)
          ])
          expect(entries).toEqual(triples)
        } finally {
          rmSync(top, { recursive: true, force: true })
        }
      }),
      { numRuns: 30 }
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe('symlink cycles with followlinks', () => {
  it('never revisits an ancestor, in both directions, and terminates', () => {
    const top = freshDir('cycle')
    build(top, {
      a: { b: { up: new Link('../..'), self: new Link('.'), f: 'f' }, side: new Link('../d') },
      d: { back: new Link('../a') },
      loop: new Link('loop')
    })
    const expectedDirs = ['', 'a', 'a/b', 'a/side', 'd', 'd/back', 'd/back/b'].map((p) => join(top, p))
    for (const topdown of [true, false]) {
      const { triples, errors } = collect(top, { topdown, followlinks: true })
      expect(errors).toEqual([])
      expect(triples.map(([dirpath]) => dirpath).sort()).toEqual(expectedDirs.sort())
      // The cyclic links are still listed, as os.walk lists them; they are just not entered.
      const ab = triples.find(([dirpath]) => dirpath === join(top, 'a', 'b'))!
      expect([...ab[1]].sort()).toEqual(['self', 'up'])
      expect(ab[2]).toEqual(['f'])
      // A link to itself is a broken link: a file.
      expect(triples.find(([dirpath]) => dirpath === top)![2]).toEqual(['loop'])
    }
  })

  it('without followlinks the links are listed as directories but not entered', () => {
    const top = freshDir('cycle-nofollow')
    build(top, { a: { up: new Link('..') } })
    for (const topdown of [true, false]) {
      const { triples } = collect(top, { topdown })
      expect(triples.map(([dirpath]) => dirpath).sort()).toEqual([top, join(top, 'a')])
      expect(triples.find(([dirpath]) => dirpath === join(top, 'a'))![1]).toEqual(['up'])
    }
  })
})

/**
 * Another device without mounting anything: a tmpfs (/dev/shm on Linux) reached through a link
 * with followlinks. The link is what a mount point is to the walk: a directory whose stat gives
 * another device.
 */
describe.runIf(process.platform === 'linux')('oneFileSystem', () => {
  let elsewhere = ''
  afterAll(() => {
    if (elsewhere !== '') rmSync(elsewhere, { recursive: true, force: true })
  })

  it('lists a directory on another device but neither yields nor walks it, in both directions', () => {
    elsewhere = mkdtempSync('/dev/shm/yield-lab-walk-')
    const top = freshDir('one-fs')
    expect(fs.statSync(elsewhere).dev, 'the test needs /dev/shm on another device than the temp dir').not.toBe(
      fs.statSync(top).dev
    )
    build(elsewhere, { inside: { deep: 'd' }, f: 'f' })
    build(top, { a: { b: 'b' }, away: new Link(elsewhere), here: new Link('a') })
    for (const topdown of [true, false]) {
      const all = collect(top, { topdown, followlinks: true })
      expect(all.triples.map(([dirpath]) => dirpath)).toContain(join(top, 'away', 'inside'))
      const { triples, errors } = collect(top, { topdown, followlinks: true, oneFileSystem: true })
      expect(errors).toEqual([])
      expect(triples.map(([dirpath]) => dirpath).sort()).toEqual([top, join(top, 'a'), join(top, 'here')].sort())
      expect([...triples.find(([dirpath]) => dirpath === top)![1]].sort()).toEqual(['a', 'away', 'here'])
      // A top on the other device is walked whole: the device is the top's.
      expect(collect(elsewhere, { topdown, oneFileSystem: true }).triples).toHaveLength(2)
    }
  })
})

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)('inode numbers of 2^63 and more', () => {
  it('overlayfs with xino: a hard-linked file keeps one number for its names, the number inodeNumber keeps', () => {
    // The lower layer on another file system (tmpfs), so overlayfs puts its number in the top bits.
    const lower = mkdtempSync('/dev/shm/yield-lab-overlay-')
    const top = freshDir('overlay')
    try {
      build(lower, { a: 'hi' })
      fs.linkSync(join(lower, 'a'), join(lower, 'b'))
      const merged = join(top, 'merged')
      const run = runOnXinoOverlay(
        lower,
        top,
        `import { statSync, writeFileSync } from 'node:fs'
        import { walkColumns } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/main/lab/walk/walk'))}
        import { inodeNumber } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/shared/inodes'))}
        import { WALK_STAT } from ${JSON.stringify(join(import.meta.dirname, '../../../../src/shared/walkJob'))}
        writeFileSync(${JSON.stringify(join(merged, 'c'))}, 'upper')
        const [dir] = [...walkColumns(${JSON.stringify(merged)})]
        const walked = Object.fromEntries(dir.filenames.map((name, i) => [name, dir.filenameStats[i * WALK_STAT.FIELDS + WALK_STAT.INO]]))
        const kept = (name) => inodeNumber(statSync(${JSON.stringify(merged)} + '/' + name, { bigint: true }).ino)
        process.stdout.write(JSON.stringify({ walked, kept: { a: kept('a'), b: kept('b'), c: kept('c') }, large: statSync(${JSON.stringify(merged)} + '/a', { bigint: true }).ino < 0n }))`
      )
      expect(run.stderr).toBe('')
      const out = run.stdout
      const { walked, kept, large } = JSON.parse(out) as {
        walked: Record<string, number>
        kept: Record<string, number>
        large: boolean
      }
      expect(large, 'overlayfs gave the lower layer numbers below 2^63 here').toBe(true)
      expect(walked).toEqual(kept)
      expect(walked.a).toBe(walked.b)
      expect(walked.a).not.toBe(walked.c)
      expect(Number.isSafeInteger(walked.a) && walked.a! > 0).toBe(true)
    } finally {
      rmSync(lower, { recursive: true, force: true })
    }
  })
})

describe('bad roots', () => {
  let dir = ''
  beforeAll(() => {
    dir = freshDir('roots')
    build(dir, {
      'file.txt': 'x',
      'new\nline dir': { f: 'f' },
      loop: new Link('loop'),
      broken: new Link('nowhere'),
      linkdir: new Link('new\nline dir')
    })
  })

  it('missing top: onerror with NOT_FOUND naming it, nothing yielded', () => {
    const missing = join(dir, 'missing')
    const { triples, errors } = collect(missing)
    expect(triples).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(LabError)
    expect(errors[0]!.code).toBe('NOT_FOUND')
    expect(errors[0]!.path).toBe(missing)
    expect(errors[0]!.message).toContain(missing)
  })

  it('a file as top: onerror with NOT_A_DIRECTORY, nothing yielded', () => {
    const file = join(dir, 'file.txt')
    for (const topdown of [true, false]) {
      const { triples, errors } = collect(file, { topdown })
      expect(triples).toEqual([])
      expect(errors.map((e) => [e.code, e.path])).toEqual([['NOT_A_DIRECTORY', file]])
    }
  })

  it('a symlink loop as top: onerror, nothing yielded', () => {
    const { triples, errors } = collect(join(dir, 'loop'), { followlinks: true })
    expect(triples).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toContain(join(dir, 'loop'))
  })

  it('without onerror, errors are ignored like os.walk; a throwing onerror stops the walk', () => {
    expect([...walk(join(dir, 'missing'))]).toEqual([])
    expect(() => [
      ...walk(join(dir, 'missing'), {
        onerror: (e) => {
          throw e
        }
      })
    ]).toThrow(LabError)
  })

  it('rejects non-paths before touching the disk', () => {
    expect(() => walk('a\0b').next()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(() => walk(42 as unknown as string).next()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })

  it('checkWalkRoot accepts directories (and links to them, and odd names) and names the path in every error', () => {
    expect(() => checkWalkRoot(dir)).not.toThrow()
    expect(() => checkWalkRoot(join(dir, 'new\nline dir'))).not.toThrow()
    expect(() => checkWalkRoot(join(dir, 'linkdir'))).not.toThrow()
    const cases: [string, string][] = [
      [join(dir, 'missing'), 'NOT_FOUND'],
      [join(dir, 'broken'), 'NOT_FOUND'],
      [join(dir, 'file.txt'), 'NOT_A_DIRECTORY'],
      [join(dir, 'file.txt', 'below'), 'NOT_A_DIRECTORY'],
      [join(dir, 'loop'), 'INVALID_ARGUMENT']
    ]
    for (const [path, code] of cases) {
      let caught: unknown
      try {
        checkWalkRoot(path)
      } catch (error) {
        caught = error
      }
      expect(caught, path).toBeInstanceOf(LabError)
      expect((caught as LabError).code, path).toBe(code)
      expect((caught as LabError).message).toContain(path)
      expect((caught as LabError).path).toBe(path)
    }
    expect(() => checkWalkRoot('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })
})

describe('the tree changing during the walk', () => {
  it('a subdirectory deleted before it is entered is reported and the walk continues', () => {
    const top = freshDir('vanish')
    build(top, { a: { x: 'x' }, b: { y: 'y' }, c: { z: 'z' } })
    const errors: LabError[] = []
    const seen: string[] = []
    for (const [dirpath, dirnames] of walk(top, { onerror: (e) => errors.push(e) })) {
      seen.push(dirpath)
      if (dirpath === top) rmSync(join(top, dirnames[1]!), { recursive: true })
    }
    expect(seen).toHaveLength(3)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.code).toBe('NOT_FOUND')
    expect(seen).not.toContain(errors[0]!.path)
  })

  it('top deleted in the middle: every pending directory is reported, then the walk ends', () => {
    for (const topdown of [true, false]) {
      const top = freshDir('vanish-top')
      build(top, { a: { x: { deep: 'd' } }, b: {}, c: {}, d: {} })
      const errors: LabError[] = []
      let yields = 0
      for (const _ of walk(top, { topdown, onerror: (e) => errors.push(e) })) {
        if (++yields === 1) rmSync(top, { recursive: true })
      }
      expect(errors.length).toBeGreaterThan(0)
      expect(errors.every((e) => e.code === 'NOT_FOUND')).toBe(true)
    }
  })

  it('a directory replaced by a symlink after its parent was yielded is not entered (os.walk islink check)', () => {
    const top = freshDir('swap')
    build(top, { a: { x: 'x' }, target: { secret: 's' } })
    const seen: string[] = []
    for (const [dirpath, dirnames] of walk(top)) {
      seen.push(dirpath)
      if (dirpath === top) {
        rmSync(join(top, 'a'), { recursive: true })
        symlinkSync('target', join(top, 'a'))
        dirnames.splice(dirnames.indexOf('target'), 1)
      }
    }
    expect(seen).toEqual([top])
  })
})

describe.runIf(process.platform === 'linux')('names that are not valid UTF-8', () => {
  it("are walked as os.walk walks them: surrogate escapes, descended, stat'ed and sized through their raw bytes", () => {
    const top = freshDir('utf8')
    try {
      const raw = (...parts: (string | number[])[]): Buffer =>
        Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))
      mkdirSync(raw(top, '/bad-', [0xff, 0xfe], '-dir'))
      writeFileSync(raw(top, '/bad-', [0xff, 0xfe], '-dir/inner'), 'x')
      writeFileSync(raw(top, '/file-', [0xc3, 0x28]), 'xyz')
      mkdirSync(join(top, 'good'))
      writeFileSync(join(top, 'good', 'ok'), 'ok')
      const badDir = join(top, 'bad-\udcff\udcfe-dir')

      for (const topdown of [true, false]) {
        const { triples, errors } = collect(top, { topdown })
        expect(errors).toEqual([])
        const root = triples.find(([dirpath]) => dirpath === top)!
        expect(root[1].sort()).toEqual(['bad-\udcff\udcfe-dir', 'good'])
        expect(root[2]).toEqual(['file-\udcc3('])
        expect(triples.find(([dirpath]) => dirpath === badDir)).toEqual([badDir, [], ['inner']])
      }
      const dirs = [...walkEntries(top, { onerror: (e) => expect.unreachable(e.message) })]
      expect(dirs.find((d) => d.dirpath === top)!.files).toEqual([
        {
          name: 'file-\udcc3(',
          type: 'file',
          targetIsDir: false,
          size: 3,
          stat: expect.objectContaining({ apparentSize: 3 })
        }
      ])
      // A Buffer top is decoded as os.fsdecode decodes it; a file: URL's percent-escapes are bytes.
      expect([...walk(raw(top, '/bad-', [0xff, 0xfe], '-dir'))]).toEqual([[badDir, [], ['inner']]])
      expect([...walk(new URL(`file://${top}/bad-%FF%FE-dir`))]).toEqual([[badDir, [], ['inner']]])
      expect(() => [...walk(new URL('https://example.com/x'))]).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' })
      )
    } finally {
      // rmSync cannot remove names it cannot spell; rm works on raw bytes.
      execFileSync('rm', ['-rf', top])
    }
  })

  it('an error about such a name shows it with U+FFFD and says so; its path keeps the bytes', () => {
    const top = freshDir('utf8-error')
    try {
      const bad = Buffer.concat([Buffer.from(`${top}/locked-`), Buffer.from([0xff])])
      mkdirSync(bad)
      const errors: LabError[] = []
      const missing = join(top, 'locked-\udcff', 'gone')
      for (const _ of walk(missing, { onerror: (e) => errors.push(e) })) expect.unreachable()
      expect(errors).toHaveLength(1)
      expect(errors[0]!.code).toBe('NOT_FOUND')
      expect(errors[0]!.path).toBe(missing)
      expect(errors[0]!.message).toBe(`${shownWithNote(missing)}: does not exist`)
    } finally {
      execFileSync('rm', ['-rf', top])
    }
  })
})

// ---------------------------------------------------------------------------------------------

describe('walkEntries', () => {
  let top = ''
  beforeAll(() => {
    top = freshDir('entries-fixed')
    build(top, {
      sub: { 'inner.bin': 'x'.repeat(1000) },
      'a.txt': 'hello',
      empty: '',
      linkdir: new Link('sub'),
      linkfile: new Link('a.txt'),
      broken: new Link('nowhere'),
      fifo: FIFO
    })
  })

  it('gives each entry its type, link target kind and file size', () => {
    const dirs = [...walkEntries(top)]
    expect(dirs.map((d) => d.dirpath)).toEqual([top, join(top, 'sub')])
    const root = dirs[0]!
    const byName = (list: WalkDir['dirs']): Record<string, unknown> =>
      Object.fromEntries(list.map(({ stat: _stat, ...entry }) => [entry.name, entry]))
    expect(byName(root.dirs)).toEqual({
      sub: { name: 'sub', type: 'dir', targetIsDir: false, size: 0 },
      linkdir: { name: 'linkdir', type: 'symlink', targetIsDir: true, size: 0 }
    })
    expect(byName(root.files)).toEqual({
      'a.txt': { name: 'a.txt', type: 'file', targetIsDir: false, size: 5 },
      empty: { name: 'empty', type: 'file', targetIsDir: false, size: 0 },
      linkfile: { name: 'linkfile', type: 'symlink', targetIsDir: false, size: 0 },
      broken: { name: 'broken', type: 'symlink', targetIsDir: false, size: 0 },
      fifo: { name: 'fifo', type: 'other', targetIsDir: false, size: 0 }
    })
    expect(byName(dirs[1]!.files)).toEqual({
      'inner.bin': { name: 'inner.bin', type: 'file', targetIsDir: false, size: 1000 }
    })
  })

  it('gives each entry what du counts: its lstat, a symlink its own; a directory its stat once entered', () => {
    const record = (path: string): EntryStat => {
      const info = fs.lstatSync(path)
      return { apparentSize: info.size, diskUsage: info.blocks * 512, dev: info.dev, ino: info.ino, nlink: info.nlink }
    }
    expect([...walkEntries(top, { readAhead: true })]).toEqual([...walkEntries(top)])
    const dirs = [...walkEntries(top)]
    const root = dirs[0]!
    for (const entry of root.files) expect(entry.stat, entry.name).toEqual(record(join(top, entry.name)))
    expect(root.dirs.find((e) => e.name === 'linkdir')!.stat).toEqual(record(join(top, 'linkdir')))
    expect(root.dirs.find((e) => e.name === 'sub')!.stat).toEqual({
      apparentSize: 0,
      diskUsage: 0,
      dev: 0,
      ino: 0,
      nlink: 0
    })
    expect(dirs[1]!.self).toEqual(record(join(top, 'sub')))
    expect(root.self.ino).toBe(fs.statSync(top).ino)
  })

  it('pruning by mutating dirs works like dirnames', () => {
    const seen: string[] = []
    for (const dir of walkEntries(top, { followlinks: true })) {
      seen.push(dir.dirpath)
      // Replacing the array is honoured (as for walk's triple[1]), and so is mutating it in place.
      dir.dirs = dir.dirs.filter((e) => e.name !== 'sub')
      const index = dir.dirs.findIndex((e) => e.name === 'linkdir')
      if (index >= 0) dir.dirs.splice(index, 1)
    }
    expect(seen).toEqual([top])
  })

  it('reports progress counters {dirs, files, bytes, errors} in entries', () => {
    const reports: JobProgress[] = []
    const control = { isCancelled: () => false, report: (p: JobProgress) => reports.push(p) }
    const errors: LabError[] = []
    drain(walkEntries(top, { control, onerror: (e) => errors.push(e) }))
    const last = reports.at(-1)!
    // dirs: directories listed (top, sub); files: the other entries (a.txt, empty, linkfile, broken, fifo, inner.bin)
    expect(last).toEqual({ completed: 8, unit: 'entries', stats: { dirs: 2, files: 6, bytes: 1005, errors: 0 } })
    expect(errors).toEqual([])
    const walkReports: JobProgress[] = []
    drain(walk(join(top, 'missing'), { control: { isCancelled: () => false, report: (p) => walkReports.push(p) } }))
    expect(walkReports.at(-1)!.stats).toEqual({ dirs: 0, files: 0, bytes: 0, errors: 1 })
  })

  it('learns types from the directory entries: a stat per symlink, an lstat per regular file, one per directory', () => {
    const calls = { stat: 0, lstat: 0 }
    const original = { statSync: fs.statSync, lstatSync: fs.lstatSync }
    const counting = {
      statSync: ((...args: Parameters<typeof fs.statSync>) => (
        calls.stat++,
        original.statSync(...args)
      )) as typeof fs.statSync,
      lstatSync: ((...args: Parameters<typeof fs.lstatSync>) => (
        calls.lstat++,
        original.lstatSync(...args)
      )) as typeof fs.lstatSync
    }
    // Patch the fs module and propagate to ESM named imports (walk.ts imports { statSync, lstatSync }).
    Object.assign(fs, counting)
    syncBuiltinESMExports()
    try {
      drain(walkEntries(top))
      // stat: top (its device+inode) + 3 symlinks (is the target a directory?), which the native
      // listing stats itself where it is built; none for dirs, files, fifo.
      // lstat: sub and linkdir (os.walk's islink check before descending, which also gives sub's
      // device+inode) + what is not a directory, for its size and what du counts: a.txt, empty,
      // inner.bin, linkdir, linkfile, broken, fifo (in the native listing where it is built)
      const symlinkStats = canListNatively ? 0 : 3
      expect(calls).toEqual({ stat: 1 + symlinkStats, lstat: canListNatively ? 2 : 9 })
      calls.stat = calls.lstat = 0
      drain(walk(top))
      expect(calls).toEqual({ stat: 1 + symlinkStats, lstat: 2 })
      // With readAhead, the native pool stats and lists each directory in C: nothing is left.
      for (const view of [walk, walkEntries]) {
        calls.stat = calls.lstat = 0
        drain(view(top, { readAhead: true }))
        expect(calls).toEqual(canListNatively ? { stat: 0, lstat: 0 } : { stat: 4, lstat: view === walk ? 2 : 9 })
      }
    } finally {
      Object.assign(fs, original)
      syncBuiltinESMExports()
    }
  })
})

describe('walkColumns', () => {
  /** A walk's items, errors and last progress report. */
  function run<T>(
    view: (top: string, options: WalkOptions) => Iterable<T>,
    top: string,
    options: WalkOptions
  ): { dirs: T[]; errors: LabError[]; progress: JobProgress | undefined } {
    const errors: LabError[] = []
    let progress: JobProgress | undefined
    const control = { isCancelled: () => false, report: (p: JobProgress) => (progress = p) }
    const dirs = [...view(top, { ...options, control, onerror: (e) => errors.push(e) })]
    return { dirs, errors, progress }
  }

  it('gives what walkEntries gives, entry for entry, in every mode', () => {
    fc.assert(
      fc.property(treeArb, fc.boolean(), fc.boolean(), readAheadArb, (tree, topdown, followlinks, readAhead) => {
        const top = freshDir('columns')
        try {
          buildTree(top, tree)
          build(top, {
            'sized.bin': 'x'.repeat(5000),
            'link-to-top': new Link('.'),
            'link-to-file': new Link('sized.bin'),
            dangling: new Link('nowhere'),
            fifo: FIFO,
            'zz-dir': { 'inner.txt': 'abc', 'back-up': new Link('..') }
          })
          fs.linkSync(join(top, 'sized.bin'), join(top, 'zz-dir', 'hard.bin'))
          const options = { topdown, followlinks, readAhead }
          const entries = run(walkEntries, top, options)
          const columns = run(walkColumns, top, options)
          expect(columns.dirs).toEqual(entries.dirs.map(asColumns))
          expect(columns.errors).toEqual(entries.errors)
          expect(columns.progress).toEqual(entries.progress)
          for (const dir of columns.dirs) {
            expect(dir.dirnameStats.length).toBe(dir.dirnames.length * 5)
            expect(dir.filenameStats.length).toBe(dir.filenames.length * 5)
          }
        } finally {
          rmSync(top, { recursive: true, force: true })
        }
      }),
      { numRuns: 30 }
    )
  })

  it("cuts small directories' records from one buffer a walk owns, and gives a big directory its own", () => {
    const top = freshDir('columns-slab')
    const big: Spec = {}
    for (let i = 0; i < 2000; i++) big[`f${i}`] = ''
    build(top, { a: { x: 'x', y: 'yy' }, big, c: { z: 'zzz' } })
    for (const readAhead of [false, true]) {
      // Kept until the end: each directory's records must still be its own (the test above compares them).
      const dirs = [...walkColumns(top, { readAhead })]
      const shared = dirs[0]!.ownStat.buffer
      for (const dir of dirs) {
        const ownBuffer = dir.dirpath === join(top, 'big')
        for (const records of [dir.ownStat, dir.dirnameStats, dir.filenameStats])
          if (ownBuffer) expect(records.buffer, dir.dirpath).not.toBe(shared)
          else expect(records.buffer, dir.dirpath).toBe(shared)
      }
      expect([...walkColumns(top, { readAhead })][0]!.ownStat.buffer).not.toBe(shared)
    }
  })

  it('pruning by mutating or replacing dirnames works like walk', () => {
    const top = freshDir('columns-prune')
    build(top, { a: { inner: { f: 'f' } }, b: { g: 'g' }, c: {}, link: new Link('a') })
    for (const readAhead of [false, true]) {
      const seen: string[] = []
      for (const dir of walkColumns(top, { followlinks: true, readAhead })) {
        seen.push(dir.dirpath)
        dir.dirnames = dir.dirnames.filter((name) => name !== 'a')
        const index = dir.dirnames.indexOf('link')
        if (index >= 0) dir.dirnames.splice(index, 1)
      }
      expect(seen.sort()).toEqual([top, join(top, 'b'), join(top, 'c')].sort())
    }
  })
})

describe('cancellation and early exit', () => {
  let top = ''
  beforeAll(() => {
    top = freshDir('cancel')
    const spec: Spec = {}
    for (let i = 0; i < 30; i++) spec[`d${i}`] = { f: 'f', g: { h: 'h' } }
    build(top, spec)
  })

  it('a cancelled control stops the walk with a CANCELLED LabError', () => {
    let polls = 0
    const control = { isCancelled: () => ++polls > 5, report: () => {} }
    const seen: string[] = []
    expect(() => {
      for (const [dirpath] of walk(top, { control })) seen.push(dirpath)
    }).toThrow(expect.objectContaining({ code: 'CANCELLED' }))
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.length).toBeLessThan(10)
  })

  it.runIf(process.platform === 'linux')('leaves no directory open when the consumer stops early or cancels', () => {
    const openFds = (): number => readdirSync('/proc/self/fd').length
    const before = openFds()
    for (let i = 0; i < 50; i++) {
      for (const _ of walk(top)) break
      const generator = walkEntries(top, { topdown: false })
      generator.next()
      generator.return(undefined)
      try {
        for (const _ of walk(top, { control: { isCancelled: () => true, report: () => {} } })) void _
      } catch {
        // cancelled, expected
      }
    }
    expect(openFds()).toBe(before)
  })
})

describe('readAhead', () => {
  let top = ''
  beforeAll(() => {
    top = freshDir('read-ahead')
    const spec: Spec = {}
    for (let i = 0; i < 20; i++) spec[`d${i}`] = { f: 'f', g: { h: 'h' }, l: new Link('g') }
    build(top, spec)
  })

  it('gives the same walk as without it, in every mode', () => {
    for (const topdown of [true, false]) {
      for (const followlinks of [false, true]) {
        const options = { topdown, followlinks }
        expect(collect(top, { ...options, readAhead: true })).toEqual(collect(top, options))
        expect(collect(top, { ...options, readAhead: 'subtrees' })).toEqual(collect(top, options))
      }
    }
  })

  it('closes its listing pool however the walk ends: done, return(), break, a throwing onerror, cancellation', () => {
    const whileWalking = canListNatively ? 1 : 0
    const done = walk(top, { readAhead: true })
    done.next()
    expect(openListingPools()).toBe(whileWalking)
    drain(done)
    expect(openListingPools()).toBe(0)

    for (const topdown of [true, false]) {
      const generator = walkEntries(top, { topdown, readAhead: true })
      for (let i = 0; i < 5; i++) generator.next()
      expect(openListingPools()).toBe(whileWalking)
      generator.return(undefined)
      expect(openListingPools()).toBe(0)
    }

    for (const _ of walk(top, { readAhead: true })) break
    expect(openListingPools()).toBe(0)

    const failing = walk(join(top, 'missing'), {
      readAhead: true,
      onerror: (error) => {
        throw error
      }
    })
    expect(() => failing.next()).toThrow(LabError)
    expect(openListingPools()).toBe(0)

    let polls = 0
    const control = { isCancelled: () => ++polls > 3, report: () => {} }
    expect(() => drain(walk(top, { readAhead: true, control }))).toThrow(expect.objectContaining({ code: 'CANCELLED' }))
    expect(openListingPools()).toBe(0)

    const thrown = walk(top, { readAhead: true })
    thrown.next()
    expect(() => thrown.throw(new Error('consumer failed'))).toThrow('consumer failed')
    expect(openListingPools()).toBe(0)
  })
})
