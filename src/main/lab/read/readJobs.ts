/**
 * The jobs behind the Read tab, run in a job worker (arguments already validated against
 * src/shared/readJobs.ts):
 *
 * - `processJob`: the lecture's process(*data_iterables) over one reader per input, pull style
 *   (processData()) or push style (pushInto(summingConsumer())). The whole computation runs in the
 *   first next(); progress goes out through control.report in bytes of the inputs' files (so the
 *   UI can show %), with items, MB/s and RSS as stats; the return value is the ProcessResult plus
 *   per-input facts. Cancel is return() from the renderer (the host sets the shared flag, which
 *   processData() checks; the readers' finally blocks close the files).
 * - `sampleDataJob`: writeSampleData in one next(), progress in bytes.
 * - `readJob`: one lazy reader as a remote generator, yielding numbers or owned typed-array
 *   chunks (which the worker transfers, never copies); return() closes the file.
 */
import { statSync } from 'node:fs'
import { memoryUsage, resourceUsage } from 'node:process'
import { performance } from 'node:perf_hooks'
import type { JobProgress } from '../../../shared/jobs'
import type { DataItem } from '../../../shared/dataFiles'
import type {
  ParsedProcessArgs,
  ParsedReadArgs,
  ParsedSampleDataArgs,
  EagerPhases,
  EagerReadStats,
  ProcessDataStats,
  ProcessInputInfo,
  ProcessJobResult,
  ProcessJobStats,
  ReadJobStats,
  ReadJobSummary,
  RunCosts,
  SampleDataResult,
  SampleDataStats
} from '../../../shared/readJobs'
import { shownName } from '../../../shared/fsNames'
import { TEXT_HEAD_WORDS } from '../dataFileHead'
import { fsPath } from '../fsPath'
import { processData, pushInto, ratesOf, summingConsumer } from './process'
import type { JobControl } from '../progress'
import { newReadStats, openLazyReader, readBinaryEager, type DataReader } from './readers'
import { writeSampleData } from './sampleData'

/** read jobs report progress once per this many numbers (and once per chunk). */
const READ_REPORT_ITEMS = 4096

type Input = ParsedProcessArgs['inputs'][number]

/** File sizes up front, for the progress total; a path that cannot be stat'ed counts 0 (its reader reports why). */
function sizeOf(path: string): number {
  try {
    const stats = statSync(fsPath(path))
    return stats.isFile() ? stats.size : 0
  } catch {
    return 0
  }
}

/** Live counters of a run, turned into the job's progress reports. */
class RunMeter {
  private readonly started = performance.now()
  readonly startRss = memoryUsage.rss()
  peakRss = this.startRss
  private items = 0
  /** Bytes of the inputs finished before the current one (eager reports bytes within its file). */
  bytesBefore = 0

  private readonly totalBytes: number

  constructor(
    private readonly control: JobControl<ProcessJobStats>,
    private readonly inputBytes: number[]
  ) {
    this.totalBytes = inputBytes.reduce((sum, size) => sum + size, 0)
  }

  /** A report from processData()/pushInto(): unit items, stats { items, bytes, rssBytes }. */
  fromProcess(progress: JobProgress<ProcessDataStats>): void {
    this.items = progress.stats.items
    this.emit(progress.stats.bytes, progress.stats.rssBytes)
  }

  /** A report from readBinaryEager: unit bytes within the current file. */
  fromEager(progress: JobProgress<EagerReadStats>): void {
    this.emit(this.bytesBefore + progress.completed, progress.stats.rssBytes)
  }

  notePeak(rss: number): void {
    if (rss > this.peakRss) this.peakRss = rss
  }

  private emit(bytes: number, rss: number | undefined): void {
    const rssBytes = rss ?? memoryUsage.rss()
    this.notePeak(rssBytes)
    const elapsedMs = performance.now() - this.started
    this.control.report({
      completed: bytes,
      total: this.totalBytes,
      unit: 'bytes',
      stats: {
        items: this.items,
        bytes,
        ...ratesOf(bytes, this.items, elapsedMs),
        rssBytes,
        peakRssBytes: this.peakRss,
        elapsedMs,
        inputBytes: this.inputBytes
      }
    })
  }
}

/**
 * The lecture's read_binary_eager as an input of process(): the read happens when processData()
 * reaches this input (so it is timed with the rest), and the whole array is one chunk.
 */
function eagerInput(
  input: Input,
  maxBytes: number | undefined,
  meter: RunMeter,
  control: JobControl<ProcessJobStats>,
  phases: EagerPhases
): DataReader<DataItem> {
  const readStats = newReadStats(input.path)
  const eagerControl: JobControl<EagerReadStats> = {
    isCancelled: () => control.isCancelled(),
    report: (progress) => meter.fromEager(progress)
  }
  function* items(): Generator<DataItem, void, undefined> {
    const array = readBinaryEager(input.path, input.dtype, {
      control: eagerControl,
      phases,
      head: readStats.head,
      ...(maxBytes === undefined ? {} : { maxBytes })
    })
    readStats.fileBytes = array.byteLength
    readStats.bytesRead = array.byteLength
    meter.notePeak(memoryUsage.rss())
    // process() sums the array between this yield and the next next().
    const summing = performance.now()
    yield array
    phases.sumMs += performance.now() - summing
  }
  return Object.assign(items(), { readStats })
}

function makeInput(
  input: Input,
  args: ParsedProcessArgs,
  meter: RunMeter,
  control: JobControl<ProcessJobStats>,
  phases: EagerPhases
): DataReader<DataItem> {
  if (input.mode === 'eager') return eagerInput(input, args.eagerMaxBytes, meter, control, phases)
  // The chunks never leave this thread, so the one reused buffer (summed with SIMD) is fine here.
  return openLazyReader(input.mode, input.path, input.chunkSize, input.dtype, {
    log: control.log?.bind(control),
    reuseBuffer: true
  })
}

/**
 * Tracks which input processData() is on, so eager progress (bytes within one file) adds up across
 * inputs: each input is wrapped in an iterable that updates the meter when it is started.
 */
function tracked(readers: DataReader<DataItem>[], meter: RunMeter): Iterable<DataReader<DataItem>> {
  return {
    *[Symbol.iterator]() {
      for (const reader of readers) {
        yield reader
        meter.bytesBefore += reader.readStats.bytesRead
      }
    }
  }
}

/**
 * A warning for each file read in a binary mode that looks like text. np.fromfile reads such a
 * file without a word, and so do the readers (the run stays what numpy would do), but its sum is
 * then of the text's characters taken as items. Judged from the first bytes its reader read: no
 * second open, and about what the run read.
 */
function textReadAsBinary(inputs: readonly Input[], readers: readonly DataReader<DataItem>[]): string[] {
  const warnings: string[] = []
  const seen = new Set<string>()
  for (const [index, input] of inputs.entries()) {
    if (input.mode === 'text' || seen.has(input.path)) continue
    seen.add(input.path)
    const kind = readers[index]!.readStats.head.textHead()
    if (kind !== undefined)
      warnings.push(
        `${shownName(input.path)}: ${TEXT_HEAD_WORDS[kind]}. The binary modes read its characters as ${input.dtype} items, as np.fromfile would, so the sum means nothing${kind === 'numbers' ? '; the Text mode reads it as numbers' : ''}.`
      )
  }
  return warnings
}

/** Yields nothing: computes in its first next() and returns the result. */
export function* processJob(
  args: ParsedProcessArgs,
  control: JobControl<ProcessJobStats>
): Generator<never, ProcessJobResult, unknown> {
  const meter = new RunMeter(
    control,
    args.inputs.map((input) => sizeOf(input.path))
  )
  const phases: EagerPhases = { allocateMs: 0, readMs: 0, sumMs: 0, readPageFaults: 0 }
  const usageBefore = resourceUsage()
  const readers = args.inputs.map((input) => makeInput(input, args, meter, control, phases))
  const meterControl: JobControl<ProcessDataStats> = {
    isCancelled: () => control.isCancelled(),
    report: (progress) => meter.fromProcess(progress)
  }
  const options = { progressEvery: args.progressEvery, control: meterControl }
  const inputs = tracked(readers, meter)
  const result = args.style === 'push' ? pushInto(summingConsumer(), inputs, options) : processData(inputs, options)
  meter.notePeak(result.peakRssBytes)
  const usageAfter = resourceUsage()
  const costs: RunCosts = {
    minorPageFaults: usageAfter.minorPageFault - usageBefore.minorPageFault,
    majorPageFaults: usageAfter.majorPageFault - usageBefore.majorPageFault,
    blocksRead: usageAfter.fsRead - usageBefore.fsRead
  }
  const infos: ProcessInputInfo[] = args.inputs.map((input, index) => {
    const stats = readers[index]!.readStats
    return {
      path: input.path,
      mode: input.mode,
      chunkSize: input.chunkSize,
      dtype: input.dtype,
      fileBytes: stats.fileBytes ?? null,
      bytesRead: stats.bytesRead
    }
  })
  const warnings = textReadAsBinary(args.inputs, readers)
  for (const warning of warnings) control.log?.(warning)
  return {
    ...result,
    peakRssBytes: meter.peakRss,
    startRssBytes: meter.startRss,
    style: args.style,
    inputs: infos,
    eager: args.inputs.some((input) => input.mode === 'eager') ? phases : null,
    costs,
    warnings
  }
}

export function* sampleDataJob(
  args: ParsedSampleDataArgs,
  control: JobControl<SampleDataStats>
): Generator<never, SampleDataResult, unknown> {
  return writeSampleData({ ...args, control })
}

/** One lazy reader as a remote generator: for-of closes the reader when the job is closed early. */
export function* readJob(
  args: ParsedReadArgs,
  control: JobControl<ReadJobStats>
): Generator<DataItem, ReadJobSummary, unknown> {
  // Owned chunks (no reused buffer): they are transferred.
  const reader = openLazyReader(args.mode, args.path, args.chunkSize, args.dtype, { log: control.log?.bind(control) })
  const summary: ReadJobSummary = { count: 0, yielded: 0, bytes: 0 }
  let nextReport = READ_REPORT_ITEMS
  const report = (): void => {
    summary.bytes = reader.readStats.bytesRead
    control.report({
      completed: summary.bytes,
      ...(reader.readStats.fileBytes === undefined ? {} : { total: reader.readStats.fileBytes }),
      unit: 'bytes',
      stats: { items: summary.count, bytes: summary.bytes }
    })
  }
  for (const item of reader) {
    summary.yielded++
    if (typeof item === 'number') {
      summary.count++
      if (summary.count >= nextReport) {
        nextReport += READ_REPORT_ITEMS
        report()
      }
    } else {
      summary.count += item.length
      report()
    }
    yield item
  }
  report()
  return summary
}
