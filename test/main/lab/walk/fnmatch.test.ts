/**
 * The walk job's fnmatch against Python's own fnmatch.fnmatch (the reference), on hand-picked odd
 * patterns and on random ones built from the characters that matter to the translation.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compileFnmatch, translate } from '../../../../src/main/lab/walk/fnmatch'
import { runPython } from '../../../support/python'

const PYTHON = `
import json, sys
from fnmatch import fnmatchcase
cases = json.load(sys.stdin)
print(json.dumps([fnmatchcase(name, pattern) for pattern, name in cases]))
`

function python(cases: [string, string][]): boolean[] {
  return JSON.parse(runPython(PYTHON, [], JSON.stringify(cases))) as boolean[]
}

function ours(cases: [string, string][]): boolean[] {
  return cases.map(([pattern, name]) => compileFnmatch(pattern)(name))
}

const handPicked: [string, string][] = [
  ['*.py', 'walk.py'],
  ['*.py', '.hidden.py'],
  ['*.py', 'walk.pyc'],
  ['*', ''],
  ['?', 'é'],
  ['?', '😀'],
  ['??', '😀'],
  ['a*b', 'a\nb'],
  ['[abc]*', 'bx'],
  ['[!abc]*', 'bx'],
  ['[!abc]*', 'dx'],
  ['[]]', ']'],
  ['[!]]', 'a'],
  ['[!]]', ']'],
  ['[!]', '!'],
  ['[!]', 'a'],
  ['[', '['],
  ['[a', '[a'],
  ['a[', 'a['],
  ['[z-a]', 'm'],
  ['[a-c-e]', 'd'],
  ['[a-c-e]', '-'],
  ['[-a]', '-'],
  ['[a-]', '-'],
  ['[^a]', '^'],
  ['[^a]', 'b'],
  ['[[]', '['],
  ['[\\]', '\\'],
  ['[\\-^]', '\\'],
  ['[\\-^]', ']'],
  ['\\*', '\\x'],
  ['a.b', 'axb'],
  ['(a|b)', '(a|b)'],
  ['{a,b}', 'a'],
  ['$^+', '$^+'],
  ['*a*a*a*a*a*b', 'a'.repeat(60)],
  ['[&&]', '&'],
  ['[~]', '~'],
  ['[a||b]', '|'],
  ['/', '/'],
  ['[é-ü]', 'ö'],
  ['[😀-😂]', '😁']
]

describe('fnmatch, as Python has it', () => {
  test('hand-picked corners agree with Python', () => {
    expect(ours(handPicked)).toEqual(python(handPicked))
  })

  test('random patterns and names agree with Python', () => {
    const unit = fc.constantFrom(
      '*',
      '?',
      '[',
      ']',
      '!',
      '-',
      '^',
      '\\',
      'a',
      'b',
      'c',
      'z',
      '.',
      '\n',
      'é',
      '😀',
      '|',
      '&',
      '~',
      '(',
      '$'
    )
    const nameUnit = fc.constantFrom('a', 'b', 'c', 'z', '.', '-', '!', '^', ']', '[', '\\', '\n', 'é', '😀', '|', '&')
    const cases = fc.sample(fc.tuple(fc.string({ unit, maxLength: 8 }), fc.string({ unit: nameUnit, maxLength: 8 })), {
      numRuns: 4000,
      seed: 20240611
    })
    const expected = python(cases)
    const actual = ours(cases)
    const mismatches = cases.filter((_, i) => expected[i] !== actual[i]).slice(0, 10)
    expect(mismatches).toEqual([])
  })

  // How fast it matches, also for such patterns, is measured by `npm run bench -- --only fnmatch`.
  test('interior stars match atomically, so no pattern backtracks catastrophically', () => {
    expect(translate('*a*b*')).toBe('^(?:(?=(.*?a))\\1(?=(.*?b))\\2.*)$')
    expect(compileFnmatch('*a*a*a*a*a*a*a*a*b')('a'.repeat(5000))).toBe(false)
  })
})
