/**
 * The real JobHost over the real worker source, compiled on the fly by tsx (the built app uses the
 * bundled worker instead). Progress and log events are recorded for assertions.
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { JobProgress } from '../../src/shared/jobs'
import { JobHost, type JobHostOptions, type Owner } from '../../src/main/lab/jobs/jobHost'
import { jobWorkerOptions } from '../../src/main/lab/jobs/jobProtocol'

export const jobWorkerSource = join(import.meta.dirname, '../../src/main/lab/jobs/jobWorker.ts')

export function createSourceWorker(): Worker {
  const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(jobWorkerSource)})`
  return new Worker(boot, { ...jobWorkerOptions, eval: true })
}

export interface RecordedEvent {
  owner: Owner
  id: string
  progress?: JobProgress
  line?: string
}

/** The host, its recorded events, and every worker it started (in order), so tests can kill them. */
export function createTestJobHost(options: Partial<JobHostOptions> = {}): {
  host: JobHost
  events: RecordedEvent[]
  workers: Worker[]
} {
  const events: RecordedEvent[] = []
  const workers: Worker[] = []
  const host = new JobHost({
    createWorker: () => {
      const worker = createSourceWorker()
      workers.push(worker)
      return worker
    },
    onProgress: (owner, id, progress) => events.push({ owner, id, progress }),
    onLog: (owner, id, line) => events.push({ owner, id, line }),
    ...options
  })
  return { host, events, workers }
}
