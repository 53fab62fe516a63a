/**
 * Remote generators: each job is a generator running in a worker thread of its own while it is
 * open, owned by one renderer. The renderer pulls batches; return() closes the generator (its
 * finally runs, files close) and also cancels a batch in flight. Jobs of a renderer that reloads
 * or goes away are closed.
 */
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import type { Worker } from 'node:worker_threads'
import * as v from 'valibot'
import type { GeneratorState, JobBatch, JobHandle } from '../../../shared/contract'
import { LabError } from '../../../shared/errors'
import {
  jobArgsSchemas,
  type JobArgs,
  type JobKind,
  type JobProgressReport,
  type JobValue
} from '../../../shared/jobKinds'
import type { ParsedSampleDataArgs } from '../../../shared/readJobs'
import type { JobReply, JobRequest, JobWorkerData } from './jobProtocol'
import { removeTemporaryFilesOf, writerTag } from '../temporaryFiles'
import { validationError } from '../validation'

export type Owner = string | number

export interface JobHostOptions {
  /** A job worker (jobWorker.ts), not yet given its job: the host sends it as the first message. */
  createWorker(): Worker
  onProgress(owner: Owner, id: string, progress: JobProgressReport): void
  onLog(owner: Owner, id: string, line: string): void
  /** Open (not yet closed) generators one renderer may hold at once. */
  maxOpenJobsPerOwner?: number
  /** Live job workers across all renderers (default: 8, or twice the cores if more). */
  maxLiveWorkers?: number
  /** How long return() waits for a batch in flight to stop, or for the generator to close, before it abandons the worker (default CANCEL_GRACE_MS). */
  cancelGraceMs?: number
}

interface Job {
  id: string
  kind: JobKind
  owner: Owner
  state: GeneratorState
  worker?: Worker
  /** The worker's thread id, kept after it exits: it names the temporary files the worker wrote. */
  threadId: number
  args: unknown
  cancelFlag: Int32Array
  /** The request in flight, if any: one at a time, like a Python generator. */
  pending?: { resolve(reply: JobReply): void; settled: Promise<unknown> }
  /** The worker died while no request was in flight: the next pull gets this error. */
  death?: LabError
}

const CLOSED_JOBS_KEPT = 1000
/**
 * A job checks its cancel flag between directories, chunks and items, so a cancel lands in
 * milliseconds; one still running after this long is stuck inside one call (a network file
 * system that stopped answering, say), which no flag reaches.
 */
export const CANCEL_GRACE_MS = 3000

export class JobHost {
  private readonly jobs = new Map<string, Job>()
  private lastId = 0
  /**
   * A worker ready for the next job: booting a thread and loading the worker's code takes about
   * 0.1 s, which a walk of /usr (0.4 s for ncdu) should not wait for. Made by prepareWorker, or
   * the worker of a job that ended cleanly (its code is compiled and optimised already: a walk of
   * /usr on it took about a third less CPU than on a fresh worker). At most one; unref'd, so it
   * never keeps the process alive.
   */
  private spare: Worker | undefined
  private closingAll = false

  constructor(private readonly options: JobHostOptions) {}

  /** Starts the spare worker if there is none: call at startup, so the first job starts at once. */
  prepareWorker(): void {
    if (this.spare !== undefined || this.closingAll) return
    this.keepSpare(this.options.createWorker())
  }

  private keepSpare(worker: Worker): void {
    worker.unref()
    const forget = (): void => {
      if (this.spare === worker) this.spare = undefined
    }
    worker.once('exit', forget)
    worker.once('error', forget)
    this.spare = worker
  }

  /** The spare worker, or a new one; ref'd again, since it now runs a job. */
  private takeWorker(): Worker {
    const worker = this.spare ?? this.options.createWorker()
    this.spare = undefined
    worker.removeAllListeners('exit')
    worker.removeAllListeners('error')
    worker.ref()
    return worker
  }

  open(owner: Owner, kind: JobKind, rawArgs: unknown): JobHandle {
    const parsed = v.safeParse(jobArgsSchemas[kind], rawArgs)
    if (!parsed.success) throw validationError(`${kind} arguments`, parsed.issues)
    const limit = this.options.maxOpenJobsPerOwner ?? 64
    if (this.openJobs(owner).length >= limit) {
      throw new LabError('UNAVAILABLE', `Too many open generators (${limit}); close some before opening more.`)
    }
    const liveLimit = this.options.maxLiveWorkers ?? Math.max(8, 2 * availableParallelism())
    const live = [...this.jobs.values()].filter((job) => job.worker !== undefined).length
    if (live >= liveLimit) {
      throw new LabError(
        'UNAVAILABLE',
        `${live} generators are running or open across all windows, the most the app runs at once (${liveLimit}). ` +
          'Cancel a run, or finish or close a walk or reader (or reload a window to close its own), then try again.'
      )
    }
    const cancelFlag = new SharedArrayBuffer(4)
    const worker = this.takeWorker()
    worker.postMessage({ kind, args: parsed.output, cancelFlag } satisfies JobWorkerData)
    const job: Job = {
      id: `job-${++this.lastId}`,
      kind,
      owner,
      state: 'created',
      worker,
      threadId: worker.threadId,
      args: parsed.output,
      cancelFlag: new Int32Array(cancelFlag)
    }
    worker.on('message', (reply: JobReply) => this.receive(job, reply))
    worker.on('error', (error) => this.die(job, `${kind} job ${job.id} failed in its worker thread: ${error.message}`))
    worker.on('exit', (exitCode) =>
      this.die(
        job,
        `${kind} job ${job.id} stopped: its worker thread exited (exit code ${exitCode}) before the job ended.`
      )
    )
    this.jobs.set(job.id, job)
    this.forgetOldClosedJobs()
    return this.handle(job)
  }

  /**
   * Runs a job for main's own use (a check too long for main's thread) to its end in a worker, as
   * `owner`'s; gives what it returns, or throws its error.
   */
  async runToEnd<K extends JobKind>(owner: Owner, kind: K, args: JobArgs<K>): Promise<JobValue<K>> {
    const { id } = this.open(owner, kind, args)
    for (;;) {
      const batch = await this.next(owner, id, 1)
      if (batch.done) return batch.value as JobValue<K>
    }
  }

  next(owner: Owner, id: string, maxItems: number): Promise<JobBatch> {
    return this.request(this.find(owner, id), { op: 'next', maxItems })
  }

  throw(owner: Owner, id: string, message: string): Promise<JobBatch> {
    return this.request(this.find(owner, id), { op: 'throw', message })
  }

  /**
   * Closes the generator (running its finally). A batch in flight is cancelled first. A worker
   * that does not stop, or does not close, within the grace period is abandoned (abandon).
   */
  async return(owner: Owner, id: string): Promise<JobBatch> {
    const job = this.find(owner, id)
    const closed: JobBatch = { items: [], done: true, state: 'closed' }
    if (job.pending !== undefined) {
      Atomics.store(job.cancelFlag, 0, 1)
      Atomics.notify(job.cancelFlag, 0)
      if (!(await this.settlesInGrace(job))) return closed
    }
    // Closing a generator whose worker died is fine, as close() is after an exception.
    job.death = undefined
    if (job.state === 'closed') return closed
    const closing = this.request(job, { op: 'return' })
    if (await this.settlesInGrace(job)) return closing
    closing.catch(() => undefined)
    return closed
  }

  /** Whether the request in flight (if any) settles within the grace period; if not, the job is abandoned. */
  private async settlesInGrace(job: Job): Promise<boolean> {
    if (job.pending === undefined) return true
    const graceMs = this.options.cancelGraceMs ?? CANCEL_GRACE_MS
    let timer: NodeJS.Timeout | undefined
    const settled = await Promise.race([
      job.pending.settled.then(
        () => true,
        () => true
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))
    ])
    clearTimeout(timer)
    if (!settled) this.abandon(job, graceMs)
    return settled
  }

  /** Closes every generator of a renderer that went away or reloaded. */
  async closeOwner(owner: Owner): Promise<void> {
    await Promise.all(this.openJobs(owner).map((job) => this.return(owner, job.id).catch(() => undefined)))
  }

  /**
   * Closes every generator (their finally blocks close files and remove temporary ones). With
   * `withinMs`, stops waiting after that long (quitting must not hang on a stuck job) and tells
   * whether all closed in time.
   */
  async closeAll({ withinMs }: { withinMs?: number } = {}): Promise<boolean> {
    this.closingAll = true
    void this.spare?.terminate()
    this.spare = undefined
    const owners = new Set([...this.jobs.values()].map((job) => job.owner))
    const closed = Promise.all([...owners].map((owner) => this.closeOwner(owner))).then(() => true)
    let timer: NodeJS.Timeout | undefined
    const inTime =
      withinMs === undefined
        ? closed
        : Promise.race([
            closed,
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)))
          ])
    return inTime.finally(() => {
      clearTimeout(timer)
      this.closingAll = false
    })
  }

  /** Open generators of one owner (or all), for status displays and tests. */
  openJobs(owner?: Owner): JobHandle[] {
    return [...this.jobs.values()]
      .filter((job) => job.state !== 'closed' && (owner === undefined || job.owner === owner))
      .map((job) => this.handle(job))
  }

  private handle(job: Job): JobHandle {
    return { id: job.id, kind: job.kind, state: job.state }
  }

  private find(owner: Owner, id: string): Job {
    const job = this.jobs.get(id)
    // Another renderer's job is reported as unknown: owners cannot see each other's jobs.
    if (job === undefined || job.owner !== owner) throw new LabError('UNKNOWN_JOB', `No generator ${id} is open.`)
    return job
  }

  private request(job: Job, request: JobRequest): Promise<JobBatch> {
    if (job.pending !== undefined) {
      throw new LabError('JOB_BUSY', `Generator ${job.id} is already executing; wait for it or return() it.`)
    }
    const death = job.death
    if (death !== undefined && request.op !== 'return') {
      // Reported once, like an exception out of a Python generator; after that it is closed.
      job.death = undefined
      return Promise.reject(death)
    }
    if (job.state === 'closed' || job.worker === undefined) {
      if (request.op === 'throw') throw new LabError('THROWN', request.message)
      return Promise.resolve({ items: [], done: true, state: 'closed' })
    }
    job.state = 'running'
    let resolve!: (reply: JobReply) => void
    const reply = new Promise<JobReply>((r) => (resolve = r))
    const settled = reply.then((answer) => this.settle(job, answer))
    job.pending = { resolve, settled }
    job.worker.postMessage(request)
    return settled
  }

  private settle(job: Job, reply: JobReply): JobBatch {
    job.pending = undefined
    if (reply.type === 'error') {
      this.finish(job, 'ended')
      throw LabError.fromInfo(reply.error)
    }
    if (reply.type !== 'batch') throw new LabError('INTERNAL', `Unexpected reply ${reply.type}.`)
    if (reply.done) this.finish(job, 'ended')
    else job.state = 'suspended'
    const batch: JobBatch = { items: reply.items, done: reply.done, state: job.state }
    if (reply.packed !== undefined) batch.packed = reply.packed
    if (reply.done) batch.value = reply.value
    return batch
  }

  private receive(job: Job, reply: JobReply): void {
    if (reply.type === 'progress') this.options.onProgress(job.owner, job.id, reply.progress)
    else if (reply.type === 'log') this.options.onLog(job.owner, job.id, reply.line)
    else job.pending?.resolve(reply)
  }

  /** A worker that ends before its job did is an error, never a normal end: whether a pull was in flight or not. */
  private die(job: Job, message: string): void {
    if (job.state === 'closed') return
    const error = new LabError('WORKER_DIED', message + this.removeTemporaryFiles(job))
    if (job.pending !== undefined) job.pending.resolve({ type: 'error', error: error.toInfo() })
    else job.death = error
    this.finish(job)
  }

  /**
   * Gives up on a job whose worker did not stop after a cancel: the pull in flight ends as
   * cancelled, saying why, and the worker is terminated (its thread goes when the stuck call
   * returns), so the renderer is never left waiting on it.
   */
  private abandon(job: Job, graceMs: number): void {
    if (job.state === 'closed') return
    const message =
      `Cancelled. The ${job.kind} job ${job.id} did not stop within ${graceMs / 1000} s: its thread is stuck in ` +
      'one call (a file system that does not answer?). It was abandoned, and ends when that call returns.' +
      this.removeTemporaryFiles(job)
    job.pending?.resolve({ type: 'error', error: new LabError('CANCELLED', message).toInfo() })
    this.finish(job)
  }

  /**
   * A worker killed or abandoned mid-write cannot tidy up: its half-written temporary files are
   * removed here. Gives what its job's error adds: where it was replacing a set, the second names
   * it kept, the previous files' only names if the new ones went in (removeTemporaryFilesOf).
   */
  private removeTemporaryFiles(job: Job): string {
    if (job.kind !== 'sampleData') return ''
    const { directory, name } = job.args as ParsedSampleDataArgs
    const kept = removeTemporaryFilesOf(resolve(directory), writerTag(job.threadId))
    if (kept.length === 0) return ''
    return (
      ` It was replacing the files of ${name} in ${resolve(directory)}, which may now be part new, part previous` +
      ` (then ${name}.json's sum does not match ${name}.bin). The previous files are kept, for a day, under` +
      ` the temporary names ${kept.join(', ')}.`
    )
  }

  /**
   * Python closes a generator that returned or raised; so do we. A worker whose job `ended` (the
   * worker said so in its last reply, and is waiting for a new job) becomes the spare if there is
   * none; any other goes.
   */
  private finish(job: Job, how: 'ended' | 'died' = 'died'): void {
    job.state = 'closed'
    const worker = job.worker
    job.worker = undefined
    if (worker === undefined) return
    worker.removeAllListeners('exit')
    if (how === 'ended' && this.spare === undefined && !this.closingAll) {
      worker.removeAllListeners('message')
      worker.removeAllListeners('error')
      this.keepSpare(worker)
      return
    }
    // Its 'error' listener stays: an error a dying worker still emits must not go unhandled.
    void worker.terminate()
    // Now rather than when the next job opens: booting it then would slow that job.
    this.prepareWorker()
  }

  private forgetOldClosedJobs(): void {
    const closed = [...this.jobs.values()].filter((job) => job.state === 'closed')
    for (const job of closed.slice(0, Math.max(0, closed.length - CLOSED_JOBS_KEPT))) this.jobs.delete(job.id)
  }
}
