/**
 * The interrupt buffer's rule, in every order the page and the worker can meet in: an interrupt
 * stands for the request it names, even one the worker has not started, and is dropped by any
 * other request that starts; and no press is lost to the way CPython polls it. The real worker's
 * use of it runs on Pyodide in interrupt.test.ts, and under load in Chromium in python.e2e.ts.
 */
import { describe, expect, test } from 'vitest'
import {
  armInterruptFor,
  createInterruptBuffer,
  polledSignal,
  requestInterrupt,
  type PolledSignal
} from '@renderer/python/interruptBuffer'

const SIGINT = 2

function buffer(): Int32Array {
  return new Int32Array(createInterruptBuffer())
}

describe('interrupt buffer', () => {
  test('starts clear, in memory the worker can share', () => {
    const shared = createInterruptBuffer()
    expect(shared).toBeInstanceOf(SharedArrayBuffer)
    expect([...new Int32Array(shared)]).toEqual([0, 0])
  })

  test('an interrupt pressed before its request starts still stops it', () => {
    const view = buffer()
    requestInterrupt(view, 7)
    armInterruptFor(view, 7)
    expect(view[0]).toBe(SIGINT)
  })

  test('a request queued before the interrupted one drops the signal, and the interrupted one raises it again', () => {
    const view = buffer()
    requestInterrupt(view, 8)
    armInterruptFor(view, 7)
    expect(view[0]).toBe(0)
    armInterruptFor(view, 8)
    expect(view[0]).toBe(SIGINT)
  })

  test('an interrupt left over by a request that ended does not reach the next one', () => {
    const view = buffer()
    armInterruptFor(view, 7)
    requestInterrupt(view, 7) // request 7 ended before Python looked at the signal
    armInterruptFor(view, 8)
    expect(view[0]).toBe(0)
  })

  test('an interrupt pressed while its request runs stands', () => {
    const view = buffer()
    armInterruptFor(view, 9)
    expect(view[0]).toBe(0)
    requestInterrupt(view, 9)
    expect(view[0]).toBe(SIGINT)
  })

  /** CPython's poll (_Py_CheckEmscriptenSignals_Helper): read slot 0, then write 0 to it. */
  function poll(signal: PolledSignal | Int32Array, between: () => void = () => undefined): number {
    const result = signal[0]
    between()
    signal[0] = 0
    return result
  }

  test("an interrupt stored between CPython's read and its write of 0 is taken by the next poll", () => {
    const view = buffer()
    armInterruptFor(view, 3)
    const signal = polledSignal(view)
    expect(poll(signal, () => requestInterrupt(view, 3))).toBe(0)
    expect(poll(signal)).toBe(SIGINT)
    expect(poll(signal)).toBe(0)
    // A plain array, as Pyodide's docs use, loses that interrupt.
    const plain = buffer()
    expect(poll(plain, () => requestInterrupt(plain, 3))).toBe(0)
    expect(poll(plain)).toBe(0)
  })

  test('the poll takes the signal once, and reads nothing while there is none', () => {
    const view = buffer()
    const signal = polledSignal(view)
    expect(poll(signal)).toBe(0)
    requestInterrupt(view, 4)
    expect(poll(signal)).toBe(SIGINT)
    expect(view[0]).toBe(0)
    expect(poll(signal)).toBe(0)
  })
})
