/**
 * The Python client's own logic against a scripted worker: lazy start and progress, interrupts in
 * place through the shared buffer, an interrupt that does not take (reported, and the next one
 * restarts), the restart when one cannot be delivered (no cross-origin isolation), an interrupt
 * while Python loads (cancels the run before it is sent), and load failures. The real interrupt of a runaway loop
 * runs in Chromium (test/e2e/python.e2e.ts) and on Pyodide (test/renderer/src/python/console.test.ts).
 */
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, test } from 'vitest'
import PythonConsole from '@renderer/components/python/PythonConsole.vue'
import {
  PythonClient,
  PythonInterruptedError,
  PythonRestartedError,
  type PythonClientOptions,
  type PythonEvent,
  type TransportFactory
} from '@renderer/python/client'
import { armInterruptFor } from '@renderer/python/interruptBuffer'
import type { FromPythonWorker, RunOutcome, ToPythonWorker } from '@renderer/python/protocol'
import { RESTART_AFTER_STALL_TITLE, usePythonStore } from '@renderer/stores/python'
import { until as untilWithin } from '../../../support/until'

/** A stand-in for the worker that records what it is sent and answers as the test says. */
class ScriptedWorker {
  readonly received: ToPythonWorker[] = []
  terminated = false
  interruptBuffer: Int32Array | null = null

  constructor(readonly reply: (message: FromPythonWorker) => void) {}

  lastRequest(): Extract<ToPythonWorker, { type: 'request' }> {
    const request = this.received.findLast((message) => message.type === 'request')
    if (request === undefined || request.type !== 'request') throw new Error('no request yet')
    return request
  }

  ready(): void {
    this.reply({ type: 'progress', phase: 'starting' })
    this.reply({
      type: 'ready',
      pythonVersion: '3.14.2',
      loadMs: 10,
      phases: { downloadMs: 4, startMs: 5, consoleMs: 1 }
    })
  }
}

const outcome = (status: RunOutcome['status']): RunOutcome => ({
  status,
  linesInsideStrings: [],
  objects: [],
  inspectables: [],
  resume: null,
  names: []
})

function scripted(): { workers: ScriptedWorker[]; createTransport: TransportFactory } {
  const workers: ScriptedWorker[] = []
  const createTransport: TransportFactory = ({ onMessage }) => {
    const worker = new ScriptedWorker((message) => setTimeout(() => onMessage(message)))
    workers.push(worker)
    return {
      post: (message) => {
        worker.received.push(message)
        if (message.type === 'init' && message.interruptBuffer !== null)
          worker.interruptBuffer = new Int32Array(message.interruptBuffer)
      },
      terminate: () => {
        worker.terminated = true
      }
    }
  }
  return { workers, createTransport }
}

/** This file's patience: about 2 s, looking every 5 ms. */
function until(condition: () => boolean, what: string): Promise<void> {
  return untilWithin(condition, what, { timeoutMs: 2_000, pollMs: 5 })
}

/** The worker's interpreter polls the signal; here the script ends the last run as interrupted once it is set. */
function answerInterrupt(worker: ScriptedWorker): void {
  const polling = setInterval(() => {
    if (worker.interruptBuffer?.[0] !== 2) return
    clearInterval(polling)
    worker.reply({ type: 'reply', id: worker.lastRequest().id, ok: true, value: outcome('interrupted') })
  }, 5)
}

/** A cross-origin isolated client whose scripted worker has started, and the events it emits. */
async function startedClient(
  options: Pick<PythonClientOptions, 'interruptGraceMs'>
): Promise<{ client: PythonClient; workers: ScriptedWorker[]; events: PythonEvent[] }> {
  const { workers, createTransport } = scripted()
  const client = new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: true, ...options })
  const events: PythonEvent[] = []
  client.on((event) => events.push(event))
  const started = client.start()
  workers[0]!.ready()
  await started
  return { client, workers, events }
}

describe('PythonClient', () => {
  test('starts the worker only when asked, passes the runtime URL and the interrupt buffer, and reports progress', async () => {
    const { workers, createTransport } = scripted()
    const client = new PythonClient({
      createTransport,
      indexURL: 'app://yield-lab/pyodide/',
      crossOriginIsolated: true
    })
    const events: PythonEvent[] = []
    client.on((event) => events.push(event))
    expect(workers).toHaveLength(0)

    const ready = client.start()
    expect(client.start()).toBe(ready)
    expect(workers).toHaveLength(1)
    const init = workers[0]!.received[0]
    expect(init).toMatchObject({ type: 'init', indexURL: 'app://yield-lab/pyodide/' })
    expect(init?.type === 'init' && init.interruptBuffer instanceof SharedArrayBuffer).toBe(true)
    workers[0]!.ready()
    const info = await ready
    expect(info).toMatchObject({
      pythonVersion: '3.14.2',
      interruptible: true,
      phases: { downloadMs: 4, startMs: 5, consoleMs: 1 }
    })
    expect(info.loadMs).toBeGreaterThanOrEqual(0)
    expect(events.map((event) => event.type)).toEqual(['progress', 'ready'])
  })

  test('interrupts in place: the worker sees SIGINT in the shared buffer and the run ends as interrupted', async () => {
    const { client, workers } = await startedClient({})
    const run = client.run('while True: pass')
    await until(() => workers[0]!.received.length === 2, 'the run request')
    expect(client.running).toBe(true)
    const worker = workers[0]!
    answerInterrupt(worker)
    expect(await client.interrupt()).toBe('interrupted')
    expect((await run).status).toBe('interrupted')
    expect(worker.terminated).toBe(false)
    expect(await client.interrupt()).toBe('idle')
  })

  test('an interrupt that does not take within the grace period keeps Python; the next one restarts it', async () => {
    const { client, workers, events } = await startedClient({ interruptGraceMs: 50 })
    const run = client.run('while True:\n    try:\n        pass\n    except KeyboardInterrupt:\n        pass\n')
    const rejected = expect(run).rejects.toBeInstanceOf(PythonRestartedError)
    // Pressed twice before the grace period ends: one interrupt, one answer.
    const first = client.interrupt()
    const again = client.interrupt()
    expect(await first).toBe('stalled')
    expect(await again).toBe('stalled')
    expect(workers[0]!.interruptBuffer?.[0]).toBe(2)
    expect(events.filter((event) => event.type === 'interruptStalled')).toEqual([
      { type: 'interruptStalled', graceMs: 50 }
    ])
    // Stalled, Python keeps its worker and the run goes on.
    expect(workers).toHaveLength(1)
    expect(workers[0]!.terminated).toBe(false)
    expect(client.running).toBe(true)

    const second = client.interrupt()
    await until(() => workers.length === 2, 'a new worker')
    expect(workers[0]!.terminated).toBe(true)
    workers[1]!.ready()
    expect(await second).toBe('restarted')
    await rejected
    expect(events.find((event) => event.type === 'restarted')).toEqual({
      type: 'restarted',
      reason: 'Interrupt was pressed again while the code still ran.'
    })
  })

  test('an interrupt that takes after the grace period ends the stall: the next run is interrupted in place', async () => {
    const { client, workers } = await startedClient({ interruptGraceMs: 50 })
    const worker = workers[0]!
    const slow = client.run('sum(range(10**9))')
    expect(await client.interrupt()).toBe('stalled')
    // The long call returns at last, and Python raises the KeyboardInterrupt it was sent.
    worker.reply({ type: 'reply', id: worker.lastRequest().id, ok: true, value: outcome('interrupted') })
    expect((await slow).status).toBe('interrupted')

    const loop = client.run('while True: pass')
    const requests = (): number => worker.received.filter((message) => message.type === 'request').length
    await until(() => requests() === 2, 'the second run is sent')
    armInterruptFor(worker.interruptBuffer!, worker.lastRequest().id) // as the worker does when it starts it
    answerInterrupt(worker)
    expect(await client.interrupt()).toBe('interrupted')
    expect((await loop).status).toBe('interrupted')
    expect(workers).toHaveLength(1)
  })

  test('without cross-origin isolation an interrupt restarts the worker and says why', async () => {
    const { workers, createTransport } = scripted()
    const client = new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: false })
    const events: PythonEvent[] = []
    client.on((event) => events.push(event))
    const started = client.start()
    expect(workers[0]!.received[0]).toMatchObject({ type: 'init', interruptBuffer: null })
    workers[0]!.ready()
    expect((await started).interruptible).toBe(false)
    const run = client.run('while True: pass').catch((error: unknown) => error)
    const interrupted = client.interrupt()
    await until(() => workers.length === 2, 'a new worker')
    workers[1]!.ready()
    expect(await interrupted).toBe('restarted')
    expect(await run).toBeInstanceOf(PythonRestartedError)
    const restarted = events.find((event) => event.type === 'restarted')
    expect(restarted?.type === 'restarted' && restarted.reason).toContain(
      'needs cross-origin isolation (SharedArrayBuffer)'
    )
  })

  test.each([
    { crossOriginIsolated: true, without: 'no signal' },
    { crossOriginIsolated: false, without: 'no restart' }
  ])(
    'an interrupt while Python loads cancels the run before it is sent, with $without: Python loads on',
    async ({ crossOriginIsolated }) => {
      const { workers, createTransport } = scripted()
      // No grace at all: an interrupt that waited for the loading would be reported stalled at once.
      const client = new PythonClient({
        createTransport,
        indexURL: '/pyodide/',
        crossOriginIsolated,
        interruptGraceMs: 0
      })
      const events: PythonEvent[] = []
      client.on((event) => events.push(event))
      const run = client.run('while True: pass').catch((error: unknown) => error)
      expect(await client.interrupt()).toBe('interrupted')
      const error = await run
      expect(error).toBeInstanceOf(PythonInterruptedError)
      expect((error as Error).message).toBe('Interrupted before it started: Python was still loading.')
      expect(client.running).toBe(false)
      expect(await client.interrupt()).toBe('idle')
      expect(workers).toHaveLength(1)
      expect(workers[0]!.interruptBuffer?.[0] ?? 0).toBe(0)

      const worker = workers[0]!
      worker.ready()
      const next = client.run('1 + 1')
      await until(() => worker.received.some((message) => message.type === 'request'), 'the next run is sent')
      expect(worker.received.filter((message) => message.type === 'request')).toMatchObject([
        { method: 'run', input: { source: '1 + 1' } }
      ])
      worker.reply({ type: 'reply', id: worker.lastRequest().id, ok: true, value: outcome('ok') })
      expect((await next).status).toBe('ok')
      expect(events.map((event) => event.type)).toEqual(['progress', 'ready'])
    }
  )

  test('a runtime that failed for good (a fatal error) is restarted, and says why', async () => {
    const { client, workers, events } = await startedClient({})
    const run = client.run('sys.setrecursionlimit(100_000); r(0)').catch((error: unknown) => error)
    await until(() => workers[0]!.received.length === 2, 'the run request')
    const worker = workers[0]!
    worker.reply({
      type: 'reply',
      id: worker.lastRequest().id,
      ok: false,
      message: 'Maximum call stack size exceeded',
      fatal: true
    })
    await until(() => workers.length === 2, 'a new worker')
    expect(worker.terminated).toBe(true)
    const error = await run
    expect(error).toBeInstanceOf(PythonRestartedError)
    const restarted = events.find((event) => event.type === 'restarted')
    expect(restarted?.type === 'restarted' && restarted.reason).toBe(
      "Python's runtime failed (Maximum call stack size exceeded) and could not run code any more."
    )
    workers[1]!.ready()
    const next = client.run('1 + 1')
    await until(() => workers[1]!.received.length === 2, 'the next run, sent to the new worker')
    workers[1]!.reply({ type: 'reply', id: workers[1]!.lastRequest().id, ok: true, value: outcome('ok') })
    expect((await next).status).toBe('ok')
  })

  test('a worker that fails to load is reported, and a later start tries again', async () => {
    const { workers, createTransport } = scripted()
    const client = new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: true })
    const first = client.start()
    workers[0]!.reply({ type: 'failed', message: 'pyodide.asm.wasm: 404' })
    await expect(first).rejects.toThrow('pyodide.asm.wasm: 404')
    expect(workers[0]!.terminated).toBe(true)
    const second = client.start()
    expect(workers).toHaveLength(2)
    workers[1]!.ready()
    await expect(second).resolves.toMatchObject({ pythonVersion: '3.14.2' })
  })
})

describe('the console while Python loads and when it is interrupted', () => {
  beforeEach(() => setActivePinia(createPinia()))

  test('shows the loading steps, then runs what was typed meanwhile', async () => {
    const { workers, createTransport } = scripted()
    const python = usePythonStore()
    python.attach(new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: true }))
    const wrapper = mount(PythonConsole)
    void python.start()
    await until(() => wrapper.find('[data-testid=python-loading]').exists(), 'the loading indicator')
    expect(wrapper.find('[aria-current=step]').text()).toBe('Loading Python (bundled, offline)…')
    workers[0]!.reply({ type: 'progress', phase: 'starting' })
    await until(
      () => wrapper.find('[aria-current=step]').text().startsWith('Loading the standard library'),
      'the second step'
    )

    const done = python.submit('1 + 1')
    workers[0]!.reply({
      type: 'ready',
      pythonVersion: '3.14.2',
      loadMs: 10,
      phases: { downloadMs: 4, startMs: 5, consoleMs: 1 }
    })
    await until(() => workers[0]!.received.some((message) => message.type === 'request'), 'the queued run is sent')
    workers[0]!.reply({ type: 'output', stream: 'stdout', text: '2\n' })
    workers[0]!.reply({ type: 'reply', id: workers[0]!.lastRequest().id, ok: true, value: outcome('ok') })
    await done
    expect(wrapper.find('[data-testid=python-loading]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=console-transcript]').element.textContent).toBe('>>> 1 + 1\n2\n')
    wrapper.unmount()
  })

  test('Interrupt drops the queued inputs and, when Python has to restart, says so in the transcript', async () => {
    const { workers, createTransport } = scripted()
    const python = usePythonStore()
    python.attach(new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: false }))
    const wrapper = mount(PythonConsole)
    const first = python.submit('while True: pass')
    const second = python.submit('print("never")')
    workers[0]!.ready()
    await until(
      () => workers[0]!.received.some((message) => message.type === 'request') && python.queued === 1,
      'one running, one queued'
    )
    expect(wrapper.find('[data-testid=console-running]').text()).toContain('1 more queued')
    await wrapper.find('[data-testid=console-interrupt]').trigger('click')
    await until(() => workers.length === 2, 'restarted')
    workers[1]!.ready()
    expect(await first).toBeUndefined()
    expect(await second).toBeUndefined()
    await until(() => python.status === 'ready', 'ready again')
    const transcript = wrapper.find('[data-testid=console-transcript]').element.textContent
    expect(transcript).toContain(
      '>>> while True: pass\nPython restarted: Interrupting in place needs cross-origin isolation'
    )
    expect(transcript).not.toContain('never')
    wrapper.unmount()
  })

  test('Interrupt while Python loads cancels the input, says it never started, and Python loads on', async () => {
    const { workers, createTransport } = scripted()
    const python = usePythonStore()
    python.attach(
      new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: true, interruptGraceMs: 0 })
    )
    const wrapper = mount(PythonConsole)
    const typed = python.submit('while True: pass')
    await until(() => wrapper.find('[data-testid=python-loading]').exists() && python.busy, 'the input to wait')
    await wrapper.find('[data-testid=console-interrupt]').trigger('click')
    expect(await typed).toBeUndefined()
    const transcript = (): string | null => wrapper.find('[data-testid=console-transcript]').element.textContent
    expect(transcript()).toBe('>>> while True: pass\nInterrupted before it started: Python was still loading.\n')
    expect(python.interruptStalled).toBe(false)

    workers[0]!.ready()
    await until(() => python.status === 'ready', 'Python to be ready')
    expect(workers[0]!.received.some((message) => message.type === 'request')).toBe(false)
    expect(transcript()).not.toContain('has not stopped')
    wrapper.unmount()
  })

  test('an interrupt that does not take is said in the transcript, and Interrupt becomes Restart Python', async () => {
    const { workers, createTransport } = scripted()
    const python = usePythonStore()
    python.attach(
      new PythonClient({ createTransport, indexURL: '/pyodide/', crossOriginIsolated: true, interruptGraceMs: 20 })
    )
    const wrapper = mount(PythonConsole)
    const button = (): ReturnType<typeof wrapper.find> => wrapper.find('[data-testid=console-interrupt]')
    const run = python.submit('x = 1\nsum(range(10**9))')
    workers[0]!.ready()
    await until(() => workers[0]!.received.some((message) => message.type === 'request'), 'the run is sent')
    expect(button().text()).toBe('Interrupt')
    await button().trigger('click')
    await until(() => button().text() === 'Restart Python', 'the button to say Restart Python')
    expect(button().attributes('title')).toBe(RESTART_AFTER_STALL_TITLE)
    expect(wrapper.find('[data-testid=console-transcript]').element.textContent).toContain(
      'Python has not stopped 0.02 s after Interrupt: the code may be inside one long call'
    )
    expect(workers).toHaveLength(1)

    // The long call returns and raises the KeyboardInterrupt: the button is Interrupt again.
    workers[0]!.reply({ type: 'reply', id: workers[0]!.lastRequest().id, ok: true, value: outcome('interrupted') })
    expect((await run)?.status).toBe('interrupted')
    await until(() => !python.busy, 'the run to end')
    expect(python.interruptStalled).toBe(false)
    expect(button().text()).toBe('Interrupt')
    wrapper.unmount()
  })
})
