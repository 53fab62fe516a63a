/**
 * `npm run trace`, run as users run it (a node subprocess through tsx, once through npm itself):
 * the trace it prints or writes is valid, equals what the recorder gives in python3 for the same
 * program, and carries the program's own output; bad input gets exit status 1 and one plain line.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTraceJson, type Trace } from '../../src/shared/trace'
import { canMountTmpfs } from '../support/mountedTmpfs'
import { requirePython } from '../support/python'
import { cpythonRecorder, plainStdout } from '../support/traceRecorders'
import { INFINITE, traceProgram } from '../support/tracePrograms'
import { unprivilegedWrapper } from '../support/unprivileged'

const repo = resolve(import.meta.dirname, '../..')
let base = ''

/** The CLI as `npm run trace` starts it, from the folder `cwd` (npm's INIT_CWD), its stdout captured or sent to the file descriptor `stdout`. */
function cli(
  args: string[],
  cwd = repo,
  stdout: 'pipe' | number = 'pipe',
  stderr: 'pipe' | number = 'pipe'
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/trace.ts', ...args], {
    cwd: repo,
    env: { ...process.env, npm_lifecycle_event: 'trace', INIT_CWD: cwd },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', stdout, stderr]
  })
}

function program(name: string, source: string): string {
  const path = join(base, name)
  writeFileSync(path, source)
  return path
}

/** The trace without what differs from run to run of the same recorder: nothing but the file name in tracebacks. */
function traceOf(run: SpawnSyncReturns<string>): Trace {
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return parseTraceJson(run.stdout)
}

beforeAll(() => {
  requirePython()
  base = mkdtempSync(join(tmpdir(), 'yield-lab-trace-cli-'))
})

afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

describe('npm run trace -- PROGRAM.py', () => {
  it('prints the trace the recorder gives, with the program’s own output', () => {
    const { source } = traceProgram('COROUTINE EXAMPLE')
    const trace = traceOf(cli([program('coroutine.py', source)]))
    const inProcess = cpythonRecorder().record(source)
    expect(trace.steps).toEqual(inProcess.steps)
    expect(trace.source).toBe(source)
    expect(trace.stdout).toBe(plainStdout(source))
    expect(trace.error).toBeNull()
  })

  it('exits 0 when the program raises: the error and its traceback are in the trace', () => {
    const path = program('raises.py', traceProgram('raises at the end').source)
    const trace = traceOf(cli([path]))
    expect(trace.error).toMatchObject({ type: 'ValueError', message: 'the total 14 is too small' })
    expect(trace.error!.traceback).toContain(`File "${path}", line 7, in <module>`)
    expect(trace.stdout).toBe('total 14\n')
  })

  it('stops at --max-steps with the note, and input() gets no keyboard', () => {
    const capped = traceOf(cli([program('naturals.py', INFINITE), '--max-steps', '30']))
    expect(capped.steps).toHaveLength(30)
    expect(capped.truncated).toBe(true)
    expect(capped.note).toContain('step limit (30 steps)')

    const asking = traceOf(cli([program('asks.py', "name = input('name? ')\nprint(name)\n")]))
    expect(asking.error?.type).toBe('EOFError')
  })

  it('stops a loop on one line at --max-seconds, with the trace so far', () => {
    const trace = traceOf(cli([program('spins.py', 'while True: pass\n'), '--max-seconds', '0.5']))
    expect(trace.truncated).toBe(true)
    expect(trace.note).toMatch(/^Recording stopped at the time limit \(0\.5 s\) after [\d,]+ steps;/)
    expect(trace.steps.length).toBeGreaterThan(0)
  })

  it.runIf(process.platform !== 'win32').each(['SIGINT', 'SIGTERM'] as const)(
    '%s is passed on to the program, and the CLI ends by it once python3 has, its temporary folder removed',
    async (sent) => {
      const temporary = join(base, `interrupted-tmp-${sent}`)
      mkdirSync(temporary)
      const marker = join(base, `running-${sent}.pid`)
      const cleaned = join(base, `cleaned-${sent}`)
      // Ctrl-C reaches the program as under python3: its finally runs (SIGTERM ends Python at once).
      const path = program(
        `runs-on-${sent}.py`,
        `import os, time\ntry:\n    open(${JSON.stringify(marker + '.new')}, 'w').write(str(os.getpid()))\n` +
          `    os.replace(${JSON.stringify(marker + '.new')}, ${JSON.stringify(marker)})\n` +
          `    while True: time.sleep(0.01)\nfinally:\n    open(${JSON.stringify(cleaned)}, 'w').write('cleaned')\n`
      )
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/trace.ts', path, '--max-seconds', '3600'], {
        cwd: repo,
        env: { ...process.env, npm_lifecycle_event: 'trace', INIT_CWD: repo, TMPDIR: temporary },
        stdio: 'ignore'
      })
      const ended = once(child, 'exit')
      // tsx keeps its cache there too.
      const recorderFolders = (): string[] =>
        readdirSync(temporary).filter((name) => name.startsWith('yield-lab-trace-'))
      try {
        // Signalled once the program runs, which its marker file says.
        while (!existsSync(marker) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
        expect(recorderFolders()).toHaveLength(1)
        child.kill(sent)
        const [status, signal] = (await ended) as [number | null, NodeJS.Signals | null]
        expect({ status, signal }).toEqual({ status: null, signal: sent })
        expect(recorderFolders()).toEqual([])
        expect(existsSync(cleaned)).toBe(sent === 'SIGINT')
        expect(() => process.kill(Number(readFileSync(marker, 'utf8')), 0)).toThrow(
          expect.objectContaining({ code: 'ESRCH' })
        )
      } finally {
        // A failure must not leave them running: the CLI, and python3 if the CLI left it.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
        if (existsSync(marker)) {
          try {
            process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL')
          } catch {
            // gone already, as it should be
          }
        }
      }
    }
  )

  it('runs the program as python3 would: in the current folder, importing its neighbours', () => {
    const project = join(base, 'project')
    mkdirSync(project)
    writeFileSync(join(project, 'helper.py'), 'def double(n):\n    return 2 * n\n')
    writeFileSync(join(project, 'main.py'), "import helper\nprint(helper.double(21), open('data.txt').read())\n")
    const elsewhere = join(base, 'elsewhere')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 'data.txt'), 'read from the current folder')
    const trace = traceOf(cli([join(project, 'main.py')], elsewhere))
    expect(trace.stdout).toBe('42 read from the current folder\n')
  })

  it('--json OUT writes the trace atomically and prints one summary line', () => {
    const outDir = join(base, 'out')
    mkdirSync(outDir)
    const out = join(outDir, 'grep.json')
    writeFileSync(out, 'an older trace')
    const run = cli([program('grep.py', traceProgram('grep coroutine').source), '--json', out])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toBe(`${out}: 36 steps (4 yields), ended normally\n`)
    const written = parseTraceJson(readFileSync(out, 'utf8'))
    expect(written.stdout).toBe("Looking for 'python'\npython generators rock!\nGoing away. Goodbye\n")
    expect(readdirSync(outDir)).toEqual(['grep.json'])
  })

  it.runIf(process.platform === 'linux')(
    'says on stderr that stdout could not be written, and why, and exits 1, in each mode (trace > /dev/full)',
    () => {
      const full = openSync('/dev/full', 'w')
      try {
        const source = program('full.py', traceProgram('grep coroutine').source)
        for (const args of [[source], [source, '--json', join(base, 'full.json')]]) {
          const run = cli(args, repo, full)
          expect(run.stderr, args.join(' ')).toBe(
            'trace: cannot write the output to stdout: no space left on the device\n'
          )
          expect(run.status).toBe(1)
        }
      } finally {
        closeSync(full)
      }
    }
  )

  it('through npm, from another working directory: paths are taken from where npm was typed', () => {
    const folder = join(base, 'npm')
    mkdirSync(folder)
    writeFileSync(join(folder, 'gen.py'), traceProgram('gen_107').source)
    const run = spawnSync('npm', ['--prefix', repo, 'run', '-s', 'trace', '--', 'gen.py', '--json', 'gen.json'], {
      cwd: folder,
      encoding: 'utf8'
    })
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe('gen.json: 21 steps (3 yields), ended normally\n')
    expect(parseTraceJson(readFileSync(join(folder, 'gen.json'), 'utf8')).steps).toHaveLength(21)
  })
})

describe('npm run trace: its own bad input', () => {
  it('a syntax error: exit 1, said as such with its line, nothing on stdout', () => {
    const path = program('broken.py', 'def f():\n    return (1,\n\nprint(f())\n')
    const run = cli([path])
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`trace: ${path}:2: SyntaxError: '(' was never closed\n`)
  })

  it('a missing program, a folder, and OUT being the program itself', () => {
    const missing = cli([join(base, 'nowhere.py')])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toBe(`trace: ${join(base, 'nowhere.py')}: does not exist\n`)

    const folder = cli([base])
    expect(folder.status).toBe(1)
    expect(folder.stderr).toBe(`trace: ${base} is a folder, not a Python program\n`)

    const source = traceProgram('gen_107').source
    const path = program('keep.py', source)
    const overwrite = cli([path, '--json', path])
    expect(overwrite.status).toBe(1)
    expect(overwrite.stderr).toBe(`trace: --json ${path} would overwrite the program itself\n`)
    expect(readFileSync(path, 'utf8')).toBe(source)
  })

  it.runIf(process.platform === 'linux')(
    'a program whose name is not UTF-8, as the shell passes it, is traced; its errors name it as the app does',
    () => {
      const named = (name: string): Buffer =>
        Buffer.concat([Buffer.from(`${base}/`), Buffer.from([0xff]), Buffer.from(name)])
      writeFileSync(named('-good.py'), traceProgram('gen_107').source)
      writeFileSync(named('-bad.py'), 'def f(:\n')
      const out = join(base, 'not-utf8.json')
      const trace = (name: string, ...more: string[]): SpawnSyncReturns<string> =>
        spawnSync(
          'bash',
          ['-c', `exec "$0" --import tsx scripts/trace.ts $'${base}/\\xff${name}' "$@"`, process.execPath, ...more],
          { cwd: repo, encoding: 'utf8' }
        )
      const good = trace('-good.py', '--json', out)
      expect(good.stderr).toBe('')
      expect(good.status).toBe(0)
      expect(parseTraceJson(readFileSync(out, 'utf8')).steps.length).toBeGreaterThan(0)
      const bad = trace('-bad.py')
      expect(bad.stderr).toBe(
        `trace: ${base}/\ufffd-bad.py (a name that is not valid UTF-8, shown with U+FFFD):1: SyntaxError: invalid syntax\n`
      )
      expect(bad.status).toBe(1)
    }
  )

  it.runIf(process.platform !== 'win32')(
    'a program whose child process writes to stdout and outlives it is traced at once, its trace intact',
    () => {
      const pidFile = join(base, 'child.pid')
      const path = program(
        'spawns.py',
        `import subprocess\nchild = subprocess.Popen(['sleep', '60'])\nopen(${JSON.stringify(pidFile)}, 'w').write(str(child.pid))\n` +
          `subprocess.run(['echo', 'from a child'])\nprint('started')\n`
      )
      // The CLI's stderr, which the child inherits, in a file: a pipe would hold spawnSync, not the CLI.
      const stderrPath = join(base, 'spawns.stderr')
      const stderr = openSync(stderrPath, 'w')
      try {
        const run = cli([path, '--max-seconds', '2'], repo, 'pipe', stderr)
        expect(readFileSync(stderrPath, 'utf8')).toBe('')
        expect(run.status).toBe(0)
        expect(parseTraceJson(run.stdout).stdout).toBe('started\n')
      } finally {
        closeSync(stderr)
        process.kill(Number(readFileSync(pidFile, 'utf8')))
      }
    }
  )

  it('a program whose name starts with "-" is traced, not taken for an option', () => {
    program('-dash.py', 'print("dash")\n')
    const run = cli(['--', '-dash.py'], base)
    expect(run.stderr).toBe('')
    expect(parseTraceJson(run.stdout).stdout).toBe('dash\n')
  })

  it.each([
    ['os._exit(0)', 'import os\nos._exit(0)\n', 'exit status 0', ''],
    [
      'os._exit(2), as the recorder exits on a program it refuses, after a line on stderr',
      'import os, sys\nprint("50% done", file=sys.stderr, flush=True)\nos._exit(2)\n',
      'exit status 2',
      '50% done\n'
    ],
    ['a signal', 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n', 'stopped by SIGKILL', '']
  ])('a program that ends Python itself (%s) is said to have left no trace', (_how, source, ended, stderr) => {
    const run = cli([program('ends.py', source)])
    // The program's stderr is the CLI's: what it wrote comes first.
    expect(run.stderr).toBe(
      `${stderr}trace: the recorder ended without a trace (${ended}): the program ended Python itself (os._exit, or a signal), or the recorder failed (what it wrote to stderr is above)\n`
    )
    expect(run.status).toBe(1)
  })

  it('a program’s stderr is the CLI’s: none of it goes to disk, and a process it started may write there after it ends', () => {
    // The recorder's temporary folder is where its --trace-out goes; the program lists it as it runs.
    const listsFolder = program(
      'stderr-heavy.py',
      'import os, sys\nsys.stderr.write("x" * 1_000_000 + "\\n")\nsys.stderr.flush()\n' +
        'print(os.listdir(os.path.dirname(sys.orig_argv[sys.orig_argv.index("--trace-out") + 1])))\n'
    )
    const heavy = cli([listsFolder])
    expect(heavy.stderr).toBe('x'.repeat(1_000_000) + '\n')
    expect(heavy.status).toBe(0)
    expect(parseTraceJson(heavy.stdout).stdout).toBe('[]\n')

    // A process the program starts writes to stderr after the program (and the CLI) ended: it is
    // neither cut off (a closed pipe would kill it) nor able to hold the CLI.
    const survived = join(base, 'late-writer.out')
    const lateWriter = program(
      'late-writer.py',
      'import subprocess\nsubprocess.Popen(["sh", "-c", ' +
        `"sleep 1; echo late words >&2; echo survived > ${survived}"])\nprint("started")\n`
    )
    const late = cli([lateWriter])
    expect(late.status).toBe(0)
    expect(parseTraceJson(late.stdout).stdout).toBe('started\n')
    // spawnSync read stderr until the last process holding it closed it: the late words are there.
    expect(late.stderr).toBe('late words\n')
    expect(readFileSync(survived, 'utf8')).toBe('survived\n')
  })

  it('a program that writes where the recorder would put its refusal is still traced', () => {
    const source =
      'import sys\nout = sys.orig_argv[sys.orig_argv.index("--error-out") + 1]\n' +
      'open(out, "w").write("spoof.py:1: SyntaxError: nothing is wrong here")\nprint("traced")\n'
    const run = cli([program('spoof.py', source)])
    expect(run.stderr).toBe('')
    expect(parseTraceJson(run.stdout).stdout).toBe('traced\n')
  })

  // A relative TMPDIR is taken from the repository, where npm runs scripts and tsx keeps its cache.
  it.each([
    ['from where npm runs, not from the folder npm was run in (INIT_CWD)', 'print("plain")\n', 'plain\n', 'elsewhere'],
    ['and a program that changes folder is traced', 'import os\nos.chdir("/")\nprint("moved")\n', 'moved\n', 'repo']
  ])('a relative TMPDIR is taken %s', (_what, source, printed, ranIn) => {
    const relative = `trace-tmp-${process.pid}`
    mkdirSync(join(repo, relative))
    try {
      const path = program('tmpdir.py', source)
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/trace.ts', path], {
        cwd: repo,
        env: {
          ...process.env,
          npm_lifecycle_event: 'trace',
          INIT_CWD: ranIn === 'repo' ? repo : base,
          TMPDIR: relative
        },
        encoding: 'utf8'
      })
      expect(run.stderr).toBe('')
      expect(parseTraceJson(run.stdout).stdout).toBe(printed)
    } finally {
      rmSync(join(repo, relative), { recursive: true, force: true })
    }
  })

  it.runIf(canMountTmpfs)(
    'OUT naming the program by another path that resolves elsewhere (as PROG.PY does on macOS or Windows) is refused',
    () => {
      // A bind mount shows one file under two folders, as a case-insensitive file system shows one under two spellings.
      const source = traceProgram('gen_107').source
      mkdirSync(join(base, 'bound', 'a'), { recursive: true })
      mkdirSync(join(base, 'bound', 'b'))
      const path = program('bound/a/prog.py', source)
      const other = join(base, 'bound', 'b', 'prog.py')
      const run = spawnSync(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          'mount --bind "$1" "$2" && exec "$3" --import tsx scripts/trace.ts "$4" --json "$5"',
          'sh',
          join(base, 'bound', 'a'),
          join(base, 'bound', 'b'),
          process.execPath,
          path,
          other
        ],
        { cwd: repo, env: { ...process.env, npm_lifecycle_event: 'trace', INIT_CWD: repo }, encoding: 'utf8' }
      )
      expect(run.stderr).toBe(`trace: --json ${other} would overwrite the program itself\n`)
      expect(run.status).toBe(1)
      expect(readFileSync(path, 'utf8')).toBe(source)
    }
  )

  it.runIf(process.platform !== 'win32')(
    'a program this account may not read, and one inside a folder it may not enter: said in the same words',
    () => {
      const closed = program('closed.py', 'print(1)\n')
      chmodSync(closed, 0o000)
      mkdirSync(join(base, 'shut'))
      const inside = program('shut/inside.py', 'print(1)\n')
      chmodSync(join(base, 'shut'), 0o000)
      const run = (path: string): SpawnSyncReturns<string> => {
        const command = [...unprivilegedWrapper(), process.execPath, '--import', 'tsx', 'scripts/trace.ts', path]
        return spawnSync(command[0]!, command.slice(1), { cwd: repo, encoding: 'utf8' })
      }
      try {
        const unreadable = run(closed)
        expect([unreadable.status, unreadable.stderr]).toEqual([1, `trace: ${closed}: permission denied\n`])
        const unreached = run(inside)
        expect([unreached.status, unreached.stderr]).toEqual([
          1,
          `trace: ${inside}: ${join(base, 'shut')} may not be entered by this account (it lacks search permission), so nothing inside it can be reached\n`
        ])
      } finally {
        chmodSync(join(base, 'shut'), 0o755)
      }
    }
  )

  it('an OUT that cannot be written: exit 1, named', () => {
    const out = join(base, 'no-such-folder', 'trace.json')
    const run = cli([program('small.py', 'print(1)\n'), '--json', out])
    expect(run.status).toBe(1)
    expect(run.stderr).toBe(`trace: ${out}: ${join(base, 'no-such-folder')} does not exist\n`)
  })

  it('bad arguments: exit 2 with the usage', () => {
    for (const args of [
      [],
      ['a.py', 'b.py'],
      ['a.py', '--max-steps', '0'],
      ['a.py', '--max-seconds', 'soon'],
      ['a.py', '--steps', '3']
    ]) {
      const run = cli(args)
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stderr).toContain('Usage: npm run trace -- PROGRAM.py')
    }
  })
})
