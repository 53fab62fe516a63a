/**
 * The `ncduImport` job: an export written by the real ncdu, opened through the real job host and
 * worker, yields the walk job's items for the same tree (the walker is the reference), and files
 * that are not exports fail with an error naming them.
 */
import { execFileSync } from 'node:child_process'
import { linkSync, lstatSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { JobBatch } from '../../../../src/shared/contract'
import { batchItems } from '../../../../src/shared/jobKinds'
import { decodeNcdu, encodeNcdu, MAX_NCDU_EXPORT_BYTES } from '../../../../src/shared/ncdu'
import {
  regularFileBytes,
  WALK_STAT,
  yieldedDirnames,
  type NcduImportSummary,
  type WalkDirItem,
  type WalkItem
} from '../../../../src/shared/walkJob'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { ncduCheckJob } from '../../../../src/main/lab/walk/ncduImport'
import { walkEntries } from '../../../../src/main/lab/walk/walk'
import { ncduExportPieces } from '../../../../src/renderer/src/walk/ncduExport'
import { WalkTree } from '../../../../src/renderer/src/walk/walkTree'
import { createTestJobHost } from '../../../support/jobHost'
import { rejectedLabError } from '../../../support/labErrors'
import { entriesByPath, ncdu } from '../../../support/ncdu'
import { shownWithNote } from '../../../support/notUtf8'
import { build, FIFO, Link } from '../../../support/tree'

let host: JobHost
let base = ''
let top = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-ncdu-import-'))
  top = join(base, 'tree')
  build(top, {
    'a.txt': 'hello',
    sub: { 'b.bin': 'x'.repeat(3000), deeper: { leaf: 'leaf', empty: {} } },
    link: new Link('a.txt'),
    fifo: FIFO,
    skipped: { inside: 'i' }
  })
  linkSync(join(top, 'a.txt'), join(top, 'sub', 'hardlink'))
  writeFileSync(Buffer.concat([Buffer.from(join(top, 'bad-')), Buffer.from([0xff])]), 'bytes')
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})
afterEach(async () => {
  await host?.closeAll()
})

async function importAll(file: string): Promise<{ items: WalkItem[]; value: NcduImportSummary }> {
  ;({ host } = createTestJobHost())
  const { id } = await host.open('test', 'ncduImport', { file })
  const items: WalkItem[] = []
  for (;;) {
    const batch: JobBatch = await host.next('test', id, 1000)
    items.push(...batchItems('ncduImport', batch))
    if (batch.done) return { items, value: batch.value as NcduImportSummary }
  }
}

/** Each directory's names as sets and its regular files' sizes: what a walk and an import must share. */
function byDir(items: Iterable<{ dirpath: string; dirs: string[]; files: [string, number][] }>): Map<string, object> {
  const map = new Map<string, object>()
  for (const { dirpath, dirs, files } of items)
    map.set(dirpath, { dirs: [...dirs].sort(), files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)) })
  return map
}

describe.runIf(process.platform === 'linux')('ncduImport job', () => {
  test('an export written by ncdu yields the walk of the same tree, with ncdu’s stats and its exclusion', async () => {
    const file = join(base, 'ncdu.json')
    writeFileSync(file, ncdu(['--exclude', 'skipped', '-o', '-', top]))
    const { items, value } = await importAll(file)
    const dirs = items.filter((item): item is WalkDirItem => item.kind === 'dir')
    expect(dirs.length).toBe(items.length)
    const walked = [...walkEntries(top)].filter((dir) => !dir.dirpath.endsWith('skipped'))
    const expected = byDir(
      walked.map((dir) => ({
        dirpath: dir.dirpath,
        dirs: dir.dirs.map((entry) => entry.name).filter((name) => name !== 'skipped'),
        files: dir.files.map((entry): [string, number] => [entry.name, entry.size])
      }))
    )
    expect(
      byDir(
        dirs.map((item) => ({
          dirpath: item.dirpath,
          dirs: item.dirnames,
          files: item.filenames.map((name, i): [string, number] => [name, regularFileBytes(item, i)])
        }))
      )
    ).toEqual(expected)
    // Top-down, each directory after its parent; the non-UTF-8 name by its surrogate escape.
    const seen = new Set<string>()
    for (const item of dirs) {
      if (item.parent !== null) expect(seen.has(item.parent)).toBe(true)
      seen.add(item.dirpath)
    }
    expect(dirs[0]!.filenames).toContain('bad-\udcff')
    expect(dirs[0]!.fileTypes[dirs[0]!.filenames.indexOf('fifo')]).toBe('o')
    expect(dirs[0]!.excluded).toEqual(['skipped'])
    // ncdu's numbers in the stat records: the hard link's inode and link count, its disk usage.
    const sub = dirs.find((item) => item.dirpath === join(top, 'sub'))!
    const at = sub.filenames.indexOf('hardlink') * WALK_STAT.FIELDS
    const inode = lstatSync(join(top, 'a.txt'))
    expect([...sub.filenameStats.subarray(at, at + WALK_STAT.FIELDS)]).toEqual([
      5,
      inode.blocks * 512,
      inode.dev,
      inode.ino,
      2
    ])
    const bytes = walked.reduce((sum, dir) => sum + dir.files.reduce((s, entry) => s + entry.size, 0), 0)
    expect(value).toMatchObject({ top, progname: 'ncdu', dirs: walked.length, bytes, errors: 0 })
    expect(value.timestamp).toBeGreaterThan(1_600_000_000)
    // The tab's items column for the scan is ncdu's own count: every entry below top, the excluded too.
    const tree = new WalkTree(top)
    for (const item of items) tree.apply(item)
    expect(tree.root.totalEntries).toBe(entriesByPath(decodeNcdu(readFileSync(file), file)).size - 1)
  })

  test('what a pattern excluded stood among the dirnames where the export lists it', async () => {
    const file = join(base, 'pruned.json')
    const entry = (name: string): string => `{"name":"${name}","asize":4096,"dsize":4096}`
    const excluded = (name: string): string => `{"name":"${name}","excluded":"pattern"}`
    writeFileSync(
      file,
      `[1,2,{"progname":"ncdu","progver":"1.18","timestamp":1700000000},[${entry('/p')},` +
        `${excluded('.git')},[${entry('src')}],${entry('a.txt')},${excluded('node_modules')},[${entry('lib')}],${excluded('dist')}]]`
    )
    const [root] = (await importAll(file)).items
    if (root?.kind !== 'dir') throw new Error('the first item is the export’s root')
    expect([root.dirnames, root.excluded, root.filenames]).toEqual([
      ['src', 'lib'],
      ['.git', 'node_modules', 'dist'],
      ['a.txt']
    ])
    expect(yieldedDirnames(root)).toEqual(['.git', 'src', 'node_modules', 'lib', 'dist'])
  })

  test('a folder ncdu could not read comes as an error carrying the size ncdu recorded for it', async () => {
    const file = join(base, 'unreadable.json')
    writeFileSync(
      file,
      '[1,2,{"progname":"ncdu","progver":"1.18","timestamp":1700000000},' +
        '[{"name":"/u","asize":4096,"dsize":4096,"dev":2049},' +
        '[{"name":"locked","asize":4096,"dsize":8192,"read_error":true}],{"name":"a.txt","asize":5,"dsize":4096}]]'
    )
    const { items, value } = await importAll(file)
    const locked = items.find((item) => item.kind === 'error')
    expect(locked).toMatchObject({ parent: '/u', name: 'locked', error: { code: 'UNAVAILABLE', path: '/u/locked' } })
    expect(locked?.kind === 'error' && [...(locked.ownStat ?? [])]).toEqual([4096, 8192, 2049, 0, 0])
    expect(value).toMatchObject({ dirs: 1, errors: 1 })
  })

  test('a file ncdu could not stat comes as its folder’s error, and the Browse tree exports it with read_error again', async () => {
    const file = join(base, 'unstatted.json')
    const written =
      '[1,2,{"progname":"ncdu","progver":"1.18","timestamp":1700000000},' +
      '[{"name":"/u","asize":4096,"dsize":4096,"dev":2049},{"name":"gone.txt","read_error":true},{"name":"a.txt","asize":5,"dsize":4096}]]'
    writeFileSync(file, written)
    const { items, value } = await importAll(file)
    expect(items.map((item) => item.kind)).toEqual(['error', 'dir'])
    expect(items[0]).toEqual({
      kind: 'error',
      error: {
        code: 'UNAVAILABLE',
        message: '/u/gone.txt: could not be read when the export was made (read_error)',
        path: '/u/gone.txt'
      },
      parent: '/u',
      name: 'gone.txt',
      file: true
    })
    expect(value).toMatchObject({ dirs: 1, files: 2, errors: 1, bytes: 5 })
    const tree = new WalkTree('/u')
    for (const item of items) tree.apply(item)
    const exported = Buffer.concat([...ncduExportPieces(tree, { progver: '1', timestamp: 1700000000 })]).toString()
    expect(exported).toContain('{"name":"gone.txt","read_error":true}')
  })

  test('an export that lists a name twice in one folder fails naming the file, the folder and the name; the next opens', async () => {
    const twice = join(base, 'twice.json')
    const listing =
      '[1,2,{},[{"name":"/r"},[{"name":"dd"},{"name":"c1","asize":13}],[{"name":"dd"},{"name":"c2","asize":17}]]]'
    writeFileSync(twice, listing)
    ;({ host } = createTestJobHost())
    const { id } = await host.open('test', 'ncduImport', { file: twice })
    const error = await rejectedLabError(host.next('test', id, 10))
    expect([error.code, error.path, error.message]).toEqual([
      'MALFORMED_DATA',
      twice,
      `${twice}: not a valid ncdu export: the folder "/r" lists "dd" a second time (names in a folder are unique) at byte ${listing.lastIndexOf('[{"name":"dd"')}`
    ])
    const once = join(base, 'once.json')
    writeFileSync(once, listing.replace('"dd"},{"name":"c2"', '"de"},{"name":"c2"'))
    const second = await host.open('test', 'ncduImport', { file: once })
    const batch = await host.next('test', second.id, 10)
    expect(batch.done).toBe(true)
    expect(batch.value).toMatchObject({ dirs: 3, files: 2, bytes: 30 })
  })

  test('names that are not valid UTF-8 are shown with U+FFFD and the note once: an unread folder, a file too large', async () => {
    const file = join(base, 'unread.json')
    writeFileSync(
      file,
      String.raw`[1,2,{"progname":"ncdu"},[{"name":"/r"},[{"name":"locked-\udcff","read_error":true}]]]`
    )
    const locked = '/r/locked-\udcff'
    const { items } = await importAll(file)
    // (Its ownStat, what ncdu recorded of the folder, is another test's.)
    expect(items.filter((item) => item.kind === 'error')).toMatchObject([
      {
        kind: 'error',
        error: {
          code: 'UNAVAILABLE',
          message: `${shownWithNote(locked)}: could not be read when the export was made (read_error)`,
          path: locked
        },
        parent: '/r',
        name: 'locked-\udcff'
      }
    ])

    // Sparse: its size is over the limit, its blocks are not.
    const big = join(base, 'big-\udcff.json')
    const bigBytes = Buffer.from(join(base, 'big-\xff.json'), 'latin1')
    writeFileSync(bigBytes, '')
    truncateSync(bigBytes, MAX_NCDU_EXPORT_BYTES + 1)
    ;({ host } = createTestJobHost())
    const { id } = await host.open('test', 'ncduImport', { file: big })
    const error = await rejectedLabError(host.next('test', id, 10))
    expect(error).toMatchObject({ code: 'TOO_LARGE', path: big })
    expect(error.message).toBe(
      `${shownWithNote(big)}: is 1,073,741,825 bytes (1.00 GiB); an ncdu export of at most 1 GiB can be opened`
    )
  })

  test('a file that is not an ncdu export (in procfs too), a truncated one, a folder and a FIFO fail naming the file', async () => {
    const text = join(base, 'notes.txt')
    writeFileSync(text, 'just some notes\n')
    const truncated = join(base, 'truncated.json')
    writeFileSync(truncated, ncdu(['-o', '-', top]).subarray(0, 120))
    const fifo = join(base, 'pipe')
    execFileSync('mkfifo', [fifo])
    for (const [file, code, words] of [
      [text, 'MALFORMED_DATA', 'is not an ncdu export'],
      // procfs gives a size of 0 for a file with content: it is read, not taken as empty.
      ['/proc/self/status', 'MALFORMED_DATA', 'is not an ncdu export'],
      [truncated, 'MALFORMED_DATA', 'is truncated'],
      [top, 'IS_A_DIRECTORY', 'is a directory'],
      [fifo, 'NOT_A_REGULAR_FILE', 'FIFO'],
      [join(base, 'missing.json'), 'NOT_FOUND', 'missing.json']
    ] as const) {
      ;({ host } = createTestJobHost())
      const { id } = await host.open('test', 'ncduImport', { file })
      const error = await rejectedLabError(host.next('test', id, 10))
      expect(error.code, file).toBe(code)
      expect(error.message).toContain(file)
      expect(error.message).toContain(words)
      await host.closeAll()
    }
  })
})

describe('ncduCheck job', () => {
  test('checks an export whose one folder holds 200,000 names, and refuses a cut one naming the file', () => {
    const children = Array.from({ length: 200_000 }, (_, i) => ({ name: `f${i}`, asize: 1 }))
    const bytes = encodeNcdu({ progname: 'yield-lab', progver: '1', timestamp: 1, root: { name: '/r', children } })
    expect(ncduCheckJob({ bytes, file: 'wide.json' }).next().done).toBe(true)
    expect(() => ncduCheckJob({ bytes: bytes.subarray(0, 40), file: 'cut.json' }).next()).toThrow(/cut\.json/)
  })
})
