import { describe, expect, test } from 'vitest'
import { defaultWalkForm, walkArgsFromForm } from '../../../../src/renderer/src/walk/walkOptions'

const extensionMessage =
  'Extensions: ".a/b" holds a "/", so it matches nothing: each suffix is tested against one name ' +
  '(name.endswith(suffix)), and a name holds no "/". Give an extension such as .log'

describe('walkArgsFromForm', () => {
  test('a pattern or an extension with a "/" is refused beside its field, saying it would match nothing', () => {
    const form = { ...defaultWalkForm(), top: '/x' }
    const message =
      '"proj/node_modules" holds a "/", so it matches nothing: each pattern is tested against one name ' +
      '(fnmatch(name, pattern)), and a name holds no "/". Give a name such as node_modules or *.py, not a path'
    expect(walkArgsFromForm({ ...form, exclude: '.git proj/node_modules' })).toEqual({
      ok: false,
      problems: [{ field: 'exclude', message: `Exclude folders: ${message}` }]
    })
    expect(walkArgsFromForm({ ...form, glob: 'src/*.py' })).toMatchObject({
      ok: false,
      problems: [
        {
          field: 'glob',
          message: expect.stringMatching(/^Pattern: "src\/\*\.py" holds a "\/", so it matches nothing/) as unknown
        }
      ]
    })
    expect(walkArgsFromForm({ ...form, extensions: '.log a/b' })).toEqual({
      ok: false,
      problems: [{ field: 'extensions', message: extensionMessage }]
    })
    // A backslash is a character of a name on POSIX (and fnmatch's escape nowhere): still a name pattern.
    expect(walkArgsFromForm({ ...form, exclude: 'node_modules a\\b', glob: '[!.]*' })).toMatchObject({ ok: true })
  })

  test('every field with a problem has it said at once, in the order of the form, one problem a field', () => {
    const form = { ...defaultWalkForm(), top: '/x', exclude: 'a/b c/d', glob: '*'.repeat(300), extensions: '.log a/b' }
    expect(walkArgsFromForm(form)).toEqual({
      ok: false,
      problems: [
        { field: 'exclude', message: expect.stringMatching(/^Exclude folders: "a\/b" holds a "\/"/) as unknown },
        { field: 'glob', message: 'Pattern: must be at most 256 characters' },
        { field: 'extensions', message: extensionMessage }
      ]
    })
    // An empty folder field is a problem too, said in its own words, beside the others.
    expect(walkArgsFromForm({ ...form, top: '', glob: '', extensions: '' })).toEqual({
      ok: false,
      problems: [
        { field: 'top', message: 'Type a folder path or choose one with Browse…' },
        { field: 'exclude', message: expect.stringMatching(/^Exclude folders: "a\/b"/) as unknown }
      ]
    })
  })
})
