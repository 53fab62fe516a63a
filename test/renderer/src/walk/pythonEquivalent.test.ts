/**
 * The Browse tab shows names and paths as Python's repr() would (transcript, Python button); the
 * reference is python3's own repr, on random strings full of quotes, escapes and odd characters.
 * (Characters assigned only in a newer Unicode than the Python's are escaped by it and not by us.)
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { pyStr } from '@renderer/walk/pythonEquivalent'
import { runPython } from '../../../support/python'

test('pyStr is repr() of a str', () => {
  const unit = fc.oneof(
    fc.constantFrom(
      "'",
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      '\0',
      '\x7f',
      '\x85',
      '\xa0',
      '\u2028',
      '\u200b',
      '\ufeff',
      '\uFFFD',
      ' ',
      'a',
      'é',
      '日',
      '😀',
      '\u{e0001}',
      '\u{10ffff}'
    ),
    // Ranges whose characters are assigned alike in every Unicode version Python and Node may ship.
    fc
      .oneof(
        fc.integer({ min: 0, max: 0x2ff }),
        fc.integer({ min: 0x2000, max: 0x206f }),
        fc.integer({ min: 0x4e00, max: 0x4eff }),
        fc.integer({ min: 0x1f600, max: 0x1f64f })
      )
      .map((code) => String.fromCodePoint(code))
  )
  const samples = fc.sample(fc.string({ unit, maxLength: 10 }), { numRuns: 2000, seed: 7 })
  const expected = JSON.parse(
    runPython(
      'import json, sys\nprint(json.dumps([repr(s) for s in json.load(sys.stdin)]))',
      [],
      JSON.stringify(samples)
    )
  ) as string[]
  const mismatches = samples.map((s, i) => [s, pyStr(s), expected[i]]).filter(([, ours, theirs]) => ours !== theirs)
  expect(mismatches.slice(0, 10)).toEqual([])
})
