/**
 * `npm run trace -- PROGRAM.py [--max-steps N] [--max-seconds S] [--json OUT]`: the Step tab's
 * recorder in the terminal. Runs the very file the app's Pyodide worker imports
 * (src/renderer/src/python/trace_recorder.py) with the system python3 (3.11 or later) over
 * PROGRAM.py, checks the trace against the shared schema, and prints it as JSON, or writes it
 * atomically to OUT (then one summary line is printed).
 *
 * The program runs in the current folder with its own stdout captured into the trace, and its
 * stderr is the CLI's; a program that raises still gives a trace (the error is in it) and exit
 * status 0. Ctrl-C (or SIGTERM, SIGHUP) is passed on to the program, which ends as it would under
 * python3 (killed 3 s later, or at a second Ctrl-C), and the CLI ends by that signal.
 * Exit status: 0; 1 when PROGRAM.py cannot be read, is not a file or has a syntax error (said on
 * stderr with its line), when OUT or stdout cannot be written, or when the recorder itself fails;
 * 2 for bad arguments.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import { constants as osConstants, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { commandLineArguments, Output, parseArguments, readCommandLine, UsageError } from './commandLine'
import { LabError } from '../src/shared/errors'
import { formatCount, plural } from '../src/shared/format'
import { parseTraceJson, type Trace } from '../src/shared/trace'
import { toLabError } from '../src/main/lab/errors'
import { fsPath } from '../src/main/lab/fsPath'
import { hasEscapedBytes, shownName } from '../src/shared/fsNames'
import { checkWritable, writeAtomically } from '../src/main/lab/temporaryFiles'

const RECORDER = join(import.meta.dirname, '../src/renderer/src/python/trace_recorder.py')

const USAGE = 'Usage: npm run trace -- PROGRAM.py [--max-steps N] [--max-seconds S] [--json OUT]'

const HELP = `${USAGE}

Runs PROGRAM.py step by step with python3 and prints its trace (format yield-lab-trace/1,
docs/trace-format.md): each step's event, line, stack, suspended generator frames and objects.

  --max-steps N    stop recording after N steps (default 10000); the trace then says truncated
  --max-seconds S  stop recording after S seconds (default 10)
  --json OUT       write the trace to OUT (atomically) instead of printing it
  --help           this text

Exit status: 0, also when the program raised (the error is in the trace); 1 if PROGRAM.py cannot
be read or has a syntax error, or OUT or stdout cannot be written; 2 for bad arguments.`

const MAX_STEPS_LIMIT = 1_000_000
const MAX_SECONDS_LIMIT = 3600
/** How long past its own time cap the recorder may take (starting python3, writing JSON) before it is stopped. */
const GRACE_SECONDS = 30

interface Options {
  program: string
  maxSteps: number
  maxSeconds: number
  out: string | undefined
}

function positiveNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  limit: number,
  integer: boolean
): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new UsageError(
      `${flag} must be a positive ${integer ? 'whole number' : 'number'}, not ${JSON.stringify(text)}`
    )
  if (value > limit) throw new UsageError(`${flag} must be at most ${formatCount(limit)}`)
  return value
}

function parse(argv: readonly string[]): Options | 'help' {
  const parsed = parseArguments({
    args: [...argv],
    options: {
      'max-steps': { type: 'string' },
      'max-seconds': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  })
  const { values, positionals } = parsed
  if (values.help === true) return 'help'
  if (positionals.length === 0) throw new UsageError('PROGRAM.py is missing')
  if (positionals.length > 1) throw new UsageError(`one PROGRAM.py only, got ${positionals.length}`)
  if (values.json === '') throw new UsageError('--json needs a file name')
  return {
    program: positionals[0]!,
    maxSteps: positiveNumber('--max-steps', values['max-steps'], 10_000, MAX_STEPS_LIMIT, true),
    maxSeconds: positiveNumber('--max-seconds', values['max-seconds'], 10, MAX_SECONDS_LIMIT, false),
    out: values.json
  }
}

/** PROGRAM.py must be a file we can read: a clear LabError otherwise. */
function checkProgram(path: string): void {
  let stats
  try {
    stats = statSync(fsPath(path))
  } catch (error) {
    throw toLabError(error, path)
  }
  if (stats.isDirectory()) throw new LabError('IS_A_DIRECTORY', `${path} is a folder, not a Python program`, path)
  if (!stats.isFile()) throw new LabError('NOT_A_REGULAR_FILE', `${path} is not a regular file`, path)
  // Opened here too, so a file this account may not read is said in our words, not Python's.
  try {
    closeSync(openSync(fsPath(path), 'r'))
  } catch (error) {
    throw toLabError(error, path)
  }
}

/**
 * Whether both paths name one file: the same resolved path, or the same device and inode, since on
 * a case-insensitive file system (macOS, Windows) `prog.py` and `PROG.PY` are one file whose
 * resolved paths differ. An inode of 0 says nothing (some Windows file systems give no ids).
 */
function sameFile(a: string, b: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path)
    } catch {
      return resolve(path)
    }
  }
  if (real(a) === real(b)) return true
  try {
    const [first, second] = [a, b].map((path) => statSync(path, { bigint: true, throwIfNoEntry: false }))
    return (
      first !== undefined &&
      second !== undefined &&
      first.ino !== 0n &&
      first.dev === second.dev &&
      first.ino === second.ino
    )
  } catch {
    return false // not reachable: the checks after this one say why
  }
}

/**
 * Where the recorder's temporary folder goes: TMPDIR resolved before the CLI changes to the folder
 * npm was run from (at the end of this module), as tsx resolved it.
 */
const TEMPORARY_ROOT = resolve(tmpdir())

/** What ends a CLI from outside: Ctrl-C, the terminal closed, kill, timeout(1) or a CI's cancel. */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
type EndingSignal = (typeof ENDING_SIGNALS)[number]
/** How long python3 has to end (the program's finally blocks, its children's) once a signal is passed on. */
const SIGNAL_GRACE_MS = 3000

/** The CLI got an ending signal while it recorded: it ends by that signal, its temporary folder removed. */
class Interrupted extends Error {
  constructor(readonly signal: EndingSignal) {
    super(`interrupted by ${signal}`)
  }
}

/**
 * Listens for ENDING_SIGNALS until stop(): without a listener Node dies at once and leaves the
 * temporary folder. `received` is the first signal; each is handed to `onSignal` (repeated: not
 * the first), so a second Ctrl-C can be firmer.
 */
class EndingSignals {
  received: EndingSignal | undefined
  onSignal: (signal: EndingSignal, repeated: boolean) => void = () => undefined
  private readonly listeners = ENDING_SIGNALS.map((signal) => {
    const listener = (): void => {
      const repeated = this.received !== undefined
      this.received ??= signal
      this.onSignal(signal, repeated)
    }
    process.on(signal, listener)
    return [signal, listener] as const
  })

  /** Throws Interrupted if a signal came. */
  check(): void {
    if (this.received !== undefined) throw new Interrupted(this.received)
  }

  stop(): void {
    for (const [signal, listener] of this.listeners) process.off(signal, listener)
  }
}

interface RecorderEnd {
  status: number | null
  signal: NodeJS.Signals | null
  /** Killed past the time limit and its grace. */
  timedOut: boolean
}

/**
 * Runs python3 with `args` to its end. An ending signal is passed on to it, so the program ends as
 * it would under `python3 PROGRAM` (its finally blocks run, it stops what it started), and it is
 * killed if it has not ended SIGNAL_GRACE_MS later, or at a second signal. Its stderr is the
 * CLI's: what the program (or a process it started, even after it ends) writes there is seen as
 * it is written, and nothing the CLI must read can be held open by them.
 */
function runRecorder(args: string[], timeoutMs: number, signals: EndingSignals): Promise<RecorderEnd> {
  return new Promise((resolve, reject) => {
    // The program gets no keyboard: input() ends with EOFError rather than waiting.
    const child = spawn('python3', args, { stdio: ['ignore', 'ignore', 'inherit'] })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    let grace: NodeJS.Timeout | undefined
    signals.onSignal = (signal, repeated) => {
      if (repeated) {
        child.kill('SIGKILL')
        return
      }
      child.kill(signal)
      grace = setTimeout(() => child.kill('SIGKILL'), SIGNAL_GRACE_MS)
    }
    const settle = (): void => {
      clearTimeout(timer)
      clearTimeout(grace)
      signals.onSignal = () => undefined
    }
    child.once('error', (error) => {
      settle()
      reject(error)
    })
    child.once('exit', (status, signal) => {
      settle()
      resolve({ status, signal, timedOut })
    })
  })
}

/**
 * Runs the recorder with python3: the trace's JSON text, or a LabError saying what went wrong.
 * The trace comes back in a file, and the recorder's stdout goes nowhere: a process the program
 * starts inherits stdout and stderr, and may write to them or keep them open after the program
 * ends, which would corrupt a trace read from stdout, or hold this call if a pipe were read to its
 * end (stderr is the CLI's own, see runRecorder).
 */
async function recordWithPython(options: Options): Promise<string> {
  // From before the folder is made until it is removed: an ending signal then waits for the removal.
  const signals = new EndingSignals()
  let scratch: string
  try {
    scratch = mkdtempSync(join(TEMPORARY_ROOT, 'yield-lab-trace-'))
  } catch (error) {
    signals.stop()
    throw new LabError(
      'INTERNAL',
      `cannot make a temporary folder in ${TEMPORARY_ROOT} (TMPDIR): ${toLabError(error, TEMPORARY_ROOT).message}`
    )
  }
  try {
    signals.check()
    const tracePath = join(scratch, 'trace.json')
    const errorPath = join(scratch, 'refusal')
    let run: RecorderEnd
    try {
      run = await runRecorder(
        [
          RECORDER,
          '--max-steps',
          String(options.maxSteps),
          '--max-seconds',
          String(options.maxSeconds),
          '--trace-out',
          tracePath,
          '--error-out',
          errorPath,
          // A name that is not UTF-8 cannot be an argument's text (Node would send U+FFFD): its bytes go
          // as hex. Any other after '--', so a name starting with '-' is not taken for an option.
          ...(hasEscapedBytes(options.program)
            ? ['--program-bytes', Buffer.from(fsPath(options.program)).toString('hex')]
            : ['--', options.program])
        ],
        (options.maxSeconds + GRACE_SECONDS) * 1000,
        signals
      )
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new LabError('UNAVAILABLE', 'python3 was not found: the recorder needs Python 3.11 or later')
      throw new LabError('INTERNAL', `python3 could not run the recorder: ${(error as Error).message}`)
    }
    signals.check()
    if (run.timedOut)
      throw new LabError(
        'CANCELLED',
        `The program ran past the time limit (${options.maxSeconds} s) in code the recorder cannot stop between steps, and was killed`
      )
    // Told by the files the recorder wrote, not by its exit status or stderr, which the program shares.
    const trace = readIfThere(tracePath)
    // Only with the recorder's exit status for it and no trace: the program could write that file too.
    const refusal = run.status === 2 && trace === undefined ? readIfThere(errorPath) : undefined
    if (refusal !== undefined) {
      // The program could not be read or compiled; the recorder names it with U+FFFD for bytes that
      // are not UTF-8, which we name as everywhere.
      const lossy = Buffer.from(fsPath(options.program)).toString('utf8')
      const named = refusal.startsWith(lossy) ? shownName(options.program) + refusal.slice(lossy.length) : refusal
      throw new LabError('MALFORMED_DATA', named, options.program)
    }
    if (trace !== undefined && run.status === 0) return trace
    const how = run.signal !== null ? `stopped by ${run.signal}` : `exit status ${String(run.status)}`
    throw new LabError(
      'INTERNAL',
      `the recorder ended without a trace (${how}): the program ended Python itself (os._exit, or a signal), or the recorder failed (what it wrote to stderr is above)`
    )
  } finally {
    rmSync(scratch, { recursive: true, force: true })
    signals.stop()
  }
}

/** A file's text, or undefined when there is none. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function summary(trace: Trace, out: string): string {
  const yields = trace.steps.filter((step) => step.event === 'yield').length
  const ending = trace.truncated
    ? `stopped: ${trace.note ?? 'truncated'}`
    : trace.error === null
      ? 'ended normally'
      : `raised ${trace.error.type}: ${trace.error.message}`
  return `${out}: ${plural(trace.steps.length, 'step')} (${plural(yields, 'yield')}), ${ending}`
}

async function main(argv: readonly string[]): Promise<number> {
  const options = readCommandLine({ name: 'trace', usage: USAGE, help: HELP }, parse, argv)
  if (typeof options === 'number') return options
  try {
    checkProgram(options.program)
    if (options.out !== undefined && sameFile(options.out, options.program))
      throw new LabError('ALREADY_EXISTS', `--json ${options.out} would overwrite the program itself`, options.out)
    if (options.out !== undefined) checkWritable(options.out, { probe: true })
    const text = await recordWithPython(options)
    // The recorder's output is checked as an imported trace would be: what we hand on is valid.
    const trace = parseTraceJson(text)
    const output = new Output(process.stdout)
    if (options.out === undefined) {
      await output.line(text.endsWith('\n') ? text.slice(0, -1) : text)
    } else {
      await writeAtomically(options.out, text)
      await output.line(summary(trace, options.out))
    }
    await output.flush()
    if (output.failure !== undefined) throw output.failure
    return 0
  } catch (error) {
    if (error instanceof Interrupted) throw error
    const problem = error instanceof LabError ? error : toLabError(error, options.program)
    console.error(`trace: ${problem.message}`)
    return 1
  }
}

// npm runs scripts in the project's root: relative paths mean what they meant where npm was typed.
if (process.env['npm_lifecycle_event'] === 'trace' && process.env['INIT_CWD'] !== undefined)
  process.chdir(process.env['INIT_CWD'])
try {
  // A PROGRAM or OUT whose name is not UTF-8 keeps its bytes (as the walk CLI's DIR does).
  process.exitCode = await main(commandLineArguments())
} catch (error) {
  if (!(error instanceof Interrupted)) throw error
  // Its listener gone, the signal ends Node as it would have: the shell sees the status it expects.
  // (Windows has no such signals to send: the status says it as a shell would, 128 + its number.)
  if (process.platform === 'win32') process.exit(128 + osConstants.signals[error.signal])
  process.kill(process.pid, error.signal)
}
