/**
 * The first bytes of a data file, and the one rule telling text (numbers written out as text, as
 * numpy.savetxt writes them, or any other text) from raw binary items: the sweep refuses such a
 * file as its binary file, the Read tab reads it in a binary mode as numpy would and warns (from
 * the bytes its readers read, FileHead).
 */
import { closeSync, readSync } from 'node:fs'
import { lineToken, numberOfLine } from './numberToken'
import { openDataFile, type OpenedFile } from './openRegularFile'

/** How much of a file is looked at. */
const HEAD_BYTES = 4096

/** What a file's first bytes say it holds, when they are text: numbers the Text mode reads, or other text. */
export type TextHead = 'numbers' | 'other'

/** What a message says of a file whose head is text of each kind. */
export const TEXT_HEAD_WORDS: Record<TextHead, string> = {
  numbers: 'this looks like a text file (numbers written out as text)',
  other: 'this looks like a text file (not numbers one per line)'
}

/** The first bytes of an open file (at most 4 KiB). */
function headOf(file: OpenedFile): Buffer {
  const head = Buffer.alloc(Math.min(HEAD_BYTES, file.size))
  let done = 0
  while (done < head.length) {
    const n = readSync(file.fd, head, done, head.length - done, done)
    if (n === 0) break
    done += n
  }
  return head.subarray(0, done)
}

/** The file's size and its first bytes (at most 4 KiB). */
export function readHead(path: string): { size: number; head: Buffer } {
  const file = openDataFile(path)
  try {
    return { size: file.size, head: headOf(file) }
  } finally {
    closeSync(file.fd)
  }
}

/**
 * A file's first bytes (at most 4 KiB) kept from the reads a reader makes anyway, from its start:
 * looking at them opens nothing again, and is about the bytes that were read.
 */
export class FileHead {
  private bytes: Uint8Array | undefined
  private filled = 0

  /** Keeps what falls in the head of `length` bytes read into `read` (from its start) at `position`. */
  note(read: Uint8Array, length: number, position: number): void {
    if (position !== this.filled || position >= HEAD_BYTES) return
    const taken = Math.min(length, HEAD_BYTES - position)
    this.bytes ??= new Uint8Array(HEAD_BYTES)
    this.bytes.set(read.subarray(0, taken), position)
    this.filled += taken
  }

  textHead(): TextHead | undefined {
    return textHead(this.bytes?.subarray(0, this.filled) ?? new Uint8Array(0))
  }
}

/**
 * What text an open file holds, read where it is (the one a reader's error is about); undefined
 * when it is not text or cannot be read (the caller's own read says why).
 */
export function textHeadOfFile(file: OpenedFile): TextHead | undefined {
  try {
    return textHead(headOf(file))
  } catch {
    return undefined
  }
}

/**
 * Text is lines (a newline at least) of UTF-8 with no control characters but whitespace; its
 * head may end inside a character or a line. Raw items hardly ever pass: a float64 holding a
 * small whole number has NUL bytes, and other values bytes below 32 or outside UTF-8 within a few
 * items. It is numbers when each whole line is one, as the Text mode reads them (blank and '#'
 * lines aside).
 */
export function textHead(head: Uint8Array): TextHead | undefined {
  if (head.length === 0 || !head.includes(10)) return undefined
  for (const byte of head) if ((byte < 32 && (byte < 9 || byte > 13)) || byte === 127) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
  } catch {
    return undefined
  }
  const lines = text.split(/[\r\n]/)
  lines.pop() // cut by the head's end, or empty after the last line end
  return lines.every(isNumberLine) ? 'numbers' : 'other'
}

/** A line the Text mode reads without an error: a number (a '#' comment may follow it), a blank line or a '#' comment. */
function isNumberLine(line: string): boolean {
  const token = lineToken(line, 0, line.length)
  return token === undefined || numberOfLine(token) !== undefined
}
