/**
 * Starts Python before anyone asks for it, so the Coroutines tab finds it ready: after the
 * window's first paint, once the page is idle, so launching is not slowed. Pyodide then loads in
 * its worker while the user looks at the first tab.
 */

/** The browser's scheduling (the window's in the app, see `windowScheduler`; fakes in tests). */
export interface FrameScheduler {
  requestAnimationFrame(callback: () => void): unknown
  setTimeout(callback: () => void, ms: number): unknown
  requestIdleCallback?(callback: () => void, options: { timeout: number }): unknown
  /**
   * Calls back once the browser reports the first paint (at once if it already has); false where
   * paints are not reported.
   */
  observeFirstPaint?(callback: () => void): boolean
}

/** If the page never idles (a busy first tab), Python starts this long after the first paint anyway. */
export const PREWARM_IDLE_TIMEOUT_MS = 2000
/** A window never painted (hidden at launch) gets Python after this long all the same. */
export const PREWARM_WITHOUT_PAINT_MS = 5000

/** Runs `callback` just after the next paint: a frame callback runs just before it, a task queued there just after. */
export function afterNextPaint(callback: () => void, browser: FrameScheduler): void {
  browser.requestAnimationFrame(() => browser.setTimeout(callback, 0))
}

export function schedulePrewarm(start: () => void, browser: FrameScheduler = windowScheduler()): void {
  let painted = false
  const onFirstPaint = (): void => {
    if (painted) return
    painted = true
    if (browser.requestIdleCallback === undefined) start()
    else browser.requestIdleCallback(start, { timeout: PREWARM_IDLE_TIMEOUT_MS })
  }
  // The paint entry comes once the frame is on screen; the frame's end is only an estimate of it.
  if (browser.observeFirstPaint?.(onFirstPaint) !== true) afterNextPaint(onFirstPaint, browser)
  browser.setTimeout(onFirstPaint, PREWARM_WITHOUT_PAINT_MS)
}

/** The window's scheduling, with Chromium's paint timing entries for the first paint. */
export function windowScheduler(): FrameScheduler {
  return {
    requestAnimationFrame: (callback) => window.requestAnimationFrame(callback),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    requestIdleCallback:
      typeof window.requestIdleCallback === 'function'
        ? (callback, options) => window.requestIdleCallback(callback, options)
        : undefined,
    observeFirstPaint(callback) {
      if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes.includes('paint'))
        return false
      const observer = new PerformanceObserver((list) => {
        if (!list.getEntries().some((entry) => entry.name === 'first-paint')) return
        observer.disconnect()
        callback()
      })
      observer.observe({ type: 'paint', buffered: true })
      return true
    }
  }
}
