import type { JobProgress } from '../../shared/jobs'

/**
 * What a long job gets from whoever runs it: a way to learn it was cancelled, to report progress
 * and to say what it is doing (e.g. "closed data.bin" when its finally runs). The job host backs it
 * with a shared cancel flag and throttled messages; tests back it with plain functions.
 */
export interface JobControl<S extends object> {
  isCancelled(): boolean
  report(progress: JobProgress<S>): void
  log?(line: string): void
  /** Sleeps up to `ms`, waking at once on cancel; returns false when cancelled. */
  pause?(ms: number): boolean
}

/** Never cancelled, reports to no one: stands in for any stats type. */
export const uncontrolled: JobControl<never> = {
  isCancelled: () => false,
  report: () => {}
}
