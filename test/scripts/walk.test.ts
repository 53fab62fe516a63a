/**
 * `npm run walk`, run as users run it (a node subprocess through tsx, once through npm itself),
 * against CPython's os.walk on the same trees: each line of `--json` parsed equals the parsed
 * `json.dumps(list(triple))` of the same directory, in the same order.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { once } from 'node:events'
import {
  chmodSync,
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatBytes, plural } from '../../src/shared/format'
import { decodeNcdu, ncduTotals } from '../../src/shared/ncdu'
import { entriesByPath, ncdu } from '../support/ncdu'
import { shownWithNote } from '../support/notUtf8'
import { requirePython } from '../support/python'
import { build, FIFO, Link, type Spec } from '../support/tree'
import { unprivilegedWrapper } from '../support/unprivileged'

const repo = resolve(import.meta.dirname, '../..')

/** os.walk with the CLI's options; --exclude as Python's pruning idiom, before the line is printed. */
const PYTHON_WALK = String.raw`
import fnmatch, json, os, sys
cfg = json.loads(sys.argv[1])
for t in os.walk(cfg['top'], topdown=cfg['topdown'], followlinks=cfg['followlinks']):
    dirpath, dirnames, filenames = t
    for pattern in cfg['exclude']:
        dirnames[:] = [d for d in dirnames if not fnmatch.fnmatch(d, pattern)]
    print(json.dumps(list(t)))
`

interface Case {
  top: string
  topdown: boolean
  followlinks: boolean
  exclude: string[]
}

/** PYTHON_WALK's output, run in cwd under wrapper (a command prefix). */
function python(cfg: Case, { wrapper = [], cwd }: { wrapper?: string[]; cwd?: string } = {}): string {
  requirePython()
  const command = [...wrapper, 'python3', '-c', PYTHON_WALK, JSON.stringify(cfg)]
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`python3 failed: ${result.error?.message ?? result.stderr}`)
  return result.stdout
}

/** The CLI run under wrapper (a command prefix), its stdout captured or sent to the file descriptor `stdout`. */
function cli(args: string[], wrapper: string[] = [], stdout: 'pipe' | number = 'pipe'): SpawnSyncReturns<string> {
  const command = [...wrapper, process.execPath, '--import', 'tsx', 'scripts/walk.ts', ...args]
  return spawnSync(command[0]!, command.slice(1), {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', stdout, 'pipe']
  })
}

function flags(cfg: Case): string[] {
  return [
    cfg.top,
    '--json',
    ...(cfg.topdown ? [] : ['--bottom-up']),
    ...(cfg.followlinks ? ['--followlinks'] : []),
    ...cfg.exclude.flatMap((pattern) => ['--exclude', pattern])
  ]
}

const parseLines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)

let base = ''
let top = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-walk-cli-'))
  top = join(base, 'tree')
  build(top, {
    a: { b: { c: {}, 'f.txt': 'one' }, 'x.txt': 'hello', skip: { inside: 'i' } },
    'with space': { f: 'f' },
    éüñ: { '日本語.txt': 'jp', '😀': 'emoji' },
    node_modules: { pkg: { 'index.js': 'x' } },
    linkdir: new Link('a'),
    broken: new Link('nowhere'),
    fifo: FIFO,
    deep: { '1': { '2': { leaf: 'deep' } } }
  })
  // A directory and a file whose names are not valid UTF-8 (0xff, and a truncated sequence).
  const bad = Buffer.concat([Buffer.from(join(top, 'bad-')), Buffer.from([0xff])])
  mkdirSync(bad)
  writeFileSync(Buffer.concat([bad, Buffer.from('/in-'), Buffer.from([0xe2, 0x82])]), 'x')
  symlinkSync(bad, Buffer.concat([Buffer.from(join(top, 'link-')), Buffer.from([0x80])]))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

describe.runIf(process.platform === 'linux')('npm run walk -- DIR --json equals os.walk', () => {
  for (const topdown of [true, false]) {
    for (const followlinks of [false, true]) {
      it(`topdown=${topdown} followlinks=${followlinks}`, () => {
        const cfg: Case = { top, topdown, followlinks, exclude: [] }
        const run = cli(flags(cfg))
        expect(run.stderr).toBe('')
        expect(run.status).toBe(0)
        const pythonOutput = python(cfg)
        const expected = parseLines(pythonOutput)
        expect(parseLines(run.stdout)).toEqual(expected)
        // What the tree is there for: the links walked only with followlinks, the bytes escaped.
        const dirpaths = expected.map((triple) => (triple as string[])[0])
        expect(dirpaths).toContain(join(top, 'bad-\udcff'))
        expect(dirpaths.includes(join(top, 'linkdir'))).toBe(followlinks)
        expect(dirpaths.includes(join(top, 'link-\udc80'))).toBe(followlinks)
        // Lone surrogates are written as the JSON escapes json.dumps writes, so stdout stays valid UTF-8.
        expect(pythonOutput).toContain(String.raw`bad-\udcff`)
        expect(run.stdout).toContain(String.raw`bad-\udcff`)
        expect(run.stdout).not.toContain('\uFFFD')
      })
    }
  }

  it('arguments that are not valid UTF-8 name the same bytes Python walks: DIR and --exclude', () => {
    // Node cannot pass such bytes to a child: python3 execs the CLI with them (os.fsencode of the escapes).
    const rawBytes = [
      'python3',
      '-c',
      'import json, os, sys; args = json.loads(sys.argv[1]); os.execvp(args[0], [os.fsencode(a) for a in args])'
    ]
    const viaRawBytes = (args: string[]): SpawnSyncReturns<string> =>
      spawnSync(
        rawBytes[0]!,
        [...rawBytes.slice(1), JSON.stringify([process.execPath, '--import', 'tsx', 'scripts/walk.ts', ...args])],
        { cwd: repo, encoding: 'utf8' }
      )
    const badTop: Case = { top: join(top, 'bad-\udcff'), topdown: true, followlinks: false, exclude: [] }
    const run = viaRawBytes(flags(badTop))
    expect(run.stderr).toBe('')
    expect(parseLines(run.stdout)).toEqual(parseLines(python(badTop)))
    expect(parseLines(run.stdout)).toEqual([[join(top, 'bad-\udcff'), [], ['in-\udce2\udc82']]])

    const pruned: Case = { top, topdown: true, followlinks: false, exclude: ['bad-\udcff'] }
    const prunedRun = viaRawBytes(flags(pruned))
    expect(parseLines(prunedRun.stdout)).toEqual(parseLines(python(pruned)))
    expect(prunedRun.stdout).not.toContain('bad-')

    // Written files take UTF-8 names only: refused, rather than written under another name.
    const out = join(base, 'out-\udcff.json')
    const refused = viaRawBytes([top, '--ncdu', out])
    expect(refused.status).toBe(1)
    expect(parseLines(refused.stderr)).toEqual([
      {
        code: 'INVALID_ARGUMENT',
        message: `${shownWithNote(out)}: files are written only under names that are valid UTF-8. Choose another name.`,
        path: out
      }
    ])
    expect(readdirSync(base).filter((name) => name.startsWith('out-'))).toEqual([])
  })

  it('through npm, bytes that are not UTF-8 arrive as U+FFFD: the DIR it cannot find gets a note saying why', () => {
    // npm decodes its arguments as UTF-8 before it starts the script: no walker can get the bytes back.
    const run = spawnSync(
      'python3',
      [
        '-c',
        'import json, os, sys; args = json.loads(sys.argv[1]); os.execvp(args[0], [os.fsencode(a) for a in args])',
        JSON.stringify(['npm', '--prefix', repo, 'run', '-s', 'walk', '--', join(top, 'bad-\udcff'), '--json'])
      ],
      { encoding: 'utf8' }
    )
    expect(run.status).toBe(1)
    expect(parseLines(run.stderr)).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', path: join(top, 'bad-\uFFFD') }),
      { note: expect.stringContaining('npm replaced them before the walk saw them') as unknown }
    ])
  })

  it('--exclude prunes top-down as the dirnames[:] idiom does, with several patterns', () => {
    const cfg: Case = { top, topdown: true, followlinks: true, exclude: ['node_modules', 'sk?p', '[l]ink*'] }
    const run = cli(flags(cfg))
    expect(run.stderr).toBe('')
    const expected = parseLines(python(cfg))
    expect(parseLines(run.stdout)).toEqual(expected)
    const dirpaths = expected.map((triple) => (triple as string[])[0]!)
    expect(dirpaths.some((path) => /node_modules|skip|link/.test(path))).toBe(false)
    expect(dirpaths).toContain(join(top, 'a', 'b'))
  })

  it('--exclude with --bottom-up changes only the printed dirnames, as in os.walk, and says so on stderr', () => {
    const cfg: Case = { top, topdown: false, followlinks: false, exclude: ['node_modules'] }
    const run = cli(flags(cfg))
    expect(parseLines(run.stdout)).toEqual(parseLines(python(cfg)))
    expect(run.stdout).toContain(JSON.stringify(join(top, 'node_modules', 'pkg')))
    expect(parseLines(run.stderr)).toEqual([{ note: expect.stringContaining('--bottom-up') as unknown }])
    expect(run.status).toBe(0)
  })

  it('--exclude with a "/" prunes nothing, as in os.walk, and says why on stderr', () => {
    const cfg: Case = { top, topdown: true, followlinks: false, exclude: ['a/b'] }
    const run = cli(flags(cfg))
    expect(parseLines(run.stdout)).toEqual(parseLines(python(cfg)))
    expect(run.stdout).toContain(JSON.stringify(join(top, 'a', 'b')))
    expect(parseLines(run.stderr)).toEqual([
      { note: expect.stringMatching(/^--exclude "a\/b" holds a "\/", so it matches nothing: /) as unknown }
    ])
    expect(run.status).toBe(0)
  })

  it('through npm, from another working directory: a relative DIR is taken from where npm was typed', () => {
    const run = spawnSync('npm', ['--prefix', repo, 'run', '-s', 'walk', '--', 'tree', '--json'], {
      cwd: base,
      encoding: 'utf8'
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const expected = python({ top: 'tree', topdown: true, followlinks: false, exclude: [] }, { cwd: base })
    expect(parseLines(run.stdout)).toEqual(parseLines(expected))
  })
})

describe.runIf(process.platform === 'linux')('npm run walk: errors, summary, arguments', () => {
  it('an error comes in its place among the lines, where os.walk calls onerror, with stdout and stderr in one file', () => {
    const root = join(base, 'in-place')
    build(root, { a: { closed: {} }, b: { c: {} }, z: {} })
    chmodSync(join(root, 'a', 'closed'), 0o000)
    const wrapper = unprivilegedWrapper()
    /** The order of what a run wrote into one file: a line's dirpath, or "error " and the path it names. */
    const order = (command: string[]): string[] => {
      const file = join(base, 'in-place.out')
      const fd = openSync(file, 'w')
      try {
        spawnSync(command[0]!, command.slice(1), { cwd: repo, stdio: ['ignore', fd, fd] })
      } finally {
        closeSync(fd)
      }
      return readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const parsed = JSON.parse(line) as [string] | { path: string }
          return Array.isArray(parsed) ? parsed[0] : `error ${parsed.path}`
        })
    }
    try {
      for (const topdown of [true, false]) {
        const ours = order([
          ...wrapper,
          process.execPath,
          '--import',
          'tsx',
          'scripts/walk.ts',
          root,
          '--json',
          ...(topdown ? [] : ['--bottom-up'])
        ])
        const script = `import json, os, sys
for t in os.walk(sys.argv[1], topdown=${topdown ? 'True' : 'False'}, onerror=lambda e: print(json.dumps({"path": e.filename}), file=sys.stderr, flush=True)):
    print(json.dumps(list(t)), flush=True)`
        const theirs = order([...wrapper, 'python3', '-c', script, root])
        expect(ours).toEqual(theirs)
        expect(ours).toContain(`error ${join(root, 'a', 'closed')}`)
      }
    } finally {
      chmodSync(join(root, 'a', 'closed'), 0o755)
    }
  })

  it('an unreadable directory: one JSON error on stderr naming it, the walk goes on, exit 1', () => {
    const root = join(base, 'unreadable')
    build(root, { before: { f: 'f' }, locked: { secret: 's' }, after: { z: 'z' } })
    chmodSync(join(root, 'locked'), 0o000)
    try {
      const wrapper = unprivilegedWrapper()
      for (const topdown of [true, false]) {
        const cfg: Case = { top: root, topdown, followlinks: false, exclude: [] }
        const run = cli(flags(cfg), wrapper)
        const expected = parseLines(python(cfg, { wrapper }))
        expect(expected).toHaveLength(3) // root, before, after: os.walk skips what it cannot list
        expect(parseLines(run.stdout)).toEqual(expected)
        expect(parseLines(run.stderr)).toEqual([
          {
            code: 'PERMISSION_DENIED',
            message: `${join(root, 'locked')}: permission denied`,
            path: join(root, 'locked')
          }
        ])
        expect(run.status).toBe(1)
      }
    } finally {
      chmodSync(join(root, 'locked'), 0o755)
    }
  })

  it('without --json: one summary line with the directories, files, bytes of regular files and errors', () => {
    const counts = JSON.parse(
      runPythonScript(
        String.raw`
import json, os, stat, sys
dirs = files = size = 0
for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
    dirs += 1
    files += len(filenames)
    for name in filenames:
        st = os.lstat(os.path.join(dirpath, name))
        if stat.S_ISREG(st.st_mode):
            size += st.st_size
print(json.dumps([dirs, files, size]))
`,
        top
      )
    ) as [number, number, number]
    const run = cli([top])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const [dirs, files, bytes] = counts
    const line = `${top}: ${dirs} dirs, ${files} files, ${formatBytes(bytes)}, 0 errors in `
    expect(run.stdout.startsWith(line), run.stdout).toBe(true)
    expect(run.stdout.slice(line.length)).toMatch(/^(\d+(\.\d+)? (ms|s)|\d+ min \d+ s)\n$/)
  })

  it('stops quietly, exit 0, when the reader of --json closes the pipe early (walk | head)', async () => {
    const root = join(base, 'wide')
    const spec: Spec = {}
    for (let i = 0; i < 3000; i++) spec[`directory-${i}-${'x'.repeat(80)}`] = {}
    build(root, spec)
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/walk.ts', root, '--json'], { cwd: repo })
    let stderr = ''
    child.stderr.on('data', (text: Buffer) => (stderr += text.toString()))
    let first = ''
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString()
      child.stdout.destroy()
    })
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
    expect(first.startsWith(`[${JSON.stringify(root)},`)).toBe(true)
    expect(stderr).toBe('')
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })

  it('says on stderr that stdout could not be written, and why, and exits 1, in each mode (walk > /dev/full)', () => {
    const full = openSync('/dev/full', 'w')
    try {
      for (const args of [[top, '--json'], [top], [top, '--ncdu', join(base, 'full.json')]]) {
        const run = cli(args, [], full)
        expect(parseLines(run.stderr), args.join(' ')).toEqual([
          { code: 'NO_SPACE', message: 'cannot write the output to stdout: no space left on the device' }
        ])
        expect(run.status).toBe(1)
      }
    } finally {
      closeSync(full)
    }
  })

  it('--one-file-system does not enter a directory on another device', () => {
    const elsewhere = mkdtempSync('/dev/shm/yield-lab-walk-cli-')
    try {
      build(elsewhere, { inside: { f: 'f' } })
      const root = join(base, 'devices')
      build(root, { here: { f: 'f' }, away: new Link(elsewhere) })
      expect(lstatSync(elsewhere).dev, '/dev/shm must be on another device than the temp dir').not.toBe(
        lstatSync(root).dev
      )
      const walked = (extra: string[]): string[] =>
        parseLines(cli([root, '--json', '--followlinks', ...extra]).stdout).map((triple) => (triple as string[])[0]!)
      expect(walked([])).toContain(join(root, 'away', 'inside'))
      expect(walked(['--one-file-system']).sort()).toEqual([root, join(root, 'here')].sort())
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })

  it('bad arguments print the usage line and exit 2; a DIR that cannot be walked prints the error and exits 1', () => {
    for (const args of [
      [],
      ['--bogus', top],
      [top, '--exclude'],
      [top, top],
      [top, '--json', '--ncdu', 'out.json'],
      [top, '--bottom-up', '--ncdu', 'out.json']
    ]) {
      const run = cli(args)
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stderr).toContain('Usage: npm run walk -- DIR')
      expect(run.stdout).toBe('')
    }
    const missing = join(base, 'missing')
    const file = join(top, 'a', 'x.txt')
    for (const [path, code] of [
      [missing, 'NOT_FOUND'],
      [file, 'NOT_A_DIRECTORY']
    ]) {
      const run = cli([path!, '--json'])
      expect(run.status).toBe(1)
      expect(run.stdout).toBe('')
      expect(parseLines(run.stderr)).toEqual([{ code, message: expect.stringContaining(path!) as unknown, path }])
    }
    const help = cli(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("--ncdu OUT           write the scan as ncdu's JSON export")
  })
})

describe.runIf(process.platform === 'linux')('npm run walk -- DIR --ncdu OUT, against ncdu 1.x', () => {
  let tree = ''
  beforeAll(() => {
    tree = join(base, 'ncdu')
    build(tree, {
      node_modules: { pkg: { 'index.js': 'x'.repeat(5000) } },
      src: { 'a.ts': 'a', deep: { '1': { '2': { leaf: 'deep' } } } },
      linkdir: new Link('src'),
      broken: new Link('nowhere'),
      fifo: FIFO,
      empty: {},
      zero: ''
    })
    linkSync(join(tree, 'src', 'a.ts'), join(tree, 'hardlink'))
    const bad = Buffer.concat([Buffer.from(join(tree, 'bad-')), Buffer.from([0xff])])
    mkdirSync(bad)
    writeFileSync(Buffer.concat([bad, Buffer.from('/in-'), Buffer.from([0xe2, 0x82])]), 'bytes')
  })

  it('writes the scan ncdu itself makes of the same tree, entry for entry, raw-byte names included', () => {
    const out = join(base, 'ours.json')
    const run = cli([tree, '--ncdu', out])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const ours = decodeNcdu(readFileSync(out), out)
    const theirs = decodeNcdu(ncdu(['-o', '-', tree]), 'ncdu -o')
    expect(ours.progname).toBe('yield-lab')
    expect(entriesByPath(ours)).toEqual(entriesByPath(theirs))
    expect(entriesByPath(ours).has(`${tree}/bad-\udcff/in-\udce2\udc82`)).toBe(true)
    const totals = ncduTotals(ours.root)
    expect(run.stdout).toContain(`${plural(totals.entries, 'entry', 'entries')}, ${formatBytes(totals.asize)} apparent`)
    expect(readdirSync(base).filter((name) => name.startsWith('.yield-lab-tmp-'))).toEqual([])
  })

  it('ncdu reads our export back: the same entry count and summed sizes in its re-export', () => {
    const out = join(base, 'reread.json')
    expect(cli([tree, '--ncdu', out]).status).toBe(0)
    const reexport = decodeNcdu(ncdu(['-f', out, '-o', '-']), 'ncdu -f -o')
    expect(reexport.progname).toBe('ncdu')
    expect(ncduTotals(reexport.root)).toEqual(ncduTotals(decodeNcdu(readFileSync(out), out).root))
    expect(ncduTotals(reexport.root).entries).toBe(18)
  })

  it('--ncdu OUT refuses to replace what is not a regular file: one JSON error, exit 1, OUT as it was', () => {
    const fifo = join(base, 'out.fifo')
    const link = join(base, 'out-link.json')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    symlinkSync(join(base, 'ours.json'), link)
    for (const [out, what] of [
      [fifo, 'is a named pipe (FIFO)'],
      [link, 'is a symbolic link (saving would replace the link, not its target)']
    ]) {
      const run = cli([tree, '--ncdu', out!])
      expect(run.status).toBe(1)
      expect(parseLines(run.stderr)).toEqual([
        {
          code: 'NOT_A_REGULAR_FILE',
          message: `${out}: ${what}; refusing to replace it. Choose another name.`,
          path: out
        }
      ])
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })

  it('--ncdu OUT in a folder this account may not write into, or in none, is refused before the walk, naming the folder', () => {
    const top = join(base, 'walked-unprivileged')
    mkdirSync(join(top, 'closed'), { recursive: true })
    chmodSync(join(top, 'closed'), 0o000)
    const locked = join(base, 'locked-out')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    const out = join(locked, 'scan.json')
    const missing = join(base, 'no-such-folder')
    const run = cli([top, '--ncdu', out], unprivilegedWrapper())
    // writeAtomically makes no folder, so a missing one is refused before the walk too.
    const refused = cli([top, '--ncdu', join(missing, 'scan.json')], unprivilegedWrapper())
    chmodSync(join(top, 'closed'), 0o755)
    chmodSync(locked, 0o755)
    expect(run.status).toBe(1)
    // Only the refusal: the walk, which would report the closed folder first, never started.
    expect(parseLines(run.stderr)).toEqual([
      {
        code: 'PERMISSION_DENIED',
        message: `${out}: cannot be written: this account may not add files to its folder ${locked}`,
        path: out
      }
    ])
    expect(readdirSync(locked)).toEqual([])
    expect(refused.status).toBe(1)
    expect(parseLines(refused.stderr)).toEqual([
      {
        code: 'NOT_FOUND',
        message: `${join(missing, 'scan.json')}: ${missing} does not exist`,
        path: join(missing, 'scan.json')
      }
    ])
  })

  it('--ncdu OUT with a trailing separator names a folder: refused before the walk, and nothing is written', () => {
    const out = join(base, 'as-folder')
    const run = cli([tree, '--ncdu', `${out}/`])
    expect(run.status).toBe(1)
    expect(parseLines(run.stderr)).toEqual([
      {
        code: 'INVALID_ARGUMENT',
        message: `${out}/: ends with a separator, so it names a folder; a file name was expected`,
        path: `${out}/`
      }
    ])
    expect(readdirSync(base)).not.toContain('as-folder')
  })

  it('--exclude marks the pruned folder as ncdu --exclude does', () => {
    const out = join(base, 'excluded.json')
    expect(cli([tree, '--exclude', 'node_*', '--ncdu', out]).status).toBe(0)
    const ours = entriesByPath(decodeNcdu(readFileSync(out), out))
    const theirs = entriesByPath(decodeNcdu(ncdu(['--exclude', 'node_*', '-o', '-', tree]), 'ncdu --exclude'))
    expect(ours.get(`${tree}/node_modules`)).toEqual({ name: undefined, dev: 0, excluded: 'pattern', dir: false })
    expect(ours).toEqual(theirs)
  })
})

function runPythonScript(script: string, ...args: string[]): string {
  requirePython()
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout
}
