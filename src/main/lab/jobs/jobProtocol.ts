/** Messages between the job host (main thread) and one job worker. */
import type { LabErrorInfo } from '../../../shared/errors'
import type { JobKind, JobProgressReport } from '../../../shared/jobKinds'

/**
 * How every job worker is made (new Worker(path, jobWorkerOptions)). A walk of /usr makes
 * hundreds of thousands of short-lived names and records; with a young generation of 48 MiB
 * instead of V8's default, its worker used about 7% less CPU (the built worker, pulled by main).
 */
export const jobWorkerOptions = { resourceLimits: { maxYoungGenerationSizeMb: 48 } } as const

/** A worker's job: the first message the host sends it. */
export interface JobWorkerData {
  kind: JobKind
  args: unknown
  /** Int32Array view over it: non-zero means "stop at the next item". */
  cancelFlag: SharedArrayBuffer
}

export type JobRequest = { op: 'next'; maxItems: number } | { op: 'return' } | { op: 'throw'; message: string }

export type JobReply =
  | { type: 'batch'; items: unknown[]; packed?: unknown; done: boolean; value?: unknown }
  | { type: 'error'; error: LabErrorInfo }
  | { type: 'progress'; progress: JobProgressReport }
  | { type: 'log'; line: string }
