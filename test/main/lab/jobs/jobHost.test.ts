import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { JobBatch } from '../../../../src/shared/contract'
import { batchItems } from '../../../../src/shared/jobKinds'
import type { WalkDirItem } from '../../../../src/shared/walkJob'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { walk } from '../../../../src/main/lab/walk/walk'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'
import { until } from '../../../support/until'
import { createTestJobHost, jobWorkerSource, type RecordedEvent } from '../../../support/jobHost'
import { rejectedLabError } from '../../../support/labErrors'

let host: JobHost
let events: RecordedEvent[]
let workers: Worker[]

function setup(): void {
  ;({ host, events, workers } = createTestJobHost())
}

/** Files under `directory` this process has open (Linux: /proc/self/fd). */
function openFilesUnder(directory: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      return target.startsWith(`${directory}/`) ? [target] : []
    } catch {
      return []
    }
  })
}

/** Kills a job's worker from outside, as the OS or a crash would, and waits until it is gone. */
async function killWorker(worker: Worker): Promise<void> {
  const exited = once(worker, 'exit')
  await worker.terminate()
  await exited
}

afterEach(async () => {
  vi.restoreAllMocks()
  await host?.closeAll()
})

const progressOf = (id: string): number[] =>
  events.filter((e) => e.id === id && e.progress).map((e) => e.progress!.completed)
const logOf = (id: string): string[] => events.filter((e) => e.id === id && e.line !== undefined).map((e) => e.line!)

/** Job workers that run `source` (evaluated, with `workerData`), abandoned 50 ms after a cancel. */
function useStuckWorkers(source: string, workerData: unknown): void {
  ;({ host, events, workers } = createTestJobHost({
    cancelGraceMs: 50,
    createWorker: () => {
      const worker = new Worker(source, { eval: true, workerData })
      workers.push(worker)
      return worker
    }
  }))
}

/** A sample-data job over `directory` whose worker (useStuckWorkers) has logged that it is stuck. */
async function stuckSampleData(directory: string): Promise<{ id: string; pending: Promise<JobBatch> }> {
  const { id } = host.open('owner', 'sampleData', { directory, name: 'x', bytes: 800, overwrite: true })
  const pending = host.next('owner', id, 1)
  await until(() => logOf(id).includes('stuck'), 'the worker to block')
  return { id, pending }
}

/** What workers made by setupWaitingWorkers() log when their generator starts a pause. */
const waitingLine = 'test: the worker is waiting'

/**
 * Workers that say when their generator starts waiting (its pause is an Atomics.wait), so a test
 * cancels a job that is really paused, however slowly the worker started.
 */
function setupWaitingWorkers(): void {
  ;({ host, events, workers } = createTestJobHost({
    createWorker: () =>
      new Worker(
        `const { parentPort } = require('node:worker_threads')
         const wait = Atomics.wait
         Atomics.wait = (...args) => (parentPort.postMessage({ type: 'log', line: ${JSON.stringify(waitingLine)} }), wait(...args))
         require('tsx/cjs/api').register()
         require(${JSON.stringify(jobWorkerSource)})`,
        { eval: true }
      )
  }))
}

describe('remote generators', () => {
  test('yield lazily: the producer runs exactly as far as the batches asked', async () => {
    setup()
    const { id, state } = host.open('owner', 'range', { start: 0, stop: 1_000_000 })
    expect(state).toBe('created')
    const first = await host.next('owner', id, 3)
    expect(first).toEqual({ items: [0, 1, 2], done: false, state: 'suspended' })
    expect(progressOf(id).at(-1)).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 150))
    // Nothing ran ahead while the renderer was not asking.
    expect(progressOf(id).at(-1)).toBe(3)
    const second = await host.next('owner', id, 4)
    expect(second.items).toEqual([3, 4, 5, 6])
    expect(progressOf(id).at(-1)).toBe(7)
  })

  test('a walk streamed in pulls of many reads one batch ahead; steps and return() still see each item once, in order', async () => {
    setup()
    const top = mkdtempSync(join(tmpdir(), 'yield-lab-read-ahead-'))
    try {
      for (let i = 0; i < 30; i++) mkdirSync(join(top, `d${String(i).padStart(2, '0')}`, 'inner'), { recursive: true })
      const expected = [...walk(top)].map(([dirpath]) => dirpath)
      const dirpaths = (batch: JobBatch): string[] =>
        ([...batchItems('walk', batch)] as WalkDirItem[]).map((item) => item.dirpath)
      const { id } = host.open('owner', 'walk', { top })
      const seen = dirpaths(await host.next('owner', id, 5))
      expect(seen).toHaveLength(5)
      // Not asked for more, the worker walked on by one more pull of five directories.
      await until(() => progressOf(id).at(-1) === 10, 'the worker to list five more directories ahead')
      seen.push(...dirpaths(await host.next('owner', id, 1)), ...dirpaths(await host.next('owner', id, 1)))
      for (let batch = await host.next('owner', id, 7); ; batch = await host.next('owner', id, 7)) {
        seen.push(...dirpaths(batch))
        if (batch.done || seen.length > 40) break
      }
      expect(seen).toEqual(expected.slice(0, seen.length))
      expect((await host.return('owner', id)).state).toBe('closed')

      // Streamed to the end in pulls of four: every directory once, in os.walk's order.
      const whole = host.open('owner', 'walk', { top })
      const all: string[] = []
      for (let batch = await host.next('owner', whole.id, 4); ; batch = await host.next('owner', whole.id, 4)) {
        all.push(...dirpaths(batch))
        if (batch.done) break
      }
      expect(all).toEqual(expected)
    } finally {
      rmSync(top, { recursive: true, force: true })
    }
  })

  test('run to the end and return their value, then stay closed like Python', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 10, stop: 0, step: -3 })
    expect(await host.next('owner', id, 100)).toEqual({
      items: [10, 7, 4, 1],
      done: true,
      value: { count: 4 },
      state: 'closed'
    })
    expect(await host.next('owner', id, 1)).toEqual({ items: [], done: true, state: 'closed' })
    expect(host.openJobs()).toEqual([])
  })

  test('return() closes the generator and its finally runs in the worker', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 100 })
    await host.next('owner', id, 5)
    expect(await host.return('owner', id)).toEqual({ items: [], done: true, state: 'closed' })
    expect(logOf(id)).toEqual(['range(0, 100, 1): finally ran after 5 items'])
    expect(host.openJobs()).toEqual([])
  })

  test('return() cancels a batch in flight: the slow job stops at once and its finally runs', async () => {
    setupWaitingWorkers()
    const notify = vi.spyOn(Atomics, 'notify')
    const { id } = host.open('owner', 'range', { start: 0, stop: 100, delayMs: 10_000 })
    const pending = host.next('owner', id, 100)
    await until(() => logOf(id).includes(waitingLine), 'the job pauses')
    expect(host.openJobs('owner')[0]?.state).toBe('running')
    expect(notify).not.toHaveBeenCalled()
    await host.return('owner', id)
    // Cancel wakes the worker out of its 10 s pause instead of waiting it out.
    expect(notify).toHaveBeenCalledExactlyOnceWith(expect.any(Int32Array), 0)
    const error = await rejectedLabError(pending)
    expect(error.code).toBe('CANCELLED')
    expect(logOf(id).filter((line) => line !== waitingLine)).toEqual(['range(0, 100, 1): finally ran after 0 items'])
    expect(host.openJobs()).toEqual([])
  })

  test('return() abandons a worker stuck in one call: the pull ends as cancelled, saying why, and the worker goes', async () => {
    // Takes its job; at the first request, starts a temporary file as a sample-data writer does
    // (`.yield-lab-tmp-<pid>-<thread>-…`), then blocks and never looks at the cancel flag, as a
    // write or listing on a file system that stopped answering blocks in the kernel, until `release`.
    const release = new Int32Array(new SharedArrayBuffer(4))
    const directory = mkdtempSync(join(tmpdir(), 'yield-lab-stuck-'))
    const stuckWorker = `const { parentPort, threadId, workerData } = require('node:worker_threads')
      const { writeFileSync } = require('node:fs')
      const { join } = require('node:path')
      parentPort.once('message', () => {
        parentPort.postMessage({ type: 'log', line: 'has its job' })
        parentPort.on('message', () => {
          writeFileSync(join(workerData.directory, '.yield-lab-tmp-' + process.pid + '-' + threadId + '-0a1b2c3d-x.bin'), 'half')
          parentPort.postMessage({ type: 'log', line: 'stuck' })
          Atomics.wait(workerData.release, 0, 0)
        })
      })`
    useStuckWorkers(stuckWorker, { release, directory })
    try {
      writeFileSync(join(directory, 'x.bin'), 'the user’s')
      const { id, pending } = await stuckSampleData(directory)
      expect(readdirSync(directory)).toHaveLength(2)
      expect(await host.return('owner', id)).toEqual({ items: [], done: true, state: 'closed' })
      const error = await rejectedLabError(pending)
      expect(error.code).toBe('CANCELLED')
      expect(error.message).toBe(
        `Cancelled. The sampleData job ${id} did not stop within 0.05 s: its thread is stuck in one call ` +
          '(a file system that does not answer?). It was abandoned, and ends when that call returns.'
      )
      expect(host.openJobs()).toEqual([])
      // Its half-written file is removed; the user's file is as it was.
      expect(readdirSync(directory)).toEqual(['x.bin'])
      expect(readFileSync(join(directory, 'x.bin'), 'utf8')).toBe('the user’s')
      // The call returns at last: the terminated worker goes instead of answering.
      Atomics.store(release, 0, 1)
      Atomics.notify(release, 0)
      // (A worker's threadId is -1 once its thread has stopped.)
      await until(() => workers[0]!.threadId === -1, 'the abandoned worker to stop')

      // A generator whose close never answers (a finally stuck in the same way) is abandoned too.
      Atomics.store(release, 0, 0)
      const second = host.open('owner', 'walk', { top: directory })
      expect(workers).toHaveLength(2)
      await until(() => logOf(second.id).includes('has its job'), 'the second worker to start')
      expect(await host.return('owner', second.id)).toEqual({ items: [], done: true, state: 'closed' })
      expect(host.openJobs()).toEqual([])
      Atomics.store(release, 0, 1)
      Atomics.notify(release, 0)
      await until(() => workers[1]!.threadId === -1, 'the second abandoned worker to stop')
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })

  test('a sample-data worker abandoned once the new x.bin is in: its error names where the previous x.bin is kept, which stays', async () => {
    // What writeSampleData has done when a rename after the new x.bin's hangs: the previous x.bin
    // under its second name, the new x.bin in place, the new sidecar still under its temporary name.
    const release = new Int32Array(new SharedArrayBuffer(4))
    const directory = mkdtempSync(join(tmpdir(), 'yield-lab-stuck-'))
    const stuckWorker = `const { parentPort, threadId, workerData } = require('node:worker_threads')
      const { linkSync, renameSync, writeFileSync } = require('node:fs')
      const { join } = require('node:path')
      parentPort.once('message', () => {
        parentPort.on('message', () => {
          const at = (name) => join(workerData.directory, '.yield-lab-tmp-' + process.pid + '-' + threadId + '-' + name)
          writeFileSync(at('0a1b2c3d-x.bin'), 'new x.bin')
          writeFileSync(at('4e5f6a7b-x.json'), 'new x.json')
          linkSync(join(workerData.directory, 'x.bin'), at('previous-8c9d0e1f-x.bin'))
          renameSync(at('0a1b2c3d-x.bin'), join(workerData.directory, 'x.bin'))
          parentPort.postMessage({ type: 'log', line: 'stuck' })
          Atomics.wait(workerData.release, 0, 0)
        })
      })`
    useStuckWorkers(stuckWorker, { release, directory })
    try {
      writeFileSync(join(directory, 'x.bin'), 'previous x.bin')
      writeFileSync(join(directory, 'x.json'), 'previous x.json')
      const { id, pending } = await stuckSampleData(directory)
      const kept = join(directory, `.yield-lab-tmp-${process.pid}-${workers[0]!.threadId}-previous-8c9d0e1f-x.bin`)
      await host.return('owner', id)
      const error = await rejectedLabError(pending)
      expect(error.code).toBe('CANCELLED')
      expect(error.message).toMatch(/It was abandoned, and ends when that call returns\. /)
      expect(error.message.slice(error.message.indexOf('call returns. ') + 14)).toBe(
        `It was replacing the files of x in ${directory}, which may now be part new, part previous ` +
          `(then x.json's sum does not match x.bin). The previous files are kept, for a day, under the temporary names ${kept}.`
      )
      expect(readdirSync(directory).sort()).toEqual([basename(kept), 'x.bin', 'x.json'])
      expect(readFileSync(kept, 'utf8')).toBe('previous x.bin')
      Atomics.store(release, 0, 1)
      Atomics.notify(release, 0)
      await until(() => workers[0]!.threadId === -1, 'the abandoned worker to stop')
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })

  test('throw() raises into the generator; unhandled, it closes it and comes back as THROWN', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 10 })
    await host.next('owner', id, 2)
    const error = await rejectedLabError(host.throw('owner', id, 'enough'))
    expect(error.code).toBe('THROWN')
    expect(error.message).toBe('enough')
    expect(logOf(id)).toEqual(['range(0, 10, 1): finally ran after 2 items'])
    expect(await host.next('owner', id, 1)).toMatchObject({ done: true, state: 'closed' })
  })

  test('one request at a time: a second next while running is refused, as Python refuses re-entry', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 5, delayMs: 300 })
    const pending = host.next('owner', id, 1)
    expect(() => host.next('owner', id, 1)).toThrow(expect.objectContaining({ code: 'JOB_BUSY' }))
    expect((await pending).items).toEqual([0])
  })

  test('owners cannot see or drive each other’s generators', async () => {
    setup()
    const { id } = host.open('window-1', 'range', { start: 0, stop: 5 })
    expect(() => host.next('window-2', id, 1)).toThrow(expect.objectContaining({ code: 'UNKNOWN_JOB' }))
    await expect(host.return('window-2', id)).rejects.toMatchObject({ code: 'UNKNOWN_JOB' })
    expect(host.openJobs('window-1')).toHaveLength(1)
  })

  test('closing an owner (reload, window closed) closes all its generators and runs their finally', async () => {
    setupWaitingWorkers()
    const a = host.open('window-1', 'range', { start: 0, stop: 5 })
    const b = host.open('window-1', 'range', { start: 0, stop: 5, delayMs: 10_000 })
    const other = host.open('window-2', 'range', { start: 0, stop: 5 })
    await host.next('window-1', a.id, 1)
    const inFlight = host.next('window-1', b.id, 1).catch((e: unknown) => e)
    // Closed once b's generator is really paused inside its body, so that it has a finally to run.
    await until(() => logOf(b.id).includes(waitingLine), 'the job pauses')
    await host.closeOwner('window-1')
    expect(await inFlight).toMatchObject({ code: 'CANCELLED' })
    expect(host.openJobs('window-1')).toEqual([])
    expect(host.openJobs('window-2')).toEqual([{ id: other.id, kind: 'range', state: 'created' }])
    expect(logOf(a.id).filter((line) => line !== waitingLine)).toHaveLength(1)
    expect(logOf(b.id).filter((line) => line !== waitingLine)).toEqual([
      expect.stringMatching(/^range\(0, 5, 1\): finally ran after/)
    ])
  })

  test('bad job arguments are refused before any worker starts', () => {
    setup()
    expect(() => host.open('owner', 'range', { start: 0, stop: 5, step: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('step must not be zero') })
    )
    expect(() => host.open('owner', 'range', { start: 0.5, stop: 5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' })
    )
    expect(() => host.open('owner', 'range', { start: 0, stop: 5, extra: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' })
    )
    expect(host.openJobs()).toEqual([])
  })

  test('an owner may hold a bounded number of open generators', () => {
    ;({ host, events } = createTestJobHost({ maxOpenJobsPerOwner: 2 }))
    host.open('owner', 'range', { start: 0, stop: 1 })
    host.open('owner', 'range', { start: 0, stop: 1 })
    expect(() => host.open('owner', 'range', { start: 0, stop: 1 })).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE' })
    )
  })

  test('a bounded number of workers runs across all owners, and the refusal says how to free one', async () => {
    ;({ host, events, workers } = createTestJobHost({ maxOpenJobsPerOwner: 2, maxLiveWorkers: 3 }))
    host.open('window-1', 'range', { start: 0, stop: 1 })
    const done = host.open('window-1', 'range', { start: 0, stop: 1 })
    host.open('window-2', 'range', { start: 0, stop: 1 })
    expect(() => host.open('window-3', 'range', { start: 0, stop: 1 })).toThrow(
      expect.objectContaining({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(
          /^3 generators are running or open across all windows.*\(3\)\. Cancel a run, or finish or close/
        )
      })
    )
    // A generator that ran to its end gives its worker back.
    await host.next('window-1', done.id, 10)
    expect(host.open('window-3', 'range', { start: 0, stop: 1 }).state).toBe('created')
  })

  test('a spare worker, started ahead, runs the next job; a job that ends gives its worker back as the spare; closeAll ends it', async () => {
    setup()
    host.prepareWorker()
    host.prepareWorker() // one spare at most
    expect(workers).toHaveLength(1)
    const first = host.open('owner', 'range', { start: 0, stop: 2 })
    expect(workers).toHaveLength(1) // the spare took the job
    expect((await host.next('owner', first.id, 5)).items).toEqual([0, 1])
    expect(workers).toHaveLength(1) // the job ended: its worker is the spare, no new one
    const second = host.open('owner', 'range', { start: 5, stop: 6 })
    const busy = host.open('owner', 'range', { start: 7, stop: 8 }) // no spare left: a worker of its own
    expect(workers).toHaveLength(2)
    const [kept, extra] = workers as [Worker, Worker]
    expect((await host.next('owner', second.id, 5)).items).toEqual([5]) // its worker is the spare again
    expect((await host.next('owner', busy.id, 5)).items).toEqual([7]) // a spare exists: this worker goes
    // A worker's threadId turns -1 once it has exited.
    await until(() => extra.threadId === -1, 'the second worker to exit')
    expect(kept.threadId).not.toBe(-1)
    await host.closeAll()
    await until(() => kept.threadId === -1, 'the spare to exit')
    expect(workers).toHaveLength(2) // closing made no new spare
  })

  test('one worker runs job after job, however each ended, and each job sees only its own state', async () => {
    setup()
    const tree = mkdtempSync(join(tmpdir(), 'yield-lab-jobs-'))
    try {
      for (let i = 0; i < 30; i++) mkdirSync(join(tree, `d${i}`, 'e'), { recursive: true })
      const all = [...walk(tree)].map(([dirpath]) => dirpath)
      const walkedPaths = (batch: JobBatch): string[] =>
        [...batchItems('walk', batch)].map((item) => (item as WalkDirItem).dirpath)

      // 1. A walk streamed in pulls of many (a batch is made ahead), closed part way.
      const streamed = host.open('owner', 'walk', { top: tree })
      expect(walkedPaths(await host.next('owner', streamed.id, 5))).toEqual(all.slice(0, 5))
      expect(await host.return('owner', streamed.id)).toMatchObject({ done: true, state: 'closed' })
      expect(logOf(streamed.id)).toEqual([])
      // 2. A job raised into until it ends with THROWN.
      const raised = host.open('owner', 'range', { start: 0, stop: 10 })
      await host.next('owner', raised.id, 1)
      expect((await rejectedLabError(host.throw('owner', raised.id, 'enough'))).code).toBe('THROWN')
      expect(logOf(raised.id)).toEqual(['range(0, 10, 1): finally ran after 1 items'])
      // 3. A job cancelled while it waits in a batch.
      const cancelled = host.open('owner', 'range', { start: 0, stop: 100, delayMs: 10_000 })
      const inFlight = host.next('owner', cancelled.id, 100)
      await host.return('owner', cancelled.id)
      expect((await rejectedLabError(inFlight)).code).toBe('CANCELLED')
      // 4. Bad arguments for the generator itself: the first pull fails. (A walk of a missing
      // folder does not: os.walk hands that to onerror.)
      const missing = host.open('owner', 'read', { path: join(tree, 'missing.bin'), mode: 'lazyItem' })
      expect((await rejectedLabError(host.next('owner', missing.id, 10))).code).toBe('NOT_FOUND')

      // After all that, a fresh walk on the same worker yields every directory once, in order, and ends.
      const whole = host.open('owner', 'walk', { top: tree })
      const paths: string[] = []
      for (;;) {
        const batch = await host.next('owner', whole.id, 1000)
        paths.push(...walkedPaths(batch))
        if (batch.done) {
          expect(batch.value).toMatchObject({ dirs: all.length, errors: 0 })
          break
        }
      }
      expect(paths).toEqual(all)
      expect(workers).toHaveLength(1)
      expect(host.openJobs()).toEqual([])
    } finally {
      rmSync(tree, { recursive: true, force: true })
    }
  })

  test('a worker that died is never given another job', async () => {
    setup()
    const first = host.open('owner', 'range', { start: 0, stop: 10 })
    await host.next('owner', first.id, 1)
    await killWorker(workers[0]!)
    expect((await rejectedLabError(host.next('owner', first.id, 1))).code).toBe('WORKER_DIED')
    const second = host.open('owner', 'range', { start: 3, stop: 4 })
    expect(workers.length).toBeGreaterThan(1)
    expect((await host.next('owner', second.id, 5)).items).toEqual([3])
  })

  test('the default cap on workers is at least 8', () => {
    ;({ host, events, workers } = createTestJobHost({ maxOpenJobsPerOwner: 1 }))
    for (let owner = 0; owner < 8; owner++) host.open(`window-${owner}`, 'range', { start: 0, stop: 1 })
    expect(host.openJobs()).toHaveLength(8)
  })
})

describe('a worker that dies', () => {
  test('while idle: the next pull rejects with WORKER_DIED and the exit code, never a normal end', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 1000 })
    expect((await host.next('owner', id, 5)).items).toEqual([0, 1, 2, 3, 4])
    await killWorker(workers[0]!)
    const error = await rejectedLabError(host.next('owner', id, 5))
    expect(error.code).toBe('WORKER_DIED')
    expect(error.message).toMatch(new RegExp(`^range job ${id} stopped: its worker thread exited \\(exit code 1\\)`))
    // Reported once; then it is closed, as a generator is after it raised.
    expect(await host.next('owner', id, 5)).toEqual({ items: [], done: true, state: 'closed' })
    expect(host.openJobs()).toEqual([])
  })

  test('before its first pull: the first pull rejects with WORKER_DIED', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 10 })
    await killWorker(workers[0]!)
    expect((await rejectedLabError(host.next('owner', id, 1))).code).toBe('WORKER_DIED')
  })

  test('during a batch: the pull in flight rejects with WORKER_DIED', async () => {
    setup()
    const { id } = host.open('owner', 'range', { start: 0, stop: 100, delayMs: 10_000 })
    const pending = host.next('owner', id, 100)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(host.openJobs('owner')[0]?.state).toBe('running')
    await killWorker(workers[0]!)
    expect((await rejectedLabError(pending)).code).toBe('WORKER_DIED')
    expect(host.openJobs()).toEqual([])
  })

  test('throw() after the death gets WORKER_DIED too; return() just closes it', async () => {
    setup()
    const a = host.open('owner', 'range', { start: 0, stop: 10 })
    const b = host.open('owner', 'range', { start: 0, stop: 10 })
    await killWorker(workers[0]!)
    await killWorker(workers[1]!)
    expect((await rejectedLabError(host.throw('owner', a.id, 'stop'))).code).toBe('WORKER_DIED')
    expect(await host.return('owner', b.id)).toEqual({ items: [], done: true, state: 'closed' })
    expect(await host.next('owner', b.id, 1)).toEqual({ items: [], done: true, state: 'closed' })
  })

  test('during a write: WORKER_DIED, the previous sample files are byte-identical and no temporary file remains', async () => {
    setup()
    const directory = mkdtempSync(join(tmpdir(), 'yield-lab-death-'))
    try {
      writeSampleData({ directory, name: 'x', bytes: 800, seed: 1, withText: true })
      const snapshot = (): Map<string, Buffer> =>
        new Map(
          readdirSync(directory)
            .sort()
            .map((name) => [name, readFileSync(join(directory, name))])
        )
      const before = snapshot()
      const { id } = host.open('owner', 'sampleData', {
        directory,
        name: 'x',
        bytes: 64 * 1024 * 1024,
        seed: 2,
        withText: true,
        overwrite: true
      })
      const pending = host.next('owner', id, 1)
      await until(
        () => events.some((event) => event.id === id && (event.progress?.completed ?? 0) > 0),
        'the write is under way'
      )
      const writing = readdirSync(directory).filter((name) => name.startsWith('.yield-lab-tmp-'))
      expect(writing).toHaveLength(2)
      const linux = process.platform === 'linux'
      if (linux) expect(openFilesUnder(directory)).toHaveLength(2)
      await killWorker(workers[0]!)
      expect((await rejectedLabError(pending)).code).toBe('WORKER_DIED')
      expect(snapshot()).toEqual(before)
      // Node closes the descriptors a terminated worker opened through fs: none is left open.
      if (linux) expect(openFilesUnder(directory)).toEqual([])
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })

  test('quitting mid-write (closeAll) waits for the job to close its files: previous files intact, no temporary file', async () => {
    setup()
    const directory = mkdtempSync(join(tmpdir(), 'yield-lab-quit-'))
    try {
      writeSampleData({ directory, name: 'x', bytes: 800, seed: 1 })
      const before = readdirSync(directory)
        .sort()
        .map((name) => readFileSync(join(directory, name)))
      const { id } = host.open('owner', 'sampleData', {
        directory,
        name: 'x',
        bytes: 64 * 1024 * 1024,
        seed: 2,
        withText: true,
        overwrite: true
      })
      const pending = host.next('owner', id, 1).catch((error: unknown) => error)
      await until(
        () => events.some((event) => event.id === id && (event.progress?.completed ?? 0) > 0),
        'the write is under way'
      )
      expect(await host.closeAll({ withinMs: 10_000 })).toBe(true)
      expect(await pending).toMatchObject({ code: 'CANCELLED' })
      expect(readdirSync(directory).sort()).toEqual(['x.bin', 'x.json'])
      expect(
        readdirSync(directory)
          .sort()
          .map((name) => readFileSync(join(directory, name)))
      ).toEqual(before)
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
