/**
 * The status bar reports Python as busy while the console runs code or the Step tab records, with
 * an Interrupt, as it reports main-process jobs with a Cancel (Python: the real one, in-process).
 */
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import StatusBar from '@renderer/components/StatusBar.vue'
import { PythonInterruptedError } from '@renderer/python/client'
import { useJobsStore } from '@renderer/stores/jobs'
import type { SweepStats } from '@shared/sweep'
import { usePythonStore } from '@renderer/stores/python'
import { inProcessClient } from '../../../support/pythonInProcess'
import { installInProcessLab } from '../../../support/inProcessLab'
import { until } from '../../../support/until'

const mounted: VueWrapper[] = []

beforeEach(() => {
  installInProcessLab()
  setActivePinia(createPinia())
  usePythonStore().attach(inProcessClient())
})
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
})

test(
  'says Python is running which input, instead of "No jobs running", with an Interrupt',
  { timeout: 30_000 },
  async () => {
    const bar = mount(StatusBar, { attachTo: document.body })
    mounted.push(bar)
    const python = usePythonStore()
    await python.start()
    expect(bar.text()).toContain('No jobs running')
    expect(bar.find('[data-testid=python-busy]').exists()).toBe(false)

    const interrupt = vi.spyOn(python, 'interrupt')
    const first = python.submit('total = 0\nfor n in range(3):\n    total += n\n')
    const second = python.submit('total')
    await nextTick()
    const busy = bar.find('[data-testid=python-busy]')
    expect(busy.find('code').text()).toBe('total = 0 …')
    expect(busy.text()).toMatch(/^Python running\s*total = 0 …\s*\+1 queued\s*Interrupt$/)
    expect(bar.text()).not.toContain('No jobs running')
    await busy.find('[data-testid=python-busy-interrupt]').trigger('click')
    expect(interrupt).toHaveBeenCalledTimes(1)

    await Promise.all([first, second])
    await until(() => !bar.find('[data-testid=python-busy]').exists(), 'the status bar to clear')
    expect(bar.text()).toContain('No jobs running')
  }
)

const LIMITS = { maxSteps: 1_000, maxSeconds: 30 }

test(
  'says what a Step recording waits for, or that it records, with an Interrupt once it is its own',
  { timeout: 30_000 },
  async () => {
    const bar = mount(StatusBar, { attachTo: document.body })
    mounted.push(bar)
    const python = usePythonStore()
    await python.start()
    const step = (): ReturnType<typeof bar.find> => bar.find('[data-testid=step-busy]')
    expect(step().exists()).toBe(false)

    const typed = python.submit('print("typed")')
    const recorded = python.record('print("recorded")\n', LIMITS)
    await nextTick()
    // The console's input runs first: its own Interrupt is beside this one, which has none.
    expect(bar.find('[data-testid=python-busy]').text()).toContain('print("typed")')
    expect(step().text()).toBe('Step: waiting for the console’s code…')
    expect(step().find('button').exists()).toBe(false)

    expect((await typed)?.status).toBe('ok')
    await nextTick()
    expect(bar.find('[data-testid=python-busy]').exists()).toBe(false)
    expect(step().text()).toMatch(/^Step: recording…\s*Interrupt$/)
    expect(bar.text()).not.toContain('No jobs running')
    await step().find('[data-testid=step-busy-interrupt]').trigger('click')
    expect((await recorded).note).toBe('Recording was interrupted after 0 steps.')
    await nextTick()
    expect(step().exists()).toBe(false)
    expect(bar.text()).toContain('No jobs running')
  }
)

test('a Step recording asked for while Python loads says so, and its Interrupt cancels it', async () => {
  const bar = mount(StatusBar, { attachTo: document.body })
  mounted.push(bar)
  const python = usePythonStore()
  const recorded = python.record('print("never")\n', LIMITS).catch((error: unknown) => error)
  await nextTick()
  const step = bar.find('[data-testid=step-busy]')
  expect(step.text()).toMatch(/^Step: loading Python…\s*Interrupt$/)
  await step.find('[data-testid=step-busy-interrupt]').trigger('click')
  expect(await recorded).toBeInstanceOf(PythonInterruptedError)
  await nextTick()
  expect(bar.find('[data-testid=step-busy]').exists()).toBe(false)
  expect(bar.text()).toContain('No jobs running')
})

test('only the running jobs are a live region: not the progress, not the console', async () => {
  const bar = mount(StatusBar, { attachTo: document.body })
  mounted.push(bar)
  const live = bar.findAll('[aria-live], [role=status], [role=alert]')
  expect(live.map((element) => element.attributes('data-testid'))).toEqual(['jobs-announcement'])
  expect(live[0]!.text()).toBe('')
  const jobs = useJobsStore()
  const generator = await jobs.start('range', { start: 0, stop: 1_000_000, step: 1, delayMs: 0 }, 'range(0, 1000000)')
  const pulled = generator.next(1_000_000)
  await until(() => live[0]!.text() === 'Running: range(0, 1000000)', 'the job to be announced')
  await pulled
  await generator.return()
  await until(() => live[0]!.text() === '', 'the announcement to clear')
})

test('a sweep’s percent says which stage it counts, so it does not read as going backwards', async () => {
  const bar = mount(StatusBar, { attachTo: document.body })
  mounted.push(bar)
  const jobs = useJobsStore()
  // A slow range (5 ms an item) stands in for the sweep, so it is still running as its progress is shown.
  const generator = await jobs.start('range', { start: 0, stop: 1_000_000, step: 1, delayMs: 5 }, 'Sweep data.bin')
  const pulled = generator.next(1_000_000)
  await until(() => bar.find('[data-testid=running-job]').exists(), 'the job to be shown')
  const job = jobs.jobs.find((tracked) => tracked.generator.id === generator.id)!
  const stats = { runs: 0, planned: 43, elapsedMs: 0, etaMs: null, stageEtaMs: null }
  const shown = async (stage: SweepStats['stage'], completed: number, total: number): Promise<string> => {
    job.progress = { kind: 'sweep', completed, total, unit: 'items', stats: { ...stats, stage } }
    await nextTick()
    return bar.find('[data-testid=running-job]').text()
  }
  expect(await shown('cache', 42, 100)).toContain('Sweep data.bin warming the page cache 42%')
  expect(await shown('warmup', 6, 10)).toContain('Sweep data.bin warming up 60%')
  expect(await shown('runs', 1, 43)).toMatch(/Sweep data\.bin\s+2%/)
  await generator.return()
  await pulled.catch(() => undefined)
})
