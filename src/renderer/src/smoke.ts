/**
 * The renderer's half of `yield-lab --smoke` (main loads the page with `?smoke`): checks that each
 * tab mounted, that app.info answers and that a remote generator yields, then reports to main.
 */
import { SMOKE_RANGE, tabIds, type SmokeChecks } from '@shared/smoke'
import { call, describeError } from '@renderer/ipc/client'
import { RemoteGenerator } from '@renderer/ipc/remoteGenerator'

export function isSmokeRun(search: string = window.location.search): boolean {
  return new URLSearchParams(search).has('smoke')
}

async function attempt<T extends object>(
  check: () => Promise<T>
): Promise<({ ok: true } & T) | { ok: false; error: string }> {
  try {
    return { ok: true, ...(await check()) }
  } catch (error) {
    return { ok: false, error: describeError(error).slice(0, 2000) }
  }
}

export async function runSmokeChecks(root: ParentNode = document): Promise<SmokeChecks> {
  const mountedTabs = tabIds.filter((id) => (root.querySelector(`#panel-${id}`)?.childElementCount ?? 0) > 0)
  const appInfo = await attempt(async () => {
    const { name, version } = await call('app.info', undefined)
    return { name, version }
  })
  const range = await attempt(async () => {
    const generator = await RemoteGenerator.open('range', SMOKE_RANGE)
    const items: number[] = []
    for await (const item of generator.items()) items.push(item)
    return { items }
  })
  return { mountedTabs, appInfo, range }
}

export async function reportSmoke(): Promise<void> {
  await call('app.smokeReport', await runSmokeChecks())
}
