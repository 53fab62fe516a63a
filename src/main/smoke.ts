/**
 * Main's half of `yield-lab --smoke`: waits for the renderer's checks (or a failure, or the time
 * limit), prints one JSON report on stdout and quits with 0 or 1. Free of Electron: the glue hands
 * it how to print and quit.
 */
import { judgeSmoke, type SmokeChecks, type SmokeReport } from '../shared/smoke'

export const SMOKE_TIMEOUT_MS = 60_000

export interface SmokeRunOptions {
  print(line: string): void
  quit(exitCode: number): void
  timeoutMs?: number
  now?(): number
}

export interface SmokeRun {
  /** The renderer's checks arrived. */
  report(checks: SmokeChecks): void
  /** Something went wrong before the renderer could report (page failed to load, renderer crashed). */
  fail(reason: string): void
}

export function startSmokeRun({
  print,
  quit,
  timeoutMs = SMOKE_TIMEOUT_MS,
  now = () => performance.now()
}: SmokeRunOptions): SmokeRun {
  const started = now()
  let finished = false
  const finish = (checks: SmokeChecks | null, failures: string[]): void => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    const report: SmokeReport = { ok: failures.length === 0, failures, checks, elapsedMs: Math.round(now() - started) }
    print(JSON.stringify(report))
    quit(report.ok ? 0 : 1)
  }
  const timer = setTimeout(() => finish(null, [`the renderer did not report within ${timeoutMs / 1000} s`]), timeoutMs)
  return {
    report: (checks) => finish(checks, judgeSmoke(checks)),
    fail: (reason) => finish(null, [reason])
  }
}
