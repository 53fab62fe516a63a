/**
 * File names that are not valid UTF-8. Linux allows any bytes in a name but '/' and NUL; Python
 * keeps such names with surrogate escapes (os.fsdecode: each byte that is not part of valid UTF-8
 * becomes the lone surrogate U+DC80–U+DCFF, byte + 0xDC00), which os.fsencode turns back into the
 * same bytes. Yield Lab uses exactly that form for names and paths everywhere they travel: job
 * items over IPC, arguments sent back (a walk re-rooted there, a file read), and JSON (which
 * writes them as "\udcff", as Python's json does). So a path always reaches the same bytes, and
 * two names that look alike once decoded (b'a\xff' and 'a\uFFFD') stay different strings.
 * What is shown to a person uses U+FFFD instead and says why, right after the name: shownName for
 * a name, shownMessage for a message holding one. displayName alone is for labels that mark such
 * names their own way (the Browse tree).
 */

const ESCAPE_BASE = 0xdc00

/** Bytes → the name as Python's os.fsdecode gives it on Linux (UTF-8, surrogateescape). */
export function fsdecode(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    // Not valid UTF-8: decode by hand below.
  }
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i)
    if (length === 0) {
      out += String.fromCharCode(ESCAPE_BASE + bytes[i]!)
      i++
    } else {
      out += strictDecoder.decode(bytes.subarray(i, i + length))
      i += length
    }
  }
  return out
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Length of the valid UTF-8 sequence starting at `i` (no overlongs, no surrogates, at most U+10FFFF), 0 if none. */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!
  if (b0 < 0x80) return 1
  const cont = (k: number, low = 0x80, high = 0xbf): boolean =>
    i + k < bytes.length && bytes[i + k]! >= low && bytes[i + k]! <= high
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}

/** Any surrogate code unit at all: the cheap test before the exact one. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/

/** Whether a name or path carries escaped bytes (lone U+DC80–U+DCFF), i.e. is not valid UTF-8 on disk. */
export function hasEscapedBytes(name: string): boolean {
  if (!ANY_SURROGATE.test(name)) return false
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < name.length && isLowSurrogate(name.charCodeAt(i + 1))) i++
    else if (unit >= 0xdc80 && unit <= 0xdcff) return true
  }
  return false
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}

/**
 * The name → its bytes, as os.fsencode (surrogateescape): escaped bytes back to themselves, the
 * rest as UTF-8. Null when the string cannot come from a file name (a lone surrogate outside
 * U+DC80–U+DCFF, which Python refuses as well).
 */
export function fsencode(name: string): Uint8Array | null {
  const out: number[] = []
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i)
    if (unit < 0x80) out.push(unit)
    else if (unit < 0x800) out.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f))
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < name.length && isLowSurrogate(name.charCodeAt(i + 1))) {
      const code = name.codePointAt(i)!
      out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
      i++
    } else if (unit >= 0xdc80 && unit <= 0xdcff) out.push(unit - ESCAPE_BASE)
    else if (unit >= 0xd800 && unit <= 0xdfff) return null
    else out.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f))
  }
  return Uint8Array.from(out)
}

/**
 * The name rewritten character by character: each escaped byte (its value) through `escaped`, every
 * other character through `other` (a surrogate pair as one character).
 */
function mapCharacters(name: string, escaped: (byte: number) => string, other: (char: string) => string): string {
  let out = ''
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < name.length && isLowSurrogate(name.charCodeAt(i + 1))) {
      out += other(name.slice(i, i + 2))
      i++
    } else out += unit >= 0xdc80 && unit <= 0xdcff ? escaped(unit - ESCAPE_BASE) : other(name[i]!)
  }
  return out
}

/** The name with each escaped byte as U+FFFD; what people read also needs NOT_UTF8_NOTE (shownName). */
export function displayName(name: string): string {
  if (!hasEscapedBytes(name)) return name
  return mapCharacters(
    name,
    () => '\uFFFD',
    (char) => char
  )
}

const hexByte = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`

/**
 * A character Python's str.isprintable() rejects, which repr() escapes: controls (newline, ESC…),
 * format characters (the bidirectional overrides, zero-width spaces), separators but the space,
 * private-use and unassigned code points, and lone surrogates (escaped bytes among them). Shown
 * as they are, such characters hide or reorder the text around them (U+202E turns "evil" into "live").
 */
export const NOT_PRINTABLE = /(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u
const NOT_PRINTABLE_ALL = new RegExp(NOT_PRINTABLE.source, 'gu')

/** A character as repr() escapes it: \n, \r, \t, \xNN, \uNNNN or \UNNNNNNNN. */
export function pythonEscape(char: string): string {
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  const code = char.codePointAt(0)!
  if (code < 0x100) return hexByte(code)
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\U${code.toString(16).padStart(8, '0')}`
}

/** Whether the name holds a character that is not printable (NOT_PRINTABLE), escaped bytes included. */
export function hasUnprintable(name: string): boolean {
  return NOT_PRINTABLE.test(name)
}

/** displayName, with every other character that is not printable as repr() escapes it: what a row or a message shows. */
export function printableName(name: string): string {
  return displayName(name).replace(NOT_PRINTABLE_ALL, pythonEscape)
}

/** A piece of a name as shown (namePieces): `start`, where it is in the name; `oneForOne`, whether it shows one character for each of the name's. */
export interface NamePiece {
  start: number
  text: string
  /** Shown in place of what the name holds: styled apart (a ␣, an escape). */
  escape: boolean
  oneForOne: boolean
}

const NOT_PRINTABLE_SPLIT = new RegExp(`(${NOT_PRINTABLE.source})`, 'u')

/**
 * A name as pieces to show, marked apart where it is not plain: characters that are not printable
 * (newlines, bidirectional overrides…) as Python escapes, bytes that are not valid UTF-8 (surrogate
 * escapes) as U+FFFD, and spaces that begin or end it (`notes ` would read as `notes`) as ␣.
 */
export function namePieces(name: string): NamePiece[] {
  const leading = /^ */.exec(name)![0].length
  const trailing = leading === name.length ? 0 : / *$/.exec(name)![0].length
  const inner = name.slice(leading, name.length - trailing)
  const pieces: NamePiece[] = []
  if (leading > 0) pieces.push({ start: 0, text: '␣'.repeat(leading), escape: true, oneForOne: true })
  let at = leading
  // Split around each character that is not printable (the u flag keeps a surrogate pair whole); odd parts are them.
  const split = hasUnprintable(inner) ? inner.split(NOT_PRINTABLE_SPLIT) : [inner]
  split.forEach((part, i) => {
    const escape = i % 2 === 1
    if (part !== '') pieces.push({ start: at, text: escape ? printableName(part) : part, escape, oneForOne: !escape })
    at += part.length
  })
  if (trailing > 0) pieces.push({ start: at, text: '␣'.repeat(trailing), escape: true, oneForOne: true })
  return pieces
}

/** A name as namePieces shows it, in one string: where the marks cannot be styled apart (a title, a path). */
export function markedName(name: string): string {
  return namePieces(name)
    .map((piece) => piece.text)
    .join('')
}

/** A path in pieces, its names (each as markedName) and its separators, for each to be isolated when shown. */
export function markedPathPieces(path: string): string[] {
  return path
    .split(/([\\/])/)
    .filter((piece) => piece !== '')
    .map((piece) => (piece === '/' || piece === '\\' ? piece : markedName(piece)))
}

/**
 * A path with escaped bytes as a shell string that gives its bytes back: $'…' (ANSI-C quoting,
 * which bash and zsh read), each escaped byte as \xNN, and each character that is not printable as
 * the \xNN of its UTF-8 bytes. Text holds no bytes that are not UTF-8, and a newline pasted into a
 * terminal runs what follows it, so this is how such a path can be copied and pasted into one.
 */
export function shellBytesQuoted(path: string): string {
  const utf8 = new TextEncoder()
  const quoted = mapCharacters(path, hexByte, (char) => {
    // As its UTF-8 bytes, whatever the shell's locale: a terminal must not act on it or hide it.
    if (NOT_PRINTABLE.test(char)) return [...utf8.encode(char)].map(hexByte).join('')
    return char === '\\' || char === "'" ? `\\${char}` : char
  })
  return `$'${quoted}'`
}

/** Said right after a name shown with U+FFFD, so people know why it looks so. */
export const NOT_UTF8_NOTE = '(a name that is not valid UTF-8, shown with U+FFFD)'

/**
 * The name as people are shown it: with U+FFFD for escaped bytes and, if it has any, NOT_UTF8_NOTE
 * after it, and any other character that is not printable escaped (printableName). `quoted` writes
 * the name as a JSON string before the note.
 */
export function shownName(name: string, { quoted = false } = {}): string {
  // JSON escapes the controls its own way; the rest of what is not printable, as repr() does.
  const shown = quoted
    ? JSON.stringify(displayName(name)).replace(NOT_PRINTABLE_ALL, pythonEscape)
    : printableName(name)
  return hasEscapedBytes(name) ? `${shown} ${NOT_UTF8_NOTE}` : shown
}

/**
 * A message as people are shown it: escaped bytes as U+FFFD, and NOT_UTF8_NOTE once, right after
 * `name` where the message holds it, else at the end. A message without escaped bytes is returned
 * as it is, so one already shown (built with shownName) is never noted twice.
 */
export function shownMessage(message: string, name?: string): string {
  if (!hasEscapedBytes(message)) return message
  const at = name === undefined || name === '' ? -1 : message.indexOf(name)
  if (at === -1) return displayName(`${message} ${NOT_UTF8_NOTE}`)
  const end = at + name!.length
  return displayName(`${message.slice(0, end)} ${NOT_UTF8_NOTE}${message.slice(end)}`)
}
