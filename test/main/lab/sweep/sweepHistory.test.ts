import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { LabError } from '../../../../src/shared/errors'
import {
  SWEEP_ID_PATTERN,
  sweepArgsSchema,
  sweepRunSchema,
  type SweepRun,
  type SweepRunDraft
} from '../../../../src/shared/sweep'
import { summarize } from '../../../../src/shared/sweepMaths'
import {
  MEASUREMENT_CSV_COLUMNS,
  exportBaseName,
  measurementsCsv,
  parseCsv,
  parseMeasurementsCsv,
  pointsCsv,
  sweepJson
} from '../../../../src/shared/sweepExport'
import { createHandlers, dispatch } from '../../../../src/main/lab/handlers'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { writeSampleData } from '../../../../src/main/lab/read/sampleData'
import { runSweep } from '../../../../src/main/lab/sweep/sweep'
import { parseSweepJson, SweepHistory } from '../../../../src/main/lab/sweep/sweepHistory'
import { writeAtomically } from '../../../../src/main/lab/temporaryFiles'
import { catchLabError, rejectedLabError } from '../../../support/labErrors'
import { testAppInfo } from '../../../support/appInfo'

let root: string
let record: SweepRunDraft
let dataDirectory: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yield-lab-history-'))
  const path = writeSampleData({ directory: root, name: 'data', bytes: 32 * 1024, seed: 1, withText: true }).binaryPath
  record = runSweep(
    v.parse(sweepArgsSchema, {
      path,
      grid: { kind: 'list', sizes: [1, 16, 256] },
      repeats: 2,
      timeCapMs: 20,
      seed: 1,
      label: '=SUM(A1) data, "quoted"'
    }),
    { isCancelled: () => false, report: () => {} },
    undefined,
    { evict: () => {}, residentBytes: () => null }
  )
})
afterAll(() => rmSync(root, { recursive: true, force: true }))
beforeEach(() => {
  dataDirectory = mkdtempSync(join(root, 'app-'))
})

function sweepsDir(): string {
  return join(dataDirectory, 'sweeps')
}
function filesInHistory(): string[] {
  try {
    return readdirSync(sweepsDir())
  } catch {
    return []
  }
}
describe('history', () => {
  test('a saved run is persisted and reloaded intact by a fresh instance', async () => {
    const saved = await new SweepHistory(dataDirectory).save(record)
    expect(saved.id).toMatch(SWEEP_ID_PATTERN)
    expect(filesInHistory()).toEqual([`${saved.id}.json`])
    const { runs, problems } = new SweepHistory(dataDirectory).list()
    expect(problems).toEqual([])
    expect(runs).toEqual([saved])
    expect(runs[0]).toEqual({ ...record, id: saved.id })
  })

  test('newest first; junk in the folder is reported and left alone', async () => {
    const history = new SweepHistory(dataDirectory)
    const older = await history.save({
      ...record,
      createdAt: '2020-01-01T00:00:00.000Z',
      finishedAt: '2020-01-01T00:01:00.000Z'
    })
    const newer = await history.save(record)
    writeFileSync(join(sweepsDir(), 'notes.json'), '{"hello": 1}')
    writeFileSync(join(sweepsDir(), '.half-written.json.123.tmp'), '{')
    const { runs, problems } = history.list()
    expect(runs.map((r) => r.id)).toEqual([newer.id, older.id])
    expect(problems).toEqual([{ file: 'notes.json', message: expect.stringContaining('not a Yield Lab sweep') }])
    expect(filesInHistory()).toContain('notes.json')
  })

  test('an empty history has no folder yet and lists nothing', () => {
    expect(new SweepHistory(dataDirectory).list()).toEqual({ runs: [], problems: [], more: false })
  })

  test('delete removes the file; deleting again or a bad id is a clear error', async () => {
    const history = new SweepHistory(dataDirectory)
    const saved = await history.save(record)
    history.delete(saved.id)
    expect(filesInHistory()).toEqual([])
    expect(catchLabError(() => history.delete(saved.id)).code).toBe('NOT_FOUND')
    expect(catchLabError(() => history.delete('../../etc/passwd')).code).toBe('INVALID_ARGUMENT')
  })

  test('a partial (cancelled) run can be kept; an inconsistent record cannot, and writes nothing', async () => {
    const history = new SweepHistory(dataDirectory)
    const partial: SweepRunDraft = { ...record, status: 'cancelled', measurements: record.measurements.slice(0, 3) }
    expect((await history.save(partial)).measurements).toHaveLength(3)
    const incomplete: SweepRunDraft = { ...record, measurements: record.measurements.slice(0, 3) }
    expect((await rejectedLabError(history.save(incomplete))).message).toContain(
      'a complete sweep has all 20 planned runs, this one has 3'
    )
    expect(filesInHistory()).toHaveLength(1)
  })

  test('writes are atomic: a failed write leaves neither a partial file nor a temporary one', async () => {
    mkdirSync(join(dataDirectory, 'target.json'))
    await expect(writeAtomically(join(dataDirectory, 'target.json'), '{"a": 1}')).rejects.toThrow(LabError)
    expect(readdirSync(dataDirectory)).toEqual(['target.json'])
  })
})

describe('history with imports', () => {
  const shifted = (run: SweepRunDraft, ms: number): SweepRunDraft => ({
    ...run,
    createdAt: new Date(Date.parse(run.createdAt) + ms).toISOString(),
    finishedAt: new Date(Date.parse(run.finishedAt) + ms).toISOString()
  })

  test('imports dated in the future cannot hide the user’s runs: they count from when they were imported, and paging reaches every run', async () => {
    const history = new SweepHistory(dataDirectory)
    const old = await history.save({
      ...record,
      createdAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T00:01:00.000Z'
    })
    // Thirty runs, each made a millisecond after the last (the same run would be refused).
    const future = (i: number): string =>
      sweepJson({
        ...record,
        createdAt: `2099-01-01T00:00:00.${String(i).padStart(3, '0')}Z`,
        finishedAt: '2099-01-01T00:01:00.000Z'
      })
    const imported: SweepRun[] = []
    for (let i = 0; i < 30; i++) imported.push(await history.import(future(i)))
    // Kept as dated, but listed by when they entered history.
    expect(
      imported.every((run) => run.createdAt.startsWith('2099-01-01T00:00:00.') && !run.id.startsWith('sweep-2099'))
    ).toBe(true)
    const later = await history.save(shifted(record, 3_600_000))

    const first = history.list({ limit: 7 })
    expect(first.runs[0]!.id).toBe(later.id)
    expect(first.more).toBe(true)
    const seen = [...first.runs]
    for (let page = first; page.more;) {
      page = history.list({ before: page.runs.at(-1)!.id, limit: 7 })
      seen.push(...page.runs)
    }
    expect(seen).toHaveLength(32)
    expect(new Set(seen.map((run) => run.id)).size).toBe(32)
    expect(seen.at(-1)!.id).toBe(old.id)
    expect(history.list().runs).toHaveLength(32)
  })

  test('a long history is listed a page at a time, newest first', async () => {
    const history = new SweepHistory(dataDirectory)
    const saved: SweepRun[] = []
    for (let i = 0; i < 5; i++) saved.push(await history.save(shifted(record, -i * 60_000)))
    expect(history.list({ limit: 2 })).toEqual({ runs: saved.slice(0, 2), problems: [], more: true })
    expect(history.list({ before: saved[1]!.id, limit: 2 })).toEqual({
      runs: saved.slice(2, 4),
      problems: [],
      more: true
    })
    expect(history.list({ before: saved[3]!.id, limit: 2 })).toEqual({
      runs: saved.slice(4),
      problems: [],
      more: false
    })
  })
})

describe('exports and import', () => {
  test('JSON round-trip: export, import elsewhere, same record (new id, marked imported)', async () => {
    const mine = await new SweepHistory(join(dataDirectory, 'me')).save(record)
    const text = sweepJson(mine)
    expect(parseSweepJson(text)).toEqual(mine)
    const theirs = await new SweepHistory(join(dataDirectory, 'colleague')).import(text)
    expect(theirs.id).not.toBe(mine.id)
    expect(theirs.imported).toEqual({ at: expect.any(String), originalId: mine.id })
    const { id: _a, imported: _b, ...sameData } = theirs
    const { id: _c, ...original } = mine
    expect(sameData).toEqual(original)
    expect(v.safeParse(sweepRunSchema, theirs).success).toBe(true)
    // An unsaved record (no id) imports too.
    expect(
      (await new SweepHistory(join(dataDirectory, 'colleague')).import(sweepJson(record))).imported?.originalId
    ).toBe('')
  })

  test('the same run is imported once: again, from a copy, or where it was made, it is refused', async () => {
    const here = new SweepHistory(join(dataDirectory, 'me'))
    const mine = await here.save(record)
    const colleague = new SweepHistory(join(dataDirectory, 'colleague'))
    const theirs = await colleague.import(sweepJson(mine))
    const refusals = [
      colleague.import(sweepJson(mine)), // the same file twice
      colleague.import(sweepJson(theirs)), // their copy, exported again
      here.import(sweepJson(theirs)) // back where it was made
    ]
    for (const refusal of refusals) {
      const error = await rejectedLabError(refusal)
      expect(error.code).toBe('ALREADY_EXISTS')
      expect(error.message).toMatch(/^This sweep is in history already: /)
    }
    const colleagueFiles = readdirSync(join(dataDirectory, 'colleague', 'sweeps'))
    expect(colleagueFiles).toEqual([`${theirs.id}.json`])
    // Another run, even of the same file, imports.
    const later = await here.save({
      ...record,
      createdAt: new Date(Date.parse(record.createdAt) + 60_000).toISOString(),
      finishedAt: new Date(Date.parse(record.finishedAt) + 60_000).toISOString()
    })
    expect((await colleague.import(sweepJson(later))).imported?.originalId).toBe(later.id)
  })

  test('a record without an id (as the sweep CLI writes it) is imported once too', async () => {
    const history = new SweepHistory(join(dataDirectory, 'cli'))
    const first = await history.import(sweepJson(record))
    expect(first.imported?.originalId).toBe('')
    const error = await rejectedLabError(history.import(sweepJson(record)))
    expect(error.code).toBe('ALREADY_EXISTS')
    // Its copy, exported again from the app, is still that run; so is a colleague's copy.
    expect((await rejectedLabError(history.import(sweepJson(first)))).code).toBe('ALREADY_EXISTS')
    const colleague = await new SweepHistory(join(dataDirectory, 'cli-colleague')).import(sweepJson(record))
    expect((await rejectedLabError(history.import(sweepJson(colleague)))).code).toBe('ALREADY_EXISTS')
    // Another id-less record, made at another time, imports.
    const later = {
      ...record,
      createdAt: new Date(Date.parse(record.createdAt) + 60_000).toISOString(),
      finishedAt: new Date(Date.parse(record.finishedAt) + 60_000).toISOString()
    }
    expect((await history.import(sweepJson(later))).imported?.originalId).toBe('')
    expect(readdirSync(join(dataDirectory, 'cli', 'sweeps'))).toHaveLength(2)
  })

  /** The record as version 1 wrote it: the text mode was called textLazy. */
  function asVersion1(run: SweepRunDraft & { id?: string }): string {
    const modeOf = (mode: string): string => (mode === 'text' ? 'textLazy' : mode)
    return JSON.stringify({
      ...run,
      format: 'yield-lab-sweep/1',
      config: { ...run.config, modes: run.config.modes.map(modeOf) },
      measurements: run.measurements.map((m) => ({ ...m, mode: modeOf(m.mode) }))
    })
  }

  test('a version-1 sweep (mode textLazy) still imports, as version 2 with mode text', async () => {
    expect(record.config.modes).toContain('text')
    const old = asVersion1(record)
    expect(old).toContain('"textLazy"')
    const imported = await new SweepHistory(dataDirectory).import(old)
    const { id: _id, imported: _imported, ...data } = imported
    expect(data).toEqual(record)
    expect(JSON.parse(readFileSync(join(sweepsDir(), `${imported.id}.json`), 'utf8'))).toMatchObject({
      format: 'yield-lab-sweep/2'
    })
  })

  test('a version-1 file in history is listed as version 2 and left as it is on disk', async () => {
    const saved = await new SweepHistory(dataDirectory).save(record)
    const file = join(sweepsDir(), `${saved.id}.json`)
    writeFileSync(file, asVersion1(saved))
    const { runs, problems } = new SweepHistory(dataDirectory).list()
    expect(problems).toEqual([])
    expect(runs).toEqual([saved])
    expect(readFileSync(file, 'utf8')).toContain('"textLazy"')
  })

  test('CSV round-trip: every run, numbers exact, awkward labels quoted', () => {
    const text = measurementsCsv({ ...record, id: 'sweep-20250101T000000Z-abcdef' })
    const rows = parseCsv(text)
    expect(rows[0]).toEqual([...MEASUREMENT_CSV_COLUMNS])
    expect(rows).toHaveLength(record.measurements.length + 1)
    expect(rows[1]![1]).toBe(`'${record.label}`)
    expect(parseMeasurementsCsv(text)).toEqual(record.measurements)
    const points = parseCsv(pointsCsv(record))
    expect(points).toHaveLength(summarize(record.measurements).length + 1)
    expect(points.slice(1).map((row) => row[2])).toEqual(summarize(record.measurements).map((p) => p.mode))
    expect(exportBaseName(record)).toMatch(/^yield-lab-sweep-SUM-A1-data-quoted-\d{8}-\d{6}$/)
  })

  test.each([
    ['corrupt JSON', '{"format": "yield-lab-sweep/1", "measurements": [', 'it is not JSON ('],
    ['blanks only', ' \n ', 'This is not a Yield Lab sweep: the file is empty.'],
    ['binary data', '\u0000\u0000\u0001\u0000', 'it holds binary data (NUL bytes), not JSON text'],
    ['not an object', '[1, 2, 3]', 'not a Yield Lab sweep'],
    ['someone else’s JSON', '{"name": "left-pad", "version": "1.0.0"}', 'not a Yield Lab sweep'],
    ['a future format', '{"format": "yield-lab-sweep/9"}', 'does not read'],
    ['a truncated record', '{"format": "yield-lab-sweep/1", "label": "x"}', 'damaged or was edited']
  ])('import of %s is refused with a clear message and writes nothing', async (_what, text, message) => {
    const error = await rejectedLabError(new SweepHistory(dataDirectory).import(text))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toContain(message)
    expect(filesInHistory()).toEqual([])
  })

  test.each([
    [
      'a run outside the grid',
      (r: SweepRunDraft) => ({
        ...r,
        measurements: r.measurements.map((m, i) => (i === 0 && m.chunkItems !== null ? { ...m, chunkItems: 3 } : m))
      }),
      'is not in config.chunkSizes'
    ],
    [
      'a run read more than its file',
      (r: SweepRunDraft) => ({
        ...r,
        measurements: r.measurements.map((m, i) => (i === 0 ? { ...m, bytesRead: m.fileBytes + 8 } : m))
      }),
      'more bytes than the file'
    ],
    [
      'an uncapped run that read part',
      (r: SweepRunDraft) => ({
        ...r,
        measurements: r.measurements.map((m) => ({ ...m, capped: false, bytesRead: Math.max(1, m.fileBytes - 8) }))
      }),
      'did not read the whole file'
    ],
    [
      'a negative time',
      (r: SweepRunDraft) => ({
        ...r,
        measurements: r.measurements.map((m, i) => (i === 0 ? { ...m, elapsedMs: -1 } : m))
      }),
      'elapsedMs'
    ],
    ['an extra field', (r: SweepRunDraft) => ({ ...r, password: 'x' }), 'password'],
    [
      'a duplicated run',
      (r: SweepRunDraft) => ({
        ...r,
        measurements: [...r.measurements.slice(0, -1), { ...r.measurements[0]!, seq: r.measurements.at(-1)!.seq }]
      }),
      'repeats'
    ]
  ])('import of a record with %s is refused', async (_what, edit, message) => {
    const error = await rejectedLabError(new SweepHistory(dataDirectory).import(JSON.stringify(edit(record))))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toContain(message)
    expect(filesInHistory()).toEqual([])
  })
})

describe('the sweeps.* channels', () => {
  function handlers() {
    const appInfo = () => testAppInfo(dataDirectory)
    return createHandlers({
      jobs: {} as JobHost,
      appInfo,
      showItemInFolder: () => undefined,
      choosePath: () => Promise.resolve(null),
      confirm: () => Promise.resolve(false)
    })
  }

  test('save, list, import, delete through dispatch, in <dataDirectory>/sweeps', async () => {
    const h = handlers()
    const saved = await dispatch(h, 'sweeps.save', { run: record }, 'owner')
    expect(saved).toMatchObject({ ok: true, value: { id: expect.stringMatching(SWEEP_ID_PATTERN) } })
    const id = (saved as { value: { id: string } }).value.id
    expect(JSON.parse(readFileSync(join(sweepsDir(), `${id}.json`), 'utf8'))).toMatchObject({
      id,
      format: 'yield-lab-sweep/2'
    })
    const imported = await dispatch(h, 'sweeps.import', { json: sweepJson(record) }, 'owner')
    expect(imported.ok).toBe(true)
    const listed = await dispatch(h, 'sweeps.list', undefined, 'owner')
    expect(listed).toMatchObject({ ok: true, value: { runs: [expect.anything(), expect.anything()], problems: [] } })
    expect(await dispatch(h, 'sweeps.delete', { id }, 'owner')).toEqual({ ok: true, value: { id } })
    expect(await dispatch(h, 'sweeps.delete', { id }, 'owner')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
    expect(await dispatch(h, 'sweeps.import', { json: '{"nope": true}' }, 'owner')).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_DATA' }
    })
    expect(filesInHistory()).toHaveLength(1)
  })

  test('a record that breaks the schema never reaches the handler', async () => {
    const reply = await dispatch(handlers(), 'sweeps.save', { run: { ...record, plannedRuns: 1 } }, 'owner')
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('plannedRuns is 1') }
    })
    expect(filesInHistory()).toEqual([])
  })
})
