/**
 * Every remote generator the renderer has open, with its latest progress and log lines, so the
 * status bar (and any view) can show what is running and cancel it.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import type { JobArgs, JobKind, JobProgressReport } from '@shared/jobKinds'
import { isLabError } from '@shared/errors'
import type { ImportFileKind } from '@shared/importFile'
import { fileLabel } from '@shared/paths'
import { call, onLabEvent } from '@renderer/ipc/client'
import { RemoteGenerator } from '@renderer/ipc/remoteGenerator'

export interface TrackedJob {
  generator: RemoteGenerator<JobKind>
  label: string
  progress?: JobProgressReport
  log: string[]
  /** How the view that drives it cancels it (its loop stops at once, its transcript says so); else return(). */
  cancel?: () => Promise<void>
}

const CLOSED_JOBS_SHOWN = 20
const LOG_LINES_KEPT = 200
/**
 * Progress reaches the status bar at most this often per job (the latest report wins): workers
 * report ten times a second, and each change of the bar's text costs a frame that the Browse tab,
 * refreshing four times a second, would not otherwise draw.
 */
const PROGRESS_SHOWN_EVERY_MS = 250
/**
 * A stream pulls batch after batch, and between a reply and its next pull the generator is
 * suspended for a moment. Shown as it is, the status bar would swap "running … Cancel" for "No
 * jobs running · 1 suspended generator" and back for every batch: a frame each, and a screen
 * reader announcing each. So a job that stops running leaves the running list only once it has
 * stayed suspended this long; a job that closes leaves at once.
 */
export const SUSPENDED_SHOWN_AFTER_MS = 300

/**
 * The kinds whose jobs keep a core busy while they run (reads, sample writing, walks, ncdu
 * imports, sweeps), with the tab that starts each: one running skews the times another measures.
 * The Coroutines tab's remote range and reader only step when asked.
 */
export const CPU_BUSY_KINDS: ReadonlyMap<JobKind, string> = new Map<JobKind, string>([
  ['process', 'Read'],
  ['sampleData', 'Read'],
  ['walk', 'Browse'],
  ['ncduImport', 'Browse'],
  ['sweep', 'Benchmark']
])

export const useJobsStore = defineStore('jobs', () => {
  // Typed as Ref<TrackedJob[]>: Vue's unwrapped type would drop the generator's private members.
  const jobs = ref([]) as Ref<TrackedJob[]>
  const open = computed(() => jobs.value.filter((job) => job.generator.state !== 'closed'))

  /** Jobs shown as running (see SUSPENDED_SHOWN_AFTER_MS), in the order they started. */
  const running = shallowRef<TrackedJob[]>([])
  /** When each job shown as running was last seen suspended. */
  const suspendedSince = new Map<TrackedJob, number>()
  let recheck: ReturnType<typeof setTimeout> | undefined
  function updateRunning(): void {
    const now = performance.now()
    let wait = Infinity
    const shown = jobs.value.filter((job) => {
      const state = job.generator.state
      if (state === 'running') {
        suspendedSince.delete(job)
        return true
      }
      if (state !== 'suspended' || !running.value.includes(job)) return false
      const since = suspendedSince.get(job) ?? now
      suspendedSince.set(job, since)
      const left = since + SUSPENDED_SHOWN_AFTER_MS - now
      if (left <= 0) return false
      wait = Math.min(wait, left)
      return true
    })
    for (const job of suspendedSince.keys()) if (!shown.includes(job)) suspendedSince.delete(job)
    if (shown.length !== running.value.length || shown.some((job, i) => job !== running.value[i])) running.value = shown
    clearTimeout(recheck)
    recheck = wait === Infinity ? undefined : setTimeout(updateRunning, wait)
  }
  watch(() => jobs.value.map((job) => job.generator.state), updateRunning)

  /** The jobs shown as running that keep a core busy (CPU_BUSY_KINDS), but those of `kind`: what shares the CPU with a job of that kind. */
  function busyBesides(kind: JobKind): TrackedJob[] {
    return running.value.filter((job) => job.generator.kind !== kind && CPU_BUSY_KINDS.has(job.generator.kind))
  }

  function find(id: string): TrackedJob | undefined {
    return jobs.value.find((job) => job.generator.id === id)
  }

  /** Per job: when its progress was last shown, and a report waiting for its turn. */
  const progressTimes = new Map<string, { shownAt: number; latest?: JobProgressReport }>()
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

  /**
   * Opens a remote generator and tracks it; returns the reactive generator to drive. `cancel` is
   * how the status bar's Cancel should stop it, when the view driving it has its own way.
   */
  async function start<K extends JobKind>(
    kind: K,
    args: JobArgs<K>,
    label: string,
    cancel?: (generator: RemoteGenerator<K>) => Promise<void>
  ): Promise<RemoteGenerator<K>> {
    jobs.value.push({ generator: await RemoteGenerator.open(kind, args), label, log: [] })
    // The tracked (reactive) generator, the one its view drives and compares with.
    const tracked = jobs.value.at(-1)!
    if (cancel !== undefined) tracked.cancel = () => cancel(tracked.generator as RemoteGenerator<K>)
    const closed = jobs.value.filter((job) => job.generator.state === 'closed')
    for (const old of closed.slice(0, Math.max(0, closed.length - CLOSED_JOBS_SHOWN))) {
      jobs.value.splice(jobs.value.indexOf(old), 1)
      progressTimes.delete(old.generator.id)
    }
    return tracked.generator as RemoteGenerator<K>
  }

  async function cancel(id: string): Promise<void> {
    const job = find(id)
    if (job === undefined) return
    await (job.cancel?.() ?? job.generator.return())
  }

  /**
   * Import…: main's open dialog, then the importFile job reads the chosen file in main (so a FIFO,
   * a folder or a file too large is refused naming it). Undefined when the user cancelled the
   * dialog or, in the status bar, the read.
   */
  async function importFile(kind: ImportFileKind, title: string): Promise<{ path: string; text: string } | undefined> {
    const { path } = await call('dialog.choosePath', { kind: 'file', title })
    if (path === null) return undefined
    const generator = await start('importFile', { file: path, kind }, `Import ${fileLabel(path)}`)
    try {
      for (;;) {
        const batch = await generator.next()
        if (batch.done) return batch.value === undefined ? undefined : { path, text: batch.value.text }
      }
    } catch (error) {
      if (isLabError(error, 'CANCELLED')) return undefined
      throw error
    }
  }

  return { jobs, running, busyBesides, open, find, start, cancel, importFile }
})
