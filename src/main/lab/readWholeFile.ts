/**
 * A whole file the user named, read into memory (an ncdu export, a sweep or trace to import),
 * with readers' guards: only a regular file (openRegularFile: no FIFO or device that could block
 * or never end), at most `maxBytes`, and every failure a LabError naming the file.
 */
import { closeSync, readSync } from 'node:fs'
import { LabError } from '../../shared/errors'
import { formatBinaryBytes, formatBytes, formatCount } from '../../shared/format'
import { toLabError } from './errors'
import { openRegularFile, type OpenedFile } from './openRegularFile'

/** How much one read() takes: between two, a cancel is seen (a large file on a slow disk takes seconds). */
const READ_SLICE_BYTES = 4 * 1024 * 1024

export interface WholeFileOptions {
  /** How the file is opened: openRegularFile by default; openDataFile also refuses /proc and /sys files. */
  open?: (path: string) => OpenedFile
  /** Asked between reads: true stops the read with CANCELLED. */
  isCancelled?: () => boolean
}

/** `what` names the kind of file in the too-large message: "an ncdu export", "a sweep". */
export function readWholeFile(
  file: string,
  maxBytes: number,
  what: string,
  { open = openRegularFile, isCancelled }: WholeFileOptions = {}
): Uint8Array {
  /** `size`: the file's, or undefined when it grew past the limit while read (a /proc file says 0). */
  const tooLarge = (size: number | undefined): LabError =>
    new LabError(
      'TOO_LARGE',
      `${file}: is ${size === undefined ? `more than ${formatCount(maxBytes)} bytes` : `${formatCount(size)} bytes (${formatBytes(size)})`}; ${what} of at most ${formatBinaryBytes(maxBytes)} can be opened`,
      file
    )
  const opened = open(file)
  try {
    if (opened.size > maxBytes) throw tooLarge(opened.size)
    // Read to the end, not to st_size: files in /proc and /sys have a size of 0 and still have content.
    // The spare byte finds the end of a file of st_size bytes without growing the buffer.
    let bytes = new Uint8Array(Math.max(opened.size + 1, 1 << 16))
    let done = 0
    for (;;) {
      if (isCancelled?.() === true) throw new LabError('CANCELLED', `Reading ${file} was cancelled.`, file)
      if (done === bytes.length) {
        if (done > maxBytes) throw tooLarge(undefined)
        const grown = new Uint8Array(Math.min(bytes.length * 2, maxBytes + 1))
        grown.set(bytes)
        bytes = grown
      }
      const read = readSync(opened.fd, bytes, done, Math.min(bytes.length - done, READ_SLICE_BYTES), done)
      if (read === 0) break
      done += read
    }
    return bytes.subarray(0, done)
  } catch (error) {
    throw toLabError(error, file)
  } finally {
    try {
      closeSync(opened.fd)
    } catch {
      // Closing a file we only read cannot lose data.
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** readWholeFile, as UTF-8 text (a byte order mark dropped); bytes that are not UTF-8 are refused, not replaced. */
export function readWholeTextFile(file: string, maxBytes: number, what: string, options?: WholeFileOptions): string {
  const bytes = readWholeFile(file, maxBytes, what, options)
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw new LabError('MALFORMED_DATA', `${file}: is not UTF-8 text, so it cannot be ${what}`, file)
  }
}
