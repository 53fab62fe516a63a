/**
 * Runs remote generators in a worker thread, one at a time, so a long walk or read never blocks
 * main. Once a job has ended (its generator returned, raised or was closed, and the host got the
 * reply that says so), the worker waits for the next job: the host keeps it as its spare, so the
 * next job runs on code V8 has already compiled and optimised.
 * It only advances the generator when asked (next), so it never runs ahead of the renderer;
 * except that kinds in jobsReadingAhead (whose items are facts read from disk, with nothing fed
 * back), while streaming (pulls of more than one item), make the next batch right after sending
 * one, so walking overlaps the transport and the tree's work in the renderer.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads'
import { LabError } from '../../../shared/errors'
import { jobItemsCodecs, type JobProgressReport, type JobStats } from '../../../shared/jobKinds'
import { toLabError } from '../errors'
import type { JobReply, JobRequest, JobWorkerData } from './jobProtocol'
import { jobRegistry, jobsReadingAhead } from './jobRegistry'
import type { JobControl } from '../progress'
import type { JobProgress } from '../../../shared/jobs'
import { isSummableBuffer } from '../sum'

/** A batch returns early after this long, so items stream to the renderer while a big pull runs. */
const BATCH_TIME_BUDGET_MS = 50
const PROGRESS_INTERVAL_MS = 100

const port = parentPort!
// The job comes in the first message, not in workerData: the host starts a spare worker before any
// job is asked for, so opening a walk does not wait ~0.1 s for a thread to boot and load this module.
awaitJob()

function awaitJob(): void {
  port.once('message', (data: JobWorkerData) => runJob(data))
}

function runJob({ kind, args, cancelFlag }: JobWorkerData): void {
  const cancelled = new Int32Array(cancelFlag)

  /** The latest report, sent as a JobProgressReport when due: a walk reports once per directory. */
  let pendingProgress: JobProgress<JobStats<typeof kind>> | undefined
  let lastProgressAt = 0

  function post(reply: JobReply, transfer: TransferListItem[] = []): void {
    port.postMessage(reply, transfer)
  }

  function flushProgress(): void {
    if (pendingProgress === undefined) return
    // The generator of `kind` reports that kind's stats (jobRegistry's types say so).
    post({ type: 'progress', progress: { ...pendingProgress, kind } as JobProgressReport })
    pendingProgress = undefined
    lastProgressAt = performance.now()
  }

  const control: JobControl<JobStats<typeof kind>> = {
    isCancelled: () => Atomics.load(cancelled, 0) !== 0,
    report(progress) {
      pendingProgress = progress
      if (performance.now() - lastProgressAt >= PROGRESS_INTERVAL_MS) flushProgress()
    },
    log(line) {
      post({ type: 'log', line })
    },
    pause(ms) {
      // Main notifies the flag on cancel, so a pause never delays a cancel.
      Atomics.wait(cancelled, 0, 0, ms)
      return Atomics.load(cancelled, 0) === 0
    }
  }

  const factory = jobRegistry[kind] as (
    args: unknown,
    control: JobControl<JobStats<typeof kind>>
  ) => Generator<unknown, unknown, unknown>
  /** Made at the first request, inside its error handling: a factory that throws becomes a LabError reply. */
  let made: Generator<unknown, unknown, unknown> | undefined
  const generator = (): Generator<unknown, unknown, unknown> => (made ??= factory(args, control))
  /** An error raised after some items of a batch were produced; delivered on the next pull, as Python would. */
  let deferredError: LabError | undefined

  /**
   * Typed-array items cross threads by transfer, not copy; views into a shared pool, and arrays in
   * WebAssembly memory (which cannot be transferred), are copied first.
   */
  function transferable(item: unknown, transfer: TransferListItem[]): unknown {
    if (!ArrayBuffer.isView(item)) return item
    const view = item as ArrayBufferView & { slice(): ArrayBufferView }
    const ownsBuffer =
      view.byteOffset === 0 &&
      view.byteLength === view.buffer.byteLength &&
      view.buffer instanceof ArrayBuffer &&
      !isSummableBuffer(view.buffer)
    const owned = ownsBuffer ? view : view.slice()
    transfer.push(owned.buffer as ArrayBuffer)
    return owned
  }

  interface Batch {
    items: unknown[]
    transfer: TransferListItem[]
    done: boolean
    value?: unknown
  }

  /** Runs the generator for up to maxItems items or the time budget; the error of a later item is deferred. */
  function produce(maxItems: number): Batch {
    if (deferredError !== undefined) throw deferredError
    const items: unknown[] = []
    const transfer: TransferListItem[] = []
    const deadline = performance.now() + BATCH_TIME_BUDGET_MS
    while (items.length < maxItems) {
      if (control.isCancelled()) {
        generator().return(undefined)
        throw new LabError('CANCELLED', 'Cancelled.')
      }
      let step: IteratorResult<unknown, unknown>
      try {
        step = generator().next()
      } catch (error) {
        if (items.length === 0) throw error
        deferredError = toLabError(error)
        break
      }
      if (step.done === true) {
        if (control.isCancelled()) throw new LabError('CANCELLED', 'Cancelled.')
        return { items, transfer, done: true, value: step.value }
      }
      items.push(transferable(step.value, transfer))
      // The clock is read for each of the first items (a slow source), then every 64 (a fast one).
      if ((items.length < 64 || (items.length & 63) === 0) && performance.now() > deadline) break
    }
    return { items, transfer, done: false }
  }

  /**
   * A batch made before it was asked for (kinds in jobsReadingAhead, while streaming): handed out
   * by the next pull, so the worker walks on while the last batch travels and is shown.
   */
  let ahead: Batch | undefined
  const readsAhead = jobsReadingAhead.has(kind)
  /** return() reached the generator, or the job ended: no batch is made ahead after it. */
  let noBatchAhead = false

  const codec = jobItemsCodecs[kind]

  /** Sends a batch's items (packed, for kinds that travel so), its end, and any progress before it. */
  function sendBatch(batch: Batch): void {
    flushProgress()
    if (codec !== undefined && batch.items.length > 0) {
      const { packed, transfer } = codec.pack(batch.items)
      post({ type: 'batch', items: [], packed, done: batch.done, value: batch.value }, transfer)
    } else post({ type: 'batch', items: batch.items, done: batch.done, value: batch.value }, batch.transfer)
    if (batch.done) endJob()
  }

  function pull(maxItems: number): void {
    let batch: Batch
    if (ahead !== undefined) {
      batch = ahead
      ahead = undefined
      if (batch.items.length > maxItems) {
        // A step after a streaming pull: hand out what was asked, keep the rest for later pulls.
        ahead = { items: batch.items.slice(maxItems), transfer: [], done: batch.done, value: batch.value }
        batch = { items: batch.items.slice(0, maxItems), transfer: [], done: false }
      }
    } else batch = produce(maxItems)
    sendBatch(batch)
    if (readsAhead && maxItems > 1 && !batch.done && ahead === undefined)
      setImmediate(() => {
        // Made only if nothing else (a return, a throw) came meanwhile; an error waits for the next pull.
        if (ahead !== undefined || noBatchAhead) return
        try {
          ahead = produce(maxItems)
        } catch (error) {
          deferredError = toLabError(error)
        }
        flushProgress()
      })
  }

  function resume(step: () => IteratorResult<unknown, unknown>): void {
    const result = step()
    const transfer: TransferListItem[] = []
    const items = result.done === true ? [] : [transferable(result.value, transfer)]
    sendBatch({ items, transfer, done: result.done === true, value: result.done === true ? result.value : undefined })
  }

  function onRequest(request: JobRequest): void {
    try {
      switch (request.op) {
        case 'next':
          pull(request.maxItems)
          break
        case 'return':
          deferredError = undefined
          ahead = undefined
          noBatchAhead = true
          resume(() => generator().return(undefined))
          break
        case 'throw':
          // Raised where the consumer stands: after the items it has seen, so a batch made ahead goes.
          ahead = undefined
          resume(() => generator().throw(new LabError('THROWN', request.message)))
          break
      }
    } catch (error) {
      flushProgress()
      post({ type: 'error', error: toLabError(error).toInfo() })
      // The host closes a job whose request failed, as Python closes a generator that raised.
      endJob()
    }
  }

  /** After the reply that ends the job: its generator is closed (its finally has run) and the worker is free. */
  function endJob(): void {
    noBatchAhead = true
    ahead = undefined
    try {
      // Already closed when it returned or raised; a job that failed elsewhere (packing a batch) is closed here.
      made?.return(undefined)
    } catch {
      // The job has ended for the host already; an error from its finally has no one left to reach.
    }
    port.off('message', onRequest)
    awaitJob()
  }

  port.on('message', onRequest)
}
