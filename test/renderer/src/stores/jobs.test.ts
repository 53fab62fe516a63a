/** The jobs store: what the status bar shows of each running job. */
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { LabApi, LabEvents } from '@shared/contract'
import { SUSPENDED_SHOWN_AFTER_MS, useJobsStore } from '@renderer/stores/jobs'

let progressListeners: ((payload: LabEvents['job.progress']) => void)[]

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] })
  progressListeners = []
  const lab: LabApi = {
    invoke: (channel) => {
      if (channel !== 'job.open') throw new Error(`unexpected ${channel}`)
      return Promise.resolve({ ok: true, value: { id: 'job-1', kind: 'walk', state: 'created' } }) as never
    },
    on: (event, listener) => {
      if (event === 'job.progress') progressListeners.push(listener as (typeof progressListeners)[number])
      return () => undefined
    }
  }
  Object.assign(globalThis, { lab })
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

function report(completed: number): void {
  const progress = {
    kind: 'walk' as const,
    completed,
    unit: 'entries' as const,
    stats: { dirs: 0, files: 0, bytes: 0, errors: 0 }
  }
  for (const listener of progressListeners) listener({ id: 'job-1', progress })
}

test('progress reaches the status bar at most four times a second, the latest report winning', async () => {
  const jobs = useJobsStore()
  await jobs.start('walk', { top: '/t' }, 'walk /t')
  const shown = (): number | undefined => jobs.find('job-1')!.progress?.completed
  report(1)
  expect(shown()).toBe(1) // the first report shows at once
  vi.advanceTimersByTime(100)
  report(2)
  vi.advanceTimersByTime(100)
  report(3)
  expect(shown()).toBe(1) // within 250 ms of the last shown: waiting
  vi.advanceTimersByTime(50)
  expect(shown()).toBe(3) // its turn came: the latest, 2 skipped
  vi.advanceTimersByTime(100)
  report(4)
  expect(shown()).toBe(3)
  vi.advanceTimersByTime(1000)
  expect(shown()).toBe(4) // the last report is never lost, even with no report after it
  report(5)
  expect(shown()).toBe(5) // long after: at once again
})

test('a streaming job stays shown as running between its pulls; one that stays suspended or closes leaves', async () => {
  const jobs = useJobsStore()
  await jobs.start('walk', { top: '/t' }, 'walk /t')
  const generator = jobs.find('job-1')!.generator
  const shownRunning = async (): Promise<string[]> => {
    await nextTick()
    return jobs.running.map((job) => job.generator.id)
  }
  generator.state = 'running'
  expect(await shownRunning()).toEqual(['job-1'])
  // A stream: suspended for a moment after each batch, then pulled again.
  for (let batch = 0; batch < 5; batch++) {
    generator.state = 'suspended'
    expect(await shownRunning()).toEqual(['job-1'])
    vi.advanceTimersByTime(SUSPENDED_SHOWN_AFTER_MS / 2)
    generator.state = 'running'
    expect(await shownRunning()).toEqual(['job-1'])
    vi.advanceTimersByTime(SUSPENDED_SHOWN_AFTER_MS)
  }
  // Paused: suspended for good, so it is shown so once the moment has passed.
  generator.state = 'suspended'
  expect(await shownRunning()).toEqual(['job-1'])
  vi.advanceTimersByTime(SUSPENDED_SHOWN_AFTER_MS - 1)
  expect(await shownRunning()).toEqual(['job-1'])
  vi.advanceTimersByTime(1)
  expect(await shownRunning()).toEqual([])
  expect(jobs.open.map((job) => job.generator.id)).toEqual(['job-1'])
  // Resumed, then closed: it leaves at once.
  generator.state = 'running'
  expect(await shownRunning()).toEqual(['job-1'])
  generator.state = 'closed'
  expect(await shownRunning()).toEqual([])
  expect(jobs.open).toEqual([])
})
