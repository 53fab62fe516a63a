import { afterEach, describe, expect, test, vi } from 'vitest'
import { channelNames, type Channel } from '../../src/shared/contract'
import { createHandlers, dispatch } from '../../src/main/lab/handlers'
import type { JobHost } from '../../src/main/lab/jobHost'
import { createTestJobHost } from '../support/jobHost'

let jobs: JobHost | undefined
afterEach(async () => {
  await jobs?.closeAll()
})

function setup() {
  jobs = createTestJobHost().host
  const appInfo = vi.fn(() => ({
    name: 'yield-lab', version: '1', platform: 'p', arch: 'a', cpuModel: 'c', cpuCount: 1, totalMemoryBytes: 1, dataDirectory: '/d', versions: {}
  }))
  const choosePath = vi.fn(() => Promise.resolve('/chosen'))
  const confirm = vi.fn(() => Promise.resolve(true))
  const handlers = createHandlers({ jobs, appInfo, choosePath, confirm })
  return { handlers, appInfo, choosePath, confirm, jobs }
}

/** For every channel, an argument that breaks its schema in a typical way. */
const badArguments: Record<Channel, unknown[]> = {
  'job.open': [undefined, { kind: 'rm -rf', args: {} }, { args: {} }, 'range'],
  'job.next': [{ id: 'job-1' }, { id: 'job-1', maxItems: 0 }, { id: 'job-1', maxItems: 1.5 }, { id: '../job', maxItems: 1 }, { id: 'job-1', maxItems: 10_000_000 }],
  'job.return': [{}, { id: 42 }, { id: 'job-01' }],
  'job.throw': [{ id: 'job-1' }, { id: 'job-1', message: 7 }, { id: 'job-1', message: 'x'.repeat(2001) }],
  'app.info': [{}, 'please', 0],
  'dialog.choosePath': [{ kind: 'socket' }, {}, { kind: 'file', title: 5 }],
  'dialog.allowWrite': [{}, { directory: '' }, { directory: 'a\0b' }, { directory: 5 }, { directory: '/x', grant: true }],
  'sweeps.list': ['all', 1, { limit: 0 }, { limit: 501 }, { before: '../x' }, { page: 2 }],
  'sweeps.save': [undefined, {}, { run: {} }, { run: { format: 'yield-lab-sweep/1' } }, { run: null, extra: 1 }],
  'sweeps.delete': [{}, { id: '../../etc/passwd' }, { id: 'sweep-1' }, { id: 42 }],
  'sweeps.import': [{}, { json: '' }, { json: 42 }, { json: 'x'.repeat(16 * 1024 * 1024 + 1) }, { json: '{}', path: '/x' }]
}

describe('dispatch', () => {
  test('every channel of the contract has bad-argument cases here', () => {
    expect(Object.keys(badArguments).sort()).toEqual([...channelNames].sort())
  })

  test.each(channelNames)('%s: a bad argument gets the structured error and does no work', async (channel) => {
    const { handlers, appInfo, choosePath, confirm, jobs } = setup()
    for (const input of badArguments[channel]) {
      const reply = await dispatch(handlers, channel, input, 'owner')
      expect(reply).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining(`arguments to ${channel}`) } })
    }
    expect(appInfo).not.toHaveBeenCalled()
    expect(choosePath).not.toHaveBeenCalled()
    expect(confirm).not.toHaveBeenCalled()
    expect(jobs.openJobs()).toEqual([])
  })

  test('an unknown channel is refused by name', async () => {
    const { handlers } = setup()
    expect(await dispatch(handlers, 'fs.deleteEverything', {}, 'owner')).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'Unknown channel fs.deleteEverything.' }
    })
    expect(await dispatch(handlers, '__proto__', {}, 'owner')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })

  test('valid requests run their handler and come back in an ok envelope', async () => {
    const { handlers, choosePath } = setup()
    const opened = await dispatch(handlers, 'job.open', { kind: 'range', args: { start: 0, stop: 3 } }, 'owner')
    expect(opened).toEqual({ ok: true, value: { id: expect.stringMatching(/^job-\d+$/), kind: 'range', state: 'created' } })
    const id = (opened as { value: { id: string } }).value.id
    expect(await dispatch(handlers, 'job.next', { id, maxItems: 10 }, 'owner')).toEqual({
      ok: true,
      value: { items: [0, 1, 2], done: true, value: { count: 3 }, state: 'closed' }
    })
    expect(await dispatch(handlers, 'dialog.choosePath', { kind: 'directory' }, 'owner')).toEqual({ ok: true, value: { path: '/chosen' } })
    expect(choosePath).toHaveBeenCalledWith('directory', undefined)
  })

  test('errors from handlers come back as the one LabError shape', async () => {
    const { handlers } = setup()
    expect(await dispatch(handlers, 'job.next', { id: 'job-999', maxItems: 1 }, 'owner')).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_JOB', message: 'No generator job-999 is open.' }
    })
  })
})
