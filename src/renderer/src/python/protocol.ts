/**
 * The messages between the renderer and the Python worker, and the shapes of what the console's
 * Python side (console.py) reports. Python answers in JSON, so these types mirror its dicts.
 */
import type { GeneratorState } from '@shared/contract'
import type { Trace } from '@shared/trace'

export interface NamedRepr {
  name: string
  repr: string
}

/**
 * What a generator last did since it was bound: yielded or returned a value (its repr), raised an
 * exception out of its frame, or was closed (GeneratorExit).
 */
export type LastEvent = { event: 'yielded' | 'returned' | 'raised'; repr: string } | { event: 'closed'; repr: null }

/** A generator or coroutine bound to a name in the console's namespace. */
export interface LiveObject {
  name: string
  /** Other names bound to the same object. */
  aliases: string[]
  kind: 'generator' | 'coroutine'
  qualname: string
  repr: string
  state: GeneratorState
  /** gi_frame.f_locals; empty once closed. */
  locals: NamedRepr[]
  /** gi_frame.f_lineno and its source text; null once closed. */
  line: number | null
  source: string | null
  location: string
  /** The iterator it delegates to with `yield from`, if any. */
  delegatingTo: string | null
  /** Null until it runs after being bound. */
  last: LastEvent | null
}

export type InspectableKind =
  'function' | 'lambda' | 'generator function' | 'coroutine function' | 'generator' | 'coroutine'

export interface Inspectable {
  name: string
  kind: InspectableKind
  /** When the console first saw the object: the highest is the newest. */
  serial: number
}

export interface FrameInfo {
  function: string
  file: string
  line: number
  source: string
  isGenerator: boolean
}

/** The frame stack at the moment a button resumed a generator (global frame first). */
export interface ResumeSnapshot {
  name: string
  resumedStack: FrameInfo[]
  /** Whether its frame outlived the call (it paused at a yield rather than finishing). */
  frameAlive: boolean
}

/** How an input ended: 'syntax-error' did not compile, so nothing of it ran; 'error' raised as it ran. */
export type RunStatus = 'ok' | 'error' | 'syntax-error' | 'interrupted'

export interface RunOutcome {
  status: RunStatus
  /**
   * For an input that raised ('error'), the numbers (from 1) of its lines that go on with a string
   * begun on an earlier line, as Python's tokenizer finds them; empty otherwise.
   */
  linesInsideStrings: number[]
  objects: LiveObject[]
  inspectables: Inspectable[]
  resume: ResumeSnapshot | null
  /** The names the user has bound (Restart forgets them). */
  names: string[]
}

export interface AttributeRow {
  attribute: string
  description?: string
  value: string
}

export interface SuspendedFrame extends FrameInfo {
  owner: string
  state: GeneratorState
  back: string
}

export interface GeneratorFrame extends FrameInfo {
  locals: NamedRepr[]
  lasti: number
  back: string
}

export interface InternalsReport {
  name: string
  kind: InspectableKind
  repr: string
  signature: string | null
  /** The lecture's function attributes table, or a generator's gi_* attributes. */
  attributes: AttributeRow[]
  /** `__code__` (or gi_code) attributes. */
  code: AttributeRow[]
  /** dis output; for a suspended generator the instruction it resumes at is marked `-->`. */
  bytecode: string
  state?: GeneratorState
  frame: GeneratorFrame | null
  suspendedFrames: SuspendedFrame[]
}

export type Internals = InternalsReport | { name: string; error: string }

/** What the worker can be asked, with the argument and answer of each request. */
export interface PythonRequests {
  run: { input: { source: string; watch?: string }; output: RunOutcome }
  isComplete: { input: { source: string }; output: boolean }
  internals: { input: { name: string }; output: Internals }
  reset: { input: Record<string, never>; output: RunOutcome }
  /** Records a program step by step (trace_recorder.py) in a namespace of its own; the console's is untouched. */
  trace: { input: TraceLimits & { source: string }; output: Trace }
}

/** When a recording stops: after this many steps, or this many seconds (the trace says it was cut). */
export interface TraceLimits {
  maxSteps: number
  maxSeconds: number
}
export type PythonMethod = keyof PythonRequests

/** Loading Python: reading the bundled wasm runtime from the app (no network) and compiling it, then starting the interpreter. */
export type LoadPhase = 'downloading' | 'starting'

/** Where the worker's loading time went, in milliseconds. */
export interface LoadPhases {
  /** Reading the bundled wasm runtime from the app and compiling it (as it streams in). */
  downloadMs: number
  /** Mounting the standard library and starting the interpreter. */
  startMs: number
  /** Loading the console's own Python code. */
  consoleMs: number
}
export type OutputStream = 'stdout' | 'stderr' | 'notice'

export type ToPythonWorker =
  | {
      type: 'init'
      /** Same-origin folder holding pyodide.mjs, pyodide.asm.wasm and python_stdlib.zip. */
      indexURL: string
      /** The interrupt buffer (interruptBuffer.ts); null without cross-origin isolation. */
      interruptBuffer: SharedArrayBuffer | null
    }
  | { [M in PythonMethod]: { type: 'request'; id: number; method: M; input: PythonRequests[M]['input'] } }[PythonMethod]

export type FromPythonWorker =
  | { type: 'progress'; phase: LoadPhase }
  | { type: 'ready'; pythonVersion: string; loadMs: number; phases: LoadPhases }
  | { type: 'failed'; message: string }
  | { type: 'output'; stream: OutputStream; text: string }
  /** The generator a run watches has just been resumed: its frame runs (before, its argument was evaluated). */
  | { type: 'resumed' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  /** fatal: the runtime itself failed (Pyodide's fatal error, e.g. the wasm stack overflowed) and cannot run code any more. */
  | { type: 'reply'; id: number; ok: false; message: string; fatal?: boolean }
