/**
 * The `walk` job kind through the real JobHost and job worker: step-by-step pulls, the filename
 * pipeline (checked against Python running the Browse tab's own Python equivalent), inline errors
 * that do not stop the walk, bad roots, cancel, bottom-up, and payload size on a large tree.
 */
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { execFileSync } from 'node:child_process'
import { serialize } from 'node:v8'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { LabError } from '../../../../src/shared/errors'
import type { JobBatch } from '../../../../src/shared/contract'
import { batchItems } from '../../../../src/shared/jobKinds'
import type {
  WalkArgs,
  WalkDirItem,
  WalkErrorItem,
  WalkItem,
  WalkSkipItem,
  WalkSummary
} from '../../../../src/shared/walkJob'
import { regularFileBytes, splitWalkPath, WALK_STAT, yieldedDirnames } from '../../../../src/shared/walkJob'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { walk, walkEntries, type EntryStat } from '../../../../src/main/lab/walk/walk'
import { compileFnmatch } from '../../../../src/main/lab/walk/fnmatch'
import { pruneLine, pyStr, walkCall, walkPythonCode } from '../../../../src/renderer/src/walk/pythonEquivalent'
import { WalkTree } from '../../../../src/renderer/src/walk/walkTree'
import { createTestJobHost, type RecordedEvent } from '../../../support/jobHost'
import { shownWithNote } from '../../../support/notUtf8'
import { runUnprivilegedScript } from '../../../support/unprivileged'
import { lastLine, runPython } from '../../../support/python'
import { catchLabError } from '../../../support/labErrors'
import { build, FIFO, Link, type Spec } from '../../../support/tree'

/** du -sb's bytes for a tree, the reference of the Python Browse shows. */
function duBytes(path: string): number {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0])
}

let host: JobHost
let events: RecordedEvent[]
let base = ''

beforeAll(() => {
  // tmpfs when there is one: creating thousands of files on a slow disk would dominate the test time.
  base = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'yield-lab-walkjob-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})
afterEach(async () => {
  await host?.closeAll()
})

function setup(): void {
  ;({ host, events } = createTestJobHost())
}

let counter = 0
function fresh(label: string, spec: Spec): string {
  const dir = join(base, `${label}-${++counter}`)
  build(dir, spec)
  return dir
}

const sample: Spec = {
  'a.py': 'print(1)\n',
  'b.pyc': 'xx',
  'notes.txt': 'hello',
  src: {
    'main.py': 'pass\n',
    'data.log': 'l'.repeat(100),
    'old.log.gz': 'g'.repeat(7),
    deep: { 'x.py': 'x', 'y.tmp': 'yy' }
  },
  'new\nline dir': { 'f\nname.py': 'n' },
  empty: {},
  linkToSrc: new Link('src'),
  dangling: new Link('nowhere')
}

async function drain(
  id: string,
  maxItems = 1000
): Promise<{ items: WalkItem[]; value: WalkSummary; batches: JobBatch[] }> {
  const items: WalkItem[] = []
  const batches: JobBatch[] = []
  for (;;) {
    const batch = await host.next('owner', id, maxItems)
    batches.push(batch)
    items.push(...batchItems('walk', batch))
    if (batch.done) return { items, value: batch.value as WalkSummary, batches }
  }
}

async function walkAll(
  args: WalkArgs,
  maxItems = 1000
): Promise<{ items: WalkItem[]; value: WalkSummary; batches: JobBatch[] }> {
  const { id } = host.open('owner', 'walk', args)
  return drain(id, maxItems)
}

const dirsOf = (items: WalkItem[]): WalkDirItem[] => items.filter((item): item is WalkDirItem => item.kind === 'dir')
const errorsOf = (items: WalkItem[]): WalkErrorItem[] =>
  items.filter((item): item is WalkErrorItem => item.kind === 'error')

describe('walk job: one triple per pull, as os.walk yields them', () => {
  test('next(1) yields the triples of walk() in the same order, with types, sizes and parent/name', async () => {
    setup()
    const top = fresh('step', sample)
    const expected = [...walk(top)]
    const { id, state } = host.open('owner', 'walk', { top })
    expect(state).toBe('created')
    const items: WalkDirItem[] = []
    for (;;) {
      const batch = await host.next('owner', id, 1)
      if (batch.done) {
        expect([...batchItems('walk', batch)]).toEqual([])
        expect(batch.value).toEqual({
          dirs: 5,
          files: 10,
          bytes: 9 + 2 + 5 + 5 + 100 + 7 + 1 + 2 + 1,
          errors: 0,
          keptFiles: 10,
          keptBytes: 132
        })
        break
      }
      expect([...batchItems('walk', batch)]).toHaveLength(1)
      expect(batch.state).toBe('suspended')
      items.push([...batchItems('walk', batch)][0] as WalkDirItem)
    }
    expect(items.map((item) => [item.dirpath, item.dirnames, item.filenames])).toEqual(expected)
    const root = items[0]!
    expect(root).toMatchObject({ dirpath: top, parent: null, name: top, dropped: 0, droppedBytes: 0 })
    const types = Object.fromEntries(
      root.filenames.map((name, i) => [name, [root.fileTypes[i], regularFileBytes(root, i)]])
    )
    expect(types).toEqual({ 'a.py': ['f', 9], 'b.pyc': ['f', 2], 'notes.txt': ['f', 5], dangling: ['l', 0] })
    const dirTypes = Object.fromEntries(root.dirnames.map((name, i) => [name, root.dirTypes[i]]))
    expect(dirTypes).toEqual({ src: 'd', 'new\nline dir': 'd', empty: 'd', linkToSrc: 'l' })
    for (const item of items.slice(1)) {
      expect(item.parent).not.toBeNull()
      expect(join(item.parent!, item.name)).toBe(item.dirpath)
    }
    expect(items.find((item) => item.name === 'new\nline dir')?.filenames).toEqual(['f\nname.py'])
    // Progress went out in the walker's own terms.
    const last = events.filter((event) => event.id === id && event.progress !== undefined).at(-1)?.progress
    expect(last).toMatchObject({ unit: 'entries', stats: { dirs: 5, files: 10, errors: 0 } })
  })

  test('with followlinks the symlinked directory is walked too; bottom-up yields children first', async () => {
    setup()
    const top = fresh('modes', sample)
    const followed = await walkAll({ top, followlinks: true })
    expect(dirsOf(followed.items).map((item) => item.dirpath)).toEqual(
      [...walk(top, { followlinks: true })].map(([dirpath]) => dirpath)
    )
    expect(followed.value.dirs).toBe(7)

    const bottomUp = await walkAll({ top, topdown: false }, 1)
    const paths = dirsOf(bottomUp.items).map((item) => item.dirpath)
    expect(paths).toEqual([...walk(top, { topdown: false })].map(([dirpath]) => dirpath))
    expect(paths.at(-1)).toBe(top)
    expect(paths.indexOf(join(top, 'src', 'deep'))).toBeLessThan(paths.indexOf(join(top, 'src')))
  })

  test('splitWalkPath mirrors os.path.join, also for a top ending with a separator', () => {
    expect(splitWalkPath('/t', '/t', '/')).toEqual({ parent: null, name: '/t' })
    expect(splitWalkPath('/t', '/t/a', '/')).toEqual({ parent: '/t', name: 'a' })
    expect(splitWalkPath('/t/', '/t/a', '/')).toEqual({ parent: '/t/', name: 'a' })
    expect(splitWalkPath('/t/', '/t/a/b', '/')).toEqual({ parent: '/t/a', name: 'b' })
    expect(splitWalkPath('/', '/etc', '/')).toEqual({ parent: '/', name: 'etc' })
    expect(splitWalkPath('C:', 'C:a', '\\')).toEqual({ parent: 'C:', name: 'a' })
    expect(splitWalkPath('C:\\x', 'C:\\x\\a\\b', '\\')).toEqual({ parent: 'C:\\x\\a', name: 'b' })
  })
})

describe('walk job: what du and ncdu count, per entry', () => {
  const recordOf = (stats: Float64Array, index: number): number[] =>
    Array.from(stats.subarray(index * WALK_STAT.FIELDS, (index + 1) * WALK_STAT.FIELDS))
  const lstatRecord = (path: string): number[] => {
    const info = lstatSync(path)
    return [info.size, info.blocks * 512, info.dev, info.ino, info.nlink]
  }

  test('each entry carries its lstat (symlinks their own), each directory its own stat', async () => {
    setup()
    const top = fresh('stats', {
      'big.bin': 'b'.repeat(10_000),
      'empty.txt': '',
      sub: { 'inner.txt': 'i'.repeat(5000) },
      linkToSub: new Link('sub'),
      dangling: new Link('nowhere/at/all')
    })
    linkSync(join(top, 'big.bin'), join(top, 'sub', 'hard.bin'))
    const { items } = await walkAll({ top })
    const [root, sub] = dirsOf(items)
    expect(root!.ownStat.length).toBe(WALK_STAT.FIELDS)
    const info = statSync(top)
    expect(Array.from(root!.ownStat)).toEqual([info.size, info.blocks * 512, info.dev, info.ino, info.nlink])
    expect(Array.from(sub!.ownStat)).toEqual(lstatRecord(join(top, 'sub')))
    for (const item of [root!, sub!]) {
      expect(item.filenameStats.length).toBe(item.filenames.length * WALK_STAT.FIELDS)
      expect(item.dirnameStats.length).toBe(item.dirnames.length * WALK_STAT.FIELDS)
      item.filenames.forEach((name, i) => {
        expect(recordOf(item.filenameStats, i), name).toEqual(lstatRecord(join(item.dirpath, name)))
      })
    }
    // A symlink to a directory is listed in dirnames with the link's own lstat; a real directory
    // has zeros there, its own item carries its stat.
    const linkIndex = root!.dirnames.indexOf('linkToSub')
    expect(recordOf(root!.dirnameStats, linkIndex)).toEqual(lstatRecord(join(top, 'linkToSub')))
    expect(recordOf(root!.dirnameStats, linkIndex)[WALK_STAT.APPARENT_SIZE]).toBe('sub'.length)
    expect(recordOf(root!.dirnameStats, root!.dirnames.indexOf('sub'))).toEqual([0, 0, 0, 0, 0])
    // The dangling link is a file whose apparent size is its target's length; sizes still count
    // regular files only.
    const dangling = root!.filenames.indexOf('dangling')
    expect(recordOf(root!.filenameStats, dangling)[WALK_STAT.APPARENT_SIZE]).toBe('nowhere/at/all'.length)
    expect(regularFileBytes(root!, dangling)).toBe(0)
    // Both names of the hard link show the same (dev, ino) and two links.
    const big = recordOf(root!.filenameStats, root!.filenames.indexOf('big.bin'))
    const hard = recordOf(sub!.filenameStats, sub!.filenames.indexOf('hard.bin'))
    expect(hard).toEqual(big)
    expect(big[WALK_STAT.NLINK]).toBe(2)
  })
})

describe('walk job: dir items hold what walkEntries gives', () => {
  /** The dir items of a walk made the plain way, an object per entry from walkEntries: what the job must yield. */
  function expectedDirItems(args: WalkArgs): WalkDirItem[] {
    const { top, topdown = true, followlinks = false, exclude = [], files = [] } = args
    const record = (stat: EntryStat): number[] => [stat.apparentSize, stat.diskUsage, stat.dev, stat.ino, stat.nlink]
    const letter = { dir: 'd', symlink: 'l', file: 'f', other: 'o' } as const
    const excluded = exclude.map(compileFnmatch)
    const stages = files.map((stage) => {
      const test =
        stage.test === 'fnmatch'
          ? compileFnmatch(stage.pattern)
          : (name: string) => stage.suffixes.some((suffix) => name.endsWith(suffix))
      return (name: string) => test(name) === (stage.fn === 'filter')
    })
    const items: WalkDirItem[] = []
    for (const dir of walkEntries(top, { topdown, followlinks })) {
      const walked = dir.dirs
      const pruned = walked.filter((entry) => excluded.some((matches) => matches(entry.name)))
      dir.dirs = dir.dirs.filter((entry) => !pruned.includes(entry))
      const kept = dir.files.filter((entry) => stages.every((keeps) => keeps(entry.name)))
      const bytes = (entries: typeof kept): number => entries.reduce((sum, entry) => sum + entry.size, 0)
      items.push({
        kind: 'dir',
        dirpath: dir.dirpath,
        ...splitWalkPath(top, dir.dirpath, '/'),
        dirnames: dir.dirs.map((entry) => entry.name),
        dirTypes: dir.dirs.map((entry) => letter[entry.type]).join(''),
        excluded: pruned.map((entry) => entry.name),
        excludedAt: pruned.map((entry) => walked.indexOf(entry)),
        filenames: kept.map((entry) => entry.name),
        fileTypes: kept.map((entry) => letter[entry.type]).join(''),
        dropped: dir.files.length - kept.length,
        droppedBytes: bytes(dir.files) - bytes(kept),
        ownStat: Float64Array.from(record(dir.self)),
        dirnameStats: Float64Array.from(dir.dirs.flatMap((entry) => record(entry.stat))),
        filenameStats: Float64Array.from(kept.flatMap((entry) => record(entry.stat)))
      })
    }
    return items
  }

  test.runIf(process.platform === 'linux')(
    'every field, with exclude patterns and filter stages, top-down and bottom-up',
    async () => {
      setup()
      const top = fresh('columns', {
        ...sample,
        'big.bin': 'b'.repeat(9000),
        fifo: FIFO,
        linkToBig: new Link('big.bin'),
        node_modules: { 'dep.py': 'd', nested: { 'x.log': 'xx' } },
        cache: { 'c.tmp': 'c'.repeat(300), linkUp: new Link('..') }
      })
      linkSync(join(top, 'big.bin'), join(top, 'src', 'hard.bin'))
      const cases: WalkArgs[] = [
        { top },
        { top, exclude: ['node_*', 'cach?'] },
        {
          top,
          exclude: ['deep', 'linkTo*'],
          files: [
            { fn: 'filterfalse', test: 'endswith', suffixes: ['.pyc', '.tmp'] },
            { fn: 'filter', test: 'fnmatch', pattern: '*[a-z]*' }
          ]
        },
        {
          top,
          topdown: false,
          followlinks: true,
          exclude: ['src'],
          files: [{ fn: 'filter', test: 'fnmatch', pattern: '*.py' }]
        },
        { top, followlinks: true, files: [{ fn: 'filter', test: 'endswith', suffixes: ['.nothing'] }] }
      ]
      for (const args of cases) {
        const { items, value } = await walkAll(args)
        const expected = expectedDirItems(args)
        expect(dirsOf(items), JSON.stringify(args)).toEqual(expected)
        expect(value).toMatchObject({
          dirs: expected.length,
          keptFiles: expected.reduce((sum, item) => sum + item.filenames.length, 0),
          errors: 0
        })
      }
    }
  )
})

describe('walk job: the filename pipeline runs in the worker', () => {
  test('filter and filterfalse stages keep what Python keeps (running the Python shown by the Browse tab)', async () => {
    setup()
    const top = fresh('pipeline', sample)
    const cases: WalkArgs[] = [
      { top },
      { top, files: [{ fn: 'filter', test: 'fnmatch', pattern: '*.py' }] },
      { top, files: [{ fn: 'filterfalse', test: 'endswith', suffixes: ['.log', '.gz', '.pyc'] }] },
      {
        top,
        topdown: false,
        followlinks: true,
        files: [
          { fn: 'filter', test: 'fnmatch', pattern: '*[a-z].*' },
          { fn: 'filterfalse', test: 'fnmatch', pattern: '*.py?' },
          { fn: 'filter', test: 'endswith', suffixes: ['.py', '.log'] }
        ]
      }
    ]
    for (const args of cases) {
      const ours = await walkAll(args)
      const shown = Object.fromEntries(
        dirsOf(ours.items).map((item) => [
          item.dirpath,
          item.filenames.map((name, i): [string, number] => [name, regularFileBytes(item, i)])
        ])
      )
      const script = `${walkPythonCode(args)}\nimport json\nprint(json.dumps({'shown': shown, 'order': list(shown), 'errors': len(errors)}))\n`
      const [printed, json] = runPython(script).trim().split('\n')
      // The program's own line: Browse's counters at the end, and top's size as the tab shows it.
      const tree = new WalkTree(args.top)
      for (const item of ours.items) tree.apply(item)
      const filtered = args.files !== undefined && args.files.length > 0
      const words = filtered
        ? ', the files kept and the folders'
        : args.followlinks === true
          ? ' (links to folders followed)'
          : ' (du -sb)'
      expect(printed).toBe(
        `${ours.value.dirs} dirs, ${ours.value.keptFiles} files${filtered ? ' kept' : ''}, ${ours.value.keptBytes} bytes; ${tree.root.totalBytes} bytes in all${words}`
      )
      if (words === ' (du -sb)') expect(tree.root.totalBytes).toBe(duBytes(args.top))
      const python = JSON.parse(json!) as {
        shown: Record<string, [string, number][]>
        order: string[]
        errors: number
      }
      expect(shown, JSON.stringify(args.files)).toEqual(python.shown)
      expect(Object.keys(shown)).toEqual(python.order)
      const kept = Object.values(shown).flat()
      expect(ours.value.keptFiles).toBe(kept.length)
      expect(ours.value.keptBytes).toBe(kept.reduce((sum, [, size]) => sum + size, 0))
      expect(ours.value.files - ours.value.keptFiles).toBe(
        dirsOf(ours.items).reduce((sum, item) => sum + item.dropped, 0)
      )
    }
  })

  test('exclude prunes dirnames in place as the Python shown by Browse does; bottom-up it prunes nothing', async () => {
    setup()
    const top = fresh('exclude', {
      '.git': { objects: { pack: 'p' }, HEAD: 'ref' },
      src: { 'a.py': 'a', node_modules: { dep: { 'index.js': 'x' } }, '.git': { HEAD: 'h' } },
      node_modules: { 'left-pad': { 'index.js': 'y' } },
      'keep.txt': 'k'
    })
    for (const topdown of [true, false]) {
      const args: WalkArgs = { top, topdown, exclude: ['.git', 'node_*'] }
      const ours = await walkAll(args)
      const script = `${walkPythonCode(args)}\nimport json\nprint(json.dumps(list(shown)))\n`
      const pythonOrder = JSON.parse(lastLine(runPython(script))) as string[]
      expect(dirsOf(ours.items).map((item) => item.dirpath)).toEqual(pythonOrder)
      const root = dirsOf(ours.items).find((item) => item.parent === null)!
      expect(root.dirnames).toEqual(['src'])
      expect([...root.excluded].sort()).toEqual(['.git', 'node_modules'])
      if (topdown) expect(pythonOrder.sort()).toEqual([top, join(top, 'src')].sort())
      else expect(pythonOrder).toContain(join(top, '.git', 'objects'))
    }
  })

  test('the pruned names keep their places: with them, dirnames are what os.walk yields (python3)', async () => {
    setup()
    const names = ['app', '.git', 'lib', 'node_modules', 'docs', 'build', 'tests', '.cache', 'src', 'dist', 'x', 'y']
    const spec: Spec = {}
    for (const name of names) spec[name] = { [`${name}.txt`]: name, inner: {}, '.git': {}, dist: {} }
    const top = fresh('prune-places', spec)
    const args: WalkArgs = { top, exclude: ['.*', 'node_modules', 'dist', 'build'] }
    const ours = dirsOf((await walkAll(args)).items)
    const script = [
      'import json, os',
      'from fnmatch import fnmatch',
      `top = ${pyStr(top)}`,
      'errors = []',
      'yielded = []',
      `for dirpath, dirnames, filenames in ${walkCall(args, 'top')}:`,
      '    yielded.append([dirpath, list(dirnames)])',
      ...args.exclude!.map((pattern) => `    ${pruneLine(pattern)}`),
      'print(json.dumps(yielded))'
    ].join('\n')
    expect(ours.map((item) => [item.dirpath, yieldedDirnames(item)])).toEqual(JSON.parse(runPython(script)))
    // Some pruned name stood before a kept one, so putting them back at the end would not do.
    expect(ours.some((item) => item.excludedAt.some((at, i) => at !== item.dirnames.length + i))).toBe(true)
  })

  test('exclude patterns are validated like the file filter', () => {
    setup()
    const refuse = (args: unknown): LabError => catchLabError(() => host.open('owner', 'walk', args))
    expect(refuse({ top: base, exclude: [''] }).message).toContain('exclude')
    expect(refuse({ top: base, exclude: ['a\0b'] }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top: base, exclude: 'node_modules' }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top: base, exclude: Array(33).fill('x') }).message).toContain('at most 32 patterns')
    expect(refuse({ top: base, oneFileSystem: 'yes' }).code).toBe('INVALID_ARGUMENT')
    expect(host.openJobs()).toEqual([])
  })

  test('dropped names are counted but never sent', async () => {
    setup()
    const top = fresh('dropped', { 'keep.py': 'k', 'drop.txt': 'drop', sub: { 'x.txt': '12345' } })
    const { items, value } = await walkAll({ top, files: [{ fn: 'filter', test: 'endswith', suffixes: ['.py'] }] })
    const dirs = dirsOf(items)
    expect(dirs.map((item) => [item.filenames, item.dropped, item.droppedBytes])).toEqual([
      [['keep.py'], 1, 4],
      [[], 1, 5]
    ])
    expect(JSON.stringify(items)).not.toContain('.txt')
    expect(value).toEqual({ dirs: 2, files: 3, bytes: 10, errors: 0, keptFiles: 1, keptBytes: 1 })
  })

  test('bad filter arguments are refused by the schema before a worker starts', () => {
    setup()
    const top = fresh('badfilter', {})
    const refuse = (args: unknown): LabError => catchLabError(() => host.open('owner', 'walk', args))
    expect(refuse({ top, files: [{ fn: 'filter', test: 'fnmatch', pattern: '' }] }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top, files: [{ fn: 'map', test: 'fnmatch', pattern: '*' }] }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top, files: [{ fn: 'filter', test: 'endswith', suffixes: [] }] }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top, files: Array(9).fill({ fn: 'filter', test: 'fnmatch', pattern: '*' }) }).code).toBe(
      'INVALID_ARGUMENT'
    )
    expect(refuse({ top, extra: 1 }).code).toBe('INVALID_ARGUMENT')
    expect(refuse({ top: 'x'.repeat(40_000) }).message).toContain('top: must be at most')
    expect(host.openJobs()).toEqual([])
  })
})

describe('walk job: bad input gives a clear error or a correct continuation', () => {
  test('a top that cannot be walked is one onerror item for top, nothing yielded, and a normal end, as os.walk', async () => {
    setup()
    const dir = fresh('roots', {
      'file.txt': 'x',
      fifo: FIFO,
      loop1: new Link('loop2'),
      loop2: new Link('loop1'),
      sub: { inside: 'i' },
      linkToSub: new Link('sub')
    })
    const cases: [string, string, string][] = [
      [join(dir, 'missing'), 'NOT_FOUND', 'does not exist'],
      [join(dir, 'file.txt'), 'NOT_A_DIRECTORY', 'is not a directory'],
      [join(dir, 'fifo'), 'NOT_A_DIRECTORY', 'is not a directory'],
      [join(dir, 'loop1'), 'INVALID_ARGUMENT', 'has too many levels of symbolic links']
    ]
    // What the Python shown by the Browse tab sees: no triple, and onerror called once, for top.
    const pythonOutcome = String.raw`
import errno, json
codes = {'ENOENT': 'NOT_FOUND', 'ENOTDIR': 'NOT_A_DIRECTORY', 'ELOOP': 'INVALID_ARGUMENT'}
print(json.dumps({'shown': shown, 'errors': [[e.filename, codes[errno.errorcode[e.errno]]] for e in errors]}))
`
    for (const topdown of [true, false]) {
      for (const [top, code, what] of cases) {
        const { items, value } = await walkAll({ top, topdown }, 1)
        expect(items).toEqual([
          { kind: 'error', error: { code, message: `${top}: ${what}`, path: top }, parent: null, name: top }
        ])
        expect(value).toMatchObject({ dirs: 0, files: 0, errors: 1 })
        expect(JSON.parse(lastLine(runPython(`${walkPythonCode({ top, topdown })}\n${pythonOutcome}`)))).toEqual({
          shown: {},
          errors: [[top, code]]
        })
      }
      // os.walk follows a symlink given as top, followlinks or not.
      const linked = await walkAll({ top: join(dir, 'linkToSub'), topdown })
      expect(dirsOf(linked.items).map((item) => [item.dirpath, item.filenames])).toEqual([
        [join(dir, 'linkToSub'), ['inside']]
      ])
      expect(linked.value).toMatchObject({ dirs: 1, errors: 0 })
    }
    expect(host.openJobs()).toEqual([])
    const empty = catchLabError(() => host.open('owner', 'walk', { top: '' }))
    expect(empty).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(empty.message).toContain('No folder was given to walk.')
    expect(() => host.open('owner', 'walk', { top: 'a\0b' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' })
    )
  })

  test('a directory deleted while being walked becomes an inline error item and the walk goes on', async () => {
    setup()
    const top = fresh('vanish', { a: { x: 'x' }, b: { y: 'y', inner: { z: 'z' } }, c: { w: 'w' } })
    const { id } = host.open('owner', 'walk', { top })
    const first = await host.next('owner', id, 1)
    const root = [...batchItems('walk', first)][0] as WalkDirItem
    // Delete the second subdirectory os.walk will enter, after it was listed in dirnames.
    const victim = join(top, root.dirnames[1]!)
    rmSync(victim, { recursive: true })
    const rest = await drain(id, 1)
    const errors = errorsOf(rest.items)
    expect(errors).toEqual([
      {
        kind: 'error',
        error: { code: 'NOT_FOUND', message: `${victim}: does not exist`, path: victim },
        parent: top,
        name: root.dirnames[1]
      }
    ])
    const remaining = [...walk(top)].slice(1).map(([dirpath]) => dirpath)
    expect(
      dirsOf(rest.items)
        .map((item) => item.dirpath)
        .sort()
    ).toEqual(remaining.sort())
    expect(rest.value.errors).toBe(1)
  })

  test('names that are not valid UTF-8 cross as surrogate escapes; a walk re-rooted at one reaches the same bytes', async () => {
    setup()
    const top = fresh('utf8', { good: { 'g.txt': 'g' } })
    mkdirSync(Buffer.from(`${top}/bad-\xff-dir`, 'latin1'))
    writeFileSync(Buffer.from(`${top}/bad-\xff-dir/inside`, 'latin1'), 'in')
    // A real folder named with the U+FFFD form of that name: never confused with it.
    mkdirSync(join(top, 'bad-\uFFFD-dir'))
    writeFileSync(join(top, 'bad-\uFFFD-dir', 'other'), 'other')
    writeFileSync(Buffer.from(`${top}/bad-\xfe-file`, 'latin1'), 'abc')
    const { items, value } = await walkAll({ top })
    expect(errorsOf(items)).toEqual([])
    const byName = new Map(dirsOf(items).map((item) => [item.name, item]))
    expect(byName.get('bad-\udcff-dir')).toMatchObject({ parent: top, filenames: ['inside'] })
    expect(regularFileBytes(byName.get('bad-\udcff-dir')!, 0)).toBe(2)
    expect(byName.get('bad-\uFFFD-dir')).toMatchObject({ parent: top, filenames: ['other'] })
    expect(regularFileBytes(byName.get('bad-\uFFFD-dir')!, 0)).toBe(5)
    const root = dirsOf(items).find((item) => item.parent === null)!
    expect(root.filenames).toEqual(['bad-\udcfe-file'])
    expect(regularFileBytes(root, 0)).toBe(3)
    expect(value).toMatchObject({ dirs: 4, errors: 0 })

    const rerooted = await walkAll({ top: join(top, 'bad-\udcff-dir') })
    expect(dirsOf(rerooted.items).map((item) => [item.dirpath, item.filenames])).toEqual([
      [join(top, 'bad-\udcff-dir'), ['inside']]
    ])
  })

  test('a root that is not a directory, named with bytes that are not UTF-8, is shown with U+FFFD and the note once', async () => {
    setup()
    const dir = fresh('utf8-root', {})
    writeFileSync(Buffer.from(`${dir}/file-\xff`, 'latin1'), 'x')
    const top = join(dir, 'file-\udcff')
    const { items } = await walkAll({ top })
    // os.walk passes it to onerror and yields nothing.
    expect(items).toHaveLength(1)
    const [item] = items
    if (item?.kind !== 'error') throw new Error('the only item is the error of top')
    expect(item.error).toMatchObject({ code: 'NOT_A_DIRECTORY', path: top })
    expect(item.error.message).toBe(`${shownWithNote(top)}: is not a directory`)
  })

  test.runIf(process.platform === 'linux')(
    'oneFileSystem: a folder on another device is listed, not entered, and a skip item says so',
    async () => {
      setup()
      // /dev/shm is a tmpfs; the temp dir is on another device when base is not on /dev/shm itself.
      const elsewhere = mkdtempSync(join('/dev/shm', 'yield-lab-walkjob-fs-'))
      const top = mkdtempSync(join(tmpdir(), 'yield-lab-walkjob-onefs-'))
      try {
        expect(statSync(elsewhere).dev).not.toBe(statSync(top).dev)
        build(elsewhere, { inside: { deep: 'd' } })
        build(top, { here: { f: 'f' }, away: new Link(elsewhere) })
        const { items } = await walkAll({ top, followlinks: true, oneFileSystem: true })
        expect(
          dirsOf(items)
            .map((item) => item.dirpath)
            .sort()
        ).toEqual([top, join(top, 'here')].sort())
        expect(items.filter((item) => item.kind === 'skip')).toEqual([
          { kind: 'skip', reason: 'otherFileSystem', parent: top, name: 'away' }
        ])
        const all = await walkAll({ top, followlinks: true })
        expect(dirsOf(all.items).map((item) => item.dirpath)).toContain(join(top, 'away', 'inside'))
      } finally {
        rmSync(elsewhere, { recursive: true, force: true })
        rmSync(top, { recursive: true, force: true })
      }
    }
  )

  test('a symlink loop with followlinks ends (a cycle is never entered), and a skip item says where', async () => {
    setup()
    const top = fresh('cycle', { a: { b: { up: new Link('../..') } } })
    const { items, value } = await walkAll({ top, followlinks: true })
    expect(value).toMatchObject({ dirs: 3, errors: 0 })
    const skips = items.filter((item): item is WalkSkipItem => item.kind === 'skip')
    expect(skips).toEqual([{ kind: 'skip', reason: 'cycle', parent: join(top, 'a', 'b'), name: 'up' }])
  })

  test('return() mid-walk closes the generator in main; a batch in flight is cancelled', async () => {
    setup()
    const top = join(base, `big-${++counter}`)
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(top, `d${d}`), { recursive: true })
      for (let f = 0; f < 100; f++) writeFileSync(join(top, `d${d}`, `f${f}`), '')
    }
    const { id } = host.open('owner', 'walk', { top })
    await host.next('owner', id, 2)
    expect(await host.return('owner', id)).toEqual({ items: [], done: true, state: 'closed' })
    expect(host.openJobs()).toEqual([])

    const second = host.open('owner', 'walk', { top })
    const inFlight = host.next('owner', second.id, 1_000_000)
    const closing = host.return('owner', second.id)
    const outcome = await inFlight.then(
      (batch) => batch,
      (error: unknown) => error
    )
    await closing
    // Either the batch finished before the cancel landed, or it was cancelled; never a hang.
    if (outcome instanceof LabError) expect(outcome.code).toBe('CANCELLED')
    expect(host.openJobs()).toEqual([])
  })
})

describe('walk job: large trees stream in compact batches', () => {
  test('20,000 files in 100 directories: a handful of batches, about a name’s worth of bytes per entry', async () => {
    setup()
    const top = join(base, `large-${++counter}`)
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(top, `dir${d}`), { recursive: true })
      for (let f = 0; f < 200; f++) writeFileSync(join(top, `dir${d}`, `file-${f}.dat`), '')
    }
    const { items, value, batches } = await walkAll({ top }, 100_000)
    expect(value).toMatchObject({ dirs: 101, files: 20_000, errors: 0 })
    expect(items).toHaveLength(101)
    // Measured as threads and Electron's IPC carry it (V8's structured clone), not as JSON.
    const cloned = serialize(items).length
    const names = dirsOf(items).reduce(
      (sum, item) => sum + item.filenames.join('').length + item.dirnames.join('').length,
      0
    )
    // Per entry: its name and a little framing, one type letter, a size, and its stat record as
    // raw doubles: no object per entry.
    expect((cloned - names) / 20_100).toBeLessThan(8 * WALK_STAT.FIELDS + 16)
    expect(batches.length).toBeLessThan(20)
  })
})

/** Root ignores permission bits; run the job host in a subprocess without that override so they count. */
const unprivileged = (script: string): string => runUnprivilegedScript(script, base)

describe('walk job: permission denied', () => {
  test('an unreadable subdirectory is an inline PERMISSION_DENIED item; so is an unreadable top, and nothing else', () => {
    const top = fresh('perm', { open: { f: 'f' }, locked: { secret: 's' }, after: { z: 'z' } })
    chmodSync(join(top, 'locked'), 0o000)
    try {
      const script = `
        import { createTestJobHost } from ${JSON.stringify(new URL('../../../support/jobHost.ts', import.meta.url).href)}
        import { batchItems } from ${JSON.stringify(new URL('../../../../src/shared/jobKinds.ts', import.meta.url).href)}
        const { host } = createTestJobHost()
        const out = {}
        const drain = async (top) => {
          const walk = host.open('o', 'walk', { top })
          const items = []
          for (;;) { const b = await host.next('o', walk.id, 100); items.push(...batchItems('walk', b)); if (b.done) return { items, value: b.value } }
        }
        const all = await drain(${JSON.stringify(top)})
        out.value = all.value
        out.items = all.items.map((i) => i.kind === 'error' ? ['error', i.error.code, i.name] : ['dir', i.name])
        out.root = await drain(${JSON.stringify(join(top, 'locked'))})
        await host.closeAll()
        process.stdout.write(JSON.stringify(out))`
      const out = JSON.parse(unprivileged(script)) as {
        items: string[][]
        value: WalkSummary
        root: { items: WalkItem[]; value: WalkSummary }
      }
      expect(out.items).toContainEqual(['error', 'PERMISSION_DENIED', 'locked'])
      expect(
        out.items
          .filter((item) => item[0] === 'dir')
          .map((item) => item[1])
          .sort()
      ).toEqual([top, 'after', 'open'].sort())
      expect(out.value).toMatchObject({ dirs: 3, errors: 1 })
      const locked = join(top, 'locked')
      // Its own size still counts, as du -sb counts an unreadable folder's 4096 bytes.
      const lockedStat = statSync(locked)
      expect(out.root.items).toEqual([
        {
          kind: 'error',
          error: { code: 'PERMISSION_DENIED', message: `${locked}: permission denied`, path: locked },
          parent: null,
          name: locked,
          ownStat: expect.objectContaining({
            [WALK_STAT.APPARENT_SIZE]: lockedStat.size,
            [WALK_STAT.INO]: lockedStat.ino
          }) as unknown
        }
      ])
      expect(out.root.value).toMatchObject({ dirs: 0, files: 0, errors: 1 })
    } finally {
      chmodSync(join(top, 'locked'), 0o755)
    }
  })

  test('a folder that can be listed but not entered (r--): its names are listed, each file size is an inline PERMISSION_DENIED marked as a file’s', () => {
    const top = fresh('listonly', { listonly: { 'a.txt': 'aaa', 'b.txt': 'b' }, after: { 'z.txt': 'zz' } })
    const listOnly = join(top, 'listonly')
    chmodSync(listOnly, 0o444)
    try {
      const script = `
        import { createTestJobHost } from ${JSON.stringify(new URL('../../../support/jobHost.ts', import.meta.url).href)}
        import { batchItems } from ${JSON.stringify(new URL('../../../../src/shared/jobKinds.ts', import.meta.url).href)}
        import { regularFileBytes } from ${JSON.stringify(new URL('../../../../src/shared/walkJob.ts', import.meta.url).href)}
        const { host } = createTestJobHost()
        async function rowsOf(args) {
          const walk = host.open('o', 'walk', args)
          const items = []
          let value
          for (;;) { const b = await host.next('o', walk.id, 100); items.push(...batchItems('walk', b)); if (b.done) { value = b.value; break } }
          const rows = items.map((i) => i.kind === 'error' ? ['error', i.error.code, i.parent, i.name, i.file === true] : ['dir', i.name, i.filenames, i.filenames.map((_, k) => regularFileBytes(i, k)), i.excluded, i.dropped, i.droppedBytes])
          return { rows, value }
        }
        const all = await rowsOf({ top: ${JSON.stringify(top)} })
        const pruned = await rowsOf({ top: ${JSON.stringify(top)}, exclude: ['aft*'], files: [{ fn: 'filter', test: 'fnmatch', pattern: 'a*' }] })
        await host.closeAll()
        process.stdout.write(JSON.stringify({ ...all, pruned }))`
      const out = JSON.parse(unprivileged(script)) as {
        rows: unknown[][]
        value: WalkSummary
        pruned: { rows: unknown[][]; value: WalkSummary }
      }
      const sorted = (rows: unknown[][]): unknown[][] =>
        rows.map((row) => row.map((cell) => (Array.isArray(cell) ? [...(cell as string[])].sort() : cell)))
      expect(sorted(out.rows.filter((row) => row[0] === 'error'))).toEqual(
        expect.arrayContaining([
          ['error', 'PERMISSION_DENIED', listOnly, 'a.txt', true],
          ['error', 'PERMISSION_DENIED', listOnly, 'b.txt', true]
        ])
      )
      expect(sorted(out.rows.filter((row) => row[0] === 'dir'))).toEqual(
        expect.arrayContaining([
          ['dir', 'listonly', ['a.txt', 'b.txt'], [0, 0], [], 0, 0],
          ['dir', 'after', ['z.txt'], [2], [], 0, 0]
        ])
      )
      expect(out.value).toMatchObject({ dirs: 3, errors: 2 })
      // With a pruned folder and a filter: both sizes still fail (a file is sized before the
      // filter sees its name), the dropped one counts no bytes, and the pruned folder is not walked.
      const pruned = sorted(out.pruned.rows)
      expect(pruned.filter((row) => row[0] === 'error')).toEqual(
        expect.arrayContaining([
          ['error', 'PERMISSION_DENIED', listOnly, 'a.txt', true],
          ['error', 'PERMISSION_DENIED', listOnly, 'b.txt', true]
        ])
      )
      expect(pruned.filter((row) => row[0] === 'dir')).toEqual([
        ['dir', top, [], [], ['after'], 0, 0],
        ['dir', 'listonly', ['a.txt'], [0], [], 1, 0]
      ])
      expect(out.pruned.value).toEqual({ dirs: 2, files: 2, bytes: 0, errors: 2, keptFiles: 1, keptBytes: 0 })
    } finally {
      chmodSync(listOnly, 0o755)
    }
  })
})
