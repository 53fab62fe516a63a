/**
 * The sweep's progress line and bar through each stage. The sweep job is real (in-process lab),
 * but its first pull is held back, so the stages' reports are the test's own: each stage's words,
 * its bar, and the time left as main reports it, counted down between reports.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { LabApi, LabEvents } from '@shared/contract'
import type { SweepStats } from '@shared/sweep'
import type { SweepStage } from '@shared/sweepEstimate'
import SweepProgress from '@renderer/components/sweep/SweepProgress.vue'
import { useSweepStore } from '@renderer/stores/sweep'
import type { JobHost } from '../../../../../src/main/lab/jobs/jobHost'
import { writeSampleData } from '../../../../../src/main/lab/read/sampleData'
import { installInProcessLab } from '../../../../support/inProcessLab'
import { until } from '../../../../support/until'

let root: string
let small: string
let jobs: JobHost
let wrapper: VueWrapper | undefined
/** Progress listeners of the renderer, so the test can send its own reports. */
let progressListeners: ((payload: LabEvents['job.progress']) => void)[]
/** Opens the gate for the first `job.next` (held until then). */
let releaseNext: () => void

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yield-lab-sweep-progress-'))
  small = writeSampleData({ directory: root, name: 'small', bytes: 64 * 1024, seed: 1 }).binaryPath
})
afterAll(() => rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  const lab = installInProcessLab({ dataDirectory: mkdtempSync(join(root, 'app-')) })
  jobs = lab.jobs
  progressListeners = []
  const gate = new Promise<void>((resolve) => (releaseNext = resolve))
  const gated: LabApi = {
    invoke: async (channel, input) => {
      if (channel === 'job.next') await gate
      return lab.api.invoke(channel, input)
    },
    on: (event, listener) => {
      if (event === 'job.progress') progressListeners.push(listener as (typeof progressListeners)[number])
      return lab.api.on(event, listener)
    }
  }
  Object.assign(globalThis, { lab: gated })
  setActivePinia(createPinia())
})
afterEach(async () => {
  releaseNext()
  wrapper?.unmount()
  wrapper = undefined
  await jobs.closeAll()
})

function send(
  id: string,
  stage: SweepStage,
  progress: { completed: number; total?: number; unit?: 'items' | 'bytes' },
  stats: Partial<SweepStats> = {}
): void {
  const report = {
    kind: 'sweep' as const,
    completed: progress.completed,
    ...(progress.total === undefined ? {} : { total: progress.total }),
    unit: progress.unit ?? 'items',
    stats: { stage, runs: 0, planned: 0, elapsedMs: 0, etaMs: null, stageEtaMs: null, ...stats }
  }
  for (const listener of progressListeners) listener({ id, progress: report })
}

const status = (): string => wrapper!.find('[data-testid="sweep-status"]').text()
const bar = (): { value: string | undefined; max: string | undefined } => {
  const element = wrapper!.find('[data-testid="sweep-bar"]')
  return { value: element.attributes('value'), max: element.attributes('max') }
}

/** Mounts the progress and starts a small sweep, held before its first pull; the job's id. */
async function startSweep(): Promise<{ store: ReturnType<typeof useSweepStore>; running: Promise<void>; id: string }> {
  wrapper = mount(SweepProgress, { attachTo: document.body })
  const store = useSweepStore()
  Object.assign(store.form, { path: small, maxChunk: 64, repeats: 1, timeCapMs: 50 })
  const running = store.run()
  await until(() => store.phase === 'preparing', 'the job to open')
  return { store, running, id: jobs.openJobs()[0]!.id }
}

describe('sweep progress', () => {
  test('each stage in its own words, with its own bar; the time left once the warm-up has measured', async () => {
    const { store, running, id } = await startSweep()
    await flushPromises()
    expect(status()).toBe('Checking the files…')
    expect(bar()).toEqual({ value: undefined, max: undefined })

    // Another job's report is not this sweep's.
    send('another-job', 'warmup', { completed: 5, total: 8 })
    await flushPromises()
    expect(status()).toBe('Checking the files…')

    send(id, 'cache', { completed: 1024 * 1024, total: 4 * 1024 * 1024, unit: 'bytes' }, { stageEtaMs: 3000 })
    await flushPromises()
    expect(status()).toBe('Warming the page cache: read 1.00 MiB of 4.00 MiB · about 3 s for this step')
    expect(bar()).toEqual({ value: String(1024 * 1024), max: String(4 * 1024 * 1024) })

    send(id, 'warmup', { completed: 3, total: 8 })
    await flushPromises()
    expect(status()).toBe(
      'Warming up the code: 3 of 8 runs (short ones, and eager once if it is swept), which also time this machine for the estimate'
    )
    expect(bar()).toEqual({ value: '3', max: '8' })

    send(id, 'runs', { completed: 0, total: 15 }, { etaMs: 65_000, planned: 15 })
    await flushPromises()
    expect(status()).toBe('About to measure 15 runs · about 1 min 5 s left')
    // Between reports the time left counts down with the clock.
    await until(() => !status().endsWith('about 1 min 5 s left'), 'the estimate to count down', { pollMs: 100 })
    expect(status()).toMatch(/^About to measure 15 runs · about 1 min [0-4] s left$/)

    // The real sweep then runs, and reports its own stages.
    releaseNext()
    await running
    expect(store.phase).toBe('done')
    await flushPromises()
    expect(status()).toMatch(/^Complete: 15 runs in /)
    expect(bar()).toEqual({ value: '15', max: '15' })
  })

  test('a cold cache says it drops the files rather than showing an empty bar', async () => {
    const { store, running, id } = await startSweep()
    send(id, 'cache', { completed: 0, total: 0, unit: 'bytes' })
    await flushPromises()
    expect(status()).toBe('Dropping the files from the page cache…')
    expect(bar()).toEqual({ value: undefined, max: undefined })
    await store.cancel()
    releaseNext()
    await running
    // Cancelled before its plan: nothing of it was measured, and the tab is left as it was.
    expect(store.phase).toBe('idle')
    expect(store.finished).toBeUndefined()
  })
})
