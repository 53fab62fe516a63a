import { flushPromises } from '@vue/test-utils'
import { expect } from 'vitest'

export interface Patience {
  /** Give up (and fail, saying `what`) after this long. */
  timeoutMs?: number
  /** Look again this often, flushing Vue's pending updates in between. */
  pollMs?: number
}

/** Waits until `condition` holds (the UI catching up with a worker or a job), failing the test if it never does. */
export async function until(
  condition: () => boolean,
  what: string,
  { timeoutMs = 20_000, pollMs = 5 }: Patience = {}
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition() && Date.now() < deadline) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  expect(condition(), what).toBe(true)
}
