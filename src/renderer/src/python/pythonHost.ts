/**
 * The Python side of the console, independent of the thread it runs in (pythonWorker.ts hosts it
 * in a Web Worker). It loads Pyodide, streams stdout/stderr in batches with a cap per run, and
 * answers the requests of protocol.ts by calling console.py.
 */
import type { PyodideAPI } from 'pyodide'
import { formatCount } from '@shared/format'
import { parseTraceJson } from '@shared/trace'
import { armInterruptFor, polledSignal } from './interruptBuffer'
import type {
  FromPythonWorker,
  LoadPhase,
  OutputStream,
  PythonMethod,
  PythonRequests,
  ToPythonWorker
} from './protocol'

/** A single run printing more than this many characters has the rest dropped, with a notice. */
export const OUTPUT_LIMIT_CHARS = 200_000
/** Output is sent at least this often while Python runs, so long loops show progress. */
const OUTPUT_FLUSH_MS = 50
const OUTPUT_BATCH_CHARS = 16_384

export interface RuntimeLoadOptions {
  indexURL: string
  onProgress(phase: LoadPhase): void
}

export interface PythonHostOptions {
  post(message: FromPythonWorker): void
  /** Loads Pyodide (in the app: from indexURL, the app's own pyodide/ folder). */
  loadRuntime(options: RuntimeLoadOptions): Promise<PyodideAPI>
  /** The text of console.py. */
  consoleSource: string
  /** The text of trace_recorder.py, importable in Python as `trace_recorder`. */
  traceRecorderSource: string
}

interface ConsoleModule {
  run(source: string, watch: string | null, onResumed?: () => void): string
  is_complete(source: string): boolean
  internals(name: string): string
  reset(): string
  forget_interrupt(): void
  record_trace_json(source: string, max_steps: number, max_seconds: number): string
}

interface Modules {
  console: ConsoleModule
}

/** Batches a run's output into messages, in order across stdout and stderr, up to the limit. */
class OutputStreamer {
  private pending = ''
  private pendingStream: OutputStream = 'stdout'
  private lastFlush = 0
  private sentChars = 0
  private droppedChars = 0
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }

  constructor(private readonly post: (message: FromPythonWorker) => void) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): number {
    this.append(stream, this.decoders[stream].decode(bytes, { stream: true }))
    return bytes.length
  }

  /** Starts a run's budget afresh. */
  begin(): void {
    this.sentChars = 0
    this.droppedChars = 0
    this.lastFlush = performance.now()
  }

  /** Sends what is pending, then says how much of the run's output was not shown. */
  end(): void {
    this.flush()
    if (this.droppedChars > 0) {
      this.post({
        type: 'output',
        stream: 'notice',
        text: `[output truncated: ${formatCount(this.droppedChars)} more characters were printed but not shown]\n`
      })
    }
  }

  private append(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '') return
    const room = OUTPUT_LIMIT_CHARS - this.sentChars - this.pending.length
    if (room <= 0) {
      this.droppedChars += text.length
      return
    }
    if (stream !== this.pendingStream) this.flush()
    this.pendingStream = stream
    const kept = text.length <= room ? text : text.slice(0, room)
    this.pending += kept
    if (kept.length < text.length) {
      this.droppedChars += text.length - kept.length
      this.flush()
      this.post({
        type: 'output',
        stream: 'notice',
        text: `\n[output over ${formatCount(OUTPUT_LIMIT_CHARS)} characters: the rest of this run's output is not shown]\n`
      })
      return
    }
    // Python runs synchronously here, so time is checked on each write rather than by a timer.
    if (this.pending.length >= OUTPUT_BATCH_CHARS || performance.now() - this.lastFlush >= OUTPUT_FLUSH_MS) this.flush()
  }

  private flush(): void {
    this.lastFlush = performance.now()
    if (this.pending === '') return
    this.post({ type: 'output', stream: this.pendingStream, text: this.pending })
    this.sentChars += this.pending.length
    this.pending = ''
  }
}

/**
 * Loads console.py as the module `yieldlab_console`, compiled under the filename it hides from
 * tracebacks, and trace_recorder.py as `trace_recorder`. They run in a scratch namespace: the
 * user's (__main__) stays as Python starts it.
 */
const LOAD_CONSOLE_MODULE = `
import sys, types
for name, source, filename in (
    ("yieldlab_console", console_source, "<yield-lab console>"),
    ("trace_recorder", trace_recorder_source, "<yield-lab trace recorder>"),
):
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
python_version = sys.version.split()[0]
`

/** Pyodide marks the error that broke the runtime for good (a wasm stack overflow, say). */
function isFatalRuntimeError(error: unknown): boolean {
  return error instanceof Error && (error as Error & { pyodide_fatal_error?: boolean }).pyodide_fatal_error === true
}

export function createPythonHost(options: PythonHostOptions): (message: ToPythonWorker) => Promise<void> {
  const { post } = options
  const output = new OutputStreamer(post)
  let interrupt: Int32Array | null = null
  let ready: Promise<Modules> | undefined

  async function load(indexURL: string, interruptBuffer: SharedArrayBuffer | null): Promise<Modules> {
    const started = performance.now()
    let downloaded = started
    const pyodide = await options.loadRuntime({
      indexURL,
      onProgress: (phase) => {
        if (phase === 'starting') downloaded = performance.now()
        post({ type: 'progress', phase })
      }
    })
    const runtimeStarted = performance.now()
    pyodide.setStdout({ write: (bytes: Uint8Array) => output.write('stdout', bytes), isatty: false })
    pyodide.setStderr({ write: (bytes: Uint8Array) => output.write('stderr', bytes), isatty: false })
    // sys.stdin reads fail at once; console.py replaces input() with a clear message.
    pyodide.setStdin({ error: true })
    const scope = pyodide.toPy({
      console_source: options.consoleSource,
      trace_recorder_source: options.traceRecorderSource
    })
    let pythonVersion: string
    try {
      pyodide.runPython(LOAD_CONSOLE_MODULE, { globals: scope })
      pythonVersion = String(scope.get('python_version'))
    } finally {
      scope.destroy()
    }
    // Only now that console.py's handler holds an interrupt outside the user's code: before, one
    // already signalled would raise KeyboardInterrupt in the loading itself and break it.
    if (interruptBuffer !== null) {
      interrupt = new Int32Array(interruptBuffer)
      // Pyodide only indexes slot 0 of what it is given (reads it, then writes 0).
      pyodide.setInterruptBuffer(polledSignal(interrupt) as unknown as Int32Array)
    }
    const modules: Modules = {
      console: pyodide.pyimport('yieldlab_console') as unknown as ConsoleModule
    }
    const now = performance.now()
    post({
      type: 'ready',
      pythonVersion,
      loadMs: Math.round(now - started),
      phases: {
        downloadMs: Math.round(downloaded - started),
        startMs: Math.round(runtimeStarted - downloaded),
        consoleMs: Math.round(now - runtimeStarted)
      }
    })
    return modules
  }

  function answer<M extends PythonMethod>(
    { console: module }: Modules,
    method: M,
    input: PythonRequests[M]['input']
  ): unknown {
    switch (method) {
      case 'run': {
        const { source, watch } = input as PythonRequests['run']['input']
        output.begin()
        try {
          const onResumed = watch === undefined ? undefined : () => post({ type: 'resumed' })
          return JSON.parse(module.run(source, watch ?? null, onResumed))
        } finally {
          output.end()
        }
      }
      case 'isComplete':
        return module.is_complete((input as PythonRequests['isComplete']['input']).source)
      case 'internals':
        return JSON.parse(module.internals((input as PythonRequests['internals']['input']).name))
      case 'reset':
        return JSON.parse(module.reset())
      case 'trace': {
        const { source, maxSteps, maxSeconds } = input as PythonRequests['trace']['input']
        // Checked here, in the worker, so a damaged trace is reported rather than drawn.
        return parseTraceJson(module.record_trace_json(source, maxSteps, maxSeconds))
      }
    }
    throw new Error(`unknown request ${String(method)}`)
  }

  return async (message) => {
    if (message.type === 'init') {
      if (ready === undefined) {
        ready = load(message.indexURL, message.interruptBuffer)
        ready.catch((error: unknown) =>
          post({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
        )
      }
      return
    }
    const { id, method, input } = message
    try {
      if (ready === undefined) throw new Error('Python has not been started')
      const modules = await ready
      if (interrupt !== null) {
        modules.console.forget_interrupt() // first: Python may take a stale signal as it runs
        armInterruptFor(interrupt, id)
      }
      post({ type: 'reply', id, ok: true, value: answer(modules, method, input) })
    } catch (error) {
      post({
        type: 'reply',
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        fatal: isFatalRuntimeError(error)
      })
    }
  }
}
