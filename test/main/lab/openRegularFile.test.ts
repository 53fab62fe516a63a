import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDataFile } from '../../../src/main/lab/openRegularFile'
import { catchLabError } from '../../support/labErrors'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-open-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a data file that does not exist', () => {
  test('a full path: the path and "does not exist", nothing more', () => {
    const error = catchLabError(() => openDataFile(join(dir, 'none.bin')))
    expect([error.code, error.message, error.path]).toEqual([
      'NOT_FOUND',
      `${join(dir, 'none.bin')}: does not exist`,
      join(dir, 'none.bin')
    ])
  })

  test('a path typed as in a shell says how it was taken: ~ is not expanded, relative is from the working directory', () => {
    expect(catchLabError(() => openDataFile('~/none.bin')).message).toBe(
      '~/none.bin: ~ does not exist; ~ is not expanded to the home folder here: give the full path'
    )
    expect(catchLabError(() => openDataFile('none.bin')).message).toBe(
      `none.bin: does not exist; a relative path starts from the app's working directory, ${process.cwd()}: give the full path`
    )
  })
})
