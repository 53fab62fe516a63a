/** toLabError: every errno a user can meet gets its own code and plain words; nothing else matches by accident. */
import { describe, expect, it } from 'vitest'
import { toLabError } from '../../../src/main/lab/errors'

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw message`), { code })
}

describe('toLabError', () => {
  it.each([
    ['ENOSPC', 'NO_SPACE', 'no space left'],
    ['EDQUOT', 'NO_SPACE', 'quota'],
    ['EROFS', 'READ_ONLY', 'read-only'],
    ['EIO', 'IO_ERROR', 'input/output error'],
    ['EMFILE', 'TOO_MANY_OPEN_FILES', 'too many files are open'],
    ['ENFILE', 'TOO_MANY_OPEN_FILES', 'too many files open'],
    ['EBUSY', 'BUSY', 'busy']
  ])('%s becomes %s with a plain message naming the file', (errno, code, words) => {
    const error = toLabError(errnoError(errno), '/data/x.bin')
    expect(error.code).toBe(code)
    expect(error.path).toBe('/data/x.bin')
    expect(error.message).toMatch(new RegExp(`^/data/x\\.bin: .*${words}`))
    expect(error.message).not.toContain('raw message')
  })

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'an inherited key (%s) is not an errno: INTERNAL',
    (key) => {
      const error = toLabError(errnoError(key), '/x')
      expect(error.code).toBe('INTERNAL')
      expect(error.message).toBe(`/x: ${key}: raw message`)
    }
  )
})
