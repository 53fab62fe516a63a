/**
 * Past sweeps, kept as one JSON file per run in `<dataDirectory>/sweeps/<id>.json` (the
 * `yield-lab-sweep/2` record of src/shared/sweep.ts; older formats are migrated as
 * they are read, never rewritten).
 *
 * Nothing partial ever lands in history: a record is validated in full (schema and internal
 * consistency) before anything is written, then written to a temporary file in the same folder,
 * flushed, and renamed over its final name (atomic on one file system). Imports go through the
 * same strict schema; JSON that is corrupt or not ours is refused with a message saying why, and
 * writes nothing. Files in the folder that do not validate are listed as problems, never deleted.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { LabError } from '../../../shared/errors'
import { formatDateTime } from '../../../shared/format'
import { whyNotJson } from '../../../shared/jsonText'
import {
  HISTORY_PAGE_RUNS,
  MAX_SWEEP_JSON_CHARS,
  migrateSweepRecord,
  SWEEP_FORMAT,
  SWEEP_ID_PATTERN,
  sweepRunDraftSchema,
  sweepRunSchema,
  type HistoryPage,
  type SweepRun,
  type SweepRunDraft
} from '../../../shared/sweep'
import { toLabError } from '../errors'
import { writeAtomically } from '../temporaryFiles'
import { validationError } from '../validation'

export const SWEEPS_DIRECTORY_NAME = 'sweeps'

export interface HistoryProblem {
  file: string
  message: string
}

export interface SweepHistoryList {
  /** One page of runs, newest entry first (a run's own creation time, an import's import time). */
  runs: SweepRun[]
  /** Files in this page's part of the folder that are not valid runs (left alone). */
  problems: HistoryProblem[]
  /** Whether older entries follow: ask again with `before` set to this page's last file's id. */
  more: boolean
}

/** `sweep-20250102T030405Z-1a2b3c`: the creation time (UTC) and 24 random bits. */
function newSweepId(createdAt: string | Date = new Date()): string {
  const iso = new Date(createdAt).toISOString()
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  return `sweep-${stamp}-${randomBytes(3).toString('hex')}`
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return validationError('sweep record', issues).message
}

/**
 * Parses and validates the text of an exported sweep (or any JSON someone hands us). Throws
 * MALFORMED_DATA naming what is wrong: not JSON, not a Yield Lab sweep, or a sweep that breaks
 * the schema or contradicts itself.
 */
export function parseSweepJson(text: string): SweepRun | SweepRunDraft {
  if (text.length > MAX_SWEEP_JSON_CHARS) {
    throw new LabError(
      'TOO_LARGE',
      `The file is ${text.length} characters long; a sweep is at most ${MAX_SWEEP_JSON_CHARS} characters of JSON.`
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new LabError('MALFORMED_DATA', `This is not a Yield Lab sweep: ${whyNotJson(text, error)}.`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LabError(
      'MALFORMED_DATA',
      'This JSON is not a Yield Lab sweep: expected an object with "format": "' + SWEEP_FORMAT + '".'
    )
  }
  const record = migrateSweepRecord(data)
  const format = (record as { format?: unknown }).format
  if (format !== SWEEP_FORMAT) {
    throw new LabError(
      'MALFORMED_DATA',
      typeof format === 'string' && format.startsWith('yield-lab-sweep/')
        ? `This sweep was written in format ${JSON.stringify(format)}, which this version of Yield Lab does not read (it reads ${SWEEP_FORMAT}).`
        : `This JSON is not a Yield Lab sweep (its "format" is ${format === undefined ? 'missing' : JSON.stringify(format)}, expected "${SWEEP_FORMAT}").`
    )
  }
  const hasId = Object.hasOwn(record, 'id')
  const parsed = hasId ? v.safeParse(sweepRunSchema, record) : v.safeParse(sweepRunDraftSchema, record)
  if (!parsed.success)
    throw new LabError(
      'MALFORMED_DATA',
      `This Yield Lab sweep is damaged or was edited: ${describeIssues(parsed.issues).replace(/^Invalid sweep record: /, '')}`
    )
  return parsed.output
}

export class SweepHistory {
  readonly directory: string

  constructor(dataDirectory: string) {
    if (typeof dataDirectory !== 'string' || dataDirectory.length === 0)
      throw new LabError('UNAVAILABLE', 'The app has no data directory to keep sweeps in.')
    this.directory = join(dataDirectory, SWEEPS_DIRECTORY_NAME)
  }

  private pathOf(id: string): string {
    if (!SWEEP_ID_PATTERN.test(id)) throw new LabError('INVALID_ARGUMENT', `${JSON.stringify(id)} is not a sweep id`)
    return join(this.directory, `${id}.json`)
  }

  /**
   * One page of history, newest entry first: ids carry the time a run entered history (its own
   * creation, or the moment it was imported), so no import, whatever dates it carries, can put
   * itself ahead of runs made after it, and paging (`before`: the id the previous page ended
   * with) reaches every run however many there are.
   */
  list({ before, limit = HISTORY_PAGE_RUNS }: HistoryPage = {}): SweepHistoryList {
    let names: string[]
    try {
      names = readdirSync(this.directory)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], problems: [], more: false }
      throw toLabError(error, this.directory)
    }
    const runs: SweepRun[] = []
    const problems: HistoryProblem[] = []
    const files = names
      .filter(
        (name) => name.endsWith('.json') && !name.startsWith('.') && (before === undefined || name < `${before}.json`)
      )
      .sort()
      .reverse()
    const page = files.slice(0, limit)
    for (const name of page) {
      const path = join(this.directory, name)
      try {
        if (statSync(path).size > MAX_SWEEP_JSON_CHARS * 4) throw new LabError('TOO_LARGE', 'too large to be a sweep')
        const run = parseSweepJson(readFileSync(path, 'utf8'))
        if (!('id' in run) || `${run.id}.json` !== name)
          throw new LabError('MALFORMED_DATA', 'its id does not match its file name')
        runs.push(run)
      } catch (error) {
        problems.push({ file: name, message: toLabError(error, path).message })
      }
    }
    return { runs, problems, more: files.length > page.length }
  }

  /** Validates a finished (or cancelled) sweep, gives it an id and writes it atomically. */
  async save(draft: SweepRunDraft): Promise<SweepRun> {
    const parsed = v.safeParse(sweepRunDraftSchema, draft)
    if (!parsed.success) throw new LabError('INVALID_ARGUMENT', describeIssues(parsed.issues))
    return this.store(parsed.output)
  }

  /**
   * Adds a sweep exported elsewhere (a colleague's machine) from its JSON text, under a new id.
   * The same run twice (its original id and creation time, whether it was made here or imported
   * before) is refused: it would only draw the same curves twice.
   */
  async import(text: string): Promise<SweepRun> {
    const run = parseSweepJson(text)
    const originalId = 'id' in run && typeof run.id === 'string' ? run.id : (run.imported?.originalId ?? '')
    const copy = this.findRun(run)
    if (copy !== undefined)
      throw new LabError(
        'ALREADY_EXISTS',
        `This sweep is in history already: ${copy.label}, measured ${formatDateTime(copy.createdAt)}${copy.imported === undefined ? '' : `, imported ${formatDateTime(copy.imported.at)}`}.`
      )
    const { id: _id, ...draft } = run as SweepRunDraft & { id?: string }
    const at = new Date().toISOString()
    return this.store({ ...draft, imported: { at, originalId } }, at)
  }

  /**
   * The run in history that `run` is, or a copy of: one created at the same time whose id or
   * original id is one of `run`'s (so an imported copy, exported again, is still that run). A
   * record exported before it was saved (`npm run bench -- --sweep … --json` writes such) has no
   * id: every copy of it, here or a colleague's, was imported with none, and it is known by when
   * it was made.
   */
  private findRun(run: SweepRunDraft & { id?: string }): SweepRun | undefined {
    const ids = new Set([run.id, run.imported?.originalId].filter((id) => id !== undefined && id !== ''))
    /** Made without an id: the record itself, or an imported copy of one. */
    const idless = (record: { id?: string; imported?: { originalId: string } }): boolean =>
      record.imported === undefined ? record.id === undefined || record.id === '' : record.imported.originalId === ''
    const sameRun = (kept: SweepRun): boolean =>
      (idless(run) && idless(kept)) ||
      ids.has(kept.id) ||
      (kept.imported !== undefined && ids.has(kept.imported.originalId))
    let names: string[]
    try {
      names = readdirSync(this.directory)
    } catch {
      return undefined // no history yet (or none readable: the import's own write will say so)
    }
    // As this app writes it; only a file that holds it is parsed (validating every run in history took 110 ms for 300).
    const createdAtJson = JSON.stringify(run.createdAt)
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue
      const path = join(this.directory, name)
      let kept: SweepRun
      try {
        if (statSync(path).size > MAX_SWEEP_JSON_CHARS * 4) continue
        const text = readFileSync(path, 'utf8')
        if (!text.includes(createdAtJson)) continue
        kept = parseSweepJson(text) as SweepRun
      } catch {
        continue // list() reports it
      }
      if (kept.createdAt === run.createdAt && sameRun(kept)) return kept
    }
    return undefined
  }

  delete(id: string): void {
    const path = this.pathOf(id)
    try {
      unlinkSync(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new LabError('NOT_FOUND', `There is no sweep ${id} in history (deleted already?)`)
      throw toLabError(error, path)
    }
  }

  /** Writes a run under a new id stamped with `enteredAt` (when it entered history). */
  private async store(draft: SweepRunDraft, enteredAt: string = draft.createdAt): Promise<SweepRun> {
    try {
      mkdirSync(this.directory, { recursive: true })
    } catch (error) {
      throw toLabError(error, this.directory)
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const run: SweepRun = { ...draft, id: newSweepId(enteredAt) }
      // The id-bearing record must still pass the schema it will be read back with.
      const checked = v.safeParse(sweepRunSchema, run)
      if (!checked.success) throw new LabError('INVALID_ARGUMENT', describeIssues(checked.issues))
      const target = this.pathOf(run.id)
      try {
        statSync(target)
        continue // taken (24 random bits collided): try another id
      } catch {
        // free
      }
      await writeAtomically(target, JSON.stringify(checked.output, null, 2) + '\n')
      return checked.output
    }
    throw new LabError('INTERNAL', 'Could not find a free id for the sweep')
  }
}
