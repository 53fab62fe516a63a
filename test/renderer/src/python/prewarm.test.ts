/**
 * Prewarming Python: the worker starts only after the first paint, from an idle callback, so the
 * launch is not slowed. Frames and timers are vitest's fake ones; the test says when the page is idle.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { PREWARM_IDLE_TIMEOUT_MS, schedulePrewarm, type FrameScheduler } from '@renderer/python/prewarm'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame'] })
})
afterEach(() => {
  vi.useRealTimers()
})

/** The window's scheduling under fake timers, logging each step; idle callbacks wait for the test. */
function fakeBrowser(events: string[]): FrameScheduler & { becomeIdle(): void; idleTimeouts: number[] } {
  const idle: (() => void)[] = []
  const idleTimeouts: number[] = []
  return {
    requestAnimationFrame: (callback) =>
      requestAnimationFrame(() => {
        events.push('frame')
        callback()
        events.push('paint')
      }),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    requestIdleCallback(callback, options) {
      events.push('idle requested')
      idleTimeouts.push(options.timeout)
      idle.push(() => {
        events.push('idle')
        callback()
      })
    },
    becomeIdle: () => idle.splice(0).forEach((callback) => callback()),
    idleTimeouts
  }
}

test('first paint, then the idle callback, then the worker starts', () => {
  const events: string[] = []
  const browser = fakeBrowser(events)
  schedulePrewarm(() => events.push('start'), browser)
  expect(events).toEqual([])

  vi.advanceTimersToNextFrame()
  expect(events).toEqual(['frame', 'paint'])
  vi.runOnlyPendingTimers() // the task queued in the frame: it runs after the paint
  expect(events).toEqual(['frame', 'paint', 'idle requested'])
  // However long the page stays busy, Python waits for the idle callback (the browser's timeout bounds it).
  vi.advanceTimersByTime(10 * PREWARM_IDLE_TIMEOUT_MS)
  expect(events).not.toContain('start')
  expect(browser.idleTimeouts).toEqual([PREWARM_IDLE_TIMEOUT_MS])

  browser.becomeIdle()
  expect(events).toEqual(['frame', 'paint', 'idle requested', 'idle', 'start'])
})

test('without requestIdleCallback, the worker starts right after the first paint', () => {
  const events: string[] = []
  const { requestIdleCallback: _absent, ...browser } = fakeBrowser(events)
  schedulePrewarm(() => events.push('start'), browser)
  vi.advanceTimersToNextFrame()
  expect(events).toEqual(['frame', 'paint'])
  vi.runOnlyPendingTimers() // the task queued in the frame: it runs after the paint
  expect(events).toEqual(['frame', 'paint', 'start'])
})
