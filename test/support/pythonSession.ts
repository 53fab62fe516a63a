/**
 * The console's Python side (console.py) on the real Pyodide, in Node and without a browser: it
 * is loaded the way the app's worker loads it, and its transcript is written like the console's
 * (input after `>>> ` / `... ` prompts, then what it printed).
 */
import { readFileSync } from 'node:fs'
import { loadPyodide, type PyodideInterface } from 'pyodide'
import type { RunOutcome } from '../../src/renderer/src/python/protocol'
import { promptedInput } from '../../src/renderer/src/python/transcript'

export const consoleSource = readFileSync(new URL('../../src/renderer/src/python/console.py', import.meta.url), 'utf8')

/** Object addresses differ from run to run (and from the lecture's machine). */
export function withoutAddresses(text: string): string {
  return text.replace(/ at 0x[0-9a-f]+/g, ' at 0x…')
}

interface ConsoleModule {
  run(source: string, watch: string | null, onResumed?: () => void): string
  is_complete(source: string): boolean
  internals(name: string): string
  reset(): string
  forget_interrupt(): void
}

export interface RunResult {
  outcome: RunOutcome
  stdout: string
  stderr: string
  /** stdout and stderr in the order they were written. */
  output: string
}

export class PythonSession {
  readonly interrupt = new Uint8Array(new SharedArrayBuffer(1))
  transcript = ''
  private pyodide!: PyodideInterface
  private module!: ConsoleModule
  private written: { stream: 'stdout' | 'stderr'; text: string }[] = []

  /** As pythonHost.ts does in the app's worker. */
  async start(): Promise<void> {
    this.pyodide = await loadPyodide()
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
    for (const stream of ['stdout', 'stderr'] as const) {
      const write = (bytes: Uint8Array): number => {
        this.written.push({ stream, text: decoders[stream].decode(bytes, { stream: true }) })
        return bytes.length
      }
      if (stream === 'stdout') this.pyodide.setStdout({ write })
      else this.pyodide.setStderr({ write })
    }
    this.pyodide.setStdin({ error: true })
    const scope = this.pyodide.toPy({ console_source: consoleSource })
    this.pyodide.runPython(
      'import sys, types\nmodule = types.ModuleType("yieldlab_console")\nsys.modules["yieldlab_console"] = module\nexec(compile(console_source, "<yield-lab console>", "exec"), module.__dict__)',
      { globals: scope }
    )
    scope.destroy()
    this.pyodide.setInterruptBuffer(this.interrupt)
    this.module = this.pyodide.pyimport('yieldlab_console') as unknown as ConsoleModule
  }

  reset(): RunOutcome {
    return JSON.parse(this.module.reset()) as RunOutcome
  }

  isComplete(source: string): boolean {
    return this.module.is_complete(source)
  }

  internals<T = Record<string, unknown>>(name: string): T {
    return JSON.parse(this.module.internals(name)) as T
  }

  /** What the input running now has printed so far, stdout and stderr in order. */
  get outputSoFar(): string {
    return this.written.map((chunk) => chunk.text).join('')
  }

  /**
   * Runs input as the console does: echoed with prompts, then its output. `interruptPressed`:
   * Interrupt was pressed for this input before it started, so it starts signalled. `onResumed`:
   * called as the watched generator's frame resumes, as the worker then tells the page.
   */
  run(
    source: string,
    watch?: string,
    { interruptPressed = false, onResumed }: { interruptPressed?: boolean; onResumed?: () => void } = {}
  ): RunResult {
    this.written = []
    // As the worker's host starts each request: nothing is left over from an earlier one.
    this.module.forget_interrupt()
    this.interrupt[0] = interruptPressed ? 2 : 0
    const outcome = JSON.parse(this.module.run(source, watch ?? null, onResumed)) as RunOutcome
    const of = (stream: string): string =>
      this.written
        .filter((chunk) => chunk.stream === stream)
        .map((chunk) => chunk.text)
        .join('')
    const output = this.written.map((chunk) => chunk.text).join('')
    this.transcript += `${promptedInput(source)}\n${output}`
    return { outcome, stdout: of('stdout'), stderr: of('stderr'), output }
  }

  runAll(inputs: readonly string[]): string {
    const start = this.transcript.length
    for (const input of inputs) this.run(input)
    return this.transcript.slice(start)
  }
}
