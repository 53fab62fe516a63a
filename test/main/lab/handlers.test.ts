import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { channelNames, type Channel } from '../../../src/shared/contract'
import { labErrorCodes } from '../../../src/shared/errors'
import { encodeNcdu } from '../../../src/shared/ncdu'
import { createHandlers, dispatch } from '../../../src/main/lab/handlers'
import type { JobHost } from '../../../src/main/lab/jobs/jobHost'
import { TEMPORARY_PREFIX } from '../../../src/main/lab/temporaryFiles'
import { createTestJobHost } from '../../support/jobHost'
import { testAppInfo } from '../../support/appInfo'

let jobs: JobHost | undefined
afterEach(async () => {
  await jobs?.closeAll()
})

function setup() {
  jobs = createTestJobHost().host
  const appInfo = vi.fn(() => testAppInfo('/d'))
  const choosePath = vi.fn(() => Promise.resolve('/chosen'))
  const confirm = vi.fn(() => Promise.resolve(true))
  const showItemInFolder = vi.fn()
  const handlers = createHandlers({ jobs, appInfo, choosePath, confirm, showItemInFolder })
  return { handlers, appInfo, choosePath, confirm, showItemInFolder, jobs }
}

/** For every channel, an argument that breaks its schema in a typical way. */
const badArguments: Record<Channel, unknown[]> = {
  'job.open': [undefined, { kind: 'rm -rf', args: {} }, { args: {} }, 'range'],
  'job.next': [
    { id: 'job-1' },
    { id: 'job-1', maxItems: 0 },
    { id: 'job-1', maxItems: 1.5 },
    { id: '../job', maxItems: 1 },
    { id: 'job-1', maxItems: 10_000_000 }
  ],
  'job.return': [{}, { id: 42 }, { id: 'job-01' }],
  'job.throw': [{ id: 'job-1' }, { id: 'job-1', message: 7 }, { id: 'job-1', message: 'x'.repeat(2001) }],
  'app.info': [{}, 'please', 0],
  'app.smokeReport': [
    undefined,
    {},
    { mountedTabs: 'all', appInfo: { ok: true }, range: { ok: true, items: [] } },
    { mountedTabs: [], appInfo: { ok: false, error: 'x' }, range: { ok: true, items: [] }, extra: 1 }
  ],
  'dialog.choosePath': [{ kind: 'socket' }, {}, { kind: 'file', title: 5 }],
  'dialog.allowWrite': [
    {},
    { directory: '' },
    { directory: 'a\0b' },
    { directory: 5 },
    { directory: '/x', grant: true }
  ],
  'walk.saveNcdu': [
    {},
    { bytes: 'text', suggestedName: 'scan.json' },
    { bytes: new Uint8Array(2), suggestedName: '../scan.json' },
    { bytes: new Uint8Array(2), suggestedName: '' },
    { bytes: new Uint8Array(2), suggestedName: 'scan.json', path: '/etc/passwd' }
  ],
  'shell.showItemInFolder': [undefined, {}, { path: '' }, { path: 'a\0b' }, { path: 7 }, { path: '/x', open: true }],
  'sweeps.list': ['all', 1, { limit: 0 }, { limit: 501 }, { before: '../x' }, { page: 2 }],
  'sweeps.save': [undefined, {}, { run: {} }, { run: { format: 'yield-lab-sweep/1' } }, { run: null, extra: 1 }],
  'sweeps.delete': [{}, { id: '../../etc/passwd' }, { id: 'sweep-1' }, { id: 42 }],
  'sweeps.import': [{}, { json: 42 }, { json: 'x'.repeat(16 * 1024 * 1024 + 1) }, { json: '{}', path: '/x' }]
}

describe('dispatch', () => {
  test('every channel of the contract has bad-argument cases here', () => {
    expect(Object.keys(badArguments).sort()).toEqual([...channelNames].sort())
  })

  test.each(channelNames)('%s: a bad argument gets the structured error and does no work', async (channel) => {
    const { handlers, appInfo, choosePath, confirm, showItemInFolder, jobs } = setup()
    for (const input of badArguments[channel]) {
      const reply = await dispatch(handlers, channel, input, 'owner')
      expect(reply).toEqual({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining(`arguments to ${channel}`) }
      })
    }
    expect(appInfo).not.toHaveBeenCalled()
    expect(choosePath).not.toHaveBeenCalled()
    expect(confirm).not.toHaveBeenCalled()
    expect(showItemInFolder).not.toHaveBeenCalled()
    expect(jobs.openJobs()).toEqual([])
  })

  test('shell.showItemInFolder shows an existing path, the nearest UTF-8 folder for one that is not, and refuses a missing one', async () => {
    const { handlers, showItemInFolder } = setup()
    const base = mkdtempSync(join(tmpdir(), 'yield-lab-reveal-'))
    try {
      const file = join(base, 'report.txt')
      writeFileSync(file, 'r')
      expect(await dispatch(handlers, 'shell.showItemInFolder', { path: file }, 'owner')).toEqual({
        ok: true,
        value: { shown: file }
      })
      const raw = Buffer.concat([Buffer.from(`${base}/bad-`), Buffer.from([0xff]), Buffer.from('-dir')])
      mkdirSync(raw)
      mkdirSync(Buffer.concat([raw, Buffer.from('/inner')]))
      const escaped = `${base}/bad-\udcff-dir/inner`
      expect(await dispatch(handlers, 'shell.showItemInFolder', { path: escaped }, 'owner')).toEqual({
        ok: true,
        value: { shown: base }
      })
      expect(showItemInFolder.mock.calls).toEqual([[file], [base]])
      const missing = await dispatch(handlers, 'shell.showItemInFolder', { path: join(base, 'gone') }, 'owner')
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', path: join(base, 'gone') } })
      expect(showItemInFolder).toHaveBeenCalledTimes(2)
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })

  test('an unknown channel is refused by name', async () => {
    const { handlers } = setup()
    expect(await dispatch(handlers, 'fs.deleteEverything', {}, 'owner')).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'Unknown channel fs.deleteEverything.' }
    })
    expect(await dispatch(handlers, '__proto__', {}, 'owner')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' }
    })
  })

  test('valid requests run their handler and come back in an ok envelope', async () => {
    const { handlers, choosePath } = setup()
    const opened = await dispatch(handlers, 'job.open', { kind: 'range', args: { start: 0, stop: 3 } }, 'owner')
    expect(opened).toEqual({
      ok: true,
      value: { id: expect.stringMatching(/^job-\d+$/), kind: 'range', state: 'created' }
    })
    const id = (opened as { value: { id: string } }).value.id
    expect(await dispatch(handlers, 'job.next', { id, maxItems: 10 }, 'owner')).toEqual({
      ok: true,
      value: { items: [0, 1, 2], done: true, value: { count: 3 }, state: 'closed' }
    })
    expect(await dispatch(handlers, 'dialog.choosePath', { kind: 'directory' }, 'owner')).toEqual({
      ok: true,
      value: { path: '/chosen' }
    })
    expect(choosePath).toHaveBeenCalledWith('directory', undefined)
  })

  test('a file is read whole for the page (importFile) only once the user chose it in the open dialog', async () => {
    const { handlers, choosePath } = setup()
    const dir = mkdtempSync(join(tmpdir(), 'yield-lab-import-grant-'))
    try {
      const file = join(dir, 'trace.json')
      writeFileSync(file, '{"format": "yield-lab-trace/1"}')
      const open = (kind: string) =>
        dispatch(handlers, 'job.open', { kind: 'importFile', args: { file, kind } }, 'owner')
      expect(await open('trace')).toEqual({
        ok: false,
        error: {
          code: 'PERMISSION_DENIED',
          message: `${file}: only a file chosen in the open dialog can be imported`,
          path: file
        }
      })
      // A folder chosen, or another file, grants nothing.
      choosePath.mockResolvedValueOnce(dir).mockResolvedValueOnce(join(dir, 'other.json'))
      await dispatch(handlers, 'dialog.choosePath', { kind: 'directory' }, 'owner')
      await dispatch(handlers, 'dialog.choosePath', { kind: 'file' }, 'owner')
      expect(await open('sweep')).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
      choosePath.mockResolvedValueOnce(file)
      await dispatch(handlers, 'dialog.choosePath', { kind: 'file', title: 'Open a trace exported from Step' }, 'owner')
      const opened = await open('trace')
      expect(opened).toMatchObject({ ok: true, value: { kind: 'importFile' } })
      const id = (opened as { value: { id: string } }).value.id
      expect(await dispatch(handlers, 'job.next', { id, maxItems: 1 }, 'owner')).toMatchObject({
        ok: true,
        value: { done: true, value: { text: '{"format": "yield-lab-trace/1"}' } }
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a smoke report is refused outside a --smoke run and handed on in one', async () => {
    const checks = {
      mountedTabs: ['browse'],
      appInfo: { ok: true, name: 'n', version: 'v' },
      range: { ok: true, items: [0] }
    }
    const { handlers } = setup()
    expect(await dispatch(handlers, 'app.smokeReport', checks, 'owner')).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'This is not a --smoke run.' }
    })
    const smokeReport = vi.fn()
    const smokeHandlers = createHandlers({
      jobs: jobs!,
      appInfo: vi.fn(),
      choosePath: vi.fn(),
      confirm: vi.fn(),
      showItemInFolder: vi.fn(),
      smokeReport
    })
    expect(await dispatch(smokeHandlers, 'app.smokeReport', checks, 'owner')).toEqual({
      ok: true,
      value: { received: true }
    })
    expect(smokeReport).toHaveBeenCalledWith(checks)
  })

  test('errors from handlers come back as the one LabError shape', async () => {
    const { handlers } = setup()
    expect(await dispatch(handlers, 'job.next', { id: 'job-999', maxItems: 1 }, 'owner')).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_JOB', message: 'No generator job-999 is open.' }
    })
  })
})

describe('walk.saveNcdu', () => {
  const scan = encodeNcdu({
    progname: 'yield-lab',
    progver: '1',
    timestamp: 1,
    root: { name: '/r', children: [{ name: 'bad-\udcff', asize: 3 }] }
  })

  test('writes the bytes atomically where the user chose in main’s save dialog, or nothing when cancelled', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'yield-lab-save-ncdu-'))
    try {
      const target = join(folder, 'chosen.json')
      const answers: (string | null)[] = [null, target]
      const chooseSavePath = vi.fn(() => Promise.resolve(answers.shift() ?? null))
      const handlers = createHandlers({ ...setup(), chooseSavePath })
      const input = { bytes: scan, suggestedName: 'usr.ncdu.json' }
      expect(await dispatch(handlers, 'walk.saveNcdu', input, 'owner')).toEqual({ ok: true, value: { path: null } })
      expect(readdirSync(folder)).toEqual([])
      expect(await dispatch(handlers, 'walk.saveNcdu', input, 'owner')).toEqual({ ok: true, value: { path: target } })
      expect(chooseSavePath).toHaveBeenLastCalledWith('Save the scan for ncdu', 'usr.ncdu.json')
      expect(readdirSync(folder)).toEqual(['chosen.json'])
      expect(Buffer.from(readFileSync(target)).equals(Buffer.from(scan))).toBe(true)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('main’s event loop keeps turning while the bytes are written: their temporary file is seen before the rename', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'yield-lab-save-ncdu-'))
    let watching = true
    try {
      const target = join(folder, 'scan.json')
      const save = createHandlers({ ...setup(), chooseSavePath: () => Promise.resolve(target) })['walk.saveNcdu']
      let temporarySeen = false
      const watch = (): void => {
        if (!watching) return
        if (readdirSync(folder).some((name) => name.startsWith(TEMPORARY_PREFIX))) temporarySeen = true
        setImmediate(watch)
      }
      watch()
      expect(await save({ bytes: scan, suggestedName: 'scan.json' }, 'owner')).toEqual({ path: target })
      // Written on main's thread, the file would be made and renamed in one turn that no callback sees.
      expect(temporarySeen).toBe(true)
      expect(readdirSync(folder)).toEqual(['scan.json'])
      expect(Buffer.from(readFileSync(target)).equals(Buffer.from(scan))).toBe(true)
    } finally {
      watching = false
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('refuses bytes that are not an ncdu export before asking where, naming the file', async () => {
    const chooseSavePath = vi.fn(() => Promise.resolve('/tmp/never.json'))
    const handlers = createHandlers({ ...setup(), chooseSavePath })
    const reply = await dispatch(
      handlers,
      'walk.saveNcdu',
      { bytes: scan.subarray(0, 40), suggestedName: 'cut.json' },
      'owner'
    )
    expect(reply).toMatchObject({ ok: false, error: { code: 'MALFORMED_DATA', path: 'cut.json' } })
    expect(chooseSavePath).not.toHaveBeenCalled()
  })
})

describe('walk.saveNcdu checks the export off main’s thread', () => {
  test('main’s event loop keeps turning while the export is decoded, and no generator is left open', async () => {
    const context = setup()
    const names = Array.from({ length: 20_000 }, (_, i) => ({ name: `file-${i}.dat`, asize: i }))
    const bytes = encodeNcdu({
      progname: 'yield-lab',
      progver: '1',
      timestamp: 1,
      root: { name: '/r', children: names }
    })
    let turns = 0
    const ticker = setInterval(() => turns++, 0)
    let turnsAtDialog = -1
    const chooseSavePath = vi.fn(() => {
      turnsAtDialog = turns
      return Promise.resolve(null)
    })
    try {
      const save = createHandlers({ ...context, chooseSavePath })['walk.saveNcdu']
      expect(await save({ bytes, suggestedName: 'big.json' }, 'owner')).toEqual({ path: null })
    } finally {
      clearInterval(ticker)
    }
    // Decoded in main, the check would hold the thread from the call to the dialog: no timer between.
    expect(turnsAtDialog).toBeGreaterThan(0)
    expect(context.jobs.openJobs('owner')).toEqual([])
  })
})

describe('dispatch under fuzzing', () => {
  test('any channel with any input gets an envelope with a known code; nothing is written outside the data folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'yield-lab-fuzz-'))
    const dataDirectory = join(base, 'data')
    const outside = join(base, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'package.json'), 'precious')
    jobs = createTestJobHost().host
    const confirm = vi.fn(() => Promise.resolve(false))
    const handlers = createHandlers({
      jobs,
      appInfo: () => testAppInfo(dataDirectory),
      choosePath: () => Promise.resolve(null),
      confirm,
      showItemInFolder: vi.fn()
    })
    const path = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          outside,
          join(outside, 'package'),
          '/',
          '',
          'a\0b',
          'x\ud800',
          join(outside, 'bad\udcff')
        )
      },
      fc.string()
    )
    const anyChannel = fc.oneof(
      fc.constantFrom(...channelNames),
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString')
    )
    const request = fc.oneof(
      fc.tuple(anyChannel, fc.anything()),
      fc.tuple(fc.constant('dialog.allowWrite'), fc.record({ directory: path }, { requiredKeys: [] })),
      fc.tuple(
        fc.constant('sweeps.list'),
        fc.record(
          {
            before: fc.oneof(fc.string(), fc.constant('sweep-20250101T000000Z-abcdef')),
            limit: fc.oneof(fc.integer(), fc.double())
          },
          { requiredKeys: [] }
        )
      ),
      fc.tuple(
        fc.constant('job.open'),
        fc.oneof(
          fc.record({
            kind: fc.constant('sampleData'),
            args: fc.record(
              {
                directory: path,
                name: fc.constantFrom('package', 'x', '../x', ''),
                bytes: fc.constantFrom(8, 800, -1),
                overwrite: fc.boolean()
              },
              { requiredKeys: ['directory', 'name', 'bytes'] }
            )
          }),
          fc.record({
            kind: fc.constant('walk'),
            args: fc.record({ top: path, topdown: fc.boolean() }, { requiredKeys: ['top'] })
          }),
          fc.record({
            kind: fc.constant('read'),
            args: fc.record({ path, mode: fc.constantFrom('text', 'lazyItem', 'bogus') })
          })
        )
      )
    )
    try {
      await fc.assert(
        fc.asyncProperty(request, async ([name, value]) => {
          const reply = await dispatch(handlers, name, value, 'owner')
          if (!reply.ok) {
            expect(labErrorCodes).toContain(reply.error.code)
            expect(typeof reply.error.message).toBe('string')
          }
          // A job that opened runs a step (a write would happen here), then is closed.
          for (const job of jobs!.openJobs()) {
            await jobs!.next('owner', job.id, 1).catch(() => undefined)
            await jobs!.return('owner', job.id)
          }
        }),
        { numRuns: 300 }
      )
      expect(readdirSync(outside).sort()).toEqual(['package.json'])
      expect(readFileSync(join(outside, 'package.json'), 'utf8')).toBe('precious')
    } finally {
      await jobs.closeAll()
      rmSync(base, { recursive: true, force: true })
    }
  })
})
