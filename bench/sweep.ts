/**
 * `npm run bench -- --sweep FILE [options]`: the Benchmark tab's chunk-size sweep in the terminal.
 * Runs the very same generator (src/main/lab/sweep/sweep.ts) in this process, prints each run as it is
 * measured (to stderr, when it is a terminal), then the table the app shows, and writes the
 * `yield-lab-sweep/2` JSON the app imports. Ctrl+C stops it and keeps what was measured so far.
 *
 *   --json OUT                 where to write the JSON (default bench/results/sweep-<time>.json), atomically;
 *                              only a regular file is replaced (checked before the sweep starts)
 *   --text PATH                the text twin for the text mode (default: FILE's stem + .txt, if present)
 *   --dtype float64|float32|int32|int64
 *   --modes lazyItem,lazyChunk,text
 *   --min-chunk N --max-chunk N --points-per-doubling P   log-2 grid (default 1 … 1048576, P = 1)
 *   --chunks N,N,…             exactly these chunk sizes instead
 *   --repeats R                runs per point (default 3)
 *   --cap-ms MS                time cap per run (default 1000)
 *   --cold                     drop the files from the page cache before every run (Linux, GNU dd)
 *   --no-eager                 skip the eager reference
 *   --seed S                   seed of the run order
 *   --history DIR              also keep the run in DIR/sweeps, as the app does (DIR = its data directory)
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import * as v from 'valibot'
import { inSweetSpot, itemBytes, SWEET_SPOT_BYTES } from '../src/shared/dataFiles'
import { LabError } from '../src/shared/errors'
import {
  formatBinaryBytes,
  formatCount,
  formatDuration,
  formatItems,
  formatSignificant,
  plural
} from '../src/shared/format'
import {
  modeLabels,
  sweepArgsSchema,
  type SweepArgs,
  type SweepEvent,
  type SweepMode,
  type SweepRunDraft
} from '../src/shared/sweep'
import { bestPoint, mbPerSecond, sweepTable, summarize, timePerFileMs, type SweepPoint } from '../src/shared/sweepMaths'
import { sweep } from '../src/main/lab/sweep/sweep'
import { SweepHistory, SWEEPS_DIRECTORY_NAME } from '../src/main/lab/sweep/sweepHistory'
import { validationError } from '../src/main/lab/validation'
import { toLabError } from '../src/main/lab/errors'
import { checkWritable, checkWritableFolder, writeAtomically } from '../src/main/lab/temporaryFiles'

const root = join(import.meta.dirname, '..')

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || value.trim() === '')
    throw new LabError('INVALID_ARGUMENT', `--${name} must be a number, got ${JSON.stringify(value)}`)
  return number
}

/** The sweep's arguments from the command line (validated by the same schema the app's job uses). */
export function sweepArgsFromCommandLine(argv: readonly string[]): {
  args: v.InferOutput<typeof sweepArgsSchema>
  json: string | undefined
  history: string | undefined
} {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sweep: { type: 'string' },
      json: { type: 'string' },
      text: { type: 'string' },
      dtype: { type: 'string' },
      modes: { type: 'string' },
      'min-chunk': { type: 'string' },
      'max-chunk': { type: 'string' },
      'points-per-doubling': { type: 'string' },
      chunks: { type: 'string' },
      repeats: { type: 'string' },
      'cap-ms': { type: 'string' },
      cold: { type: 'boolean' },
      'no-eager': { type: 'boolean' },
      seed: { type: 'string' },
      history: { type: 'string' },
      label: { type: 'string' }
    },
    allowPositionals: false
  })
  if (values.sweep === undefined)
    throw new LabError('INVALID_ARGUMENT', 'Usage: npm run bench -- --sweep FILE [options] (see bench/sweep.ts)')
  const raw: SweepArgs = {
    path: values.sweep,
    appVersion: `${appVersion()} (cli)`,
    cache: values.cold === true ? 'cold' : 'warm',
    eager: values['no-eager'] !== true
  }
  if (values.text !== undefined) raw.textPath = values.text
  if (values.dtype !== undefined) raw.dtype = values.dtype as SweepArgs['dtype']
  if (values.modes !== undefined) raw.modes = values.modes.split(',').map((mode) => mode.trim()) as SweepMode[]
  if (values.chunks !== undefined) {
    raw.grid = { kind: 'list', sizes: values.chunks.split(',').map((size) => integer('chunks', size)!) }
  } else if (
    values['min-chunk'] !== undefined ||
    values['max-chunk'] !== undefined ||
    values['points-per-doubling'] !== undefined
  ) {
    raw.grid = {
      kind: 'log2',
      minItems: integer('min-chunk', values['min-chunk']) ?? 1,
      maxItems: integer('max-chunk', values['max-chunk']) ?? 1024 * 1024,
      pointsPerDoubling: integer('points-per-doubling', values['points-per-doubling']) ?? 1
    }
  }
  const repeats = integer('repeats', values.repeats)
  if (repeats !== undefined) raw.repeats = repeats
  const cap = integer('cap-ms', values['cap-ms'])
  if (cap !== undefined) raw.timeCapMs = cap
  const seed = integer('seed', values.seed)
  if (seed !== undefined) raw.seed = seed
  if (values.label !== undefined) raw.label = values.label
  const parsed = v.safeParse(sweepArgsSchema, raw)
  if (!parsed.success) throw validationError('sweep options', parsed.issues)
  return { args: parsed.output, json: values.json, history: values.history }
}

function cell(point: SweepPoint | undefined): string {
  if (point === undefined) return '—'
  const mark = point.cappedRuns > 0 ? '*' : ' '
  return `${formatSignificant(point.mbPerSecond.median, 4)}${mark}`
}

function range(point: SweepPoint | undefined): string {
  if (point === undefined) return ''
  return `${formatSignificant(point.mbPerSecond.min, 3)}–${formatSignificant(point.mbPerSecond.max, 3)}`
}

/** The table the app shows: one row per chunk size, median MB/s [min–max] per mode, and the eager line. */
export function formatSweepReport(run: SweepRunDraft): string {
  const table = sweepTable(run)
  const lines: string[] = []
  const m = run.machine
  lines.push(
    `${run.label}: ${run.file.path}, ${formatBinaryBytes(run.file.bytes)} of ${run.file.dtype} (${plural(run.file.items, 'item')})`
  )
  lines.push(
    `machine: ${m.cpuModel} ×${m.cpuCount}, ${formatBinaryBytes(m.totalMemoryBytes)} RAM, ${m.platform} ${m.arch}, Yield Lab ${m.appVersion}, node ${m.versions['node'] ?? '?'}`
  )
  lines.push(
    `cache: ${run.cache.state} (${run.cache.method})${run.cache.residentBytes === null ? '' : `, ${formatBinaryBytes(run.cache.residentBytes)} resident`}`
  )
  lines.push(
    `status: ${run.status}, ${formatCount(run.measurements.length)} of ${plural(run.plannedRuns, 'run')}, ${plural(run.config.repeats, 'run')} per point, cap ${formatDuration(run.config.timeCapMs)}, seed ${run.config.seed}`
  )
  lines.push('')
  const head = ['chunk items', 'chunk bytes', ...table.modes.flatMap((mode) => [`${modeLabels[mode]} MB/s`, 'min–max'])]
  const rows = table.rows.map((row) => [
    `${formatItems(row.chunkItems)}${row.inSweetSpot ? ' ◂' : ''}`,
    formatBinaryBytes(row.chunkBytes),
    ...table.modes.flatMap((mode) => [cell(row.cells[mode]), range(row.cells[mode])])
  ])
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const format = (row: string[]): string =>
    row.map((text, i) => (i < 2 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ')
  lines.push(format(head))
  lines.push(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const row of rows) lines.push(format(row))
  lines.push('')
  if (table.eager !== undefined) {
    const e = table.eager
    lines.push(
      `eager (whole file): ${formatSignificant(e.mbPerSecond.median, 4)} MB/s [${range(e)}], ${formatDuration(e.timePerFileMs.median)} per file, median of ${plural(e.runs, 'run')}`
    )
  }
  const points = summarize(run.measurements)
  for (const mode of table.modes) {
    const best = bestPoint(points, mode)
    if (best === undefined || best.chunkItems === null) continue
    const bytes = best.chunkItems * itemBytes[run.file.dtype]
    const spot = inSweetSpot(bytes) ? 'inside' : bytes < SWEET_SPOT_BYTES.from ? 'below' : 'above'
    const slowest = points
      .filter((p) => p.mode === mode)
      .reduce((a, b) => (b.mbPerSecond.median < a.mbPerSecond.median ? b : a))
    lines.push(
      `${modeLabels[mode]}: best ${formatSignificant(best.mbPerSecond.median, 4)} MB/s at ${formatItems(best.chunkItems)} (${formatBinaryBytes(bytes)}, ${spot} the 10–100 kB band), ` +
        `${formatSignificant(best.mbPerSecond.median / slowest.mbPerSecond.median, 3)}× the slowest (${formatItems(slowest.chunkItems ?? 0)}), ` +
        `${formatDuration(best.timePerFileMs.median)} per file`
    )
  }
  lines.push('')
  lines.push(
    '* median includes runs stopped at the time cap: time per file extrapolated from a prefix.  ◂ chunk in the lecture’s 10–100 kB band.'
  )
  for (const note of run.notes) lines.push(`note: ${note}`)
  return lines.join('\n')
}

/** Where a sweep's JSON goes without --json. */
const resultsDirectory = join(root, 'bench', 'results')

function defaultJsonPath(run: SweepRunDraft): string {
  const stamp = run.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return join(resultsDirectory, `sweep-${stamp}.json`)
}

/** Runs the sweep command; returns the record (also written as JSON). */
export async function sweepCommand(
  argv: readonly string[],
  out: (line: string) => void = console.log
): Promise<SweepRunDraft | undefined> {
  let parsed: ReturnType<typeof sweepArgsFromCommandLine>
  try {
    parsed = sweepArgsFromCommandLine(argv)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 2
    return undefined
  }
  // Before the sweep, not after minutes of it: a folder, link, pipe or device at OUT is refused, and
  // so is a folder this account may not write into (OUT's, the default results folder, the history's).
  try {
    if (parsed.json === undefined) checkWritableFolder(resultsDirectory, { probe: true })
    else checkWritable(parsed.json, { folderMade: true, probe: true }) // as typed: a trailing separator is refused
    if (parsed.history !== undefined)
      checkWritableFolder(join(resolve(parsed.history), SWEEPS_DIRECTORY_NAME), { probe: true })
  } catch (error) {
    console.error(toLabError(error).message)
    process.exitCode = 2
    return undefined
  }
  let cancelled = false
  const onInterrupt = (): void => {
    if (cancelled) process.exit(130)
    cancelled = true
    console.error('\nstopping after the current run (Ctrl+C again to quit at once)…')
  }
  process.on('SIGINT', onInterrupt)
  const live = process.stderr.isTTY === true
  let planned = 0
  /** The sweep's own estimate of the time left (sweepEstimate.ts), as of its last report. */
  let etaMs: number | null = null
  const generator = sweep(parsed.args, {
    isCancelled: () => cancelled,
    report: (progress) => (etaMs = progress.stats.etaMs),
    log: (line) => live && console.error(line)
  })
  let run: SweepRunDraft
  try {
    for (;;) {
      // Give the event loop a turn between runs, so Ctrl+C is seen.
      await new Promise((resolve) => setImmediate(resolve))
      const step = generator.next()
      if (step.done === true) {
        run = step.value
        break
      }
      const event: SweepEvent = step.value
      if (event.type === 'plan') {
        planned = event.plan.plannedRuns
        if (live)
          console.error(
            `sweeping ${event.plan.file.path}: ${plural(planned, 'run')}, cap ${formatDuration(event.plan.config.timeCapMs)}, cache ${event.plan.cache.state}`
          )
      } else if (live) {
        const m = event.measurement
        const done = m.seq + 1
        const eta = etaMs === null ? '…' : formatDuration(etaMs, 2)
        process.stderr.write(
          `\r[${String(done).padStart(String(planned).length)}/${planned}] ${modeLabels[m.mode].padEnd(18)} ${m.chunkItems === null ? 'whole file'.padEnd(12) : formatItems(m.chunkItems).padEnd(12)} ` +
            `${formatSignificant(mbPerSecond(m), 4).padStart(8)} MB/s ${formatDuration(timePerFileMs(m)).padStart(10)}/file${m.capped ? ' capped' : '       '}  about ${eta} left   `
        )
      }
    }
  } catch (error) {
    if (live) process.stderr.write('\n')
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
    return undefined
  } finally {
    process.off('SIGINT', onInterrupt)
  }
  if (live) process.stderr.write('\n')
  out(formatSweepReport(run))
  const jsonPath = resolve(parsed.json ?? defaultJsonPath(run))
  try {
    mkdirSync(dirname(jsonPath), { recursive: true })
    await writeAtomically(jsonPath, JSON.stringify(run, null, 2) + '\n')
  } catch (error) {
    console.error(toLabError(error, jsonPath).message)
    process.exitCode = 1
    return run
  }
  out(`wrote ${jsonPath}`)
  if (parsed.history !== undefined) {
    try {
      const saved = await new SweepHistory(parsed.history).save(run)
      out(`kept in history as ${saved.id} (${join(parsed.history, SWEEPS_DIRECTORY_NAME)})`)
    } catch (error) {
      // Checked before the sweep, but the disk may have filled since: one line, as for OUT, not a stack trace.
      console.error(toLabError(error, parsed.history).message)
      process.exitCode = 1
      return run
    }
  }
  if (run.status === 'cancelled') process.exitCode = 130
  return run
}
