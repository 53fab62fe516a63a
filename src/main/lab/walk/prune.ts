/**
 * Pruning a top-down walk as os.walk users do, by removing names from dirnames in place:
 * `dirnames[:] = [d for d in dirnames if not fnmatch(d, pattern)]`. The walk job and the walk CLI
 * both prune through here.
 */
import { compileFnmatch } from './fnmatch'

/** Whether a directory name matches one of the fnmatch patterns (undefined when there are none). */
export function excludeMatcher(patterns: readonly string[]): ((name: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined
  const compiled = patterns.map(compileFnmatch)
  return (name) => compiled.some((matches) => matches(name))
}

/**
 * Removes the items whose name is excluded from `items`, in place and keeping the order of the
 * rest (so the walker, which reads dirnames back after the yield, never enters them); returns
 * the removed ones.
 */
export function pruneInPlace<T>(items: T[], excluded: (name: string) => boolean, nameOf: (item: T) => string): T[] {
  const removed: T[] = []
  let kept = 0
  for (const item of items) {
    if (excluded(nameOf(item))) removed.push(item)
    else items[kept++] = item
  }
  items.length = kept
  return removed
}
