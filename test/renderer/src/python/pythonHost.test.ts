/**
 * The worker's host. Against a stand-in runtime: how a failed request is reported. Pyodide marks
 * the error that broke its runtime for good (a wasm stack overflow, say); the reply says so, so
 * the client can restart Python rather than go on with a runtime that answers wrongly. On a fresh
 * real Pyodide (its first load of console.py): an interrupt already pending as Python loads.
 */
import { loadPyodide, type PyodideAPI } from 'pyodide'
import { describe, expect, test } from 'vitest'
import consoleSource from '@renderer/python/console.py?raw'
import { createInterruptBuffer, requestInterrupt } from '@renderer/python/interruptBuffer'
import type { FromPythonWorker } from '@renderer/python/protocol'
import { createPythonHost } from '@renderer/python/pythonHost'
import traceRecorderSource from '@renderer/python/trace_recorder.py?raw'
import { until } from '../../../support/until'

/** A runtime whose console module fails every run with `error`. */
function failingRuntime(error: Error): PyodideAPI {
  const failing = {
    run: () => {
      throw error
    },
    forget_interrupt: () => undefined
  }
  const runtime = {
    setStdout: () => undefined,
    setStderr: () => undefined,
    setStdin: () => undefined,
    toPy: () => ({ get: () => '3.14.2', destroy: () => undefined }),
    runPython: () => undefined,
    pyimport: () => failing
  }
  return runtime as unknown as PyodideAPI
}

async function replyTo(error: Error): Promise<FromPythonWorker> {
  const messages: FromPythonWorker[] = []
  const host = createPythonHost({
    post: (message) => messages.push(message),
    loadRuntime: () => Promise.resolve(failingRuntime(error)),
    consoleSource: '',
    traceRecorderSource: ''
  })
  await host({ type: 'init', indexURL: 'stand-in/', interruptBuffer: null })
  await host({ type: 'request', id: 1, method: 'run', input: { source: 'r(0)' } })
  await until(() => messages.some((message) => message.type === 'reply'), 'the reply')
  return messages.find((message) => message.type === 'reply')!
}

describe('a failed request', () => {
  test('the runtime failing for good is a fatal reply', async () => {
    const overflow = Object.assign(new RangeError('Maximum call stack size exceeded'), { pyodide_fatal_error: true })
    expect(await replyTo(overflow)).toEqual({
      type: 'reply',
      id: 1,
      ok: false,
      message: 'Maximum call stack size exceeded',
      fatal: true
    })
  })

  test('any other failure is not', async () => {
    expect(await replyTo(new SyntaxError('"undefined" is not valid JSON'))).toMatchObject({ ok: false, fatal: false })
  })
})

test('an interrupt pending as Python loads does not break the loading: it stops the request it names, no other', async () => {
  const messages: FromPythonWorker[] = []
  const host = createPythonHost({
    post: (message) => messages.push(message),
    // A runtime of its own: console.py has never been loaded in it, so no handler of its waits there.
    loadRuntime: () => loadPyodide() as Promise<PyodideAPI>,
    consoleSource,
    traceRecorderSource
  })
  const interruptBuffer = createInterruptBuffer()
  requestInterrupt(new Int32Array(interruptBuffer), 1)
  await host({ type: 'init', indexURL: 'in-process/', interruptBuffer })
  await host({ type: 'request', id: 1, method: 'run', input: { source: 'x = 1' } })
  await host({ type: 'request', id: 2, method: 'run', input: { source: 'y = 2' } })
  expect(messages.filter((message) => message.type === 'failed')).toEqual([])
  expect(messages.some((message) => message.type === 'ready')).toBe(true)
  const replies = messages.filter((message) => message.type === 'reply')
  expect(replies).toMatchObject([
    { id: 1, ok: true, value: { status: 'interrupted', names: [] } },
    { id: 2, ok: true, value: { status: 'ok', names: ['y'] } }
  ])
}, 60_000)
