/**
 * The chunk-size sweep as a generator: the lecture's "benchmark for lazy load of a 512MB file with
 * different chunk size", run on this machine and this data. The `sweep` job runs it in a worker
 * thread and the renderer pulls each run as it is measured; `npm run bench -- --sweep FILE` runs
 * the very same generator in the terminal.
 *
 *   yield { type: 'plan', plan }              once, after the checks, the cache set-up and a JIT warm-up
 *   yield { type: 'measurement', measurement } once per run, in a seeded random order
 *   return SweepRunDraft                       the record (status 'cancelled' if it was cancelled)
 *
 * Progress reports name the stage (check, cache, warmup, runs), its progress, and the time left as
 * sweepEstimate.ts estimates it from what the stages so far measured.
 *
 * Every run goes through the Read tab's code: the readers of readers.ts and processData(). Modes:
 * lazyItem = readBinaryLazy (one number at a time), lazyChunk = readBinaryChunks with a reused
 * buffer, text = readTextLazy over the text twin, reading chunk × item-size bytes at a time;
 * eager = readBinaryEager then processData() over the one array (the horizontal reference line).
 *
 * Time cap: a run stops once it has taken `timeCapMs` (the clock is checked through processData()'s
 * cancel hook, at most every ~0.5 ms of work) and keeps the items and time of processData()'s last
 * progress report, a consistent pair; its time per file is then extrapolated from that prefix and
 * the run is marked `capped`. Binary prefixes count items × item size; text prefixes count the
 * bytes the reader had read (it runs at most one chunk ahead of the numbers parsed).
 *
 * Page cache: 'warm' reads the files once before measuring. 'cold' evicts the files from the page
 * cache before every run with posix_fadvise(POSIX_FADV_DONTNEED), which Node does not expose:
 * GNU dd does it for us (`dd if=/dev/stdin iflag=nocache count=0` with the file as its stdin,
 * documented to drop the whole file's cache and to fail if it cannot). Where that is not possible
 * (macOS, Windows, no GNU dd) a cold sweep is refused as UNAVAILABLE rather than mislabelled. With
 * util-linux `fincore` the bytes left in the cache are checked and recorded. A VM host or the drive may still cache the data.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { closeSync, existsSync, fsyncSync, readSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { randomInt } from 'node:crypto'
import { itemBytes, type DataItem, type Dtype } from '../../../shared/dataFiles'
import { isLabError, LabError } from '../../../shared/errors'
import { shownName } from '../../../shared/fsNames'
import { fileLabel } from '../../../shared/paths'
import { formatBinaryBytes, formatDuration, formatItems, plural } from '../../../shared/format'
import type { JobProgress } from '../../../shared/jobs'
import {
  assembleSweepRun,
  type ParsedSweepArgs,
  type SweepCacheInfo,
  type SweepEvent,
  type SweepMachine,
  type SweepMeasurement,
  type SweepMode,
  type SweepPlan,
  type SweepRunDraft,
  type SweepStats
} from '../../../shared/sweep'
import { buildGrid, planRuns, type PlannedRun } from '../../../shared/sweepMaths'
import { SweepEstimator, type SweepStage } from '../../../shared/sweepEstimate'
import type { ProcessDataStats } from '../../../shared/readJobs'
import { collectAppInfo } from '../appInfo'
import { readHead, TEXT_HEAD_WORDS, textHead } from '../dataFileHead'
import { toLabError } from '../errors'
import { fsPath } from '../fsPath'
import { openRegularFile } from '../openRegularFile'
import { processData } from '../read/process'
import type { JobControl } from '../progress'
import { defaultEagerMaxBytes, openLazyReader, readBinaryEager, type DataReader } from '../read/readers'
import { isNumberToken } from '../numberToken'

/** processData() reports (and so records a consistent items/time pair) this often; also its cancel-check step. */
const REPORT_EVERY = 8192
/** The cap's clock is read about this often (the stride adapts to how fast calls come). */
const CLOCK_LOOK_MS = 0.25
const JIT_WARMUP_MS = 40
/** Each read of the pass that fills the page cache. */
const WARM_READ_BYTES = 1024 * 1024

export interface SweepTools {
  /** Drops a file from the page cache; throws UNAVAILABLE where that is impossible. */
  evict(path: string): void
  /** Bytes of a file in the page cache, or null when this cannot be checked. */
  residentBytes(path: string): number | null
}

/**
 * Runs a page-cache tool on the file opened here and given as its stdin (`/dev/stdin` in its
 * arguments): a path among the arguments would be encoded as UTF-8, which names other bytes when
 * the name is not valid UTF-8 (fsPath).
 */
function runOnFile(path: string, command: string, args: string[], timeout: number): SpawnSyncReturns<string> {
  const file = openRegularFile(path)
  try {
    return spawnSync(command, args, { encoding: 'utf8', timeout, stdio: [file.fd, 'pipe', 'pipe'] })
  } finally {
    closeSync(file.fd)
  }
}

/** posix_fadvise(DONTNEED) through GNU dd; residency through util-linux fincore. */
export const systemTools: SweepTools = {
  evict(path) {
    const run = runOnFile(path, 'dd', ['if=/dev/stdin', 'iflag=nocache', 'count=0', 'status=none'], 30_000)
    if (run.error !== undefined || run.status !== 0) {
      const why =
        run.error !== undefined ? run.error.message : (run.stderr || `dd exited with ${String(run.status)}`).trim()
      throw new LabError(
        'UNAVAILABLE',
        `Cold cache is unavailable on this platform: dropping ${path} from the page cache needs posix_fadvise(POSIX_FADV_DONTNEED), ` +
          `which Node does not offer, and GNU dd's iflag=nocache (which calls it) did not work here (${why}). Run the sweep warm instead.`,
        path
      )
    }
  },
  residentBytes(path) {
    let run: SpawnSyncReturns<string>
    try {
      run = runOnFile(path, 'fincore', ['--bytes', '--noheadings', '--output', 'RES', '/dev/stdin'], 10_000)
    } catch {
      return null
    }
    if (run.error !== undefined || run.status !== 0) return null
    const value = Number(run.stdout.trim())
    return Number.isSafeInteger(value) && value >= 0 ? value : null
  }
}

interface SweepFiles {
  path: string
  bytes: number
  items: number
  dtype: Dtype
  textPath: string | null
  textBytes: number | null
}

function checkFiles(
  args: ParsedSweepArgs,
  largestChunk: number,
  notes: string[]
): { files: SweepFiles; modes: SweepMode[] } {
  const dtype = args.dtype
  const size = itemBytes[dtype]
  const { size: bytes, head } = readHead(args.path)
  if (bytes === 0)
    throw new LabError('MALFORMED_DATA', `${args.path}: the file is empty; there is nothing to read`, args.path)
  if (bytes % size !== 0) {
    throw new LabError(
      'MALFORMED_DATA',
      `${args.path}: ${bytes} bytes is not a whole number of ${dtype} items (${size} bytes each). Is it a raw numpy tofile file, and is the dtype right?`,
      args.path
    )
  }
  const kind = textHead(head)
  if (kind !== undefined) {
    throw new LabError(
      'MALFORMED_DATA',
      `${args.path}: ${TEXT_HEAD_WORDS[kind]}, not raw binary ${dtype} data. Choose the binary .bin file${kind === 'numbers' ? '; its text twin is used for the text mode' : ''}.`,
      args.path
    )
  }
  const items = bytes / size
  if (largestChunk > items) {
    const fit = 2 ** Math.floor(Math.log2(items))
    throw new LabError(
      'INVALID_ARGUMENT',
      `${args.path} holds ${formatItems(items)} (${formatBinaryBytes(bytes)}), fewer than the largest chunk of ${formatItems(largestChunk)} (${formatBinaryBytes(largestChunk * size)}): ` +
        `such chunks would all read the whole file in one go and measure the same thing. Lower the largest chunk to at most ${formatItems(fit)}, or sweep a larger file.`,
      args.path
    )
  }
  let modes = [...args.modes]
  let textPath: string | null = null
  let textBytes: number | null = null
  if (modes.includes('text')) {
    const candidate = args.textPath ?? join(dirname(args.path), `${basename(args.path, extname(args.path))}.txt`)
    if (args.textPath === undefined && (!existsSync(fsPath(candidate)) || candidate === args.path)) {
      modes = modes.filter((mode) => mode !== 'text')
      notes.push(
        `Text lazy was skipped: no text twin ${fileLabel(candidate)} beside the data file (write one with the Read tab's sample data, "with text").`
      )
    } else {
      const text = readHead(candidate)
      if (text.size === 0) throw new LabError('MALFORMED_DATA', `${candidate}: the text file is empty`, candidate)
      const firstLine = text.head
        .toString('latin1')
        .split(/\r\n|\r|\n/)
        .find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
      if (firstLine === undefined || !isNumberToken(firstLine.trim())) {
        throw new LabError(
          'MALFORMED_DATA',
          `${candidate}: not a text file with one number per line (as numpy.savetxt writes); its first line is not a number`,
          candidate
        )
      }
      textPath = candidate
      textBytes = text.size
    }
  }
  if (modes.length === 0)
    throw new LabError(
      'INVALID_ARGUMENT',
      'No mode is left to measure: choose lazy per item or lazy per chunk, or give a text file.'
    )
  return { files: { path: args.path, bytes, items, dtype, textPath, textBytes }, modes }
}

function machineInfo(appVersion: string): SweepMachine {
  const info = collectAppInfo({ name: 'yield-lab', version: appVersion, dataDirectory: '' })
  return {
    cpuModel: info.cpuModel.slice(0, 200),
    cpuCount: Math.max(1, info.cpuCount),
    totalMemoryBytes: info.totalMemoryBytes,
    platform: info.platform.slice(0, 200),
    arch: info.arch.slice(0, 40),
    appVersion: appVersion.slice(0, 64),
    versions: info.versions
  }
}

function openReader(mode: SweepMode, files: SweepFiles, chunkItems: number): DataReader<DataItem> {
  const path = mode === 'text' ? files.textPath! : files.path
  // The chunks never leave this thread: the one reused buffer (summed with SIMD) is the fast way.
  return openLazyReader(mode, path, chunkItems, files.dtype, { reuseBuffer: true })
}

/**
 * processData()'s control for one run: cancelled when the sweep is, or (with `capHit` set) when the
 * time cap has passed and something has been read; keeps the last progress report (items, bytes,
 * elapsed: one consistent pair). A thread that stalls past the cap before its first read (a busy
 * machine, a slow disk) thus still measures a prefix instead of failing the sweep.
 */
class RunClock implements JobControl<ProcessDataStats> {
  capHit = false
  last: { items: number; bytes: number; elapsedMs: number } | undefined
  private stride = 1
  private countdown = 1
  private lastLook: number

  constructor(
    private readonly outer: JobControl<SweepStats>,
    private readonly deadline: number,
    private readonly hasRead: () => boolean
  ) {
    this.lastLook = performance.now()
  }

  isCancelled(): boolean {
    if (this.outer.isCancelled()) return true
    if (--this.countdown > 0) return false
    const now = performance.now()
    if (now >= this.deadline && this.hasRead()) {
      this.capHit = true
      return true
    }
    const since = now - this.lastLook
    this.lastLook = now
    if (since < CLOCK_LOOK_MS / 2) this.stride = Math.min(this.stride * 2, 1 << 16)
    else if (since > CLOCK_LOOK_MS * 2) this.stride = Math.max(1, this.stride >> 1)
    this.countdown = this.stride
    return false
  }

  report(progress: JobProgress<ProcessDataStats>): void {
    const { items, bytes, elapsedMs } = progress.stats
    this.last = { items, bytes, elapsedMs }
  }
}

type Measured = Omit<SweepMeasurement, 'seq' | 'repeat'>

function measureLazy(
  mode: SweepMode,
  chunkItems: number,
  files: SweepFiles,
  capMs: number,
  control: JobControl<SweepStats>
): Measured {
  const fileBytes = mode === 'text' ? files.textBytes! : files.bytes
  const reader = openReader(mode, files, chunkItems)
  const started = performance.now()
  const clock = new RunClock(control, started + capMs, () => reader.readStats.bytesRead > 0)
  try {
    const result = processData([reader], { progressEvery: REPORT_EVERY, control: clock })
    if (result.bytes !== fileBytes || (mode !== 'text' && result.count !== files.items)) {
      throw new LabError(
        'MALFORMED_DATA',
        `${reader.readStats.path} changed while the sweep read it (read ${result.bytes} of ${fileBytes} bytes)`,
        reader.readStats.path
      )
    }
    return {
      mode,
      chunkItems,
      fileBytes,
      bytesRead: result.bytes,
      itemsRead: result.count,
      elapsedMs: result.elapsedMs,
      capped: false
    }
  } catch (error) {
    if (!clock.capHit || !isLabError(error, 'CANCELLED') || control.isCancelled()) throw error
    const last = clock.last
    let bytesRead: number
    let itemsRead: number
    let elapsedMs: number
    if (last !== undefined && last.items > 0) {
      itemsRead = last.items
      bytesRead = mode === 'text' ? last.bytes : last.items * itemBytes[files.dtype]
      elapsedMs = last.elapsedMs
    } else {
      // Not even one report within the cap (a very slow source): what the reader read, and the time until now.
      bytesRead = reader.readStats.bytesRead
      itemsRead = mode === 'text' ? 0 : Math.floor(bytesRead / itemBytes[files.dtype])
      elapsedMs = performance.now() - started
    }
    if (bytesRead <= 0 || !(elapsedMs > 0)) {
      throw new LabError(
        'INTERNAL',
        `Nothing was read from ${reader.readStats.path} within the time cap of ${formatDuration(capMs)}; raise the time cap`,
        reader.readStats.path
      )
    }
    bytesRead = Math.min(bytesRead, fileBytes)
    return { mode, chunkItems, fileBytes, bytesRead, itemsRead, elapsedMs, capped: bytesRead < fileBytes }
  }
}

function measureEager(files: SweepFiles, eagerMaxBytes: number, control: JobControl<SweepStats>): Measured {
  const started = performance.now()
  const array = readBinaryEager(files.path, files.dtype, {
    maxBytes: eagerMaxBytes,
    control: { isCancelled: () => control.isCancelled(), report: () => {} }
  })
  const result = processData([[array]], { progressEvery: Number.MAX_SAFE_INTEGER })
  const elapsedMs = performance.now() - started
  return {
    mode: 'eager',
    chunkItems: null,
    fileBytes: files.bytes,
    bytesRead: array.byteLength,
    itemsRead: result.count,
    elapsedMs,
    capped: false
  }
}

function measure(
  run: PlannedRun,
  files: SweepFiles,
  capMs: number,
  eagerMaxBytes: number,
  control: JobControl<SweepStats>
): Measured {
  return run.mode === 'eager'
    ? measureEager(files, eagerMaxBytes, control)
    : measureLazy(run.mode, run.chunkItems!, files, capMs, control)
}

/**
 * Reads a file once through, which fills the page cache, telling `onBytes` how far it got; false if
 * cancelled. Only the bytes are read: parsing the text twin here would take longer than reading it.
 */
function readThrough(path: string, control: JobControl<SweepStats>, onBytes: (bytes: number) => void): boolean {
  const file = openRegularFile(path)
  try {
    const buffer = Buffer.allocUnsafe(WARM_READ_BYTES)
    let done = 0
    for (;;) {
      if (control.isCancelled()) return false
      const n = readSync(file.fd, buffer, 0, buffer.length, done)
      if (n === 0) return true
      done += n
      onBytes(done)
    }
  } catch (error) {
    throw toLabError(error, path)
  } finally {
    closeSync(file.fd)
  }
}

function flushToDisk(path: string): void {
  const file = openRegularFile(path)
  try {
    fsyncSync(file.fd)
  } catch (error) {
    throw toLabError(error, path)
  } finally {
    closeSync(file.fd)
  }
}

function prepareCache(
  args: ParsedSweepArgs,
  files: SweepFiles,
  tools: SweepTools,
  control: JobControl<SweepStats>,
  notes: string[],
  onBytes: (bytes: number) => void
): SweepCacheInfo | undefined {
  const paths = [files.path, ...(files.textPath === null ? [] : [files.textPath])]
  if (args.cache === 'cold') {
    // Dirty pages (a file written moments ago) cannot be dropped: write them back first.
    for (const path of paths) flushToDisk(path)
    for (const path of paths) tools.evict(path)
    const resident = tools.residentBytes(files.path)
    notes.push(
      'Cold cache: before every run the files were dropped from the page cache with posix_fadvise(POSIX_FADV_DONTNEED) (GNU dd iflag=nocache). ' +
        "Only this OS's cache is dropped: a VM host or the drive itself may still cache the data."
    )
    if (resident === null) notes.push('Cold cache: fincore is not available, so the eviction could not be verified.')
    else if (resident > 0)
      notes.push(
        `Cold cache: ${formatBinaryBytes(resident)} of the data file stayed in the page cache after eviction (pages in use elsewhere cannot be dropped).`
      )
    return {
      state: 'cold',
      method: 'posix_fadvise(POSIX_FADV_DONTNEED) via GNU dd iflag=nocache before every run',
      residentBytes: resident
    }
  }
  control.log?.(`warming the page cache: reading ${paths.map((path) => shownName(path)).join(' and ')} once`)
  if (!readThrough(files.path, control, onBytes)) return undefined
  if (files.textPath !== null && !readThrough(files.textPath, control, (bytes) => onBytes(files.bytes + bytes)))
    return undefined
  const resident = tools.residentBytes(files.path)
  if (resident !== null && resident < files.bytes * 0.98) {
    notes.push(
      `Warm cache: only ${formatBinaryBytes(resident)} of ${formatBinaryBytes(files.bytes)} of the data file stayed in the page cache after reading it once, so runs partly read from disk.`
    )
  }
  const textResident = files.textPath === null ? null : tools.residentBytes(files.textPath)
  if (textResident !== null && files.textBytes !== null && textResident < files.textBytes * 0.98) {
    notes.push(
      `Warm cache: only ${formatBinaryBytes(textResident)} of the ${formatBinaryBytes(files.textBytes)} text file stayed in the page cache; text runs may partly read from disk.`
    )
  }
  return {
    state: 'warm',
    method: 'every file read once before the sweep, so runs read from the page cache',
    residentBytes: resident
  }
}

/**
 * The warm-up: short runs of each mode at the smallest and the middle chunk, twice, and eager
 * once. The first pass (repeat 0) pays for JIT compilation so the measured runs do not; the
 * second times this machine for the estimate. Eager cannot be capped (it reads the whole file)
 * and its code is one read and one sum, so it runs once, timed: a second run only doubled the
 * warm-up's one part that no cap bounds.
 */
function warmupRuns(modes: readonly SweepMode[], chunkSizes: readonly number[], eager: boolean): PlannedRun[] {
  const middle = chunkSizes[Math.floor(chunkSizes.length / 2)]!
  const runs: PlannedRun[] = []
  for (const repeat of [0, 1])
    for (const mode of modes)
      for (const chunkItems of new Set([chunkSizes[0]!, middle])) runs.push({ mode, chunkItems, repeat })
  if (eager) runs.push({ mode: 'eager', chunkItems: null, repeat: 1 })
  return runs
}

/**
 * Runs the warm-up, handing each run to `onRun` (the estimator calibrates on them); false if
 * cancelled. Each lazy run stops after JIT_WARMUP_MS.
 */
function warmUpCode(
  runs: readonly PlannedRun[],
  files: SweepFiles,
  eagerMaxBytes: number,
  control: JobControl<SweepStats>,
  onRun: (measured: Measured, run: PlannedRun) => void
): boolean {
  for (const run of runs) {
    if (control.isCancelled()) return false
    try {
      onRun(measure(run, files, JIT_WARMUP_MS, eagerMaxBytes, control), run)
    } catch (error) {
      if (isLabError(error, 'CANCELLED') && control.isCancelled()) return false
      throw error
    }
  }
  return true
}

/**
 * The sweep. Argument problems (bad file, absurd grid, file smaller than the largest chunk,
 * unavailable cold cache) are LabErrors thrown on the first next(), before anything is measured.
 */
export function* sweep(
  args: ParsedSweepArgs,
  control: JobControl<SweepStats>,
  tools: SweepTools = systemTools
): Generator<SweepEvent, SweepRunDraft, unknown> {
  const createdAt = new Date().toISOString()
  const sweepStarted = performance.now()
  const stageReport = (stage: SweepStage): SweepStats => ({
    stage,
    runs: 0,
    planned: 0,
    elapsedMs: performance.now() - sweepStarted,
    etaMs: null,
    stageEtaMs: null
  })
  control.report({ completed: 0, unit: 'items', stats: stageReport('check') })
  const chunkSizes = buildGrid(args.grid)
  const notes: string[] = []
  const { files, modes } = checkFiles(args, chunkSizes.at(-1)!, notes)
  const eagerMaxBytes = args.eagerMaxBytes ?? defaultEagerMaxBytes()
  let eager = args.eager
  if (eager && files.bytes > eagerMaxBytes) {
    eager = false
    notes.push(
      `Eager was skipped: the file (${formatBinaryBytes(files.bytes)}) is larger than the eager limit of ${formatBinaryBytes(eagerMaxBytes)} (half the RAM). ` +
        'Data that does not fit in memory has to be read lazily: that is what lazy reading is for.'
    )
  }
  const seed = args.seed ?? randomInt(0, 0x100000000)
  const config = { chunkSizes, modes, repeats: args.repeats, timeCapMs: args.timeCapMs, eager, seed }
  const order = planRuns(config)
  const cappedNote =
    `Each run stops after ${formatDuration(args.timeCapMs)}: a run that hits the cap has read a prefix of the file, and its time per file is extrapolated ` +
    'from the prefix’s rate (hollow points, “capped”).'
  notes.unshift(
    cappedNote,
    `${plural(order.length, 'run')} (${plural(args.repeats, 'run')} per point) in a random order, shuffled with seed ${seed}, so drift spreads over all points.`
  )
  if (files.textPath !== null) {
    notes.push(
      `Text lazy reads ${fileLabel(files.textPath)} (${formatBinaryBytes(files.textBytes!)}), the same numbers as text; its MB/s counts text bytes, ` +
        `and a chunk of k items reads k × ${itemBytes[args.dtype]} bytes of text.`
    )
  }

  const warmup = warmupRuns(modes, chunkSizes, eager)
  const cacheBytes = args.cache === 'warm' ? files.bytes + (files.textBytes ?? 0) : 0
  const estimator = new SweepEstimator(
    {
      runs: order,
      itemBytes: itemBytes[files.dtype],
      fileBytes: files.bytes,
      textBytes: files.textBytes,
      timeCapMs: args.timeCapMs,
      cacheBytes
    },
    sweepStarted
  )
  const measurements: SweepMeasurement[] = []
  /** Reports the stage's progress with the estimate of what is left. */
  const report = (completed: number, total: number, unit: 'items' | 'bytes'): void => {
    const now = performance.now()
    const estimate = estimator.estimate(now)
    control.report({
      completed,
      total,
      unit,
      stats: {
        stage: estimator.currentStage,
        runs: measurements.length,
        planned: order.length,
        elapsedMs: now - sweepStarted,
        etaMs: estimate.totalMs ?? null,
        stageEtaMs: estimate.stageMs ?? null
      }
    })
  }

  estimator.startStage('cache', performance.now())
  report(0, cacheBytes, 'bytes')
  const cache = prepareCache(args, files, tools, control, notes, (bytes) => {
    estimator.cacheProgress(bytes)
    report(bytes, cacheBytes, 'bytes')
  })
  const plan: SweepPlan = {
    label: args.label ?? basename(files.path),
    createdAt,
    file: { ...files },
    machine: machineInfo(args.appVersion),
    config,
    cache: cache ?? { state: args.cache, method: 'cancelled before the cache was prepared', residentBytes: null },
    plannedRuns: order.length,
    notes
  }
  const finish = (status: 'complete' | 'cancelled'): SweepRunDraft =>
    assembleSweepRun(plan, measurements, status, new Date().toISOString())
  if (cache === undefined) return finish('cancelled')
  estimator.startStage('warmup', performance.now())
  report(0, warmup.length, 'items')
  let warmed = 0
  const warmedUp = warmUpCode(warmup, files, eagerMaxBytes, control, (measured, run) => {
    // The first pass runs code not yet compiled: only the second times the machine.
    if (run.repeat === 0) estimator.timePassed(performance.now())
    else estimator.warmupRun(measured, performance.now())
    report(++warmed, warmup.length, 'items')
  })
  if (!warmedUp) return finish('cancelled')
  estimator.startStage('runs', performance.now())
  report(0, order.length, 'items')
  yield { type: 'plan', plan }

  const paths = [files.path, ...(files.textPath === null ? [] : [files.textPath])]
  for (const [seq, run] of order.entries()) {
    if (control.isCancelled()) return finish('cancelled')
    if (args.cache === 'cold') for (const path of paths) tools.evict(path)
    let measured: Measured
    try {
      measured = measure(run, files, args.timeCapMs, eagerMaxBytes, control)
    } catch (error) {
      if (isLabError(error, 'CANCELLED') && control.isCancelled()) return finish('cancelled')
      throw error
    }
    const measurement: SweepMeasurement = { seq, ...measured, repeat: run.repeat }
    measurements.push(measurement)
    estimator.runDone(measured, performance.now())
    report(seq + 1, order.length, 'items')
    yield { type: 'measurement', measurement }
  }
  return finish('complete')
}

/** Drives a sweep to its end, handing each event to `onEvent` (tests and the CLI's simple paths). */
export function runSweep(
  args: ParsedSweepArgs,
  control: JobControl<SweepStats>,
  onEvent: (event: SweepEvent) => void = () => {},
  tools?: SweepTools
): SweepRunDraft {
  const generator = sweep(args, control, tools)
  for (;;) {
    const step = generator.next()
    if (step.done === true) return step.value
    onEvent(step.value)
  }
}
