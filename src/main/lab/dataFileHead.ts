/**
 * The first bytes of a data file, and the one rule telling a text file (numbers written out as
 * text, as numpy.savetxt writes them) from raw binary items: the sweep refuses such a file as its
 * binary file, the Read tab reads it in a binary mode as numpy would and warns (from the bytes its
 * readers read, FileHead).
 */
import { closeSync, readSync } from 'node:fs'
import { openDataFile, type OpenedFile } from './openRegularFile'

/** How much of a file is looked at. */
const HEAD_BYTES = 4096

/** What a message says of a file for which looksLikeText holds. */
export const LOOKS_LIKE_TEXT = 'this looks like a text file (numbers written out as text)'

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

  looksLikeText(): boolean {
    return looksLikeText(this.bytes?.subarray(0, this.filled) ?? new Uint8Array(0))
  }
}

/**
 * Whether an open file looks like text, read where it is (the one a reader's error is about); false
 * when it cannot be read (the caller's own read says why).
 */
export function looksLikeTextFile(file: OpenedFile): boolean {
  try {
    return looksLikeText(headOf(file))
  } catch {
    return false
  }
}

/** Only the characters numpy.savetxt writes (digits, signs, '.', 'e', inf/nan letters, whitespace, '#'). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0 || !head.includes(10)) return false
  for (const byte of head) {
    const ok =
      (byte >= 48 && byte <= 57) ||
      byte === 10 ||
      byte === 13 ||
      byte === 32 ||
      byte === 9 ||
      byte === 43 ||
      byte === 45 ||
      byte === 46 ||
      byte === 35 ||
      byte === 101 ||
      byte === 69 ||
      (byte >= 97 && byte <= 122)
    if (!ok) return false
  }
  return true
}
