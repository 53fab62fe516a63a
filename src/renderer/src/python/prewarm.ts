/**
 * Starts Python before anyone asks for it, so the Coroutines tab finds it ready: after the
 * window's first paint, once the page is idle, so launching is not slowed. Pyodide then loads in
 * its worker while the user looks at the first tab.
 */

/** The browser's scheduling functions (the window's in the app; fakes in tests). */
export interface FrameScheduler {
  requestAnimationFrame(callback: () => void): unknown
  setTimeout(callback: () => void, ms: number): unknown
  requestIdleCallback?(callback: () => void, options: { timeout: number }): unknown
}

/** If the page never idles (a busy first tab), Python starts this long after the first paint anyway. */
export const PREWARM_IDLE_TIMEOUT_MS = 2000

/** Runs `callback` just after the next paint: a frame callback runs just before it, a task queued there just after. */
export function afterNextPaint(callback: () => void, browser: FrameScheduler = window): void {
  browser.requestAnimationFrame(() => browser.setTimeout(callback, 0))
}

export function schedulePrewarm(start: () => void, browser: FrameScheduler = window): void {
  afterNextPaint(() => {
    if (browser.requestIdleCallback === undefined) start()
    else browser.requestIdleCallback(start, { timeout: PREWARM_IDLE_TIMEOUT_MS })
  }, browser)
}
