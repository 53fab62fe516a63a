/**
 * Progress stats are typed by job kind (JobTypes in src/shared/jobKinds.ts). The checks that
 * matter here are the @ts-expect-error lines: `npm run typecheck` fails if a misspelled stat, or a
 * stat of another kind, ever compiles.
 */
import { expect, test } from 'vitest'
import type { JobProgressReport } from '../../src/shared/jobKinds'

const processReport: JobProgressReport = {
  kind: 'process',
  completed: 8,
  total: 16,
  unit: 'bytes',
  stats: {
    items: 1,
    bytes: 8,
    rssBytes: 100,
    elapsedMs: 2,
    mbPerSecond: 4,
    itemsPerSecond: 500,
    peakRssBytes: 120,
    inputBytes: [16]
  }
}

test("a report's kind types its stats, so a misspelled stat is a compile error", () => {
  const report: JobProgressReport = processReport
  if (report.kind !== 'process') throw new Error('narrowed by kind')
  expect(report.stats.mbPerSecond).toBe(4)
  // @ts-expect-error a misspelled stat does not compile
  expect(report.stats.mbPerSec).toBeUndefined()
  // @ts-expect-error a walk's stat is not a process job's
  expect(report.stats.dirs).toBeUndefined()
})

test('a report whose stats do not match its kind does not compile', () => {
  // @ts-expect-error a walk report needs the walk's stats
  const wrong: JobProgressReport = { kind: 'walk', completed: 0, unit: 'entries', stats: { items: 0, bytes: 0 } }
  expect(wrong.kind).toBe('walk')
})
