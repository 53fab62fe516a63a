/**
 * Progress of a running job, sent as events while the renderer waits on a batch. `S` is the job
 * kind's stats type (JobTypes in jobKinds.ts), so a misspelled stat is a compile error.
 */
export interface JobProgress<S extends object = object> {
  /** How much is done, in `unit`s. */
  completed: number
  /** How much there is in all, when known (for a progress bar). */
  total?: number
  unit: 'items' | 'bytes' | 'entries'
  /** Named counters shown beside the bar, e.g. { dirs, files, bytes, errors } or { bytes, rssBytes }. */
  stats: S
}
