/**
 * Exports of a sweep: the JSON record itself (what import reads back), a CSV of every run
 * (raw data, one row per run) and a CSV of the chart's points (median, min and max per mode and
 * chunk size). Numbers are written with JavaScript's shortest round-trip form, so parsing the CSV
 * gives back exactly the measured values.
 */
import { itemBytes } from './dataFiles'
import { LabError } from './errors'
import { measuredModes, type MeasuredMode, type SweepMeasurement, type SweepRunDraft } from './sweep'
import { mbPerSecond, summarize, timePerFileMs } from './sweepMaths'

type ExportableRun = SweepRunDraft & { id?: string }

export const MEASUREMENT_CSV_COLUMNS = [
  'run_id',
  'label',
  'seq',
  'mode',
  'chunk_items',
  'chunk_bytes',
  'repeat',
  'file_bytes',
  'bytes_read',
  'items_read',
  'elapsed_ms',
  'capped',
  'mb_per_s',
  'time_per_file_ms'
] as const

const POINT_CSV_COLUMNS = [
  'run_id',
  'label',
  'mode',
  'chunk_items',
  'chunk_bytes',
  'runs',
  'capped_runs',
  'mb_per_s_median',
  'mb_per_s_min',
  'mb_per_s_max',
  'time_per_file_ms_median',
  'time_per_file_ms_min',
  'time_per_file_ms_max'
] as const

/** Quotes a field when needed; text that a spreadsheet would run as a formula is prefixed with '. */
function field(value: string | number | boolean | null): string {
  if (value === null) return ''
  if (typeof value !== 'string') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

function csv(rows: (string | number | boolean | null)[][]): string {
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n'
}

/** One row per run of the sweep, in run order. */
export function measurementsCsv(run: ExportableRun): string {
  const itemSize = itemBytes[run.file.dtype]
  const id = run.id ?? ''
  return csv([
    [...MEASUREMENT_CSV_COLUMNS],
    ...run.measurements.map((m) => [
      id,
      run.label,
      m.seq,
      m.mode,
      m.chunkItems,
      m.chunkItems === null ? null : m.chunkItems * itemSize,
      m.repeat,
      m.fileBytes,
      m.bytesRead,
      m.itemsRead,
      m.elapsedMs,
      m.capped,
      mbPerSecond(m),
      timePerFileMs(m)
    ])
  ])
}

/** One row per point of the chart: median, min and max over the repeats. */
export function pointsCsv(run: ExportableRun): string {
  const itemSize = itemBytes[run.file.dtype]
  const id = run.id ?? ''
  return csv([
    [...POINT_CSV_COLUMNS],
    ...summarize(run.measurements).map((p) => [
      id,
      run.label,
      p.mode,
      p.chunkItems,
      p.chunkItems === null ? null : p.chunkItems * itemSize,
      p.runs,
      p.cappedRuns,
      p.mbPerSecond.median,
      p.mbPerSecond.min,
      p.mbPerSecond.max,
      p.timePerFileMs.median,
      p.timePerFileMs.min,
      p.timePerFileMs.max
    ])
  ])
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let value = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        value += '"'
        i++
      } else if (char === '"') quoted = false
      else value += char
    } else if (char === '"' && value === '') quoted = true
    else if (char === ',') {
      row.push(value)
      value = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++
      row.push(value)
      rows.push(row)
      row = []
      value = ''
    } else value += char
  }
  if (value !== '' || row.length > 0) {
    row.push(value)
    rows.push(row)
  }
  return rows
}

/** The runs back from measurementsCsv's text (the derived columns are recomputed, not read). */
export function parseMeasurementsCsv(text: string): SweepMeasurement[] {
  const [head, ...rows] = parseCsv(text)
  if (head === undefined || head.join(',') !== MEASUREMENT_CSV_COLUMNS.join(',')) {
    throw new LabError('MALFORMED_DATA', 'This CSV does not have the columns of a Yield Lab sweep export.')
  }
  const column = (name: (typeof MEASUREMENT_CSV_COLUMNS)[number]): number => MEASUREMENT_CSV_COLUMNS.indexOf(name)
  return rows.map((row, i) => {
    const number = (name: (typeof MEASUREMENT_CSV_COLUMNS)[number]): number => {
      const value = Number(row[column(name)])
      if (row[column(name)] === '' || !Number.isFinite(value))
        throw new LabError('MALFORMED_DATA', `CSV row ${i + 2}: ${name} is not a number`)
      return value
    }
    const mode = row[column('mode')] as MeasuredMode
    if (!measuredModes.includes(mode))
      throw new LabError('MALFORMED_DATA', `CSV row ${i + 2}: unknown mode ${JSON.stringify(mode)}`)
    return {
      seq: number('seq'),
      mode,
      chunkItems: row[column('chunk_items')] === '' ? null : number('chunk_items'),
      repeat: number('repeat'),
      fileBytes: number('file_bytes'),
      bytesRead: number('bytes_read'),
      itemsRead: number('items_read'),
      elapsedMs: number('elapsed_ms'),
      capped: row[column('capped')] === 'true'
    }
  })
}

/** The JSON record, as history keeps it and import reads it. */
export function sweepJson(run: ExportableRun): string {
  return JSON.stringify(run, null, 2) + '\n'
}

/** A file name for an export: yield-lab-sweep-<label>-<yyyymmdd-hhmmss>. */
export function exportBaseName(run: Pick<SweepRunDraft, 'label' | 'createdAt'>): string {
  const label =
    run.label
      .replace(/\.[A-Za-z0-9]+$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run'
  const stamp = run.createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `yield-lab-sweep-${label}-${stamp}`
}
