import { expect } from 'vitest'
import { LabError } from '../../src/shared/errors'

/** Runs work that must throw a LabError and returns it, failing the test otherwise. */
export function catchLabError(work: () => unknown): LabError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(LabError)
    return error as LabError
  }
  throw new Error('expected a LabError, nothing was thrown')
}

/** Awaits a promise that must reject with a LabError and returns it. */
export async function rejectedLabError(promise: Promise<unknown>): Promise<LabError> {
  const outcome = await promise.then(
    () => new Error('expected a LabError, the promise resolved'),
    (error: unknown) => error
  )
  expect(outcome).toBeInstanceOf(LabError)
  return outcome as LabError
}
