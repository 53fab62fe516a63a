import { expect, test } from 'vitest'
import { bytesPerInput } from '../../src/shared/readJobs'

test('bytesPerInput splits a chained run’s bytes over its files, in order', () => {
  expect(bytesPerInput(0, [100, 50, 10])).toEqual([0, 0, 0])
  expect(bytesPerInput(60, [100, 50, 10])).toEqual([60, 0, 0])
  expect(bytesPerInput(120, [100, 50, 10])).toEqual([100, 20, 0])
  expect(bytesPerInput(160, [100, 50, 10])).toEqual([100, 50, 10])
  // A file that could not be stat'ed counts 0; bytes past the sizes (a file that grew) go nowhere.
  expect(bytesPerInput(500, [100, 0, 10])).toEqual([100, 0, 10])
})
