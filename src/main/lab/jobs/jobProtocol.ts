/** Messages between the job host (main thread) and one job worker. */
import type { LabErrorInfo } from '../../../shared/errors'
import type { JobKind, JobProgressReport } from '../../../shared/jobKinds'

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
