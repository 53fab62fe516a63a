import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { LabApi } from '@shared/contract'
import { packWalkItems } from '@shared/walkBatch'
import RemoteGeneratorPanel from '@renderer/components/RemoteGeneratorPanel.vue'
import { RemoteGenerator } from '@renderer/ipc/remoteGenerator'
import { pyFloat, remoteItemRepr } from '@renderer/ipc/remoteSources'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import { installInProcessLab } from '../../../support/inProcessLab'
import { requirePython, runPython } from '../../../support/python'
import { until as untilWithin } from '../../../support/until'
import { dir } from '../../../support/walkItems'

let jobs: JobHost
let workers: Worker[]

beforeEach(() => {
  ;({ jobs, workers } = installInProcessLab())
  setActivePinia(createPinia())
})
afterEach(async () => {
  vi.restoreAllMocks()
  await jobs.closeAll()
})

/** This file's patience: about 2 s, looking every 10 ms. */
function until(condition: () => boolean, what: string): Promise<void> {
  return untilWithin(condition, what, { timeoutMs: 2_000, pollMs: 10 })
}

describe('RemoteGenerator', () => {
  test('follows the generator states of Python and raises LabErrors with codes', async () => {
    const g = await RemoteGenerator.open('range', { start: 0, stop: 3 })
    expect(g.state).toBe('created')
    expect(await g.next()).toEqual({ items: [0], done: false, state: 'suspended' })
    expect(g.state).toBe('suspended')
    await expect(g.throw('boom')).rejects.toMatchObject({ name: 'LabError', code: 'THROWN', message: 'boom' })
    expect(g.state).toBe('closed')
  })

  test('async iteration pulls in batches and leaving early closes the generator in main', async () => {
    const g = await RemoteGenerator.open('range', { start: 0, stop: 1_000_000 })
    const seen: number[] = []
    for await (const item of g.items(4)) {
      seen.push(item)
      if (seen.length === 6) break
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5])
    expect(g.state).toBe('closed')
    expect(jobs.openJobs()).toEqual([])
  })
})

describe('RemoteGenerator of a kind whose batches travel packed', () => {
  test('unpacks a large batch in slices, giving the event loop back in between', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `d${i}`)
    const items = [dir('/t', null, 't', names, {}), ...names.map((name) => dir(`/t/${name}`, '/t', name, [], { f: 1 }))]
    const { packed } = packWalkItems(items)
    const answer = (value: unknown) => Promise.resolve({ ok: true, value }) as never
    const lab: LabApi = {
      invoke: (channel) => {
        if (channel === 'job.open') return answer({ id: 'job-1', kind: 'walk', state: 'created' })
        if (channel === 'job.next') return answer({ items: [], packed, done: false, state: 'suspended' })
        throw new Error(`unexpected ${channel}`)
      },
      on: () => () => undefined
    }
    Object.assign(window, { lab })
    const g = await RemoteGenerator.open('walk', { top: '/t' })
    // Every look at the clock finds 1 ms more spent: a slice of the 8 ms budget unpacks a few items.
    let clock = 0
    vi.spyOn(performance, 'now').mockImplementation(() => ++clock)
    // Other tasks, as clicks would come: each queues the next until the batch is in.
    let otherTasks = 0
    let pulled = false
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      otherTasks++
      if (pulled) channel.port1.close()
      else channel.port2.postMessage(null)
    }
    const batch = g.next(4096)
    channel.port2.postMessage(null)
    const { items: received } = await batch
    pulled = true
    expect(received).toEqual(items)
    expect(otherTasks).toBeGreaterThan(2)
  })
})

describe('RemoteGeneratorPanel', () => {
  test('echoes each button as the Python line it stands for, and shows finally running on close', async () => {
    const wrapper = mount(RemoteGeneratorPanel)
    await wrapper.find('form').trigger('submit')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CREATED'), 'created')
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-transcript]').text().includes('>>> next(g)\n0'), 'first next')
    await wrapper.find('[data-testid=remote-batch]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-transcript]').text().includes('[1, 2, 3, 4, 5]'), 'batch')
    await wrapper.find('[data-testid=remote-close]').trigger('click')
    await until(() => wrapper.text().includes('main: range(0, 10, 1): finally ran after 6 items'), 'finally log')
    expect(wrapper.find('[data-testid=remote-state]').text()).toContain('GEN_CLOSED')
    expect(wrapper.find('[data-testid=remote-next]').attributes('disabled')).toBeDefined()
  })
})

describe('a generator whose worker died', () => {
  test('the next pull rejects with WORKER_DIED and the panel shows it plainly, not as an end', async () => {
    const wrapper = mount(RemoteGeneratorPanel)
    await wrapper.find('form').trigger('submit')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CREATED'), 'created')
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-transcript]').text().includes('>>> next(g)\n0'), 'first next')
    const exited = once(workers[0]!, 'exit')
    await workers[0]!.terminate()
    await exited
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(
      () => wrapper.find('[data-testid=remote-transcript]').text().includes('worker thread exited'),
      'the death shown'
    )
    const transcript = wrapper.find('[data-testid=remote-transcript]').text()
    expect(transcript).toMatch(
      /range job job-\d+ stopped: its worker thread exited \(exit code 1\) before the job ended\./
    )
    expect(transcript).not.toContain('StopIteration')
  })
})

describe('RemoteGeneratorPanel with the lab’s own generators', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'yield-lab-remote-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  test('drives a reader in main: chunks arrive as arrays, close runs its finally and closes the file', async () => {
    const file = join(dir, 'ten.bin')
    writeFileSync(file, new Float64Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9.5]))
    const wrapper = mount(RemoteGeneratorPanel)
    await wrapper.find('[data-testid=remote-source]').setValue('readChunks')
    await wrapper.find('[data-testid=remote-path]').setValue(file)
    await wrapper.find('form').trigger('submit')
    const transcript = () => wrapper.find('[data-testid=remote-transcript]').text()
    await until(() => transcript().includes(`g = read_binary_chunks('${file}', chunk_size=4)`), 'created')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CREATED'), 'created state')
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(() => transcript().includes('array([0.0, 1.0, 2.0, 3.0], dtype=float64)  # 4 items'), 'first chunk')
    await wrapper.find('[data-testid=remote-close]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CLOSED'), 'closed')
    await until(() => /main: closed .*ten\.bin/.test(wrapper.text()), 'the reader says it closed its file')
  })

  test('drives os.walk in main: each next(g) prints a triple as the REPL would', async () => {
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'a.txt'), 'a')
    const wrapper = mount(RemoteGeneratorPanel)
    await wrapper.find('[data-testid=remote-source]').setValue('walk')
    await wrapper.find('[data-testid=remote-path]').setValue(dir)
    await wrapper.find('form').trigger('submit')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CREATED'), 'created')
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(
      () => wrapper.find('[data-testid=remote-transcript]').text().includes(`('${dir}', ['sub'], ['a.txt'])`),
      'top triple'
    )
  })
})

describe('repr of main-process items', () => {
  test('floats print as Python’s repr() prints them', () => {
    const values = [
      1, 0.1, -2.5, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 1e22, 123456789012345680000, 1234.5678, -0, 5e-324,
      1.7976931348623157e308
    ]
    requirePython()
    const expected = JSON.parse(
      runPython('import json, sys; print(json.dumps([repr(float(x)) for x in json.loads(sys.argv[1])]))', [
        JSON.stringify(values)
      ])
    ) as string[]
    expected[11] = '-0.0' // JSON has no negative zero; Python's repr(-0.0) is '-0.0'
    expect(values.map(pyFloat)).toEqual(expected)
    expect([Number.NaN, Infinity, -Infinity].map(pyFloat)).toEqual(['nan', 'inf', '-inf'])
  })

  test('typed chunks print like numpy arrays, with their length', () => {
    expect(remoteItemRepr(new Int32Array([1, 2]))).toBe('array([1.0, 2.0], dtype=int32)  # 2 items')
    expect(remoteItemRepr(new BigInt64Array([5n]))).toBe('array([5], dtype=int64)  # 1 items')
    expect(remoteItemRepr(7)).toBe('7')
  })
})

describe('RemoteGenerator state after errors', () => {
  test('an error raised inside the generator closes it, even one coded INVALID_ARGUMENT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yield-lab-remote-'))
    try {
      const file = join(dir, 'data.bin')
      writeFileSync(file, new Float64Array(4))
      // Valid arguments, but a file smaller than the sweep's largest chunk: refused in the worker, at the first next().
      const g = await RemoteGenerator.open('sweep', {
        path: file,
        modes: ['lazyChunk'],
        grid: { kind: 'list', sizes: [8] }
      })
      await expect(g.next()).rejects.toMatchObject({
        name: 'LabError',
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('fewer than the largest chunk')
      })
      expect(g.state).toBe('closed')
      expect(jobs.openJobs()).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a batch answered after return() closed the generator leaves it closed', async () => {
    // Main answers return() first, then the next() that was in flight (Cancel during a big listing).
    let answerNext: (() => void) | undefined
    const reply = (value: unknown) => ({ ok: true, value }) as never
    const lab: LabApi = {
      invoke: (channel) => {
        if (channel === 'job.open') return Promise.resolve(reply({ id: 'job-1', kind: 'range', state: 'created' }))
        if (channel === 'job.next')
          return new Promise((resolve) => {
            answerNext = () => resolve(reply({ items: [0], done: false, state: 'suspended' }))
          })
        if (channel === 'job.return') return Promise.resolve(reply({ items: [], done: true, state: 'closed' }))
        throw new Error(`unexpected ${channel}`)
      },
      on: () => () => undefined
    }
    Object.assign(globalThis, { lab })
    const g = await RemoteGenerator.open('range', { start: 0, stop: 3 })
    const pulled = g.next()
    expect(g.state).toBe('running')
    await g.return()
    expect(g.state).toBe('closed')
    answerNext!()
    await pulled
    expect(g.state).toBe('closed')
  })

  test('a refused concurrent next leaves the generator to the request that drives it', async () => {
    const g = await RemoteGenerator.open('range', { start: 0, stop: 3, delayMs: 200 })
    const first = g.next()
    await expect(g.next()).rejects.toMatchObject({ code: 'JOB_BUSY' })
    expect(g.state).toBe('running')
    expect((await first).items).toEqual([0])
    expect(g.state).toBe('suspended')
  })
})
