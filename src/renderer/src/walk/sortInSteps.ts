/**
 * A sort that can be spread over many short tasks: in V8, one Array.prototype.sort of 300,000
 * names by a natural key takes 0.2–0.4 s, which would freeze the window. This one yields every
 * few thousand comparisons, so applyInSlices (frameBudget.ts) runs it in slices of a few ms.
 */

/** Runs this long are sorted by Array.prototype.sort in one step (about 0.5 ms for names); then merged. */
const RUN = 1024
/** Elements merged between two yields. */
const MERGE_STEP = 4096

/**
 * Sorts `list` in place by `compare`, with the result of `list.sort(compare)` (stable: equal
 * elements keep their order), yielding between steps. The list must not change until it is done.
 */
export function* sortInSteps<T>(list: T[], compare: (a: T, b: T) => number): Generator<void, void, undefined> {
  const n = list.length
  for (let start = 0; start < n; start += RUN) {
    const run = list.slice(start, start + RUN).sort(compare)
    for (let i = 0; i < run.length; i++) list[start + i] = run[i]!
    yield
  }
  if (n <= RUN) return
  // Bottom-up merges of neighbouring runs, from one buffer into the other and back.
  let from = list
  let into = new Array<T>(n)
  let budget = MERGE_STEP
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(left + width, n)
      const end = Math.min(left + 2 * width, n)
      let i = left
      let j = middle
      let out = left
      while (i < middle && j < end) {
        // Ties take the left element: the earlier run's, as a stable sort does.
        into[out++] = compare(from[i]!, from[j]!) <= 0 ? from[i++]! : from[j++]!
        if (--budget === 0) {
          budget = MERGE_STEP
          yield
        }
      }
      while (i < middle) into[out++] = from[i++]!
      while (j < end) into[out++] = from[j++]!
    }
    ;[from, into] = [into, from]
  }
  if (from !== list) for (let i = 0; i < n; i++) list[i] = from[i]!
}
