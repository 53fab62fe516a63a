/** Progress of a running job, sent as events while the renderer waits on a batch. */
export interface JobProgress {
  /** How much is done, in `unit`s. */
  completed: number
  /** How much there is in all, when known (for a progress bar). */
  total?: number
  unit: 'items' | 'bytes' | 'entries'
  /** Named counters shown beside the bar, e.g. { dirs, files, bytes, errors } or { bytes, rssBytes }. */
  stats: Record<string, number>
}
