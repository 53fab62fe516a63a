/**
 * Every remote generator the renderer has open, with its latest progress and log lines, so the
 * status bar (and any view) can show what is running and cancel it.
 */
import { defineStore } from 'pinia'
import { computed, ref, type Ref } from 'vue'
import type { JobProgress } from '@shared/jobs'
import type { JobArgs, JobKind } from '@shared/jobKinds'
import { onLabEvent } from '@renderer/ipc/client'
import { RemoteGenerator } from '@renderer/ipc/remoteGenerator'

export interface TrackedJob {
  generator: RemoteGenerator<JobKind>
  label: string
  progress?: JobProgress
  log: string[]
}

const CLOSED_JOBS_SHOWN = 20
const LOG_LINES_KEPT = 200
/**
 * Progress reaches the status bar at most this often per job (the latest report wins): workers
 * report ten times a second, and each change of the bar's text costs a frame that the Browse tab,
 * refreshing four times a second, would not otherwise draw.
 */
const PROGRESS_SHOWN_EVERY_MS = 250

export const useJobsStore = defineStore('jobs', () => {
  // Typed as Ref<TrackedJob[]>: Vue's unwrapped type would drop the generator's private members.
  const jobs = ref([]) as Ref<TrackedJob[]>
  const running = computed(() => jobs.value.filter((job) => job.generator.state === 'running'))
  const open = computed(() => jobs.value.filter((job) => job.generator.state !== 'closed'))

  function find(id: string): TrackedJob | undefined {
    return jobs.value.find((job) => job.generator.id === id)
  }

  /** Per job: when its progress was last shown, and a report waiting for its turn. */
  const progressTimes = new Map<string, { shownAt: number; latest?: JobProgress }>()
  function showProgress(id: string): void {
    const times = progressTimes.get(id)
    const job = find(id)
    if (times === undefined || times.latest === undefined) return
    if (job !== undefined) job.progress = times.latest
    times.latest = undefined
    times.shownAt = performance.now()
  }
  onLabEvent('job.progress', ({ id, progress }) => {
    let times = progressTimes.get(id)
    if (times === undefined) progressTimes.set(id, (times = { shownAt: -Infinity }))
    const waiting = times.latest !== undefined
    times.latest = progress
    if (waiting) return // a timer will show it
    const wait = times.shownAt + PROGRESS_SHOWN_EVERY_MS - performance.now()
    if (wait <= 0) showProgress(id)
    else setTimeout(() => showProgress(id), wait)
  })
  onLabEvent('job.log', ({ id, line }) => {
    const job = find(id)
    if (job === undefined) return
    job.log.push(line)
    if (job.log.length > LOG_LINES_KEPT) job.log.splice(0, job.log.length - LOG_LINES_KEPT)
  })

  /** Opens a remote generator and tracks it; returns the reactive generator to drive. */
  async function start<K extends JobKind>(kind: K, args: JobArgs<K>, label: string): Promise<RemoteGenerator<K>> {
    const generator = await RemoteGenerator.open(kind, args)
    jobs.value.push({ generator, label, log: [] })
    const closed = jobs.value.filter((job) => job.generator.state === 'closed')
    for (const old of closed.slice(0, Math.max(0, closed.length - CLOSED_JOBS_SHOWN))) {
      jobs.value.splice(jobs.value.indexOf(old), 1)
      progressTimes.delete(old.generator.id)
    }
    return jobs.value.at(-1)!.generator as RemoteGenerator<K>
  }

  async function cancel(id: string): Promise<void> {
    await find(id)?.generator.return()
  }

  return { jobs, running, open, find, start, cancel }
})
