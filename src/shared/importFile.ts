/**
 * The `importFile` job: a file the user chose to import (Benchmark's Import JSON…, Step's
 * Import…), read whole as UTF-8 text in a job worker and returned to the page, which parses it.
 * Read by main as the readers read, not by the page: a page reads a FIFO or a /proc file as
 * empty and says nothing of a folder, a device or bytes that are not UTF-8; here each is refused
 * with an error naming the file, and main's thread is never held by a slow disk.
 */
import * as v from 'valibot'
import { filePathSchema } from './paths'
import { MAX_SWEEP_JSON_CHARS } from './sweep'
import { MAX_TRACE_FILE_BYTES } from './trace'

/** What is imported: an exported sweep, or a trace exported from Step. */
export const importFileKinds = ['sweep', 'trace'] as const
export type ImportFileKind = (typeof importFileKinds)[number]

export const importFileArgsSchema = v.strictObject({ file: filePathSchema, kind: v.picklist(importFileKinds) })

/** Per kind: the largest file read, and what the file should be, in the words of its errors. */
export const importFileLimits: Record<ImportFileKind, { maxBytes: number; what: string }> = {
  sweep: { maxBytes: MAX_SWEEP_JSON_CHARS, what: 'a sweep' },
  trace: { maxBytes: MAX_TRACE_FILE_BYTES, what: 'a trace' }
}

export interface ImportFileResult {
  text: string
}
