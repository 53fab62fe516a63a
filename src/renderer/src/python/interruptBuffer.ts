/**
 * The memory the page shares with the Python worker to interrupt code in place. Pyodide polls
 * slot 0 and raises KeyboardInterrupt when it holds SIGINT; slot 1 names the request the interrupt
 * is meant for. Without that name the worker could not tell an interrupt pressed before a queued
 * request started (which must stand) from one left over by a request that ended (which must not).
 */
const SIGNAL = 0
const TARGET = 1
const SIGINT = 2

export function createInterruptBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)
}

/** The page: interrupt request `id`, whether the worker is running it or has not started it yet. */
export function requestInterrupt(buffer: Int32Array, id: number): void {
  Atomics.store(buffer, TARGET, id)
  Atomics.store(buffer, SIGNAL, SIGINT)
}

/** The worker, as request `id` starts: an interrupt meant for it stands, any other is dropped. */
export function armInterruptFor(buffer: Int32Array, id: number): void {
  Atomics.store(buffer, SIGNAL, Atomics.load(buffer, TARGET) === id ? SIGINT : 0)
}

/** What Pyodide's setInterruptBuffer is given to poll: slot 0 as CPython reads and clears it. */
export interface PolledSignal {
  0: number
}

/**
 * CPython's poll reads slot 0 and then writes 0 to it, two steps the page's store can fall
 * between, and that interrupt is lost (9 presses in about 520 in Chromium, under load). Here the
 * read takes the signal atomically, and the write of 0 that follows has nothing left to clear.
 */
export function polledSignal(buffer: Int32Array): PolledSignal {
  return Object.defineProperty({} as PolledSignal, 0, {
    // Loading first keeps the frequent poll that finds nothing as cheap as a plain read.
    get: () => (Atomics.load(buffer, SIGNAL) === 0 ? 0 : Atomics.exchange(buffer, SIGNAL, 0)),
    set: () => undefined
  })
}
