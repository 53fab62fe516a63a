/**
 * The Browse tab's totals against GNU du on real trees: the walk job's items applied to the tab's
 * WalkTree give, at the top, what `du -sb` (apparent size) and `du -sB1` (disk usage) print, with
 * hard links counted once per (device, inode), symlinks by their own size and every directory's
 * own size included.
 */
import { execFileSync } from 'node:child_process'
import { linkSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { walkArgsSchema, type WalkArgs, type WalkItem } from '../../../../src/shared/walkJob'
import { walkJob } from '../../../../src/main/lab/walk/walkJob'
import { HARD_LINK_COUNTED, HARD_LINK_ELSEWHERE, WalkTree } from '../../../../src/renderer/src/walk/walkTree'
import { walkPythonCode } from '../../../../src/renderer/src/walk/pythonEquivalent'
import { runPython } from '../../../support/python'
import { build, Link } from '../../../support/tree'

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
    const src = tree.root.childByName.get('src')!
    expect(tree.status(src.childByName.get('node_modules')!)).toBe('excluded')
    expect(treeOf({ top: join(top, 'keep') }).root.totalBytes).toBe(du('-sb', join(top, 'keep')))
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
      const python = Number(runPython(`${walkPythonCode(args)}\nprint(total)\n`).trim())
      expect(python).toBe(treeOf(args).root.totalBytes)
      expect(python).toBe(du('-sb', top))
    }
  })
})
