/**
 * The Browse tab's totals against GNU du on real trees: the walk job's items applied to the tab's
 * WalkTree give, at the top, what `du -sb` (apparent size) and `du -sB1` (disk usage) print, with
 * hard links counted once per (device, inode), symlinks by their own size and every directory's
 * own size included, an unreadable one's too; each folder below gives what du prints for that
 * folder alone. Its export of a tree with an unreadable folder is ncdu's own scan of it.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deserialize } from 'node:v8'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { walkArgsSchema, type WalkArgs, type WalkItem } from '../../../../src/shared/walkJob'
import { walkJob } from '../../../../src/main/lab/walk/walkJob'
import { decodeNcdu, encodeNcdu, type NcduExport } from '../../../../src/shared/ncdu'
import { ncduExportPieces } from '../../../../src/renderer/src/walk/ncduExport'
import {
  HARD_LINK_COUNTED,
  HARD_LINK_ELSEWHERE,
  WalkTree,
  type DirNode
} from '../../../../src/renderer/src/walk/walkTree'
import { walkPythonCode } from '../../../../src/renderer/src/walk/pythonEquivalent'
import { entriesByPath, ncdu, requireNcdu } from '../../../support/ncdu'
import { lastLine, runPython } from '../../../support/python'
import { build, FIFO, Link } from '../../../support/tree'
import { runUnprivilegedScript, unprivilegedWrapper } from '../../../support/unprivileged'

let base = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-du-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

function du(block: '-sb' | '-sB1', path: string): number {
  return Number(execFileSync('du', [block, path], { encoding: 'utf8' }).split('\t')[0])
}

function treeOf(args: WalkArgs): WalkTree {
  const tree = new WalkTree(args.top)
  const control = { isCancelled: () => false, report: () => undefined }
  const generator = walkJob(v.parse(walkArgsSchema, args), control)
  for (let step = generator.next(); !step.done; step = generator.next()) tree.apply(step.value as WalkItem)
  return tree
}

/** A command's stdout, run where permission bits count (it may fail on what it cannot read, as du does). */
function unprivilegedOutput(command: readonly string[]): Buffer {
  const wrapper = unprivilegedWrapper()
  const result = spawnSync(wrapper[0]!, [...wrapper.slice(1), ...command], { maxBuffer: 64 * 1024 * 1024 })
  if (result.stdout.length === 0) throw new Error(`${command.join(' ')} printed nothing: ${result.stderr.toString()}`)
  return result.stdout
}

/** The walk job's items for `args`, walked where permission bits count, applied to a tree here. */
function unprivilegedTreeOf(args: WalkArgs): WalkTree {
  const script = `
    import { serialize } from 'node:v8'
    import { walkJob } from ${JSON.stringify(new URL('../../../../src/main/lab/walk/walkJob.ts', import.meta.url).href)}
    const control = { isCancelled: () => false, report: () => undefined }
    const items = [...walkJob(${JSON.stringify(v.parse(walkArgsSchema, args))}, control)]
    process.stdout.write(serialize(items).toString('base64'))`
  const items = deserialize(Buffer.from(runUnprivilegedScript(script, base), 'base64')) as WalkItem[]
  const tree = new WalkTree(args.top)
  for (const item of items) tree.apply(item)
  return tree
}

/** Every directory of the tree, top first. */
function allDirs(node: DirNode): DirNode[] {
  return [node, ...node.subdirs.flatMap(allDirs)]
}

/**
 * The items column of every listed folder, fully expanded, against ncdu's item count for it in
 * its export of the same tree (the entries below it): path → [ours, ncdu's].
 */
function itemsAgainstNcdu(tree: WalkTree, scan: NcduExport): Map<string, [number, number]> {
  const paths = [...entriesByPath(scan).keys()]
  const compared = new Map<string, [number, number]>()
  for (const node of allDirs(tree.root)) node.expanded = true
  const rows = tree.flatten({ key: 'name', descending: false })
  for (let i = 0; i < rows.length; i++) {
    const view = tree.view(rows, i)!
    if (view.kind !== 'dir' || !view.node.listed) continue
    const path = tree.pathOf(view.node)
    compared.set(path, [view.items!, paths.filter((other) => other.startsWith(`${path}/`)).length])
  }
  return compared
}

function expectItemsAsNcdu(tree: WalkTree, scan: NcduExport): void {
  const compared = itemsAgainstNcdu(tree, scan)
  expect(compared.size).toBeGreaterThan(0)
  for (const [path, [ours, theirs]] of compared) expect([path, ours]).toEqual([path, theirs])
}

describe.runIf(process.platform === 'linux')('totals as du counts them', () => {
  test('hard links count once, symlinks and directories by their own size, in both measures', () => {
    const top = join(base, 'links')
    build(top, {
      'big.bin': 'b'.repeat(100_000),
      'small.txt': 'hello',
      docs: { 'a.md': 'a'.repeat(5000), nested: { deep: { 'z.txt': 'z'.repeat(123) } } },
      other: { 'c.dat': 'c'.repeat(70_000) },
      empty: {},
      toBig: new Link('big.bin'),
      toDocs: new Link('docs'),
      dangling: new Link('no/such/target/at/all')
    })
    // Hard links: within a directory, across directories, and three names for one file.
    linkSync(join(top, 'big.bin'), join(top, 'big-again.bin'))
    linkSync(join(top, 'big.bin'), join(top, 'docs', 'big-in-docs.bin'))
    linkSync(join(top, 'other', 'c.dat'), join(top, 'docs', 'nested', 'c-link.dat'))
    // A sparse file: its disk usage is far below its apparent size.
    writeFileSync(join(top, 'sparse.img'), '')
    truncateSync(join(top, 'sparse.img'), 50_000_000)
    symlinkSync('docs/nested', join(top, 'docs', 'up-link'))

    const tree = treeOf({ top })
    expect(tree.root.totalBytes).toBe(du('-sb', top))
    expect(tree.root.totalDisk).toBe(du('-sB1', top))
    tree.measure = 'disk'
    expect(tree.bytesOf(tree.root)).toBe(du('-sB1', top))
    expect(tree.bytesOf(tree.root)).toBeLessThan(tree.root.totalBytes)

    // Each hard-linked inode is counted at the first name met, the others are marked.
    const marks = [tree.root, ...tree.root.subdirs.flatMap((node) => [node, ...node.subdirs])].flatMap((node) =>
      node.files.map((name, i) => [name, node.hardLinks?.[i] ?? 0] as const)
    )
    const counted = marks.filter(([, mark]) => mark === HARD_LINK_COUNTED).map(([name]) => name)
    const elsewhere = marks.filter(([, mark]) => mark === HARD_LINK_ELSEWHERE).map(([name]) => name)
    expect(counted).toHaveLength(2) // big.bin (or another of its names) and c.dat (or c-link.dat)
    expect(elsewhere).toHaveLength(3)
  })

  test('each folder counts a hard-linked file once if any of its names is inside: du of that folder alone', () => {
    const top = join(base, 'links-per-folder')
    build(top, {
      'big.bin': 'b'.repeat(100_000),
      pkg: { a: {}, b: { deeper: {} } },
      c: { 'x.bin': 'x'.repeat(30_000) },
      d: {}
    })
    // Met first at top (or wherever the walk meets one first): pkg, pkg/a, pkg/b and pkg/b/deeper
    // hold later names only, and c holds two names of its own file, d a later name of it.
    linkSync(join(top, 'big.bin'), join(top, 'pkg', 'a', 'big-link.bin'))
    linkSync(join(top, 'big.bin'), join(top, 'pkg', 'b', 'deeper', 'big-link.bin'))
    linkSync(join(top, 'c', 'x.bin'), join(top, 'c', 'x-again.bin'))
    linkSync(join(top, 'c', 'x.bin'), join(top, 'd', 'x-link.bin'))
    for (const topdown of [true, false]) {
      const tree = treeOf({ top, topdown })
      for (const node of allDirs(tree.root)) {
        const path = tree.pathOf(node)
        expect([path, node.totalBytes, node.totalDisk]).toEqual([path, du('-sb', path), du('-sB1', path)])
      }
      // No entry outweighs its folder: each row's share of its parent is at most 1.
      for (const node of allDirs(tree.root)) node.expanded = true
      const rows = tree.flatten({ key: 'size', descending: true })
      for (let i = 0; i < rows.length; i++) expect(tree.view(rows, i)!.share).toBeLessThanOrEqual(1)
      expect(tree.root.childNamed('pkg')!.totalBytes).toBeGreaterThan(100_000)
    }
  })

  test('a file whose lstat failed exports with read_error and no sizes, from the tab and the CLI, and ncdu keeps the mark', () => {
    requireNcdu()
    const top = join(base, 'unsized')
    build(top, { peek: { 'f.txt': 'f'.repeat(3000) }, 'ok.txt': 'hi' })
    const peek = join(top, 'peek')
    chmodSync(peek, 0o644) // listable, not enterable: its names are read, their lstat fails
    try {
      const tab = decodeNcdu(
        Buffer.concat([
          ...ncduExportPieces(unprivilegedTreeOf({ top }), { progver: '1.0.0', timestamp: 1_700_000_000 })
        ]),
        'export'
      )
      const script = `
        import { scanForNcdu } from ${JSON.stringify(new URL('../../../../src/main/lab/walk/ncduScan.ts', import.meta.url).href)}
        import { encodeNcdu } from ${JSON.stringify(new URL('../../../../src/shared/ncdu.ts', import.meta.url).href)}
        const scan = scanForNcdu(${JSON.stringify(top)}, { progname: 'yield-lab', progver: '1.0.0' })
        process.stdout.write(Buffer.from(encodeNcdu(scan)).toString('base64'))`
      const cli = decodeNcdu(Buffer.from(runUnprivilegedScript(script, base), 'base64'), 'scan')
      for (const scan of [tab, cli]) {
        expect(entriesByPath(scan).get(join(peek, 'f.txt'))).toEqual({ name: undefined, readError: true, dir: false })
        expect(entriesByPath(scan).get(join(top, 'ok.txt'))).toMatchObject({ asize: 2 })
        const file = join(base, 'unsized.json')
        writeFileSync(file, encodeNcdu(scan))
        const reread = decodeNcdu(ncdu(['-f', file, '-o', '-']), 'ncdu -f -o')
        expect(entriesByPath(reread).get(join(peek, 'f.txt'))).toMatchObject({ readError: true })
      }
    } finally {
      chmodSync(peek, 0o755)
    }
  })

  test('an unreadable folder counts its own size, as du does, and exports as ncdu scans it', () => {
    requireNcdu()
    const top = join(base, 'unreadable')
    build(top, { before: { f: 'f'.repeat(3000) }, locked: { secret: 's'.repeat(9000), inner: {} }, 'top.txt': 'hi' })
    const locked = join(top, 'locked')
    chmodSync(locked, 0o000)
    try {
      const duAs = (block: '-sb' | '-sB1', path: string): number =>
        Number(unprivilegedOutput(['du', block, path]).toString('utf8').split('\t')[0])
      for (const topdown of [true, false]) {
        const tree = treeOf({ top, topdown }) // as root, locked is read like any folder
        const unprivileged = unprivilegedTreeOf({ top, topdown })
        expect(unprivileged.root.childNamed('locked')!.listed).toBe(false)
        expect(unprivileged.root.totalBytes).toBe(duAs('-sb', top))
        expect(unprivileged.root.totalDisk).toBe(duAs('-sB1', top))
        expect(unprivileged.root.totalBytes).toBeLessThan(tree.root.totalBytes)
        const python = unprivilegedOutput(['python3', '-c', `${walkPythonCode({ top, topdown })}\nprint(total)\n`])
        expect(Number(lastLine(python.toString('utf8')))).toBe(unprivileged.root.totalBytes)
        if (!topdown) continue
        const header = { progver: '1.0.0', timestamp: 1_700_000_000 }
        const ours = decodeNcdu(Buffer.concat([...ncduExportPieces(unprivileged, header)]), 'export')
        const theirs = decodeNcdu(unprivilegedOutput(['ncdu', '-0', '-o', '-', top]), 'ncdu -o')
        expect(entriesByPath(ours)).toEqual(entriesByPath(theirs))
        expect(entriesByPath(ours).get(locked)).toMatchObject({ asize: 4096, readError: true })
        // The folder it could not read is an item of its parent, as ncdu counts it.
        expectItemsAsNcdu(unprivileged, theirs)
      }
    } finally {
      chmodSync(locked, 0o755)
    }
  })

  test('a subtree alone gives du of that subtree; an excluded folder is left out as du --exclude does', () => {
    const top = join(base, 'exclude')
    build(top, {
      keep: { 'k.txt': 'k'.repeat(3000) },
      node_modules: { dep: { 'index.js': 'x'.repeat(9000) } },
      src: { node_modules: { 'y.js': 'y'.repeat(4000) }, 'main.ts': 'm'.repeat(10) }
    })
    const tree = treeOf({ top, exclude: ['node_*'] })
    const duExcluded = (block: '-sb' | '-sB1'): number =>
      Number(execFileSync('du', [block, '--exclude=node_*', top], { encoding: 'utf8' }).split('\t')[0])
    expect(tree.root.totalBytes).toBe(duExcluded('-sb'))
    expect(tree.root.totalDisk).toBe(duExcluded('-sB1'))
    const src = tree.root.childNamed('src')!
    expect(tree.status(src.childNamed('node_modules')!)).toBe('excluded')
    expect(treeOf({ top: join(top, 'keep') }).root.totalBytes).toBe(du('-sb', join(top, 'keep')))
    // The Python shown prints the total with the du command that gives it; run in a shell, it does.
    mkdirSync(join(top, "it's"))
    writeFileSync(join(top, "it's", 'q.txt'), 'q'.repeat(500))
    const args: WalkArgs = { top, exclude: ['node_*', "it's"] }
    const printed = lastLine(runPython(walkPythonCode(args)))
    const [, total, command] =
      /; (\d+) bytes in all \((du -sb --exclude='node_\*' --exclude=\$'it\\'s')\)$/.exec(printed) ?? []
    expect(command, printed).toBeDefined()
    expect(Number(total)).toBe(treeOf(args).root.totalBytes)
    const shell = execFileSync('bash', ['-c', `${command} "$1"`, 'du', top], { encoding: 'utf8' })
    expect(Number(shell.split('\t')[0])).toBe(Number(total))
  })
})

describe.runIf(process.platform === 'linux')('item counts as ncdu counts them', () => {
  test('links to folders and files, FIFOs and excluded folders are items; what is below an excluded one is not', () => {
    const top = join(base, 'items')
    build(top, {
      'a.txt': 'a',
      pipe: FIFO,
      sub: { 'b.txt': 'b', toTop: new Link('..'), toA: new Link('../a.txt'), deeper: { 'c.txt': 'c' } },
      node_modules: { dep: { 'index.js': 'x', more: {} } },
      empty: {}
    })
    const tree = treeOf({ top, exclude: ['node_modules'] })
    const scan = decodeNcdu(ncdu(['-o', '-', '--exclude', 'node_modules', top]), 'ncdu -o')
    expectItemsAsNcdu(tree, scan)
    // a.txt, pipe, sub, node_modules, empty; b.txt, toTop, toA, deeper; c.txt
    expect(itemsAgainstNcdu(tree, scan).get(top)).toEqual([10, 10])
  })

  test('staying on one file system, the mount points not entered are items (/dev: /dev/shm, /dev/pts)', () => {
    expect(statSync('/dev/shm').dev, 'the test needs /dev/shm mounted on another device than /dev').not.toBe(
      statSync('/dev').dev
    )
    const tree = treeOf({ top: '/dev', oneFileSystem: true })
    expect(tree.root.childNamed('shm')!.skipped).toBe('otherFileSystem')
    expectItemsAsNcdu(tree, decodeNcdu(ncdu(['-x', '-o', '-', '/dev']), 'ncdu -x -o'))
  })
})

describe.runIf(process.platform === 'linux')('the Python shown by Browse', () => {
  test('counts the same total as the tab and du -b', () => {
    const top = join(base, 'python')
    build(top, {
      'a.bin': 'a'.repeat(12_345),
      sub: { 'b.txt': 'b'.repeat(777), deeper: { 'c.txt': 'c' } },
      toSub: new Link('sub'),
      toA: new Link('a.bin')
    })
    linkSync(join(top, 'a.bin'), join(top, 'sub', 'a-again.bin'))
    for (const args of [{ top }, { top, topdown: false }] satisfies WalkArgs[]) {
      const python = Number(lastLine(runPython(`${walkPythonCode(args)}\nprint(total)\n`)))
      expect(python).toBe(treeOf(args).root.totalBytes)
      expect(python).toBe(du('-sb', top))
    }
  })

  test('staying on one file system, it prunes by device as the tab skips: the same total and directories', () => {
    // Real mount points: /dev holds /dev/shm and /dev/pts, each on a device of its own.
    expect(statSync('/dev/shm').dev, 'the test needs /dev/shm mounted on another device than /dev').not.toBe(
      statSync('/dev').dev
    )
    // A link to another device, which os.walk enters only with followlinks (the prune then stats the target).
    const elsewhere = mkdtempSync('/dev/shm/yield-lab-du-')
    try {
      const top = join(base, 'one-fs')
      build(elsewhere, { inside: { 'far.bin': 'f'.repeat(5000) } })
      build(top, { 'near.txt': 'n'.repeat(300), away: new Link(elsewhere), sub: { 'x.txt': 'x' } })
      const cases: WalkArgs[] = [
        { top: '/dev', oneFileSystem: true },
        { top, followlinks: true, oneFileSystem: true },
        { top, followlinks: true }
      ]
      const results = cases.map((args) => {
        const [total, dirs] = lastLine(runPython(`${walkPythonCode(args)}\nprint(total, len(shown))\n`))
          .split(' ')
          .map(Number)
        const tree = treeOf(args)
        expect([total, dirs], JSON.stringify(args)).toEqual([tree.root.totalBytes, tree.counters.dirs])
        return total
      })
      expect(results[0]).toBe(Number(execFileSync('du', ['-sbx', '/dev'], { encoding: 'utf8' }).split('\t')[0]))
      // Its last line names that du; bottom-up, os.walk walks the other file systems too, and says so.
      expect(lastLine(runPython(walkPythonCode(cases[0]!)))).toMatch(
        new RegExp(`; ${results[0]} bytes in all \\(du -sbx\\)$`)
      )
      expect(lastLine(runPython(walkPythonCode({ ...cases[0]!, topdown: false })))).toMatch(
        /bytes in all, other file systems too: bottom-up, os\.walk cannot be kept out of them$/
      )
      expect(results[2]! - results[1]!).toBeGreaterThanOrEqual(5000) // the link's target was left out
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })
})
