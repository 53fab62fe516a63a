/**
 * A generator that lives in main, pulled from the renderer in batches. It mirrors a Python
 * generator: next() advances it, return() closes it (its finally runs in main), throw() raises
 * into it, and `state` follows inspect.getgeneratorstate.
 */
import type { GeneratorState, JobBatch } from '@shared/contract'
import { batchItems, type JobArgs, type JobItem, type JobKind, type JobValue } from '@shared/jobKinds'
import { isLabError } from '@shared/errors'
import { applyInSlices } from '@renderer/walk/frameBudget'
import { call } from './client'

/**
 * A packed batch is unpacked in slices of this long, the event loop given back in between: a
 * batch of an ncdu import holds thousands of directories, too many to unpack in one task.
 */
const UNPACK_SLICE_MS = 8

export interface RemoteBatch<K extends JobKind> {
  items: JobItem<K>[]
  done: boolean
  value?: JobValue<K>
}

export class RemoteGenerator<K extends JobKind> {
  state: GeneratorState = 'created'
  /** Closed, as main said: like a Python generator, it never runs again, whatever a late reply says. */
  private closed = false

  private constructor(
    readonly id: string,
    readonly kind: K
  ) {}

  static async open<K extends JobKind>(kind: K, args: JobArgs<K>): Promise<RemoteGenerator<K>> {
    const handle = await call('job.open', { kind, args })
    return new RemoteGenerator(handle.id, kind)
  }

  /** Pulls up to maxItems items (fewer when the generator ends or a batch takes long). */
  async next(maxItems = 1): Promise<RemoteBatch<K>> {
    return this.settle(() => call('job.next', { id: this.id, maxItems }), 'running')
  }

  /** Closes the generator; a batch in flight is cancelled. */
  async return(): Promise<void> {
    await this.settle(() => call('job.return', { id: this.id }))
  }

  async throw(message: string): Promise<RemoteBatch<K>> {
    return this.settle(() => call('job.throw', { id: this.id, message }), 'running')
  }

  /** Iterates every item, one batch at a time; leaving the loop early closes the generator. */
  async *items(batchSize = 256): AsyncGenerator<JobItem<K>, JobValue<K> | undefined> {
    try {
      for (;;) {
        const batch = await this.next(batchSize)
        yield* batch.items
        if (batch.done) return batch.value
      }
    } finally {
      if (this.state !== 'closed') await this.return()
    }
  }

  private async settle(request: () => Promise<JobBatch>, whileWaiting?: GeneratorState): Promise<RemoteBatch<K>> {
    const before = this.state
    if (whileWaiting !== undefined && !this.closed) this.state = whileWaiting
    try {
      const batch = await request()
      // A batch that was in flight as return() closed the generator answers after it: still closed.
      this.closed ||= batch.state === 'closed'
      this.state = this.closed ? 'closed' : batch.state
      let items = batch.items
      if (batch.packed !== undefined) {
        const unpacked: unknown[] = []
        await applyInSlices(batchItems(this.kind, batch), (item) => unpacked.push(item), {
          budgetMs: UNPACK_SLICE_MS
        })
        items = unpacked
      }
      const unpacked: JobBatch = { ...batch, items }
      delete unpacked.packed
      return unpacked as RemoteBatch<K>
    } catch (error) {
      // Like Python, an exception out of a generator closes it. JOB_BUSY means another request
      // is driving it right now: the state stays whatever that request makes it.
      this.closed ||= !isLabError(error, 'JOB_BUSY')
      this.state = this.closed ? 'closed' : before
      throw error
    }
  }
}
