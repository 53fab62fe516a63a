/**
 * Interrupt on the real Pyodide, through the client and the worker's host (in-process): one
 * pressed while Python loads cancels the recording waiting for it, and Python loads on; one
 * pressed before the worker has started a run or a recording stops it as soon as it
 * starts, and the names defined before survive. (Pressing it while a loop spins needs a second
 * thread: that runs in Chromium, in test/e2e/python.e2e.ts. One that lands in the console's own
 * lines after the user's code is in console.test.ts.)
 */
import { expect, test } from 'vitest'
import { PythonInterruptedError, type PythonClient } from '@renderer/python/client'
import { inProcessClient } from '../../../support/pythonInProcess'

/** Runs `source` and returns what it printed to stdout. */
async function printed(client: PythonClient, source: string): Promise<string> {
  let stdout = ''
  const stop = client.on((event) => {
    if (event.type === 'output' && event.stream === 'stdout') stdout += event.text
  })
  try {
    expect((await client.run(source)).status).toBe('ok')
    // Output events trail the reply by a turn of the event loop, as from a real worker.
    await new Promise((resolve) => setTimeout(resolve, 10))
    return stdout
  } finally {
    stop()
  }
}

const LIMITS = { maxSteps: 1_000, maxSeconds: 30 }

test('an interrupt pressed while Python loads cancels the recording before it starts, and Python loads on', async () => {
  const client = inProcessClient()
  const events: string[] = []
  client.on((event) => events.push(event.type))
  const recording = client.trace('total = 0\nfor i in range(30_000_000):\n    total += i\n', LIMITS)
  expect(await client.interrupt()).toBe('interrupted')
  await expect(recording).rejects.toThrow(
    new PythonInterruptedError('Interrupted before it started: Python was still loading.')
  )
  await client.start()
  expect(await printed(client, '1 + 1')).toBe('2\n')
  const trace = await client.trace('x = 1\n', LIMITS)
  expect(trace.error).toBeNull()
  expect(trace.steps.length).toBeGreaterThan(0)
  expect(events).not.toContain('interruptStalled')
  expect(events).not.toContain('failed')
  client.dispose()
})

test('an interrupt pressed before the worker starts the run stops it there, and the names survive', async () => {
  const client = inProcessClient()
  await client.start()
  expect((await client.run('n = 5')).status).toBe('ok')
  // The worker receives the request only after this turn: the interrupt comes first.
  const run = client.run('for _ in range(30_000_000):\n    n += 1\n')
  const interrupted = client.interrupt()
  expect((await run).status).toBe('interrupted')
  expect(await interrupted).toBe('interrupted')
  expect(await printed(client, 'n')).toBe('5\n')

  // Nothing is left over for the next run.
  expect(await printed(client, 'n = 7\nn')).toBe('7\n')
  client.dispose()
})

test('an interrupt pressed before the worker starts a recording stops the program as it starts', async () => {
  const client = inProcessClient()
  await client.start()
  const recording = client.trace('total = 0\nfor i in range(30_000_000):\n    total += i\n', LIMITS)
  expect(await client.interrupt()).toBe('interrupted')
  const trace = await recording
  // Not cut at the step cap: stopped by the KeyboardInterrupt, as the recorder reports it.
  expect(trace.error?.type).toBe('KeyboardInterrupt')
  expect(trace.truncated).toBe(true)
  expect(trace.note).toMatch(/^Recording was interrupted after \d+ steps\.$/)
  expect(trace.steps.length).toBeLessThan(LIMITS.maxSteps)
  client.dispose()
})
