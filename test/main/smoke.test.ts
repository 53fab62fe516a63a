import { afterEach, describe, expect, test, vi } from 'vitest'
import { startSmokeRun } from '../../src/main/smoke'
import { tabIds, type SmokeChecks, type SmokeReport } from '../../src/shared/smoke'

const goodChecks: SmokeChecks = {
  mountedTabs: [...tabIds],
  appInfo: { ok: true, name: 'yield-lab', version: '1' },
  range: { ok: true, items: [0, 1, 2, 3, 4] }
}

function run(timeoutMs = 1000) {
  const printed: SmokeReport[] = []
  const quit = vi.fn()
  const smoke = startSmokeRun({ print: (line) => printed.push(JSON.parse(line) as SmokeReport), quit, timeoutMs })
  return { smoke, printed, quit }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('--smoke in main', () => {
  test('good checks: one ok report, exit 0', () => {
    const { smoke, printed, quit } = run()
    smoke.report(goodChecks)
    expect(printed).toEqual([{ ok: true, failures: [], checks: goodChecks, elapsedMs: expect.any(Number) }])
    expect(quit).toHaveBeenCalledWith(0)
  })

  test('each failed check is named, exit 1', () => {
    const { smoke, printed, quit } = run()
    smoke.report({
      mountedTabs: ['read'],
      appInfo: { ok: false, error: 'INTERNAL: boom' },
      range: { ok: true, items: [0, 1] }
    })
    expect(printed[0]!.failures).toEqual([
      `tabs not mounted: ${tabIds.filter((id) => id !== 'read').join(', ')}`,
      'app.info failed: INTERNAL: boom',
      'range generator yielded [0, 1], expected [0, 1, 2, 3, 4]'
    ])
    expect(quit).toHaveBeenCalledWith(1)
  })

  test('a renderer that never reports fails at the time limit; only the first outcome counts', () => {
    vi.useFakeTimers()
    const { smoke, printed, quit } = run(5000)
    vi.advanceTimersByTime(4999)
    expect(quit).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(printed).toEqual([
      { ok: false, failures: ['the renderer did not report within 5 s'], checks: null, elapsedMs: expect.any(Number) }
    ])
    smoke.report(goodChecks)
    smoke.fail('late')
    expect(printed).toHaveLength(1)
    expect(quit).toHaveBeenCalledTimes(1)
  })

  test('a crash or failed load is reported as the failure', () => {
    const { smoke, printed, quit } = run()
    smoke.fail('the renderer process is gone (crashed)')
    expect(printed[0]).toMatchObject({ ok: false, failures: ['the renderer process is gone (crashed)'], checks: null })
    expect(quit).toHaveBeenCalledWith(1)
  })
})
