/**
 * The Read tab: choose (or generate) a data file, read it one of the lecture's ways with the
 * `process` job (pull or push style), watch progress and memory live, and collect the runs in a
 * results table where sums must agree across modes.
 *
 * One run and one sample-file generation may be under way at a time, each a remote generator
 * tracked by the jobs store (so the status bar shows and cancels them too). Cancel is return().
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import type { AppInfo } from '@shared/contract'
import type { Dtype } from '@shared/dataFiles'
import { isLabError, LabError, type LabErrorInfo } from '@shared/errors'
import { formatBytes, plural } from '@shared/format'
import type { JobProgress } from '@shared/jobs'
import { fileLabel } from '@shared/paths'
import {
  DEFAULT_CHUNK_ITEMS,
  DEFAULT_PROGRESS_EVERY,
  DEFAULT_SAMPLE_WRITE_RATES,
  estimateSampleWrite,
  measuredSampleRates,
  sampleTextBytes,
  type SampleWriteRates,
  type ProcessArgs,
  type ProcessJobStats,
  type ReadMode,
  type SampleDataArgs,
  type SampleDataResult,
  type SampleDataStats
} from '@shared/readJobs'
import { call, describeError, errorInfo, onLabEvent } from '@renderer/ipc/client'
import { loadSetting, saveSetting } from '@renderer/settings/settings'
import {
  checkChunkItems,
  checkMemoryLimitMiB,
  checkProgressEvery,
  checkSampleMiB,
  checkSampleName,
  checkSeed,
  defaultMemoryLimit,
  defaultSampleName,
  modeInfo,
  samplePresets,
  type Checked,
  type SamplePreset
} from '@renderer/read/readForm'
import {
  datasetKey,
  sortViews,
  viewRows,
  type KnownSum,
  type ResultRow,
  type SortKey,
  type SortOrder
} from '@renderer/read/readResults'
import type { RemoteGenerator } from '@renderer/ipc/remoteGenerator'
import { useJobsStore } from './jobs'

export type RunPhase = 'idle' | 'starting' | 'running' | 'cancelling'

/** Why a run did not finish, with what it was asked to do. */
export interface RunFailure extends LabErrorInfo {
  mode: ReadMode
  /** For an eager refusal: the file's size and the limit, when the message tells them. */
  fileBytes?: number
  limitBytes?: number
}

/** An eager read refused because the file is over the memory limit. */
export function isEagerRefusal(failure: RunFailure | undefined): boolean {
  return failure?.code === 'TOO_LARGE' && failure.mode === 'eager'
}

/** RSS samples kept for the sparkline. */
const RSS_SAMPLES_KEPT = 120

function failureOf(error: unknown, mode: ReadMode): RunFailure {
  const info = errorInfo(error)
  const failure: RunFailure = { ...info, mode }
  const refusal = /: (\d+) bytes is more than the eager-read limit of (\d+) bytes/.exec(info.message)
  if (info.code === 'TOO_LARGE' && refusal) {
    failure.fileBytes = Number(refusal[1])
    failure.limitBytes = Number(refusal[2])
  }
  return failure
}

const MEMORY_LIMIT_SETTING = 'yield-lab.read.memoryLimitMiB'

/** The eager memory limit kept from an earlier session (null: none kept, or it is no longer valid). */
function loadMemoryLimitMiB(): number | null {
  const stored = loadSetting(MEMORY_LIMIT_SETTING)
  if (stored === null) return null
  const value = Number(stored)
  return checkMemoryLimitMiB(value).ok ? value : null
}

export const useReadStore = defineStore('read', () => {
  const jobs = useJobsStore()

  const info = ref<AppInfo>()
  const infoError = ref<string>()

  // ---- What to read and how --------------------------------------------------------------
  const form = reactive({
    path: '',
    mode: 'lazyChunk' as ReadMode,
    /** Items per read; a string while the field holds something that is not a number. */
    chunkItems: DEFAULT_CHUNK_ITEMS as number | string,
    dtype: 'float64' as Dtype,
    style: 'pull' as 'pull' | 'push',
    progressEvery: DEFAULT_PROGRESS_EVERY as number | string,
    /** More files read after `path` in the same run, chained as process(*data_iterables) chains them. */
    chained: [] as string[]
  })
  /** The files a run reads, in order: the path, then the chained ones that are filled in. */
  const inputPaths = computed(() =>
    [form.path, ...form.chained].map((path) => path.trim()).filter((path) => path !== '')
  )
  /** Eager memory limit in MiB as typed; null = the default, a quarter of the RAM. Kept across restarts. */
  const memoryLimitMiB = ref<number | string | null>(loadMemoryLimitMiB())
  watch(memoryLimitMiB, (value) => {
    if (value === null || value === '') saveSetting(MEMORY_LIMIT_SETTING, null)
    else if (checkMemoryLimitMiB(value).ok) saveSetting(MEMORY_LIMIT_SETTING, String(value))
  })

  const defaultLimitBytes = computed(() =>
    info.value === undefined ? undefined : defaultMemoryLimit(info.value.totalMemoryBytes)
  )
  const memoryLimit = computed<Checked<number> | undefined>(() => {
    if (memoryLimitMiB.value === null || memoryLimitMiB.value === '') {
      return defaultLimitBytes.value === undefined ? undefined : { ok: true, value: defaultLimitBytes.value }
    }
    return checkMemoryLimitMiB(memoryLimitMiB.value)
  })
  const chunk = computed(() => checkChunkItems(form.chunkItems, form.dtype))
  const progressEvery = computed(() => checkProgressEvery(form.progressEvery))

  /** The first thing wrong with the form (an empty path is not shouted about, just blocks Run). */
  const formProblem = computed<string | undefined>(() => {
    if (form.mode !== 'eager' && !chunk.value.ok) return chunk.value.message
    if (!progressEvery.value.ok) return progressEvery.value.message
    const limit = memoryLimit.value
    if (limit !== undefined && !limit.ok) return limit.message
    const ram = info.value?.totalMemoryBytes
    if (limit?.ok === true && ram !== undefined && limit.value > ram) {
      return `The eager memory limit (${formatBytes(limit.value)}) is more than this machine's RAM (${formatBytes(ram)}): an eager read that big would swap.`
    }
    return undefined
  })

  // ---- A run -------------------------------------------------------------------------------
  const runPhase = ref<RunPhase>('idle')
  const runJob = shallowRef<RemoteGenerator<'process'>>()
  /** What the current (or last) run was asked to do. */
  const runArgs = shallowRef<ProcessArgs>()
  const progress = shallowRef<JobProgress<ProcessJobStats>>()
  const rssSamples = ref<number[]>([])
  const runFailure = ref<RunFailure>()
  // A refusal is also about the mode and the limit (clearing the limit field, say, brings back the
  // default limit).
  watch([() => form.mode, () => (memoryLimit.value?.ok === true ? memoryLimit.value.value : undefined)], () => {
    if (isEagerRefusal(runFailure.value)) runFailure.value = undefined
  })
  // Data that did not read as numbers (trailing bytes for the dtype, a line that is not a number) is
  // about how the file was read too: another mode or dtype may read it. A missing file stays missing.
  watch([() => form.mode, () => form.dtype], () => {
    if (runFailure.value?.code === 'MALFORMED_DATA') runFailure.value = undefined
  })
  const lastOutcome = ref<'done' | 'cancelled'>()
  /** What the last finished run warns about how it read its files (a text file in a binary mode, say). */
  const runWarnings = ref<string[]>([])
  const results = ref<ResultRow[]>([])
  /** Sums the generator wrote, by dataset (see datasetKey). */
  const knownSums = reactive(new Map<string, KnownSum>())
  const sortOrder = ref<SortOrder>({ key: 'run', descending: false })
  /** The rows with agreement and slowdown, in run order (comparisons are made in this order). */
  const views = computed(() => viewRows(results.value, knownSums))
  const rows = computed(() => sortViews(views.value, sortOrder.value))
  /** The run the explanation is about (undefined: the latest). */
  const explainedRun = ref<number>()
  const explained = computed(
    () => views.value.find((view) => view.row.run === explainedRun.value) ?? views.value.at(-1)
  )
  let runCounter = 0

  const busy = computed(() => runPhase.value !== 'idle')
  const canRun = computed(() => !busy.value && form.path.trim() !== '' && formProblem.value === undefined)

  /** The process job's arguments as the form stands (undefined while it has no file or a problem). */
  const formArgs = computed<ProcessArgs | undefined>(() => {
    if (inputPaths.value.length === 0 || form.path.trim() === '' || formProblem.value !== undefined) return undefined
    const chunkSize = chunk.value.ok ? chunk.value.value : DEFAULT_CHUNK_ITEMS
    const limit = memoryLimit.value?.ok === true ? memoryLimit.value.value : undefined
    return {
      inputs: inputPaths.value.map((path) => ({ path, mode: form.mode, chunkSize, dtype: form.dtype })),
      progressEvery: progressEvery.value.ok ? progressEvery.value.value : DEFAULT_PROGRESS_EVERY,
      style: form.style,
      ...(limit === undefined ? {} : { eagerMaxBytes: limit })
    }
  })

  /** A data file's twin in the other format, when a mode change would want it: asked, never switched silently. */
  const pathSwitch = ref<{ from: string; to: string }>()

  // ---- Sample data -------------------------------------------------------------------------
  const sample = reactive({
    directory: '',
    preset: '1MiB' as SamplePreset,
    customMiB: 256 as number | string,
    seed: 0 as number | string,
    /** Empty: the default name (size and seed). */
    name: '',
    /** Off by default: the twin is about 3× the binary's size and much slower to write. */
    withText: false
  })
  const genPhase = ref<'idle' | 'running' | 'cancelling'>('idle')
  const genJob = shallowRef<RemoteGenerator<'sampleData'>>()
  const genProgress = shallowRef<JobProgress<SampleDataStats>>()
  const genError = ref<LabErrorInfo>()
  const genOutcome = ref<'done' | 'cancelled'>()
  /** An existing file stopped the generator: asking whether to overwrite it. */
  const overwriteAsk = ref<{ path: string; message: string }>()
  const generated = ref<SampleDataResult[]>([])
  const lastGenerated = computed(() => generated.value.at(-1))
  /** A sample file written while a read ran: not made the file to read then (see selectGenerated), offered instead. */
  const generatedDuringRun = shallowRef<SampleDataResult>()
  // Once the files to read are edited (by hand, Browse… or a generated file): a failure about the
  // files the run was given no longer holds, and after the run the user has chosen what to read
  // next, so a sample written during it is no longer offered.
  watch(
    () => JSON.stringify(inputPaths.value),
    () => {
      runFailure.value = undefined
      if (!busy.value) generatedDuringRun.value = undefined
    }
  )

  const sampleBytes = computed<Checked<number>>(() => {
    if (sample.preset === 'custom') return checkSampleMiB(sample.customMiB)
    return { ok: true, value: samplePresets.find((preset) => preset.id === sample.preset)!.bytes }
  })
  const sampleSeed = computed(() => checkSeed(sample.seed))
  /** This machine's write rates, from the last generation (defaults until then). */
  const sampleRates = ref<SampleWriteRates>(DEFAULT_SAMPLE_WRITE_RATES)
  /** What generating will write and about how long it takes, told before it starts. */
  const sampleEstimate = computed(() => {
    const bytes = sampleBytes.value.ok ? sampleBytes.value.value : 0
    return { textBytes: sampleTextBytes(bytes), ...estimateSampleWrite(bytes, sampleRates.value) }
  })
  const defaultName = computed(() =>
    defaultSampleName(
      sampleBytes.value.ok ? sampleBytes.value.value : 0,
      sampleSeed.value.ok ? sampleSeed.value.value : 0
    )
  )
  // The generator adds .bin (and .txt for the twin): a name typed with it would end in .bin.bin.
  const sampleName = computed(() =>
    sample.name.trim() === '' ? defaultName.value : sample.name.trim().replace(/\.bin$/i, '')
  )
  const sampleProblem = computed<string | undefined>(() => {
    if (!sampleBytes.value.ok) return sampleBytes.value.message
    if (!sampleSeed.value.ok) return sampleSeed.value.message
    const name = checkSampleName(sampleName.value)
    if (!name.ok) return name.message
    if (sample.directory.trim() === '') return 'Choose a folder to write into.'
    return undefined
  })

  // ---- Events --------------------------------------------------------------------------------
  onLabEvent('job.progress', ({ id, progress: update }) => {
    if (update.kind === 'process' && runJob.value?.id === id && runPhase.value !== 'idle') {
      progress.value = update
      rssSamples.value.push(update.stats.rssBytes)
      if (rssSamples.value.length > RSS_SAMPLES_KEPT)
        rssSamples.value.splice(0, rssSamples.value.length - RSS_SAMPLES_KEPT)
    } else if (update.kind === 'sampleData' && genJob.value?.id === id && genPhase.value !== 'idle') {
      genProgress.value = update
    }
  })

  /**
   * A sample file and its text twin are the same data: switching to or from text mode offers the
   * twin (pathSwitch), and the path changes only when the user takes it.
   */
  watch(
    () => form.mode,
    (mode, previous) => {
      pathSwitch.value = undefined
      const path = form.path
      const files = generated.value.find((result) => result.binaryPath === path || result.textPath === path)
      if (files === undefined) return
      if (mode === 'text' && files.textPath !== null && path === files.binaryPath) {
        pathSwitch.value = { from: path, to: files.textPath }
      } else if (previous === 'text' && mode !== 'text' && path === files.textPath) {
        pathSwitch.value = { from: path, to: files.binaryPath }
      }
    }
  )
  watch(
    () => form.path,
    (path) => {
      if (pathSwitch.value !== undefined && path !== pathSwitch.value.from) pathSwitch.value = undefined
    }
  )

  function acceptPathSwitch(): void {
    const change = pathSwitch.value
    if (change === undefined) return
    pathSwitch.value = undefined
    if (form.path === change.from) form.path = change.to
  }

  function declinePathSwitch(): void {
    pathSwitch.value = undefined
  }

  async function init(): Promise<void> {
    if (info.value !== undefined) return
    try {
      info.value = await call('app.info', undefined)
      infoError.value = undefined
      if (sample.directory === '') sample.directory = info.value.dataDirectory
    } catch (error) {
      infoError.value = describeError(error)
    }
  }

  async function chooseFile(): Promise<void> {
    if (busy.value) return
    const { path } = await call('dialog.choosePath', { kind: 'file', title: 'Choose a data file to read' })
    if (path !== null && !busy.value) {
      form.path = path
      runFailure.value = undefined
    }
  }

  /** Chains one more file after the others (Browse… fills it, or it is typed). */
  async function chainFile(): Promise<void> {
    if (busy.value) return
    const { path } = await call('dialog.choosePath', { kind: 'file', title: 'Choose a file to chain after the others' })
    if (path !== null && !busy.value) form.chained.push(path)
  }

  function unchainFile(index: number): void {
    if (!busy.value) form.chained.splice(index, 1)
  }

  async function chooseSampleDirectory(): Promise<void> {
    const { path } = await call('dialog.choosePath', { kind: 'outputDirectory' })
    if (path !== null) sample.directory = path
  }

  /**
   * Makes a generated file the one to read (its text twin in text mode). Not while a read runs:
   * the files it reads stay in the form as they are, so its progress and its error speak of them
   * (the fields are disabled then, as the Benchmark tab's are during a sweep).
   */
  function selectGenerated(result: SampleDataResult): void {
    if (busy.value) return
    form.path = form.mode === 'text' && result.textPath !== null ? result.textPath : result.binaryPath
    pathSwitch.value = undefined
    form.dtype = 'float64'
    runFailure.value = undefined
    generatedDuringRun.value = undefined
  }

  /** Reads form.path (and the chained files) as the form says, adding a row to the results when it ends. */
  async function run(): Promise<void> {
    if (busy.value) return
    await init()
    const path = form.path.trim()
    const paths = inputPaths.value
    const mode = form.mode
    const dtype = form.dtype
    if (path === '') {
      runFailure.value = {
        code: 'INVALID_ARGUMENT',
        message: 'Choose a file to read first (Browse…, or generate sample data).',
        mode
      }
      return
    }
    const args = formArgs.value
    if (formProblem.value !== undefined || args === undefined) {
      runFailure.value = { code: 'INVALID_ARGUMENT', message: formProblem.value ?? 'Nothing to read.', mode }
      return
    }
    const chunkSize = args.inputs[0]!.chunkSize ?? DEFAULT_CHUNK_ITEMS
    runPhase.value = 'starting'
    runJob.value = undefined
    runArgs.value = args
    runFailure.value = undefined
    lastOutcome.value = undefined
    runWarnings.value = []
    progress.value = undefined
    rssSamples.value = []
    const row = (
      measured: Omit<ResultRow, 'run' | 'paths' | 'mode' | 'dtype' | 'chunkItems' | 'progressEvery' | 'sharedCpuWith'>
    ): ResultRow => ({
      run: ++runCounter,
      paths,
      mode,
      dtype: mode === 'text' ? 'float64' : dtype,
      chunkItems: mode === 'eager' ? null : chunkSize,
      progressEvery: args.progressEvery ?? DEFAULT_PROGRESS_EVERY,
      ...measured,
      sharedCpuWith: [...sharedCpuWith]
    })
    /** Every other busy job seen running while this run was (opening included): each skewed its times. */
    const sharedCpuWith = new Set<string>()
    const stopWatchingCpu = watch(
      () => jobs.busyBesides('process'),
      (busy) => {
        for (const job of busy) sharedCpuWith.add(job.label)
      },
      { immediate: true }
    )
    const startRss = (): number => rssSamples.value[0] ?? 0
    const label = paths.length > 1 ? plural(paths.length, 'file') + ' chained' : fileLabel(path)
    try {
      const generator = await jobs.start('process', args, `${modeInfo(mode).label}: ${label}`)
      runJob.value = generator
      if ((runPhase.value as RunPhase) === 'cancelling') {
        // Cancel was pressed while the job was being opened: close it before it starts.
        await generator.return()
        throw new LabError('CANCELLED', 'Cancelled.')
      }
      runPhase.value = 'running'
      const batch = await generator.next(1)
      const result = batch.value
      if (result === undefined) throw new LabError('INTERNAL', 'The run ended without a result.')
      const { inputs: _inputs, warnings, ...measured } = result
      results.value.push(row({ outcome: 'done', ...measured }))
      runWarnings.value = warnings
      explainedRun.value = undefined
      progress.value = {
        completed: result.bytes,
        total: result.bytes,
        unit: 'bytes',
        stats: {
          items: result.count,
          bytes: result.bytes,
          mbPerSecond: result.mbPerSecond,
          itemsPerSecond: result.itemsPerSecond,
          rssBytes: rssSamples.value.at(-1) ?? result.peakRssBytes,
          peakRssBytes: result.peakRssBytes,
          elapsedMs: result.elapsedMs,
          inputBytes: result.inputs.map((input) => input.fileBytes ?? 0)
        }
      }
      lastOutcome.value = 'done'
    } catch (error) {
      if (isLabError(error, 'CANCELLED')) {
        lastOutcome.value = 'cancelled'
        // Kept as cancelled, with what it had done: never compared, never the fastest.
        const stats = progress.value?.stats
        results.value.push(
          row({
            outcome: 'cancelled',
            sum: NaN,
            count: stats?.items ?? 0,
            elapsedMs: stats?.elapsedMs ?? 0,
            bytes: stats?.bytes ?? 0,
            mbPerSecond: stats?.mbPerSecond ?? 0,
            itemsPerSecond: stats?.itemsPerSecond ?? 0,
            peakRssBytes: stats?.peakRssBytes ?? startRss(),
            startRssBytes: startRss(),
            style: args.style ?? 'pull',
            eager: null,
            costs: null
          })
        )
        explainedRun.value = undefined
      } else runFailure.value = failureOf(error, mode)
    } finally {
      stopWatchingCpu()
      runPhase.value = 'idle'
    }
  }

  /** Cancels the run in flight (return() on its generator; the worker stops mid-file). */
  async function cancelRun(): Promise<void> {
    if (runPhase.value === 'starting') {
      runPhase.value = 'cancelling'
      return
    }
    const generator = runJob.value
    if (generator === undefined || runPhase.value !== 'running') return
    runPhase.value = 'cancelling'
    try {
      await generator.return()
    } catch {
      // The run's own next() reports how it ended.
    }
  }

  /** Switches an eager run that was refused to lazy chunks and runs again. */
  async function runLazilyInstead(): Promise<void> {
    form.mode = 'lazyChunk'
    await run()
  }

  function clearResults(): void {
    results.value = []
    runCounter = 0
    explainedRun.value = undefined
  }

  function removeResult(run: number): void {
    results.value = results.value.filter((row) => row.run !== run)
    if (explainedRun.value === run) explainedRun.value = undefined
  }

  /** Sorts by a column; the same column again turns the order round. */
  function sortBy(key: SortKey): void {
    const current = sortOrder.value
    sortOrder.value =
      current.key === key
        ? { key, descending: !current.descending }
        : { key, descending: key === 'rate' || key === 'itemRate' }
  }

  function explain(run: number): void {
    explainedRun.value = run
  }

  /** The process job's arguments of a run in the table (to show it as Python). */
  function argsOfRun(run: number): ProcessArgs | undefined {
    const row = results.value.find((result) => result.run === run)
    if (row === undefined) return undefined
    return {
      inputs: row.paths.map((path) => ({
        path,
        mode: row.mode,
        chunkSize: row.chunkItems ?? DEFAULT_CHUNK_ITEMS,
        dtype: row.dtype
      })),
      progressEvery: row.progressEvery,
      style: row.style
    }
  }

  /** Writes a sample file; an existing one stops it with a question unless `overwrite`. */
  async function generate(overwrite = false): Promise<void> {
    if (genPhase.value !== 'idle') return
    await init()
    overwriteAsk.value = undefined
    genError.value = undefined
    genOutcome.value = undefined
    generatedDuringRun.value = undefined
    if (sampleProblem.value !== undefined) {
      genError.value = { code: 'INVALID_ARGUMENT', message: sampleProblem.value }
      return
    }
    const args: SampleDataArgs = {
      directory: sample.directory.trim(),
      name: sampleName.value,
      bytes: sampleBytes.value.ok ? sampleBytes.value.value : 0,
      seed: sampleSeed.value.ok ? sampleSeed.value.value : 0,
      withText: sample.withText,
      overwrite
    }
    // Main writes only where the user chose or confirmed; for a typed folder it asks in a native box.
    try {
      const { granted } = await call('dialog.allowWrite', { directory: args.directory })
      if (!granted) {
        genError.value = {
          code: 'PERMISSION_DENIED',
          message: `Nothing was written: writing into ${args.directory} was not allowed. Choose a folder with “Change folder…”, or allow it when asked.`
        }
        return
      }
    } catch (error) {
      genError.value = errorInfo(error)
      return
    }
    genPhase.value = 'running'
    genProgress.value = undefined
    try {
      const generator = await jobs.start('sampleData', args, `Generate ${args.name}.bin`)
      genJob.value = generator
      const batch = await generator.next(1)
      const result = batch.value
      if (result === undefined) throw new LabError('INTERNAL', 'The generator ended without a result.')
      generated.value = [...generated.value.filter((old) => old.binaryPath !== result.binaryPath), result]
      sampleRates.value = measuredSampleRates(result, sampleRates.value)
      knownSums.set(datasetKey(result.binaryPath, 'lazyChunk', 'float64'), { sum: result.sum, count: result.count })
      if (busy.value) generatedDuringRun.value = result
      else selectGenerated(result)
      genOutcome.value = 'done'
    } catch (error) {
      if (isLabError(error, 'CANCELLED')) genOutcome.value = 'cancelled'
      else if (isLabError(error, 'ALREADY_EXISTS') && !overwrite) {
        overwriteAsk.value = { path: error.path ?? `${args.directory}/${args.name}.bin`, message: error.message }
      } else genError.value = errorInfo(error)
    } finally {
      genPhase.value = 'idle'
    }
  }

  async function confirmOverwrite(): Promise<void> {
    await generate(true)
  }

  function declineOverwrite(): void {
    overwriteAsk.value = undefined
  }

  async function cancelGenerate(): Promise<void> {
    const generator = genJob.value
    if (generator === undefined || genPhase.value !== 'running') return
    genPhase.value = 'cancelling'
    try {
      await generator.return()
    } catch {
      // generate() reports how it ended.
    }
  }

  return {
    info,
    infoError,
    form,
    memoryLimitMiB,
    defaultLimitBytes,
    memoryLimit,
    chunk,
    formProblem,
    runPhase,
    runJob,
    runArgs,
    progress,
    rssSamples,
    runFailure,
    lastOutcome,
    runWarnings,
    results,
    knownSums,
    views,
    rows,
    sortOrder,
    explained,
    inputPaths,
    formArgs,
    pathSwitch,
    busy,
    canRun,
    sample,
    genPhase,
    genProgress,
    genError,
    genOutcome,
    overwriteAsk,
    generated,
    lastGenerated,
    generatedDuringRun,
    sampleBytes,
    sampleEstimate,
    sampleName,
    defaultName,
    sampleProblem,
    init,
    chooseFile,
    chainFile,
    unchainFile,
    acceptPathSwitch,
    selectGenerated,
    declinePathSwitch,
    chooseSampleDirectory,
    run,
    cancelRun,
    runLazilyInstead,
    clearResults,
    removeResult,
    sortBy,
    explain,
    argsOfRun,
    generate,
    confirmOverwrite,
    declineOverwrite,
    cancelGenerate
  }
})
