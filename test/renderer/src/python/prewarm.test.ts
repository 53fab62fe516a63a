/**
 * Prewarming Python: the worker starts only after the first paint, from an idle callback, so the
 * launch is not slowed. Frames and timers are vitest's fake ones; the test says when the browser
 * reports the paint and when the page is idle.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import {
  PREWARM_IDLE_TIMEOUT_MS,
  PREWARM_WITHOUT_PAINT_MS,
  schedulePrewarm,
  type FrameScheduler
} from '@renderer/python/prewarm'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame'] })
})
afterEach(() => {
  vi.useRealTimers()
})

interface FakeBrowser extends FrameScheduler {
  /** The browser reports the first paint entry. */
  reportPaint(): void
  becomeIdle(): void
  idleTimeouts: number[]
}

/** The window's scheduling under fake timers, logging each step; paint entries and idle periods wait for the test. */
function fakeBrowser(events: string[], { reportsPaints = true } = {}): FakeBrowser {
  const idle: (() => void)[] = []
  const paintWatchers: (() => void)[] = []
  const idleTimeouts: number[] = []
  return {
    requestAnimationFrame: (callback) =>
      requestAnimationFrame(() => {
        events.push('frame')
        callback()
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
    observeFirstPaint(callback) {
      if (!reportsPaints) return false
      paintWatchers.push(callback)
      return true
    },
    reportPaint() {
      events.push('first paint')
      paintWatchers.splice(0).forEach((callback) => callback())
    },
    becomeIdle: () => idle.splice(0).forEach((callback) => callback()),
    idleTimeouts
  }
}

test('first paint, then the idle callback, then the worker starts', () => {
  const events: string[] = []
  const browser = fakeBrowser(events)
  schedulePrewarm(() => events.push('start'), browser)
  // Frames go by, but until the browser reports the paint nothing is asked for.
  vi.advanceTimersToNextFrame()
  vi.advanceTimersToNextFrame()
  expect(events).toEqual([])

  browser.reportPaint()
  expect(events).toEqual(['first paint', 'idle requested'])
  // However long the page stays busy, Python waits for the idle callback (the browser's timeout bounds it).
  vi.advanceTimersByTime(2 * PREWARM_WITHOUT_PAINT_MS)
  expect(events).toEqual(['first paint', 'idle requested'])
  expect(browser.idleTimeouts).toEqual([PREWARM_IDLE_TIMEOUT_MS])

  browser.becomeIdle()
  expect(events).toEqual(['first paint', 'idle requested', 'idle', 'start'])
})

test('where paints are not reported, the end of the first frame stands for the paint', () => {
  const events: string[] = []
  const browser = fakeBrowser(events, { reportsPaints: false })
  schedulePrewarm(() => events.push('start'), browser)
  expect(events).toEqual([])
  vi.advanceTimersToNextFrame()
  expect(events).toEqual(['frame'])
  vi.runOnlyPendingTimers() // the task queued in the frame: it runs after the frame is painted
  expect(events).toEqual(['frame', 'idle requested'])
  browser.becomeIdle()
  expect(events).toEqual(['frame', 'idle requested', 'idle', 'start'])
})

test('a window never painted still gets Python, later; without requestIdleCallback it starts at once', () => {
  const events: string[] = []
  const { requestIdleCallback: _absent, ...browser } = fakeBrowser(events)
  schedulePrewarm(() => events.push('start'), browser)
  vi.advanceTimersByTime(PREWARM_WITHOUT_PAINT_MS - 1)
  expect(events).toEqual([])
  vi.advanceTimersByTime(1)
  expect(events).toEqual(['start'])
  // A paint reported after that starts nothing twice.
  browser.reportPaint()
  vi.runAllTimers()
  expect(events).toEqual(['start', 'first paint'])
})
