import { describe, expect, test } from 'vitest'
import { defaultWalkForm, walkArgsFromForm } from '../../../../src/renderer/src/walk/walkOptions'

describe('walkArgsFromForm', () => {
  test('a pattern or an extension with a "/" is refused beside its field, saying it would match nothing', () => {
    const form = { ...defaultWalkForm(), top: '/x' }
    const message =
      '"proj/node_modules" holds a "/", so it matches nothing: each pattern is tested against one name ' +
      '(fnmatch(name, pattern)), and a name holds no "/". Give a name such as node_modules or *.py, not a path'
    expect(walkArgsFromForm({ ...form, exclude: '.git proj/node_modules' })).toEqual({
      ok: false,
      field: 'exclude',
      message: `Exclude folders: ${message}`
    })
    expect(walkArgsFromForm({ ...form, glob: 'src/*.py' })).toMatchObject({
      ok: false,
      field: 'glob',
      message: expect.stringMatching(/^Pattern: "src\/\*\.py" holds a "\/", so it matches nothing/) as unknown
    })
    expect(walkArgsFromForm({ ...form, extensions: '.log a/b' })).toEqual({
      ok: false,
      field: 'extensions',
      message:
        'Extensions: ".a/b" holds a "/", so it matches nothing: each suffix is tested against one name ' +
        '(name.endswith(suffix)), and a name holds no "/". Give an extension such as .log'
    })
    // A backslash is a character of a name on POSIX (and fnmatch's escape nowhere): still a name pattern.
    expect(walkArgsFromForm({ ...form, exclude: 'node_modules a\\b', glob: '[!.]*' })).toMatchObject({ ok: true })
  })
})
