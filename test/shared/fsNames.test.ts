/**
 * The one encoding of names that are not valid UTF-8: exactly Python's os.fsdecode / os.fsencode
 * (UTF-8 with surrogateescape), checked against CPython on random and tricky bytes.
 */
import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  displayName,
  fsdecode,
  fsencode,
  hasEscapedBytes,
  markedName,
  namePieces,
  printableName,
  shellBytesQuoted,
  shownMessage,
  shownName
} from '../../src/shared/fsNames'
import { runPython } from '../support/python'

const tricky = [
  [0xff],
  [0x61, 0xc3, 0x28],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80], // an encoded surrogate: not UTF-8 for Python
  [0xc0, 0xaf], // overlong '/'
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf0, 0x9f, 0x98, 0x80], // 😀, valid
  [0xef, 0xbf, 0xbd], // U+FFFD itself, valid
  [0xef, 0xbb, 0xbf, 0x61], // a BOM, kept
  [0xe0, 0x80, 0x80],
  [0xf0, 0x80, 0x80, 0x80],
  [0x80, 0xbf, 0xc2]
]

describe('fsdecode and fsencode', () => {
  it('decode exactly as Python’s os.fsdecode, and fsencode gives the bytes back (property)', () => {
    const samples = [
      ...tricky,
      ...fc.sample(fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 12 }), 2000),
      ...fc
        .sample(fc.string({ unit: 'grapheme', maxLength: 6 }), 300)
        .map((text) => [...Buffer.from(text.replaceAll('\0', ''))])
    ]
    const hex = samples.map((bytes) => Buffer.from(bytes).toString('hex'))
    const python = JSON.parse(
      runPython(
        String.raw`
import json, os, sys
print(json.dumps([os.fsdecode(bytes.fromhex(h)) for h in sys.stdin.read().split(',') if h != 'x'] ))`,
        [],
        hex.map((h) => h || 'x').join(',')
      )
    ) as string[]
    const nonEmpty = samples.filter((bytes) => bytes.length > 0)
    expect(nonEmpty.map((bytes) => fsdecode(Uint8Array.from(bytes)))).toEqual(python)
    for (const bytes of samples) expect([...fsencode(fsdecode(Uint8Array.from(bytes)))!]).toEqual(bytes)
  })

  it('shellBytesQuoted gives bash the bytes of any name back (property, against bash itself)', () => {
    const samples = [
      ...tricky,
      [0x27, 0x5c, 0x78, 0x66, 0x66], // ' \ x f f: quotes and a backslash before hex digits
      [0xf0, 0x90, 0x82, 0x80], // U+10080: its low surrogate is in the escaped-byte range
      [0x61, 0x0a, 0x72, 0x6d, 0x1b, 0x5b], // a newline and ESC: a terminal would act on them
      [0xe2, 0x80, 0xae, 0x65, 0xc2, 0x85, 0xc2, 0xa0, 0xe2, 0x80, 0x8b], // U+202E, U+0085, U+00A0, U+200B
      ...fc.sample(fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 12 }), 1000)
    ].filter((bytes) => bytes.length > 0)
    const script = samples.map((bytes) => `printf '%s\\0' ${shellBytesQuoted(fsdecode(Uint8Array.from(bytes)))}`)
    const printed = execFileSync('bash', ['-c', script.join('\n')])
    const names: number[][] = []
    let start = 0
    for (let at = 0; at < printed.length; at++)
      if (printed[at] === 0) {
        names.push([...printed.subarray(start, at)])
        start = at + 1
      }
    expect(names).toEqual(samples)
    expect(shellBytesQuoted(fsdecode(Uint8Array.from([0x2f, 0x61, 0xff, 0x27])))).toBe("$'/a\\xff\\''")
    // Not printable: as its UTF-8 bytes, so nothing in the pasted text is hidden or acted on.
    expect(shellBytesQuoted('/t/new\nline\u202e')).toBe("$'/t/new\\x0aline\\xe2\\x80\\xae'")
  })

  it('refuse a lone surrogate that no bytes decode to, as Python does', () => {
    expect(fsencode('a\udc7f')).toBeNull()
    expect(fsencode('a\ud800b')).toBeNull()
    expect([...fsencode('a\udcff😀')!]).toEqual([0x61, 0xff, 0xf0, 0x9f, 0x98, 0x80])
  })

  it('tell escaped bytes from look-alikes, and show them with U+FFFD', () => {
    const escaped = fsdecode(Uint8Array.from([0x61, 0xff]))
    expect(escaped).toBe('a\udcff')
    expect(hasEscapedBytes(escaped)).toBe(true)
    expect(hasEscapedBytes('a\uFFFD')).toBe(false)
    expect(hasEscapedBytes('😀')).toBe(false)
    expect(displayName(escaped)).toBe('a\uFFFD')
    expect(displayName('😀x')).toBe('😀x')
    expect(escaped).not.toBe(displayName(escaped))
  })

  describe('shown to people: U+FFFD, and the note right after the name, once', () => {
    const note = '(a name that is not valid UTF-8, shown with U+FFFD)'
    const escaped = fsdecode(Uint8Array.from([0x63, 0x61, 0x66, 0xff, 0x0a]))

    it('shownName notes a name with escaped bytes, and leaves others (a real U+FFFD too) as they are', () => {
      expect(shownName(escaped)).toBe(`caf\uFFFD\\n ${note}`)
      expect(shownName(escaped, { quoted: true })).toBe(`"caf\uFFFD\\n" ${note}`)
      expect(shownName('caf\uFFFD')).toBe('caf\uFFFD')
      expect(shownName('a\nb', { quoted: true })).toBe('"a\\nb"')
    })

    it('shownName and printableName escape what repr() escapes: a name cannot hide or reorder text', () => {
      // U+202E would show "d_rtlmark\u202eevil" as "d_rtlmarklive"; U+0085 and U+00A0 look like nothing or a space.
      expect(printableName('d_rtl\u200fmark\u202eevil')).toBe('d_rtl\\u200fmark\\u202eevil')
      expect(printableName('a\u0085b\u00a0c\u200bd\te\u001b')).toBe('a\\x85b\\xa0c\\u200bd\\te\\x1b')
      expect(printableName('plain name, spaces and ünïcödé 🙂')).toBe('plain name, spaces and ünïcödé 🙂')
      expect(shownName('new\nline')).toBe('new\\nline')
      expect(shownName('bidi\u202e', { quoted: true })).toBe('"bidi\\u202e"')
      expect(printableName(escaped)).toBe('caf\uFFFD\\n')
    })

    it('namePieces marks spaces at either end as ␣ and escapes apart; markedName joins them', () => {
      expect(namePieces('  a\nb ')).toEqual([
        { start: 0, text: '␣␣', escape: true, oneForOne: true },
        { start: 2, text: 'a', escape: false, oneForOne: true },
        { start: 3, text: '\\n', escape: true, oneForOne: false },
        { start: 4, text: 'b', escape: false, oneForOne: true },
        { start: 5, text: '␣', escape: true, oneForOne: true }
      ])
      // Spaces inside stay spaces; a name of spaces only is all ␣; the rest is printableName's.
      expect(markedName('in side')).toBe('in side')
      expect(markedName('   ')).toBe('␣␣␣')
      expect(markedName(` ${escaped}`)).toBe(`␣${printableName(escaped)}`)
    })

    it('shownMessage notes after the name it holds, else at the end, and never twice', () => {
      const path = `/data/${escaped}.bin`
      expect(shownMessage(`Reading ${path} was cancelled`, path)).toBe(
        `Reading ${displayName(path)} ${note} was cancelled`
      )
      expect(shownMessage(`${path}: does not exist`, '/elsewhere')).toBe(`${displayName(path)}: does not exist ${note}`)
      expect(shownMessage(`${path}: does not exist`)).toBe(`${displayName(path)}: does not exist ${note}`)
      const shown = `${shownName(path)}: does not exist`
      expect(shownMessage(shown, path)).toBe(shown)
      expect(shownMessage(shownMessage(`${path}: x`, path), path)).toBe(`${displayName(path)} ${note}: x`)
      expect(shownMessage('/data/x.bin: does not exist', '/data/x.bin')).toBe('/data/x.bin: does not exist')
    })
  })
})
