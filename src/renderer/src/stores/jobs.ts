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

export const useJobsStore = defineStore('jobs', () => {
  // Typed as Ref<TrackedJob[]>: Vue's unwrapped type would drop the generator's private members.
  const jobs = ref([]) as Ref<TrackedJob[]>
  const running = computed(() => jobs.value.filter((job) => job.generator.state === 'running'))
  const open = computed(() => jobs.value.filter((job) => job.generator.state !== 'closed'))

  function find(id: string): TrackedJob | undefined {
    return jobs.value.find((job) => job.generator.id === id)
  }

  onLabEvent('job.progress', ({ id, progress }) => {
    const job = find(id)
    if (job !== undefined) job.progress = progress
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
    }
    return jobs.value.at(-1)!.generator as RemoteGenerator<K>
  }

  async function cancel(id: string): Promise<void> {
    await find(id)?.generator.return()
  }

  return { jobs, running, open, find, start, cancel }
})
