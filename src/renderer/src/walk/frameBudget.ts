/**
 * Cooperative scheduling for streaming work in the renderer: apply items in slices of bounded time
 * and give the event loop back between slices, so no task grows long enough to stutter the UI.
 */

/** A new macrotask without timer clamping or background throttling (unlike setTimeout). */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0))
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/**
 * Calls apply on each item, yielding to the event loop whenever a slice has run for budgetMs.
 * Stops early (returning false) when keepGoing() turns false between slices.
 */
export async function applyInSlices<T>(
  items: readonly T[],
  apply: (item: T) => void,
  {
    budgetMs = 8,
    afterSlice,
    keepGoing
  }: { budgetMs?: number; afterSlice?: () => void; keepGoing?: () => boolean } = {}
): Promise<boolean> {
  let sliceStart = performance.now()
  for (let i = 0; i < items.length; i++) {
    apply(items[i]!)
    if (i + 1 < items.length && performance.now() - sliceStart >= budgetMs) {
      afterSlice?.()
      await yieldToEventLoop()
      if (keepGoing !== undefined && !keepGoing()) return false
      sliceStart = performance.now()
    }
  }
  return true
}
