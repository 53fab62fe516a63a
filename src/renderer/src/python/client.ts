/**
 * The page's handle on Python: starts the worker lazily, turns requests into promises, and stops
 * runaway code, in place when the page is cross-origin isolated (interrupt buffer) or else by
 * restarting the worker. The transport is injected; the app's is a Web Worker (workerTransport.ts).
 */
import type {
  FromPythonWorker,
  LoadPhase,
  LoadPhases,
  OutputStream,
  PythonMethod,
  PythonRequests,
  ToPythonWorker,
  TraceLimits
} from './protocol'
import { createInterruptBuffer, requestInterrupt } from './interruptBuffer'

export interface PythonTransport {
  post(message: ToPythonWorker): void
  /** Stops the worker at once, whatever it is running. */
  terminate(): void
}

export type TransportFactory = (events: {
  onMessage(message: FromPythonWorker): void
  /** The transport itself failed (e.g. the worker script could not load). */
  onError(message: string): void
}) => PythonTransport

export interface ReadyInfo {
  pythonVersion: string
  /** From start() to Python answering, as the user waited for it. */
  loadMs: number
  /** Whether interrupt() can stop code in place (needs SharedArrayBuffer). */
  interruptible: boolean
  /** The worker's share of loadMs. */
  phases: LoadPhases
}

export type PythonEvent =
  | { type: 'progress'; phase: LoadPhase }
  | ({ type: 'ready' } & ReadyInfo)
  | { type: 'failed'; message: string }
  | { type: 'output'; stream: OutputStream; text: string }
  /** The generator the run watches was resumed: it runs from now on. */
  | { type: 'resumed' }
  | { type: 'restarted'; reason: string }
  /** An interrupt has not stopped the running code within the grace period; Python keeps running. */
  | { type: 'interruptStalled'; graceMs: number }

/** A request that never got its answer because Python was restarted under it. */
export class PythonRestartedError extends Error {
  override name = 'PythonRestartedError'
}

/** A run or recording that Interrupt cancelled while Python was loading: it never started. */
export class PythonInterruptedError extends Error {
  override name = 'PythonInterruptedError'
}

/** 'stalled': the code runs on after the grace period; the next interrupt() restarts Python. */
export type InterruptResult = 'idle' | 'interrupted' | 'stalled' | 'restarted'

export interface PythonClientOptions {
  createTransport: TransportFactory
  /** Same-origin URL of the folder holding Pyodide's files, ending in '/'. */
  indexURL: string
  /** Cross-origin isolated pages can share memory with the worker to interrupt in place. */
  crossOriginIsolated: boolean
  /** How long an interrupt may take before the user is told it has not stopped the code. */
  interruptGraceMs?: number
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

export class PythonClient {
  private transport: PythonTransport | undefined
  private startup: Promise<ReadyInfo> | undefined
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Set<(event: PythonEvent) => void>()
  private nextId = 1
  private interruptView: Int32Array | null = null
  private abandonStartup: ((error: Error) => void) | undefined
  /** The worker has said it is ready: until then requests wait here, where Interrupt cancels them. */
  private loaded = false
  /** What cancels each request waiting here for Python to load, before the worker ever sees it. */
  private readonly waitingForLoad = new Map<number, (error: PythonInterruptedError) => void>()
  /** Counts workers: a request made for one worker must not reach its replacement. */
  private generation = 0
  /** The run requests in flight with their ids, oldest first (runs are queued by the worker). */
  private readonly runs = new Map<Promise<unknown>, number>()
  /** The interrupt under way, for the run it was sent to: pressing Interrupt twice sends one. */
  private interrupting: { run: Promise<unknown>; result: Promise<InterruptResult> } | undefined
  /** The run an interrupt did not stop within the grace period: the next interrupt restarts. */
  private stalledRun: Promise<unknown> | undefined

  constructor(private readonly options: PythonClientOptions) {}

  get interruptible(): boolean {
    return this.options.crossOriginIsolated && typeof SharedArrayBuffer === 'function'
  }

  get running(): boolean {
    return this.runs.size > 0
  }

  on(listener: (event: PythonEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts Python the first time it is called; later calls return the same startup. */
  start(): Promise<ReadyInfo> {
    this.startup ??= this.launch()
    return this.startup
  }

  async run(source: string, watch?: string): Promise<PythonRequests['run']['output']> {
    const { id, reply } = this.send('run', watch === undefined ? { source } : { source, watch })
    this.runs.set(reply, id)
    try {
      return await reply
    } finally {
      this.runs.delete(reply)
    }
  }

  /** Records `source` step by step; Interrupt stops it as it stops a run. */
  async trace(source: string, limits: TraceLimits): Promise<PythonRequests['trace']['output']> {
    const { id, reply } = this.send('trace', { source, ...limits })
    this.runs.set(reply, id)
    try {
      return await reply
    } finally {
      this.runs.delete(reply)
    }
  }

  isComplete(source: string): Promise<boolean> {
    return this.request('isComplete', { source })
  }

  internals(name: string): Promise<PythonRequests['internals']['output']> {
    return this.request('internals', { name })
  }

  reset(): Promise<PythonRequests['reset']['output']> {
    return this.request('reset', {})
  }

  /**
   * Stops the running code with KeyboardInterrupt in place when possible, or else by restarting
   * the worker (the namespace is lost). Code can outlast an interrupt (one long call into C, or a
   * loop that catches KeyboardInterrupt): after the grace period it is reported as 'stalled', and
   * only an interrupt asked for after that restarts Python. A slow machine never costs the names.
   * While Python loads, the run has not reached the worker: it is cancelled here (rejected with
   * PythonInterruptedError), and Python loads on.
   */
  async interrupt(): Promise<InterruptResult> {
    const oldest = this.runs.entries().next()
    if (oldest.done === true) return 'idle'
    const [run, id] = oldest.value
    if (!this.loaded) {
      this.waitingForLoad.get(id)?.(
        new PythonInterruptedError('Interrupted before it started: Python was still loading.')
      )
      return 'interrupted'
    }
    if (this.interruptView === null) {
      await this.restart(
        'Interrupting in place needs cross-origin isolation (SharedArrayBuffer), which this window does not have, so Python was restarted.'
      )
      return 'restarted'
    }
    if (this.stalledRun === run) {
      await this.restart('Interrupt was pressed again while the code still ran.')
      return 'restarted'
    }
    if (this.interrupting?.run !== run)
      this.interrupting = { run, result: this.signalInterrupt(this.interruptView, run, id) }
    return this.interrupting.result
  }

  private async signalInterrupt(view: Int32Array, run: Promise<unknown>, id: number): Promise<InterruptResult> {
    const generation = this.generation
    requestInterrupt(view, id)
    const graceMs = this.options.interruptGraceMs ?? 1000
    const settled = await Promise.race([
      Promise.allSettled([run]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs))
    ])
    if (generation !== this.generation) return 'restarted' // Restart was pressed meanwhile
    if (settled) return 'interrupted'
    this.stalledRun = run
    this.emit({ type: 'interruptStalled', graceMs })
    return 'stalled'
  }

  /** Throws away the worker and everything defined in it, and starts a fresh Python. */
  async restart(reason: string): Promise<ReadyInfo> {
    this.shutdown(reason)
    this.emit({ type: 'restarted', reason })
    return this.start()
  }

  /** Ends the worker for good (the page is going away). */
  dispose(): void {
    this.shutdown('The Python console was closed.')
    this.listeners.clear()
  }

  private shutdown(reason: string): void {
    this.generation++
    this.transport?.terminate()
    this.transport = undefined
    this.startup = undefined
    this.interruptView = null
    const error = new PythonRestartedError(reason)
    this.abandonStartup?.(error) // whoever waits for the old worker to start waits no more
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
    this.runs.clear()
    this.interrupting = undefined
    this.stalledRun = undefined
  }

  private launch(): Promise<ReadyInfo> {
    const started = performance.now()
    this.loaded = false
    const interruptBuffer = this.interruptible ? createInterruptBuffer() : null
    this.interruptView = interruptBuffer === null ? null : new Int32Array(interruptBuffer)
    const startup = new Promise<ReadyInfo>((resolve, reject) => {
      this.abandonStartup = reject
      const fail = (message: string): void => {
        this.startup = undefined // a later start() tries again
        this.transport?.terminate()
        this.transport = undefined
        this.emit({ type: 'failed', message })
        reject(new Error(message))
      }
      const transport = this.options.createTransport({
        onMessage: (message) => {
          if (this.transport !== transport) return // a message from a worker already restarted
          switch (message.type) {
            case 'ready': {
              const info: ReadyInfo = {
                pythonVersion: message.pythonVersion,
                loadMs: Math.round(performance.now() - started),
                interruptible: this.interruptView !== null,
                phases: message.phases
              }
              this.loaded = true
              this.emit({ type: 'ready', ...info })
              resolve(info)
              break
            }
            case 'failed':
              fail(message.message)
              break
            case 'progress':
            case 'output':
            case 'resumed':
              this.emit(message)
              break
            case 'reply': {
              // A runtime that failed for good still answers, wrongly: only a fresh one can go on.
              if (!message.ok && message.fatal === true) {
                void this.restart(`Python's runtime failed (${message.message}) and could not run code any more.`)
                break
              }
              const pending = this.pending.get(message.id)
              this.pending.delete(message.id)
              if (message.ok) pending?.resolve(message.value)
              else pending?.reject(new Error(message.message))
              break
            }
          }
        },
        onError: (message) => {
          if (this.transport === transport) fail(message)
        }
      })
      this.transport = transport
      transport.post({ type: 'init', indexURL: this.options.indexURL, interruptBuffer })
    })
    startup.catch(() => undefined) // failures reach callers and the 'failed' event; none is unhandled
    return startup
  }

  private request<M extends PythonMethod>(
    method: M,
    input: PythonRequests[M]['input']
  ): Promise<PythonRequests[M]['output']> {
    return this.send(method, input).reply
  }

  /** The id is given at once, so an interrupt can name a request the worker has not started. */
  private send<M extends PythonMethod>(
    method: M,
    input: PythonRequests[M]['input']
  ): { id: number; reply: Promise<PythonRequests[M]['output']> } {
    const id = this.nextId++
    return { id, reply: this.post(id, method, input) }
  }

  private async post<M extends PythonMethod>(
    id: number,
    method: M,
    input: PythonRequests[M]['input']
  ): Promise<PythonRequests[M]['output']> {
    const generation = this.generation
    await this.loadedFor(id)
    const transport = this.transport
    // Restarted while waiting for the start: the input that needed stopping must not run again.
    if (transport === undefined || generation !== this.generation)
      throw new PythonRestartedError('Python was restarted.')
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      transport.post({ type: 'request', id, method, input } as ToPythonWorker)
    })
  }

  /** Waits for Python to load; until it has, interrupt() can cancel request `id` before it is sent. */
  private async loadedFor(id: number): Promise<void> {
    const cancelled = new Promise<never>((_, reject) => this.waitingForLoad.set(id, reject))
    try {
      await Promise.race([this.start(), cancelled])
    } finally {
      this.waitingForLoad.delete(id)
    }
  }

  private emit(event: PythonEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}
