/**
 * The Benchmark tab: the chunk-size sweep (the `sweep` job, a remote generator living in a main
 * worker), pulled one run at a time so every point appears as it is measured and the renderer
 * never draws while a run is being timed; the history of past runs (kept by main in the app's
 * data directory), overlays, import and exports.
 *
 * Cancel closes the generator (the run in flight is dropped) and keeps every run measured so far
 * as a partial, "cancelled" record that can still be saved. Complete sweeps are saved at once.
 */
import { defineStore } from 'pinia'
import * as v from 'valibot'
import { computed, reactive, ref, shallowRef, triggerRef, watch } from 'vue'
import type { AppInfo } from '@shared/contract'
import type { Dtype } from '@shared/dataFiles'
import { isLabError, LabError } from '@shared/errors'
import { formatDateTime, formatShortDateTime } from '@shared/format'
import { shownMessage } from '@shared/fsNames'
import { fileLabel } from '@shared/paths'
import {
  assembleSweepRun,
  DEFAULT_REPEATS,
  DEFAULT_TIME_CAP_MS,
  plannedRunCount,
  sweepArgsSchema,
  sweepModes,
  type MeasuredMode,
  type SweepArgs,
  type SweepEvent,
  type SweepMeasurement,
  type SweepMode,
  type SweepPlan,
  type SweepRun,
  type SweepRunDraft,
  type SweepStats
} from '@shared/sweep'
import { buildGrid } from '@shared/sweepMaths'
import type { JobProgress } from '@shared/jobs'
import { call, describeError, onLabEvent } from '@renderer/ipc/client'
import type { RemoteGenerator } from '@renderer/ipc/remoteGenerator'
import type { ChartRun, SweepChartView } from '@renderer/charts/sweepChart'
import { useJobsStore } from './jobs'

export type SweepPhase = 'idle' | 'starting' | 'preparing' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed'

export interface SweepForm {
  path: string
  /** Empty: the `<stem>.txt` beside the data file, if there is one. */
  textPath: string
  dtype: Dtype
  modes: Record<SweepMode, boolean>
  minChunk: number
  maxChunk: number
  pointsPerDoubling: number
  repeats: number
  timeCapMs: number
  cache: 'warm' | 'cold'
  eager: boolean
}

export const defaultSweepForm = (): SweepForm => ({
  path: '',
  textPath: '',
  dtype: 'float64',
  modes: { lazyItem: true, lazyChunk: true, text: true },
  minChunk: 1,
  maxChunk: 1024 * 1024,
  pointsPerDoubling: 1,
  repeats: DEFAULT_REPEATS,
  timeCapMs: DEFAULT_TIME_CAP_MS,
  cache: 'warm',
  eager: true
})

export interface FormSweep {
  args: SweepArgs
  runs: number
  /**
   * The runs when the data file turns out to have no text twin: the sweep skips text lazy then
   * (src/main/lab/sweep/sweep.ts), which the form cannot tell before. Set only when text lazy
   * relies on the twin beside the file (none named in the form); 0 when it is the only mode.
   */
  runsIfNoTextTwin?: number
}

/**
 * What a sweep's plan found of its data file that the form cannot tell before: whether the text
 * twin beside it is there, and whether eager fits under the sweep's limit.
 * Each is left undefined when that sweep did not ask (no text lazy relying on the twin beside the
 * file, or no eager).
 */
export interface CheckedFile {
  path: string
  dtype: Dtype
  twinFound?: boolean
  eagerFits?: boolean
}

export function checkedFileOf(args: SweepArgs, plan: SweepPlan): CheckedFile {
  const checked: CheckedFile = { path: args.path, dtype: plan.file.dtype }
  if (args.modes?.includes('text') === true && args.textPath === undefined)
    checked.twinFound = plan.file.textPath !== null
  if (args.eager) checked.eagerFits = plan.config.eager
  return checked
}

/** The job's arguments from the form; a message instead when the form cannot make a sweep. */
export function sweepArgsFromForm(form: SweepForm, appVersion = 'unknown'): FormSweep | { error: string } {
  const path = form.path.trim()
  if (path === '') return { error: 'Choose a data file to sweep.' }
  const modes = sweepModes.filter((mode) => form.modes[mode])
  if (modes.length === 0) return { error: 'Choose at least one mode.' }
  const grid = {
    kind: 'log2' as const,
    minItems: form.minChunk,
    maxItems: form.maxChunk,
    pointsPerDoubling: form.pointsPerDoubling
  }
  const args: SweepArgs = {
    path,
    dtype: form.dtype,
    modes,
    grid,
    repeats: form.repeats,
    timeCapMs: form.timeCapMs,
    cache: form.cache,
    eager: form.eager,
    appVersion
  }
  if (form.textPath.trim() !== '') args.textPath = form.textPath.trim()
  // The job's own schema judges the form, so the form says what main would.
  const parsed = v.safeParse(sweepArgsSchema, args)
  if (!parsed.success) {
    const issue = parsed.issues[0]
    const key = issue.path?.map((item) => String(item.key)).join('.')
    return { error: key === undefined || key === 'grid' ? issue.message : `${key}: ${issue.message}` }
  }
  let sizes: number[]
  try {
    sizes = buildGrid(parsed.output.grid)
  } catch (error) {
    return { error: describeError(error) }
  }
  const planned = { chunkSizes: sizes, modes, repeats: form.repeats, eager: form.eager }
  const made: FormSweep = { args, runs: plannedRunCount(planned) }
  if (modes.includes('text') && args.textPath === undefined) {
    const lazyModes = modes.filter((mode) => mode !== 'text')
    made.runsIfNoTextTwin = lazyModes.length === 0 ? 0 : plannedRunCount({ ...planned, modes: lazyModes })
  }
  return made
}

export const useSweepStore = defineStore('sweep', () => {
  const jobs = useJobsStore()

  const form = reactive<SweepForm>(defaultSweepForm())
  const formResult = computed(() => sweepArgsFromForm(form))

  const phase = ref<SweepPhase>('idle')
  const failure = ref<string>()
  const plan = shallowRef<SweepPlan>()
  /** What the last sweep's plan found of its file, for the form's plan (SweepForm). */
  const checkedFile = shallowRef<CheckedFile>()
  const measurements = shallowRef<SweepMeasurement[]>([])
  /** The finished (complete or cancelled) record of the last sweep. */
  const finished = shallowRef<SweepRunDraft>()
  /** Its id once kept in history. */
  const savedId = ref<string>()
  const saveError = ref<string>()
  const startedAt = ref<number>()
  /** The sweep job's latest progress report (its stage, the stage's progress, the time left) and when it came. */
  const report = shallowRef<JobProgress<SweepStats>>()
  const reportedAt = ref<number>()
  const now = ref(Date.now())

  const history = shallowRef<SweepRun[]>([])
  const historyProblems = ref<{ file: string; message: string }[]>([])
  /** Older runs follow the ones listed (history is listed a page at a time). */
  const historyMore = ref(false)
  const historyError = ref<string>()
  const overlayIds = ref<string[]>([])
  const importError = ref<string>()
  const importNotice = ref<string>()

  const view = ref<SweepChartView>('throughput')
  const yLog = ref(true)
  const hiddenModes = ref<MeasuredMode[]>([])

  let generator: RemoteGenerator<'sweep'> | undefined
  let cancelRequested = false
  let ticker: ReturnType<typeof setInterval> | undefined
  let appInfo: AppInfo | undefined

  const busy = computed(
    () =>
      phase.value === 'starting' ||
      phase.value === 'preparing' ||
      phase.value === 'running' ||
      phase.value === 'cancelling'
  )
  // A failure is about the files the sweep was given (missing, a folder, too small): once they are
  // edited it no longer holds, as in the Read tab.
  watch(
    () => [form.path, form.textPath],
    () => {
      if (!busy.value) failure.value = undefined
    }
  )

  /** What the chart and table show as "this run": the live sweep, or the last finished one. */
  const currentRun = computed<SweepRunDraft | undefined>(() => {
    if (finished.value !== undefined) return finished.value
    if (plan.value === undefined) return undefined
    return assembleSweepRun(plan.value, measurements.value, 'cancelled', new Date(now.value).toISOString())
  })

  /**
   * Where the sweep is: its stage and the stage's progress, the runs, and the time left as main
   * estimated it at its last report, counted down since.
   */
  const progress = computed(() => {
    const planned = plan.value?.plannedRuns ?? 0
    const done = measurements.value.length
    const latest = report.value
    const sinceReport = reportedAt.value === undefined ? 0 : Math.max(0, now.value - reportedAt.value)
    const left = (ms: number | null | undefined): number | undefined =>
      ms === null || ms === undefined || !busy.value ? undefined : Math.max(0, ms - sinceReport)
    return {
      done,
      planned,
      fraction: planned > 0 ? done / planned : 0,
      elapsedMs: startedAt.value === undefined ? 0 : Math.max(0, now.value - startedAt.value),
      stage: latest?.stats.stage,
      stageCompleted: latest?.completed ?? 0,
      stageTotal: latest?.total,
      etaMs: left(latest?.stats.etaMs),
      stageEtaMs: left(latest?.stats.stageEtaMs)
    }
  })

  onLabEvent('job.progress', ({ id, progress: update }) => {
    if (update.kind !== 'sweep' || generator === undefined || generator.id !== id) return
    report.value = update
    reportedAt.value = Date.now()
    now.value = reportedAt.value
  })

  const overlays = computed(() =>
    history.value.filter((run) => overlayIds.value.includes(run.id) && run.id !== savedId.value)
  )

  /** The runs on the chart: this run (solid) and the chosen past runs (dashed). */
  const chartRuns = computed<ChartRun[]>(() => {
    const runs: ChartRun[] = []
    const current = currentRun.value
    if (current !== undefined)
      runs.push({ key: savedId.value ?? 'current', label: shownMessage(current.label), run: current, primary: true })
    for (const run of overlays.value) {
      runs.push({
        key: run.id,
        label: `${shownMessage(run.label)} · ${formatShortDateTime(run.createdAt)}`,
        run,
        primary: runs.length === 0
      })
    }
    return runs
  })

  /** The run exports are made of: this run, else the first overlay. */
  const exportRun = computed<(SweepRunDraft & { id?: string }) | undefined>(() => {
    const current = currentRun.value
    if (current !== undefined) return savedId.value === undefined ? current : { ...current, id: savedId.value }
    return overlays.value[0]
  })

  function startTicker(): void {
    stopTicker()
    now.value = Date.now()
    ticker = setInterval(() => (now.value = Date.now()), 500)
  }

  function stopTicker(): void {
    if (ticker !== undefined) clearInterval(ticker)
    ticker = undefined
    now.value = Date.now()
  }

  async function loadAppInfo(): Promise<AppInfo | undefined> {
    if (appInfo === undefined) {
      try {
        appInfo = await call('app.info', undefined)
      } catch {
        // The sweep still runs; its record says the version is unknown.
      }
    }
    return appInfo
  }

  function accept(event: SweepEvent, args: SweepArgs): void {
    if (event.type === 'plan') {
      plan.value = event.plan
      checkedFile.value = checkedFileOf(args, event.plan)
      if (phase.value === 'preparing') phase.value = 'running'
    } else {
      measurements.value.push(event.measurement)
      triggerRef(measurements)
    }
  }

  /** Runs a sweep with the form's settings; resolves when it ends (complete, cancelled or failed). */
  async function run(): Promise<void> {
    if (busy.value) return
    const info = await loadAppInfo()
    const made = sweepArgsFromForm(form, info?.version ?? 'unknown')
    // The last sweep's results stay on screen if this one ends before its plan (refused, or
    // cancelled at once); cancelled so soon, it leaves the tab as it was.
    const last = {
      phase: phase.value,
      failure: failure.value,
      plan: plan.value,
      measurements: measurements.value,
      finished: finished.value,
      savedId: savedId.value,
      startedAt: startedAt.value
    }
    failure.value = undefined
    saveError.value = undefined
    if ('error' in made) {
      failure.value = made.error
      phase.value = 'failed'
      return
    }
    plan.value = undefined
    measurements.value = []
    finished.value = undefined
    savedId.value = undefined
    cancelRequested = false
    phase.value = 'starting'
    startedAt.value = Date.now()
    report.value = undefined
    reportedAt.value = undefined
    startTicker()
    try {
      generator = await jobs.start('sweep', made.args, `Sweep ${fileLabel(made.args.path)}`)
      // Cancel was pressed while the job was being opened: close it before it starts.
      if (cancelRequested) throw new LabError('CANCELLED', 'Cancelled.')
      phase.value = 'preparing'
      let result: SweepRunDraft | undefined
      for (;;) {
        // One run per pull: nothing is drawn while the worker times a run.
        const batch = await generator.next(1)
        for (const item of batch.items) accept(item, made.args)
        if (batch.done) {
          result = batch.value
          break
        }
      }
      if (result === undefined) throw new LabError('INTERNAL', 'The sweep ended without a result.')
      finished.value = result
      phase.value = result.status === 'complete' ? 'done' : 'cancelled'
      if (result.status === 'complete') await save()
    } catch (error) {
      const wasCancel = cancelRequested || isLabError(error, 'CANCELLED')
      if (plan.value !== undefined)
        finished.value = assembleSweepRun(plan.value, measurements.value, 'cancelled', new Date().toISOString())
      else {
        plan.value = last.plan
        measurements.value = last.measurements
        finished.value = last.finished
        savedId.value = last.savedId
        startedAt.value = last.startedAt
      }
      if (wasCancel && plan.value === last.plan) {
        phase.value = last.phase
        failure.value = last.failure
      } else if (wasCancel) {
        phase.value = 'cancelled'
      } else {
        failure.value = describeError(error)
        phase.value = 'failed'
      }
    } finally {
      // A generator that failed is closed in main already; make sure this side knows it too.
      if (generator !== undefined && generator.state !== 'closed') await generator.return().catch(() => undefined)
      generator = undefined
      stopTicker()
    }
  }

  /** Stops the sweep; what was measured so far stays (and can be saved). */
  async function cancel(): Promise<void> {
    if (!busy.value) return
    cancelRequested = true
    phase.value = 'cancelling'
    await generator?.return().catch(() => undefined)
  }

  /** Keeps the current record in history (complete sweeps are kept automatically). */
  async function save(): Promise<void> {
    const record = finished.value
    if (record === undefined || savedId.value !== undefined || record.measurements.length === 0) return
    saveError.value = undefined
    try {
      const saved = await call('sweeps.save', { run: record })
      savedId.value = saved.id
      history.value = [saved, ...history.value.filter((run) => run.id !== saved.id)]
    } catch (error) {
      saveError.value = `Could not keep this run in history: ${describeError(error)}`
    }
  }

  async function refreshHistory(): Promise<void> {
    historyError.value = undefined
    try {
      const listed = await call('sweeps.list', undefined)
      history.value = listed.runs
      historyProblems.value = listed.problems
      historyMore.value = listed.more
      overlayIds.value = overlayIds.value.filter((id) => listed.runs.some((run) => run.id === id))
    } catch (error) {
      historyError.value = describeError(error)
    }
  }

  /** Adds the next page of older runs to the list. */
  async function loadOlderHistory(): Promise<void> {
    const last = history.value.at(-1)
    if (last === undefined || !historyMore.value) return
    historyError.value = undefined
    try {
      const listed = await call('sweeps.list', { before: last.id })
      const known = new Set(history.value.map((run) => run.id))
      history.value = [...history.value, ...listed.runs.filter((run) => !known.has(run.id))]
      historyProblems.value = [...historyProblems.value, ...listed.problems]
      historyMore.value = listed.more
    } catch (error) {
      historyError.value = describeError(error)
    }
  }

  async function deleteRun(id: string): Promise<void> {
    historyError.value = undefined
    try {
      await call('sweeps.delete', { id })
    } catch (error) {
      if (!isLabError(error, 'NOT_FOUND')) {
        historyError.value = describeError(error)
        return
      }
    }
    history.value = history.value.filter((run) => run.id !== id)
    overlayIds.value = overlayIds.value.filter((other) => other !== id)
    if (savedId.value === id) savedId.value = undefined
  }

  function toggleOverlay(id: string, on?: boolean): void {
    const has = overlayIds.value.includes(id)
    const want = on ?? !has
    if (want && !has) overlayIds.value = [...overlayIds.value, id]
    if (!want && has) overlayIds.value = overlayIds.value.filter((other) => other !== id)
  }

  /** Adds a colleague's exported JSON to history and overlays it. Nothing is written if it is not a valid sweep. */
  async function importJson(text: string, fileName = 'the file'): Promise<SweepRun | undefined> {
    importError.value = undefined
    importNotice.value = undefined
    try {
      const run = await call('sweeps.import', { json: text })
      history.value = [run, ...history.value]
      toggleOverlay(run.id, true)
      importNotice.value = `Imported ${fileName}: ${shownMessage(run.label)}, measured ${formatDateTime(run.createdAt)} on ${run.machine.cpuModel}.`
      return run
    } catch (error) {
      importError.value = `${fileName} was not imported: ${describeError(error)}`
      return undefined
    }
  }

  /** Import JSON…: the file is chosen in main's dialog and read in main (jobs.importFile). */
  async function importFile(): Promise<SweepRun | undefined> {
    importError.value = undefined
    importNotice.value = undefined
    let opened
    try {
      opened = await jobs.importFile('sweep', 'Import a sweep exported as JSON')
    } catch (error) {
      importError.value = `Not imported: ${describeError(error)}`
      return undefined
    }
    return opened === undefined ? undefined : importJson(opened.text, fileLabel(opened.path))
  }

  function toggleMode(mode: MeasuredMode): void {
    hiddenModes.value = hiddenModes.value.includes(mode)
      ? hiddenModes.value.filter((m) => m !== mode)
      : [...hiddenModes.value, mode]
  }

  async function chooseFile(which: 'path' | 'textPath'): Promise<void> {
    const title = which === 'path' ? 'Choose a binary data file to sweep' : 'Choose its text twin (one number per line)'
    try {
      const { path } = await call('dialog.choosePath', { kind: 'file', title })
      if (path !== null) form[which] = path
    } catch (error) {
      failure.value = describeError(error)
    }
  }

  return {
    form,
    formResult,
    phase,
    failure,
    plan,
    checkedFile,
    measurements,
    finished,
    savedId,
    saveError,
    busy,
    currentRun,
    progress,
    history,
    historyProblems,
    historyMore,
    historyError,
    overlayIds,
    overlays,
    importError,
    importNotice,
    view,
    yLog,
    hiddenModes,
    chartRuns,
    exportRun,
    run,
    cancel,
    save,
    refreshHistory,
    loadOlderHistory,
    deleteRun,
    toggleOverlay,
    importJson,
    importFile,
    toggleMode,
    chooseFile,
    loadAppInfo
  }
})
