/**
 * `yield-lab --smoke`: the window opens, the renderer checks that every tab mounted, that one IPC
 * round trip (app.info) and one remote generator (range) work, and reports; main prints the report
 * as JSON and quits with 0 or 1. It is how a real Electron binary is checked end to end.
 */
import * as v from 'valibot'

export const SMOKE_FLAG = '--smoke'

/** The tabs of the window, in order (their labels and views are in the renderer's App.vue). */
export const tabIds = ['walk', 'read', 'sweep', 'python', 'trace'] as const
export type TabId = (typeof tabIds)[number]

/** The range the smoke check pulls from main: range(0, 5). */
export const SMOKE_RANGE = { start: 0, stop: 5 } as const

export const smokeReportSchema = v.strictObject({
  mountedTabs: v.pipe(v.array(v.pipe(v.string(), v.maxLength(40))), v.maxLength(20)),
  /** app.info's name and version, or the error it gave. */
  appInfo: v.union([
    v.strictObject({
      ok: v.literal(true),
      name: v.pipe(v.string(), v.maxLength(200)),
      version: v.pipe(v.string(), v.maxLength(200))
    }),
    v.strictObject({ ok: v.literal(false), error: v.pipe(v.string(), v.maxLength(2000)) })
  ]),
  /** What range(0, 5) yielded through a remote generator, or the error it gave. */
  range: v.union([
    v.strictObject({ ok: v.literal(true), items: v.pipe(v.array(v.number()), v.maxLength(100)) }),
    v.strictObject({ ok: v.literal(false), error: v.pipe(v.string(), v.maxLength(2000)) })
  ])
})
export type SmokeChecks = v.InferOutput<typeof smokeReportSchema>

/** What `--smoke` prints: the renderer's checks and main's verdict. */
export interface SmokeReport {
  ok: boolean
  /** Why it failed, when it did. */
  failures: string[]
  checks: SmokeChecks | null
  elapsedMs: number
}

/** Main's verdict on what the renderer reported. */
export function judgeSmoke(checks: SmokeChecks): string[] {
  const failures: string[] = []
  const missing = tabIds.filter((id) => !checks.mountedTabs.includes(id))
  if (missing.length > 0) failures.push(`tabs not mounted: ${missing.join(', ')}`)
  if (!checks.appInfo.ok) failures.push(`app.info failed: ${checks.appInfo.error}`)
  const expected = Array.from({ length: SMOKE_RANGE.stop - SMOKE_RANGE.start }, (_, i) => SMOKE_RANGE.start + i)
  if (!checks.range.ok) failures.push(`range generator failed: ${checks.range.error}`)
  else if (JSON.stringify(checks.range.items) !== JSON.stringify(expected)) {
    failures.push(`range generator yielded [${checks.range.items.join(', ')}], expected [${expected.join(', ')}]`)
  }
  return failures
}
