/**
 * The Benchmark tab against the real main-process handlers and a real sweep job in a worker
 * (in-process lab), with history in a temporary data directory. The chart itself is stubbed
 * (happy-dom has no canvas); what it is given is checked, and its mapping is tested in sweepChart.test.ts.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { defineComponent, h, nextTick, watch } from 'vue'
import SweepView from '@renderer/views/SweepView.vue'
import { useJobsStore } from '@renderer/stores/jobs'
import { useReadStore } from '@renderer/stores/read'
import { defaultSweepForm, sweepArgsFromForm, useSweepStore } from '@renderer/stores/sweep'
import type { ChartRun } from '@renderer/charts/sweepChart'
import { sweepJson } from '@shared/sweepExport'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'
import { SweepHistory } from '../../../../src/main/lab/sweep/sweepHistory'
import { HISTORY_PAGE_RUNS } from '@shared/sweep'
import { installInProcessLab } from '../../../support/inProcessLab'
import { shownWithNote } from '../../../support/notUtf8'
import { until } from '../../../support/until'

let root: string
let small: string
let medium: string
let dataDirectory: string
let jobs: JobHost
const mounted: VueWrapper[] = []
/** What the stubbed chart was last given. */
let chartProps: { runs: readonly ChartRun[]; view: string } | undefined

const ChartStub = defineComponent({
  props: {
    runs: { type: Array, required: true },
    view: { type: String, required: true },
    yLog: Boolean,
    hiddenModes: { type: Array, required: true }
  },
  setup(props) {
    return () => {
      chartProps = { runs: props.runs as ChartRun[], view: props.view }
      return h('div', { 'data-testid': 'chart-stub' }, `${props.runs.length} runs`)
    }
  }
})

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yield-lab-bench-ui-'))
  small = writeSampleData({ directory: root, name: 'small', bytes: 64 * 1024, seed: 1, withText: true }).binaryPath
  medium = writeSampleData({ directory: root, name: 'medium', bytes: 4 * 1024 * 1024, seed: 2 }).binaryPath
})
afterAll(() => rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  dataDirectory = mkdtempSync(join(root, 'app-'))
  jobs = installInProcessLab({ dataDirectory }).jobs
  setActivePinia(createPinia())
  chartProps = undefined
})
afterEach(async () => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
  await jobs.closeAll()
})

function mountView(): VueWrapper {
  const wrapper = mount(SweepView, { attachTo: document.body, global: { stubs: { SweepChart: ChartStub } } })
  mounted.push(wrapper)
  return wrapper
}

function historyFiles(): string[] {
  try {
    return readdirSync(join(dataDirectory, 'sweeps'))
  } catch {
    return []
  }
}

describe('the form', () => {
  test('makes the job arguments, or says what is wrong', () => {
    const form = defaultSweepForm()
    expect(sweepArgsFromForm(form)).toEqual({ error: 'Choose a data file to sweep.' })
    form.path = '/data/x.bin'
    const made = sweepArgsFromForm(form, '1.2.3')
    expect(made).toMatchObject({
      runs: (21 * 3 + 1) * 3,
      runsIfNoTextTwin: (21 * 2 + 1) * 3,
      args: { path: '/data/x.bin', grid: { kind: 'log2', minItems: 1, maxItems: 1048576 }, appVersion: '1.2.3' }
    })
    expect('args' in made && made.args.textPath).toBe(undefined)
    // An emptied number field (v-model.number leaves '') is told in the form's words, not the schema library's.
    form.repeats = '' as unknown as number
    expect(sweepArgsFromForm(form)).toEqual({ error: 'repeats: must be a number' })
    form.repeats = 3
    form.minChunk = 4096
    form.maxChunk = 16
    expect(sweepArgsFromForm(form)).toEqual({ error: expect.stringContaining('larger than the largest') })
    form.minChunk = 1
    form.modes = { lazyItem: false, lazyChunk: false, text: false }
    expect(sweepArgsFromForm(form)).toEqual({ error: 'Choose at least one mode.' })
  })
})

describe('the Benchmark tab', () => {
  test('a sweep from the form: points arrive live, the run is kept in history, the chart gets it', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    expect(wrapper.find('[data-testid="sweep-empty"]').exists()).toBe(true)
    await wrapper.find('[data-testid="sweep-path"]').setValue(small)
    await wrapper.find('[data-testid="sweep-max-chunk"]').setValue('1024')
    await wrapper.find('[data-testid="sweep-repeats"]').setValue('1')
    await wrapper.find('[data-testid="sweep-cap"]').setValue('50')
    expect(wrapper.find('[data-testid="sweep-plan"]').text()).toContain('34 runs')
    const counts: number[] = []
    const stop = store.$subscribe(() => counts.push(store.measurements.length))
    await wrapper.find('form').trigger('submit')
    // Before its first point, the chart's place says the sweep is on its way, not "choose a file".
    await until(() => store.busy, 'the sweep to start')
    await nextTick()
    expect(wrapper.find('[data-testid="sweep-empty"]').text()).toMatch(/^The chart fills in as the runs are measured/)
    await until(() => store.phase === 'done', 'the sweep to complete')
    stop()
    expect(store.measurements).toHaveLength(34)
    expect(store.finished).toMatchObject({ status: 'complete', plannedRuns: 34 })
    // The chart saw the run before it was finished: points appear as measured.
    expect(counts.some((n) => n > 0 && n < 34)).toBe(true)
    await until(() => store.savedId !== undefined, 'the run to be saved')
    expect(historyFiles()).toEqual([`${store.savedId}.json`])
    await flushPromises()
    expect(wrapper.find('[data-testid="sweep-status"]').text()).toMatch(/^Complete: 34 runs/)
    expect(wrapper.find('[data-testid="sweep-about"]').text()).toContain('· 1 run per point, random order')
    expect(wrapper.find('[data-testid="sweep-saved"]').text()).toBe('Kept in history.')
    expect(chartProps?.runs).toHaveLength(1)
    expect(chartProps?.runs[0]).toMatchObject({ primary: true, label: 'small.bin' })
    expect(chartProps?.runs[0]?.run.measurements).toHaveLength(34)
    expect(wrapper.findAll('[data-testid="sweep-table"] tbody tr')).toHaveLength(11)
    expect(wrapper.findAll('[data-testid="sweep-history"] tbody tr')).toHaveLength(1)
    expect(jobs.openJobs()).toEqual([])

    // A sweep refused before its plan (a folder) says why and leaves this one's results in place.
    const shown = store.finished
    await wrapper.find('[data-testid="sweep-path"]').setValue(dirname(small))
    await wrapper.find('form').trigger('submit')
    await until(() => store.phase === 'failed', 'the folder refused')
    await flushPromises()
    expect(wrapper.find('[data-testid="sweep-error"]').text()).toContain('is a directory')
    expect(store.finished).toBe(shown)
    expect(store.measurements).toHaveLength(34)
    expect(chartProps?.runs[0]?.run.measurements).toHaveLength(34)
    expect(wrapper.findAll('[data-testid="sweep-table"] tbody tr')).toHaveLength(11)
    expect(wrapper.find('[data-testid="sweep-empty"]').exists()).toBe(false)
    expect(jobs.openJobs()).toEqual([])

    // The error is about the file given: another file, and it goes.
    await wrapper.find('[data-testid="sweep-path"]').setValue(small)
    expect(wrapper.find('[data-testid="sweep-error"]').exists()).toBe(false)

    // Cancelled while its job opens: nothing of it runs, and the tab is left as it was.
    store.failure = 'kept as it was'
    const stopCancelling = watch(
      () => store.phase,
      (phase) => {
        if (phase === 'starting') void store.cancel()
      },
      { flush: 'sync' }
    )
    await store.run()
    stopCancelling()
    expect(store.phase).toBe('failed')
    expect(store.failure).toBe('kept as it was')
    expect(store.finished).toBe(shown)
    expect(store.measurements).toHaveLength(34)
    expect(jobs.openJobs()).toEqual([])
  })

  test('a file with no text twin: the plan says the text runs need one, as the sweep then skips them', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    await wrapper.find('[data-testid="sweep-path"]').setValue(medium)
    await wrapper.find('[data-testid="sweep-max-chunk"]').setValue('64')
    await wrapper.find('[data-testid="sweep-repeats"]').setValue('1')
    await wrapper.find('[data-testid="sweep-cap"]').setValue('50')
    const plan = (): string => wrapper.find('[data-testid="sweep-plan"]').text()
    // 7 chunk sizes × 3 modes + eager; without the twin, 7 × 2 + eager.
    expect(plan()).toContain(
      '22 runs (1 run per point), or 15 if the data file has no text twin (the same name with .txt beside it) for text lazy,'
    )
    // Eager's limit is half the RAM, checked by the sweep against the file: the plan says what it changes.
    expect(plan()).toContain(
      "the time left is shown from then on. Eager is left out (1 run fewer) for a file over half this machine's RAM. Tiny chunks"
    )
    await wrapper.find('form').trigger('submit')
    await until(() => store.phase === 'done', 'the sweep to complete')
    expect(wrapper.find('[data-testid="sweep-status"]').text()).toMatch(/^Complete: 15 runs/)
    expect(store.finished?.notes.join('\n')).toContain('Text lazy was skipped: no text twin medium.txt')
    // Once a sweep of this file found out, the plan says so instead of hedging.
    expect(plan()).toMatch(
      /^15 runs \(1 run per point\) without text lazy \(the last sweep found no text twin \(the same name with \.txt beside it\)\), each capped at 50 ms\. A short warm-up times this machine first, and the time left is shown from then on\. Tiny chunks/
    )
    // Another file: the hedges again.
    await wrapper.find('[data-testid="sweep-path"]').setValue(small)
    expect(plan()).toContain('or 15 if the data file has no text twin')
    expect(plan()).toContain('Eager is left out (1 run fewer)')
    await wrapper.find('[data-testid="sweep-path"]').setValue(medium)
    // A file over eager's limit (half the RAM; the tests' files are far smaller) is planned without eager.
    store.checkedFile = { ...store.checkedFile!, eagerFits: false }
    await flushPromises()
    expect(plan()).toMatch(/^14 runs \(1 run per point\) without text lazy/)
    expect(plan()).toContain(
      "from then on. Eager is left out: the last sweep found the file larger than half this machine's RAM. Tiny chunks"
    )
    store.checkedFile = { ...store.checkedFile!, eagerFits: true }

    // A twin named in the form is used or fails the sweep, never skipped: the plan counts it.
    await wrapper.find('[data-testid="sweep-text-path"]').setValue(small.replace(/\.bin$/, '.txt'))
    expect(plan()).toMatch(/^22 runs \(1 run per point\), each capped/)
    // Text alone cannot be skipped (the sweep would have nothing left to measure).
    store.form.modes = { lazyItem: false, lazyChunk: false, text: true }
    store.form.eager = false
    await wrapper.find('[data-testid="sweep-text-path"]').setValue('')
    expect(plan()).toMatch(
      /^7 runs \(1 run per point\), but the last sweep found no text twin \(the same name with \.txt beside it\), which text lazy needs, each capped/
    )
    store.checkedFile = undefined
    await flushPromises()
    expect(plan()).toMatch(
      /^7 runs \(1 run per point\), if the data file has a text twin \(the same name with \.txt beside it\), each capped/
    )
    expect(plan()).not.toContain('Eager is left out') // no eager runs planned
  })

  test('starting a sweep scrolls the tab’s panel (and only it) to its progress and chart', async () => {
    // The tab's panel scrolls; the shell around it must not move.
    const shell = document.createElement('div')
    shell.style.overflow = 'hidden'
    const panel = document.createElement('div')
    panel.style.overflowY = 'auto'
    shell.append(panel)
    document.body.append(shell)
    const scrolled: { element: Element; options: unknown }[] = []
    const record = function (this: HTMLElement, options?: ScrollToOptions | number): void {
      scrolled.push({ element: this, options })
    }
    const scrollTo = vi.spyOn(HTMLElement.prototype, 'scrollTo').mockImplementation(record as never)
    const scrollIntoView = vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(record as never)
    try {
      const wrapper = mount(SweepView, { attachTo: panel, global: { stubs: { SweepChart: ChartStub } } })
      mounted.push(wrapper)
      const store = useSweepStore()
      Object.assign(store.form, { path: small, maxChunk: 64, repeats: 1, timeCapMs: 50 })
      await flushPromises()
      expect(scrolled).toEqual([])
      const running = store.run()
      await until(() => scrolled.length > 0, 'the panel to be scrolled')
      const live = wrapper.find('[data-testid="sweep-live"]')
      const offset = live.element.getBoundingClientRect().top - panel.getBoundingClientRect().top
      expect(scrolled).toEqual([{ element: panel, options: { top: Math.max(0, offset + panel.scrollTop - 8) } }])
      // It holds the progress and the chart (or its placeholder until the first points).
      expect(live.find('[data-testid="sweep-status"]').exists()).toBe(true)
      expect(live.find('[data-testid="sweep-empty"], [data-testid="chart-stub"]').exists()).toBe(true)
      await running
      expect(scrolled).toHaveLength(1)
    } finally {
      scrollTo.mockRestore()
      scrollIntoView.mockRestore()
      shell.remove()
    }
  })

  test('cancel keeps the points measured so far; they can be saved', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    Object.assign(store.form, { path: medium, maxChunk: 64, repeats: 3, timeCapMs: 250 })
    const running = store.run()
    await until(() => store.measurements.length >= 2, 'two runs to be measured')
    await store.cancel()
    await running
    expect(store.phase).toBe('cancelled')
    const kept = store.measurements.length
    expect(store.finished).toMatchObject({ status: 'cancelled' })
    expect(store.finished!.measurements).toHaveLength(kept)
    expect(historyFiles()).toEqual([])
    await flushPromises()
    expect(wrapper.find('[data-testid="sweep-status"]').text()).toBe(
      `Cancelled after ${kept} of ${store.progress.planned} runs: the measured points are kept.`
    )
    await wrapper.find('[data-testid="sweep-save"]').trigger('click')
    await until(() => historyFiles().length === 1, 'the partial run to be saved')
    expect(jobs.openJobs()).toEqual([])
  })

  test.runIf(process.platform === 'linux')(
    'a file name that is not valid UTF-8 is shown with U+FFFD and the note: caption, chart, history, notes',
    async () => {
      const odd = mkdtempSync(join(root, 'odd-'))
      const written = writeSampleData({ directory: odd, name: 'twin', bytes: 64 * 1024, seed: 3, withText: true })
      renameSync(written.binaryPath, Buffer.from(join(odd, 'tw\xffin.bin'), 'latin1'))
      renameSync(written.textPath!, Buffer.from(join(odd, 'tw\xffin.txt'), 'latin1'))
      const path = join(odd, 'tw\udcffin.bin')
      const wrapper = mountView()
      const store = useSweepStore()
      Object.assign(store.form, { path, maxChunk: 64, repeats: 1, timeCapMs: 50 })
      await store.run()
      expect(store.phase).toBe('done')
      await until(() => store.savedId !== undefined, 'the run to be saved')
      await flushPromises()
      const name = shownWithNote('tw\udcffin.bin')
      const about = wrapper.find('[data-testid="sweep-about"]').text()
      expect(about.slice(0, name.length + 8)).toBe(`${name}: 64 KiB`)
      expect(chartProps?.runs[0]?.label).toBe(name)
      expect(useJobsStore().jobs.at(-1)!.label).toBe(`Sweep ${name}`)
      const history = wrapper.find('[data-testid="sweep-history"] tbody tr .path')
      expect(history.text()).toBe(name)
      expect(history.attributes('title')).toBe(shownWithNote(path))
      expect(store.finished?.notes.join('\n')).toContain(`Text lazy reads ${shownWithNote('tw\udcffin.txt')} (`)
      expect(wrapper.text()).not.toMatch(/[\uDC80-\uDCFF]/)
    }
  )

  test(
    'a read running in the Read tab is told beside Run sweep: before a sweep, and while both run',
    { timeout: 30_000 },
    async () => {
      const wrapper = mountView()
      const store = useSweepStore()
      const notice = (): DOMWrapper<Element> => wrapper.find('[data-testid="sweep-timing-skew"]')
      await wrapper.find('[data-testid="sweep-path"]').setValue(small)
      expect(notice().exists()).toBe(false)

      // One read() per item, eight times over the file: it is cancelled long before its end.
      const read = useReadStore()
      read.form.path = medium
      read.form.chained = Array.from({ length: 7 }, () => medium)
      read.form.mode = 'lazyItem'
      read.form.chunkItems = 1
      const reading = read.run()
      await until(() => notice().exists(), `the read told in the Benchmark tab: ${read.runFailure?.message ?? ''}`)
      expect(notice().text()).toBe(
        'Timings will be skewed: the Read tab is running Lazy per item: 8 files chained. A sweep started now shares the CPU with it, so both measure slower than either would alone.'
      )
      expect(wrapper.find('[data-testid="sweep-run"]').attributes('disabled')).toBeUndefined() // told, not prevented

      await wrapper.find('[data-testid="sweep-repeats"]').setValue('1')
      await wrapper.find('form').trigger('submit')
      await until(() => store.busy && notice().text().startsWith('Timings skewed:'), 'both running')
      expect(notice().text()).toBe(
        'Timings skewed: the Read tab is running Lazy per item: 8 files chained at the same time. The two share the CPU, so both measure slower than either would alone.'
      )

      await read.cancelRun()
      await reading
      await until(() => !notice().exists(), 'the notice gone with the read')
      await store.cancel()
      await until(() => !store.busy, 'the sweep cancelled')
    }
  )

  test('a bad file is a clear error and leaves nothing running', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    Object.assign(store.form, { path: join(root, 'missing.bin'), maxChunk: 64 })
    await store.run()
    expect(store.phase).toBe('failed')
    await flushPromises()
    expect(wrapper.find('[data-testid="sweep-error"]').text()).toContain('missing.bin: does not exist')
    expect(jobs.openJobs()).toEqual([])
    expect(store.currentRun).toBeUndefined()
  })

  test('import: a colleague’s JSON is overlaid; corrupt JSON is refused and writes nothing; delete removes a run', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    expect(await store.importJson('{"format": "yield-lab-sweep/1"', 'broken.json')).toBeUndefined()
    await flushPromises()
    expect(wrapper.find('[data-testid="import-error"]').text()).toContain(
      'broken.json was not imported: This is not a Yield Lab sweep: it is not JSON'
    )
    expect(await store.importJson('', 'empty.json')).toBeUndefined()
    await flushPromises()
    expect(wrapper.find('[data-testid="import-error"]').text()).toBe(
      'empty.json was not imported: This is not a Yield Lab sweep: the file is empty.'
    )
    expect(historyFiles()).toEqual([])

    Object.assign(store.form, { path: small, maxChunk: 64, repeats: 1, timeCapMs: 50 })
    await store.run()
    const exported = sweepJson(store.exportRun!)
    // This very run, exported and imported back: refused, it is in history already.
    expect(await store.importJson(exported, 'mine.json')).toBeUndefined()
    await flushPromises()
    expect(wrapper.find('[data-testid="import-error"]').text()).toMatch(
      /^mine\.json was not imported: This sweep is in history already: small\.bin, measured /
    )
    expect(historyFiles()).toHaveLength(1)
    // A colleague's run (another id) imports.
    const colleagues = JSON.stringify({ ...JSON.parse(exported), id: 'sweep-20240101T000000Z-c0ffee' })
    const imported = await store.importJson(colleagues, 'colleague.json')
    expect(imported).toBeDefined()
    expect(store.overlayIds).toEqual([imported!.id])
    await flushPromises()
    expect(chartProps?.runs.map((r) => r.primary)).toEqual([true, false])
    expect(historyFiles()).toHaveLength(2)

    await store.deleteRun(imported!.id)
    expect(store.overlayIds).toEqual([])
    expect(historyFiles()).toHaveLength(1)
    await flushPromises()
    expect(chartProps?.runs).toHaveLength(1)
  })

  test('a long history is shown a page at a time: “Show older runs” brings the rest', async () => {
    const wrapper = mountView()
    const store = useSweepStore()
    Object.assign(store.form, { path: small, maxChunk: 64, repeats: 1, timeCapMs: 50 })
    await store.run()
    const history = new SweepHistory(dataDirectory)
    const exported = JSON.parse(sweepJson(store.exportRun!)) as { id: string }
    // Runs of colleagues (ids of their own): the same run twice is imported once.
    for (let i = 0; i < HISTORY_PAGE_RUNS; i++)
      await history.import(
        JSON.stringify({ ...exported, id: `sweep-20240101T0000${String(i).padStart(2, '0')}Z-c0ffee` })
      )
    await store.refreshHistory()
    await flushPromises()
    const rows = () => wrapper.findAll('[data-testid="sweep-history"] tbody tr')
    expect(rows()).toHaveLength(HISTORY_PAGE_RUNS)
    await wrapper.find('[data-testid="history-older"]').trigger('click')
    await until(() => rows().length === HISTORY_PAGE_RUNS + 1, 'the older page')
    expect(new Set(store.history.map((run) => run.id)).size).toBe(HISTORY_PAGE_RUNS + 1)
    expect(store.history.filter((run) => run.imported === undefined)).toHaveLength(1)
    expect(wrapper.find('[data-testid="history-older"]').exists()).toBe(false)
  })
})
