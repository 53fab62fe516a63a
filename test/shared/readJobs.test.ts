import { expect, test } from 'vitest'
import {
  bytesPerInput,
  estimateSampleWrite,
  measuredSampleRates,
  sampleTextBytes,
  type SampleDataResult
} from '../../src/shared/readJobs'

test('bytesPerInput splits a chained run’s bytes over its files, in order', () => {
  expect(bytesPerInput(0, [100, 50, 10])).toEqual([0, 0, 0])
  expect(bytesPerInput(60, [100, 50, 10])).toEqual([60, 0, 0])
  expect(bytesPerInput(120, [100, 50, 10])).toEqual([100, 20, 0])
  expect(bytesPerInput(160, [100, 50, 10])).toEqual([100, 50, 10])
  // A file that could not be stat'ed counts 0; bytes past the sizes (a file that grew) go nowhere.
  expect(bytesPerInput(500, [100, 0, 10])).toEqual([100, 0, 10])
})

test('sample estimates: the text twin’s exact size, and times from the rates last measured', () => {
  expect(sampleTextBytes(8 * 1024 * 1024)).toBe(25 * 1024 * 1024)
  const rates = { binaryBytesPerMs: 100_000, textLinesPerMs: 1000 }
  expect(estimateSampleWrite(800_000, rates)).toEqual({ binaryMs: 8, textMs: 100 })
  const result = {
    bytes: 8 * 1024 * 1024,
    count: 1024 * 1024,
    textPath: '/d/x.txt',
    elapsedMs: 600,
    textMs: 512
  } as SampleDataResult
  expect(measuredSampleRates(result, rates)).toEqual({ binaryBytesPerMs: (8 * 1024 * 1024) / 88, textLinesPerMs: 2048 })
  // Without a twin the text rate is kept; a tiny file tells nothing.
  expect(measuredSampleRates({ ...result, textPath: null, textMs: 0 }, rates).textLinesPerMs).toBe(1000)
  expect(measuredSampleRates({ ...result, bytes: 800, count: 100 }, rates)).toEqual({
    ...rates,
    textLinesPerMs: rates.textLinesPerMs
  })
})
