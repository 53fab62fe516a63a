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
 * Items are pulled one at a time, so a generator that does its work as it is pulled (building an
 * export piece by piece) is sliced too: pulling the next item counts towards the slice.
 * Stops early (returning false, and closing the iterator) when keepGoing() turns false between slices.
 */
export async function applyInSlices<T>(
  items: Iterable<T>,
  apply: (item: T) => void,
  {
    budgetMs = 8,
    afterSlice,
    keepGoing
  }: { budgetMs?: number; afterSlice?: () => void; keepGoing?: () => boolean } = {}
): Promise<boolean> {
  const iterator = items[Symbol.iterator]()
  let sliceStart = performance.now()
  let next = iterator.next()
  while (next.done !== true) {
    apply(next.value)
    next = iterator.next()
    if (next.done !== true && performance.now() - sliceStart >= budgetMs) {
      afterSlice?.()
      await yieldToEventLoop()
      if (keepGoing !== undefined && !keepGoing()) {
        iterator.return?.()
        return false
      }
      sliceStart = performance.now()
    }
  }
  return true
}
