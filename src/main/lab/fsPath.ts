/**
 * Paths whose names are not valid UTF-8 travel as strings with surrogate escapes (see
 * src/shared/fsNames.ts). Node's fs would encode such a string as UTF-8 with U+FFFD, which names
 * other bytes, so it gets the raw bytes as a Buffer instead; every other path stays a string
 * (the fast, common case).
 */
import { fsencode, hasEscapedBytes } from '../../shared/fsNames'
import { LabError } from '../../shared/errors'

/** What to hand Node's fs for this path: the string itself, or its raw bytes when it carries escaped bytes. */
export function fsPath(path: string): string | Buffer {
  if (!hasEscapedBytes(path)) return path
  const bytes = fsencode(path)
  if (bytes === null)
    throw new LabError(
      'INVALID_ARGUMENT',
      `${JSON.stringify(path)}: is not a file name (a lone surrogate no bytes decode to)`,
      path
    )
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
