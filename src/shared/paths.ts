/** Paths: what every path argument is checked against, whichever job takes it, and names for labels. */
import * as v from 'valibot'
import { fsencode, shownName } from './fsNames'

/** Longest path accepted (Windows' extended-length limit; POSIX systems refuse long ones themselves). */
export const MAX_PATH_LENGTH = 32_767

export const noNul = v.check((text: string) => !text.includes('\0'), 'must not contain a NUL character')

/**
 * Names that are not valid UTF-8 arrive with surrogate escapes (fsNames.ts); any other lone
 * surrogate names no bytes at all, as in Python, so it is refused rather than guessed at.
 */
export const fsEncodable = v.check(
  (text: string) => !/[\uD800-\uDFFF]/.test(text) || fsencode(text) !== null,
  'is not a file name: it has a lone surrogate that no bytes decode to'
)

/** A file to read or write: a non-empty path without NUL characters. */
export const filePathSchema = v.pipe(
  v.string('must be a path'),
  v.minLength(1, 'no file was given'),
  v.maxLength(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`),
  noNul,
  fsEncodable
)

/** The last component of a path, for labels (either separator). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[/\\]+$/, '')
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  return index < 0 ? trimmed : trimmed.slice(index + 1)
}

/** A file's base name as people are shown it (a name that is not UTF-8 with U+FFFD and the note). */
export function fileLabel(path: string): string {
  return shownName(baseName(path))
}
