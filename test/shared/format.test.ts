import { describe, expect, test } from 'vitest'
import { formatDuration, plural, pluralNoun } from '@shared/format'

describe('formatDuration, the one style of every duration shown', () => {
  test('three significant digits below a minute, in ms under a second', () => {
    expect(formatDuration(0)).toBe('0 ms')
    expect(formatDuration(0.4567)).toBe('0.457 ms')
    expect(formatDuration(42.4)).toBe('42.4 ms')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(1530)).toBe('1.53 s')
    expect(formatDuration(4738)).toBe('4.74 s')
    expect(formatDuration(36_300)).toBe('36.3 s')
    expect(formatDuration(2000)).toBe('2 s')
  })

  test('rounding carries into the next unit', () => {
    expect(formatDuration(999.96)).toBe('1 s')
    expect(formatDuration(59_990)).toBe('1 min 0 s')
  })

  test('minutes and whole seconds from a minute on', () => {
    expect(formatDuration(125_400)).toBe('2 min 5 s')
    expect(formatDuration(3_600_000)).toBe('60 min 0 s')
  })

  test('estimates ask for fewer digits', () => {
    expect(formatDuration(6678, 2)).toBe('6.7 s')
    expect(formatDuration(36_300, 2)).toBe('36 s')
    expect(formatDuration(994, 2)).toBe('990 ms')
  })

  test('no number reads as a dash', () => {
    expect(formatDuration(Number.NaN)).toBe('—')
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—')
  })
})

describe('plural', () => {
  test('singular for exactly one, grouped digits, irregular plurals when given', () => {
    expect(plural(1, 'run')).toBe('1 run')
    expect(plural(0, 'run')).toBe('0 runs')
    expect(plural(2048, 'file')).toBe('2,048 files')
    expect(plural(1, 'entry', 'entries')).toBe('1 entry')
    expect(plural(3, 'entry', 'entries')).toBe('3 entries')
  })
})

describe('pluralNoun', () => {
  test('the noun alone for a label beside a field: singular only for the number 1', () => {
    expect(pluralNoun(1, 'item')).toBe('item')
    expect(pluralNoun(4, 'item')).toBe('items')
    expect(pluralNoun('1', 'item')).toBe('items') // not yet a number: the field holds text
    expect(pluralNoun(1, 'entry', 'entries')).toBe('entry')
  })
})
