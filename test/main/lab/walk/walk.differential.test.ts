/**
 * Differential tests: our walk against CPython's os.walk on the same trees, same options, same
 * mutations by the consumer. The whole sequence of triples must be identical (order included:
 * both list directories in the OS's read order, neither sorts), and so must the errors handed to
 * onerror (path, and the LabError code matching Python's errno).
 *
 * About unreadable directories: the tests run as root, and root ignores permission bits, so
 * chmod 000 alone proves nothing. The "unreadable" test therefore runs both walkers (Python, and
 * ours in a node subprocess) with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped via setpriv,
 * which makes root obey the mode bits. If that is impossible here the test fails and says why.
 * Other onerror paths are exercised in every environment by things root cannot bypass: paths
 * longer than PATH_MAX (ENAMETOOLONG), and directories deleted by the consumer during the walk.
 *
 * Every case where the consumer does not change the tree runs with and without readAhead (which
 * lists directories ahead in threads where the native helper is built): both must match Python.
 *
 * Symlink cycles are left out on purpose: with followlinks Python recurses through them until the
 * path is too long, we deliberately do not (see walk.test.ts for that test).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabErrorCode } from '../../../../src/shared/errors'
import { walk, type WalkTriple } from '../../../../src/main/lab/walk/walk'
import { fsencode } from '../../../../src/shared/fsNames'
import { requirePython, runPython } from '../../../support/python'
import { build, FIFO, Link, type Spec } from '../../../support/tree'
import { unprivilegedWrapper } from '../../../support/unprivileged'

const repoRoot = resolve(import.meta.dirname, '../../../..')

interface Case {
  top: string
  topdown: boolean
  followlinks: boolean
  /** Top-down: drop dirnames starting with this, and reverse the rest, in place. */
  prunePrefix?: string
  /** After yielding dirpath (key), delete these paths before resuming. */
  deleteOnYield?: Record<string, string[]>
  /** After the first yield, delete these paths (except the one just yielded). */
  deleteAfterFirstYield?: string[]
  /** Our walk's readAhead option (Python has nothing like it). */
  readAhead?: boolean | 'subtrees'
}

interface Outcome {
  triples: WalkTriple[]
  /** [path, LabError code] per onerror call (Python's errno mapped to our code). */
  errors: [string, LabErrorCode][]
}

const PYTHON_OS_WALK = String.raw`
import errno, json, os, shutil, sys
cfg = json.loads(sys.argv[1])
codes = {'ENOENT': 'NOT_FOUND', 'EACCES': 'PERMISSION_DENIED', 'EPERM': 'PERMISSION_DENIED',
         'ENOTDIR': 'NOT_A_DIRECTORY', 'ELOOP': 'INVALID_ARGUMENT', 'ENAMETOOLONG': 'INVALID_ARGUMENT'}
errors = []
def onerror(e):
    name = errno.errorcode.get(e.errno, str(e.errno))
    errors.append([e.filename, codes.get(name, name)])
triples = []
prune = cfg.get('prunePrefix')
delete = cfg.get('deleteOnYield') or {}
for dirpath, dirnames, filenames in os.walk(cfg['top'], topdown=cfg['topdown'], onerror=onerror, followlinks=cfg['followlinks']):
    triples.append([dirpath, list(dirnames), list(filenames)])
    if prune is not None:
        dirnames[:] = [d for d in dirnames if not d.startswith(prune)][::-1]
    victims = delete.get(dirpath, [])
    if len(triples) == 1:
        victims = victims + [v for v in cfg.get('deleteAfterFirstYield', []) if v != dirpath]
    for victim in victims:
        if os.path.isdir(victim) and not os.path.islink(victim):
            shutil.rmtree(victim)
        else:
            os.remove(victim)
sys.stdout.write(json.dumps({'triples': triples, 'errors': errors}))
`

/** The same consumer as PYTHON_OS_WALK, over our walk, as a plain JS function body (also run in a subprocess). */
function oursSource(walkFn: string): string {
  return `
    const errors = []
    const triples = []
    for (const [dirpath, dirnames, filenames] of ${walkFn}(cfg.top, { topdown: cfg.topdown, followlinks: cfg.followlinks, readAhead: cfg.readAhead, onerror: (e) => errors.push([e.path, e.code]) })) {
      triples.push([dirpath, [...dirnames], [...filenames]])
      if (cfg.prunePrefix !== undefined) {
        const kept = dirnames.filter((d) => !d.startsWith(cfg.prunePrefix)).reverse()
        dirnames.splice(0, dirnames.length, ...kept)
      }
      let victims = (cfg.deleteOnYield ?? {})[dirpath] ?? []
      if (triples.length === 1) victims = [...victims, ...(cfg.deleteAfterFirstYield ?? []).filter((v) => v !== dirpath)]
      for (const victim of victims) rmSync(victim, { recursive: true, force: true })
    }
    return { triples, errors }`
}

const runOurs = new Function('walk', 'rmSync', 'cfg', oursSource('walk')) as (
  walkFn: typeof walk,
  rm: typeof rmSync,
  cfg: Case
) => Outcome

function ours(cfg: Case): Outcome {
  return runOurs(walk, rmSync, cfg)
}

/** Our walk without and with readAhead (both kinds), which must agree, for a consumer that does not change the tree. */
function oursBothWays(cfg: Case): Outcome {
  const result = ours({ ...cfg, readAhead: false })
  expect(ours({ ...cfg, readAhead: true })).toEqual(result)
  expect(ours({ ...cfg, readAhead: 'subtrees' })).toEqual(result)
  return result
}

function python(cfg: Case, wrapper: string[] = []): Outcome {
  if (wrapper.length === 0) return JSON.parse(runPython(PYTHON_OS_WALK, [JSON.stringify(cfg)])) as Outcome
  requirePython()
  const result = spawnSync(wrapper[0]!, [...wrapper.slice(1), 'python3', '-c', PYTHON_OS_WALK, JSON.stringify(cfg)], {
    encoding: 'utf8'
  })
  if (result.status !== 0)
    throw new Error(`python3 under ${wrapper.join(' ')} failed: ${result.error?.message ?? result.stderr}`)
  return JSON.parse(result.stdout) as Outcome
}

const walkUrl = new URL('../../../../src/main/lab/walk/walk.ts', import.meta.url).href

/** Runs an ES module script (TypeScript imports allowed, via tsx) in a node subprocess under wrapper; returns stdout. */
function runNode(script: string, args: string[], wrapper: string[]): string {
  const all = [...wrapper.slice(1), process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, ...args]
  const result = spawnSync(wrapper[0]!, all, { encoding: 'utf8', cwd: repoRoot })
  if (result.status !== 0)
    throw new Error(`node under ${wrapper.join(' ')} failed: ${result.error?.message ?? result.stderr}`)
  return result.stdout
}

/** Our walk in a node subprocess (so it can run without root's permission override). */
function oursInSubprocess(cfg: Case, wrapper: string[]): Outcome {
  const script = `
    import { walk } from ${JSON.stringify(walkUrl)}
    import { rmSync } from 'node:fs'
    const cfg = JSON.parse(process.argv[1])
    const run = () => {${oursSource('walk')}}
    process.stdout.write(JSON.stringify(run()))`
  return JSON.parse(runNode(script, [JSON.stringify(cfg)], wrapper)) as Outcome
}

// ---------------------------------------------------------------------------------------------
// Trees

function manyFiles(count: number, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < count; i++) out[`${prefix}${i}`] = ''
  return out
}

let base = ''
beforeAll(() => {
  requirePython()
  base = mkdtempSync(join(tmpdir(), 'yield-lab-walk-diff-'))
})
afterAll(() => {
  if (base === '') return
  // rm -rf rather than rmSync: the long-path tree is deeper than PATH_MAX, which rmSync cannot remove.
  if (process.platform !== 'win32') execFileSync('chmod', ['-R', 'u+rwx', base])
  execFileSync('rm', ['-rf', base])
})

function mixedTree(root: string): void {
  const subdirs: Spec = {}
  for (let i = 0; i < 40; i++) subdirs[`sub${i}`] = i % 3 === 0 ? {} : { [`inner${i}`]: 'x', deeper: { leaf: 'y' } }
  build(root, {
    a: { b: { c: {}, file1: 'one', tomany: new Link('../../many') }, empty: {}, 'x.txt': 'hello' },
    'with space': { f: 'f' },
    'new\nline': { 'file\nwith\nnewlines': 'n', '\n': 'just a newline' },
    éüñ: { '日本語.txt': 'jp', '😀': 'emoji', Café: 'nfc', 'Cafe\u0301': 'nfd' },
    '-dash': '',
    linkdir: new Link('a'),
    abslink: new Link(join(root, 'a', 'b')),
    linkfile: new Link('a/x.txt'),
    broken: new Link('nowhere'),
    selfloop: new Link('selfloop'),
    linklink: new Link('linkdir'),
    fifo: FIFO,
    many: { ...manyFiles(300, 'f'), ...subdirs, pdir: { p: 'p' }, plink: new Link('../deep') },
    deep: { '1': { '2': { '3': { '4': { '5': { '6': { leaf: 'deep' } } } } } } },
    pruneme: { never: { seen: 'no' } }
  })
}

const modes = [
  { topdown: true, followlinks: false },
  { topdown: false, followlinks: false },
  { topdown: true, followlinks: true },
  { topdown: false, followlinks: true }
]

describe('walk matches python os.walk', () => {
  let mixed = ''
  beforeAll(() => {
    mixed = join(base, 'mixed')
    mixedTree(mixed)
  })

  for (const mode of modes) {
    it(`mixed tree, topdown=${mode.topdown} followlinks=${mode.followlinks}`, () => {
      const cfg: Case = { top: mixed, ...mode }
      const expected = python(cfg)
      expect(expected.triples.length).toBeGreaterThan(50)
      expect(oursBothWays(cfg)).toEqual(expected)
    })

    it(`top with a trailing slash, topdown=${mode.topdown} followlinks=${mode.followlinks}`, () => {
      const cfg: Case = { top: `${mixed}/`, ...mode }
      const result = oursBothWays(cfg)
      expect(result).toEqual(python(cfg))
      expect(result.triples.some(([dirpath]) => dirpath.includes('//'))).toBe(false)
    })
  }

  it('a symlink to a directory as top is walked (scandir follows it)', () => {
    for (const mode of modes) {
      const cfg: Case = { top: join(mixed, 'linkdir'), ...mode }
      expect(oursBothWays(cfg)).toEqual(python(cfg))
    }
  })

  it('a file, a FIFO, a missing path and a symlink loop as top: onerror once, nothing yielded', () => {
    for (const top of [
      join(mixed, 'a', 'x.txt'),
      join(mixed, 'fifo'),
      join(mixed, 'missing'),
      join(mixed, 'selfloop'),
      join(mixed, 'broken'),
      ''
    ]) {
      for (const mode of modes) {
        const cfg: Case = { top, ...mode }
        const result = oursBothWays(cfg)
        expect(result).toEqual(python(cfg))
        expect(result.triples).toEqual([])
        expect(result.errors).toHaveLength(1)
      }
    }
  })

  for (const followlinks of [false, true]) {
    it(`pruning and reordering dirnames in place, followlinks=${followlinks}`, () => {
      const cfg: Case = { top: mixed, topdown: true, followlinks, prunePrefix: 'p' }
      const result = oursBothWays(cfg)
      expect(result).toEqual(python(cfg))
      expect(result.triples.some(([dirpath]) => dirpath.includes('pruneme') || dirpath.includes('pdir'))).toBe(false)
    })
  }

  it('mutating dirnames bottom-up changes nothing, as in python', () => {
    const cfg: Case = { top: mixed, topdown: false, followlinks: false, prunePrefix: '' }
    expect(oursBothWays(cfg)).toEqual(python(cfg))
  })
})

describe('onerror matches python os.walk', () => {
  it('directories deleted by the consumer during the walk are reported and the walk goes on', () => {
    for (const mode of modes) {
      const root = join(base, `deleting-${mode.topdown}-${mode.followlinks}`)
      const make = (): void =>
        build(root, { a: { x: { y: 'y' }, z: {}, w: 'w' }, b: { c: { d: 'd' } }, l: new Link('b'), e: {} })
      // Top-down: when the root is yielded, delete subtrees not entered yet. Bottom-up: the first
      // yield is the first leaf reached (in read order, unknown in advance), when no other leaf has
      // been listed yet: delete all the other leaves then.
      const cfg: Case = mode.topdown
        ? { top: root, ...mode, deleteOnYield: { [root]: [join(root, 'a', 'x'), join(root, 'b')] } }
        : {
            top: root,
            ...mode,
            deleteAfterFirstYield: [join(root, 'a', 'x'), join(root, 'a', 'z'), join(root, 'b', 'c'), join(root, 'e')]
          }
      make()
      const expected = python(cfg)
      rmSync(root, { recursive: true, force: true })
      make()
      const result = ours(cfg)
      expect(result).toEqual(expected)
      expect(result.errors.length).toBeGreaterThan(0)
      expect(result.errors.every(([, code]) => code === 'NOT_FOUND')).toBe(true)
    }
  })

  it('paths longer than PATH_MAX (ENAMETOOLONG, which root cannot bypass)', () => {
    const root = join(base, 'long')
    // Built with dir_fd so the deep levels never need a full path.
    runPython(
      String.raw`
import os, sys
root = sys.argv[1]
os.makedirs(root)
fd = os.open(root, os.O_RDONLY)
for level in range(20):
    name = ('%02d' % level) + 'x' * 240
    os.mkdir(name, dir_fd=fd)
    with open(os.open('file%d' % level, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), 'w') as f:
        f.write('x')
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.close(fd)
`,
      [root]
    )
    for (const mode of modes) {
      const cfg: Case = { top: root, ...mode }
      const result = oursBothWays(cfg)
      expect(result).toEqual(python(cfg))
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0]![1]).toBe('INVALID_ARGUMENT')
    }
  })

  it('unreadable directories, both walkers run without root permission override', () => {
    const root = join(base, 'unreadable')
    build(root, {
      open: { f: 'f', sub: {} },
      locked: { secret: { s: 's' }, 's.txt': 's' },
      readonly: { sub: { deep: 'd' }, 'r.txt': 'r', link: new Link('../open') },
      traverseonly: { sub: { t: 't' } },
      after: { z: 'z' }
    })
    const modesOf: Record<string, number> = { locked: 0o000, readonly: 0o444, traverseonly: 0o111 }
    for (const [name, mode] of Object.entries(modesOf)) chmodSync(join(root, name), mode)
    try {
      const wrapper = unprivilegedWrapper()
      for (const mode of modes) {
        const cfg: Case = { top: root, ...mode }
        const expected = python(cfg, wrapper)
        // Sanity: the permission bits were really in force, or this test would prove nothing.
        expect(expected.errors.map(([, code]) => code)).toContain('PERMISSION_DENIED')
        expect(oursInSubprocess(cfg, wrapper)).toEqual(expected)
        expect(oursInSubprocess({ ...cfg, readAhead: true }, wrapper)).toEqual(expected)
      }
      // Unreadable tops: one error, nothing yielded ('readonly' can be listed but not entered).
      for (const name of ['locked', 'traverseonly', 'readonly']) {
        const cfg: Case = { top: join(root, name), topdown: true, followlinks: false }
        const expected = python(cfg, wrapper)
        expect(oursInSubprocess(cfg, wrapper)).toEqual(expected)
      }
      // checkWalkRoot, the walk CLI's check before it starts, says PERMISSION_DENIED and names the path.
      const check = runNode(
        `import { checkWalkRoot } from ${JSON.stringify(walkUrl)}
         const out = []
         for (const top of JSON.parse(process.argv[1])) {
           try { checkWalkRoot(top); out.push('ok') } catch (e) { out.push([e.code, e.path, e.message]) }
         }
         process.stdout.write(JSON.stringify(out))`,
        [JSON.stringify([join(root, 'open'), join(root, 'locked'), join(root, 'traverseonly')])],
        wrapper
      )
      expect(JSON.parse(check)).toEqual([
        'ok',
        ['PERMISSION_DENIED', join(root, 'locked'), `${join(root, 'locked')}: permission denied`],
        ['PERMISSION_DENIED', join(root, 'traverseonly'), `${join(root, 'traverseonly')}: permission denied`]
      ])
    } finally {
      for (const name of Object.keys(modesOf)) chmodSync(join(root, name), 0o755)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Names that are not valid UTF-8, compared on raw bytes

const PYTHON_OS_WALK_BYTES = String.raw`
import json, os, sys
cfg = json.loads(sys.argv[1])
out = []
for dirpath, dirnames, filenames in os.walk(bytes.fromhex(cfg['top']), topdown=cfg['topdown'], followlinks=cfg['followlinks']):
    out.append([dirpath.hex(), [d.hex() for d in dirnames], [f.hex() for f in filenames]])
sys.stdout.write(json.dumps(out))
`

/** Our walk, each path and name turned back into its bytes (os.fsencode), as hex. */
function oursAsBytes(
  top: Buffer,
  topdown: boolean,
  followlinks: boolean,
  readAhead: boolean
): [string, string[], string[]][] {
  const hex = (name: string): string => Buffer.from(fsencode(name)!).toString('hex')
  return [...walk(top, { topdown, followlinks, readAhead, onerror: (error) => expect.unreachable(error.message) })].map(
    ([dirpath, dirnames, filenames]) => [hex(dirpath), dirnames.map(hex), filenames.map(hex)]
  )
}

describe.runIf(process.platform === 'linux')(
  'walk matches python os.walk on names that are not valid UTF-8 (raw bytes)',
  () => {
    let top: Buffer
    beforeAll(() => {
      requirePython()
      const base = Buffer.from(mkdtempSync(join(tmpdir(), 'yield-lab-bytes-')))
      const at = (...parts: (string | number[])[]): Buffer =>
        Buffer.concat([base, ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))])
      top = base
      // A directory whose name is not UTF-8, with contents; a real directory named with the U+FFFD
      // form of that name, with other contents; a file and a symlink to a directory with such names;
      // a broken symlink and nested levels, each with invalid bytes of another kind.
      mkdirSync(at('/bad-', [0xff], '-dir'))
      writeFileSync(at('/bad-', [0xff], '-dir/inside-', [0xfe]), 'x')
      mkdirSync(at('/bad-', [0xff], '-dir/deeper-', [0xc3, 0x28]))
      writeFileSync(at('/bad-', [0xff], '-dir/deeper-', [0xc3, 0x28], '/leaf-', [0xed, 0xa0, 0x80]), 'y')
      mkdirSync(at('/bad-\uFFFD-dir'))
      writeFileSync(at('/bad-\uFFFD-dir/other'), 'z')
      writeFileSync(at('/file-', [0xe2, 0x82]), 'f')
      symlinkSync(at('/bad-', [0xff], '-dir'), at('/link-', [0x80]))
      symlinkSync(at('/nowhere-', [0xff]), at('/broken-', [0xff]))
      mkdirSync(at('/plain'))
      writeFileSync(at('/plain/ok.txt'), 'ok')
    })
    afterAll(() => {
      if (top !== undefined) execFileSync('rm', ['-rf', '--', top.toString('latin1')], { encoding: 'latin1' })
    })

    for (const topdown of [true, false]) {
      for (const followlinks of [false, true]) {
        it(`topdown=${topdown} followlinks=${followlinks}`, () => {
          const expected = JSON.parse(
            runPython(PYTHON_OS_WALK_BYTES, [JSON.stringify({ top: top.toString('hex'), topdown, followlinks })])
          ) as unknown
          const actual = oursAsBytes(top, topdown, followlinks, false)
          expect(actual).toEqual(expected)
          expect(oursAsBytes(top, topdown, followlinks, true)).toEqual(expected)
          // The tree really has what the test is about: both look-alike directories walked, the link among dirnames.
          expect(actual.length).toBe(followlinks ? 7 : 5)
        })
      }
    }
  }
)
