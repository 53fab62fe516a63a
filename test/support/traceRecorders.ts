/**
 * The trace recorder (trace_recorder.py) on both of its runtimes: the system python3 (CPython, as
 * `npm run trace` runs it) and Pyodide in Node, loaded by the worker's own host (pythonHost.ts) so
 * the test goes through the way the app imports it. Every trace is checked by the shared schema.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPyodide, type PyodideInterface } from 'pyodide'
import type { FromPythonWorker } from '../../src/renderer/src/python/protocol'
import { createPythonHost } from '../../src/renderer/src/python/pythonHost'
import { parseTraceJson, type Trace } from '../../src/shared/trace'
import { requirePython } from './python'

export const RECORDER_PATH = fileURLToPath(new URL('../../src/renderer/src/python/trace_recorder.py', import.meta.url))
const CONSOLE_PATH = fileURLToPath(new URL('../../src/renderer/src/python/console.py', import.meta.url))

export interface RecordOptions {
  maxSteps?: number
  maxSeconds?: number
  /** Overrides the recorder's MAX_TRACE_ENTRIES (its size limit) for this recording. */
  maxEntries?: number
}

export interface TraceRecorder {
  runtime: 'CPython' | 'Pyodide'
  /** The runtime itself, for Pyodide. */
  pyodide?: PyodideInterface
  /** The trace as JSON text, as the recorder writes it. */
  recordJson(source: string, options?: RecordOptions): string
  record(source: string, options?: RecordOptions): Trace
}

const CPYTHON_SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
import trace_recorder
options = json.loads(sys.argv[2])
if options["max_entries"] is not None:
    trace_recorder.MAX_TRACE_ENTRIES = options["max_entries"]
sys.stdout.write(trace_recorder.record_json(sys.stdin.read(), options["max_steps"], options["max_seconds"]))
`

function limits(options: RecordOptions): { max_steps: number; max_seconds: number; max_entries: number | null } {
  return {
    max_steps: options.maxSteps ?? 10_000,
    max_seconds: options.maxSeconds ?? 10,
    max_entries: options.maxEntries ?? null
  }
}

export function cpythonRecorder(): TraceRecorder {
  const recordJson = (source: string, options: RecordOptions = {}): string => {
    requirePython()
    const run = spawnSync('python3', ['-c', CPYTHON_SCRIPT, dirname(RECORDER_PATH), JSON.stringify(limits(options))], {
      encoding: 'utf8',
      input: source,
      maxBuffer: 512 * 1024 * 1024,
      // A recorder that does not stop at its time cap fails the test instead of hanging it.
      timeout: (limits(options).max_seconds + 20) * 1000,
      killSignal: 'SIGKILL'
    })
    if (run.status !== 0)
      throw new Error(
        `python3 running the recorder failed (status ${String(run.status)}, signal ${String(run.signal)}): ${run.error?.message ?? run.stderr}`
      )
    return run.stdout
  }
  return { runtime: 'CPython', recordJson, record: (source, options) => parseTraceJson(recordJson(source, options)) }
}

interface RecorderModule {
  MAX_TRACE_ENTRIES: number
}

interface ConsoleRecording {
  record_trace_json(source: string, maxSteps: number, maxSeconds: number): string
}

/** Pyodide with console.py and trace_recorder.py loaded by the worker's host, as in the app. */
export async function loadPyodideWithRecorder(): Promise<PyodideInterface> {
  const pyodide = await loadPyodide()
  const messages: FromPythonWorker[] = []
  const host = createPythonHost({
    post: (message) => messages.push(message),
    consoleSource: readFileSync(CONSOLE_PATH, 'utf8'),
    traceRecorderSource: readFileSync(RECORDER_PATH, 'utf8'),
    loadRuntime: async () => pyodide
  })
  await host({ type: 'init', indexURL: 'in-process/', interruptBuffer: null })
  // The host loads in the background and says when it is ready (or why it failed).
  for (let tries = 0; !messages.some((message) => message.type === 'ready' || message.type === 'failed'); tries++) {
    if (tries > 1000) throw new Error('Pyodide did not say it was ready')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const failed = messages.find((message) => message.type === 'failed')
  if (failed !== undefined) throw new Error(`Pyodide failed to load: ${JSON.stringify(failed)}`)
  return pyodide
}

export async function pyodideRecorder(): Promise<TraceRecorder> {
  const pyodide = await loadPyodideWithRecorder()
  const module = pyodide.pyimport('trace_recorder') as unknown as RecorderModule
  // The worker's host records through the console, which lets Interrupt reach the program.
  const consoleModule = pyodide.pyimport('yieldlab_console') as unknown as ConsoleRecording
  const sizeLimit = module.MAX_TRACE_ENTRIES
  const recordJson = (source: string, options: RecordOptions = {}): string => {
    const { max_steps, max_seconds, max_entries } = limits(options)
    module.MAX_TRACE_ENTRIES = max_entries ?? sizeLimit
    try {
      return consoleModule.record_trace_json(source, max_steps, max_seconds)
    } finally {
      module.MAX_TRACE_ENTRIES = sizeLimit
    }
  }
  return {
    runtime: 'Pyodide',
    pyodide,
    recordJson,
    record: (source, options) => parseTraceJson(recordJson(source, options))
  }
}

/** What python3 prints running the program plainly (its stdout, even when it raises). */
export function plainStdout(source: string): string {
  requirePython()
  try {
    return execFileSync('python3', ['-c', source], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const { stdout } = error as { stdout?: string }
    if (typeof stdout !== 'string') throw error
    return stdout
  }
}
