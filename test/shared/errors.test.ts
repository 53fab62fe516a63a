/** messageAfterPath: an error's words without the path its message names first, for a place that names the file itself. */
import { describe, expect, it } from 'vitest'
import { messageAfterPath } from '../../src/shared/errors'
import { shownWithNote } from '../support/notUtf8'

describe('messageAfterPath', () => {
  it('drops the path the message starts with', () => {
    expect(messageAfterPath({ code: 'NOT_FOUND', message: '/data/x.bin: does not exist', path: '/data/x.bin' })).toBe(
      'does not exist'
    )
  })

  it('drops a path that is not valid UTF-8 as main shows it, with U+FFFD and the note', () => {
    const path = '/data/odd-\udcff.bin'
    const message = `${shownWithNote(path)}: is a directory, a data file was expected`
    expect(messageAfterPath({ code: 'IS_A_DIRECTORY', message, path })).toBe('is a directory, a data file was expected')
  })

  it('keeps a message that does not start with its path, or has none, whole', () => {
    expect(messageAfterPath({ code: 'CANCELLED', message: 'Reading /x.bin was cancelled', path: '/x.bin' })).toBe(
      'Reading /x.bin was cancelled'
    )
    expect(
      messageAfterPath({ code: 'NOT_FOUND', message: '/data/x.bin.gz: does not exist', path: '/data/x.bin' })
    ).toBe('/data/x.bin.gz: does not exist')
    expect(messageAfterPath({ code: 'INVALID_ARGUMENT', message: 'A file path is required' })).toBe(
      'A file path is required'
    )
  })
})
