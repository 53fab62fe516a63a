/** The `importFile` job (src/shared/importFile.ts): yields nothing and returns the file's text. */
import { importFileLimits, type ImportFileKind, type ImportFileResult } from '../../shared/importFile'
import { openDataFile } from './openRegularFile'
import type { JobControl } from './progress'
import { readWholeTextFile } from './readWholeFile'

export function* importFileJob(
  args: { file: string; kind: ImportFileKind },
  control: JobControl<Record<string, never>>
): Generator<never, ImportFileResult, unknown> {
  const { maxBytes, what } = importFileLimits[args.kind]
  // As the data readers open files: a file of the kernel's (/proc, /sys) is no export of anyone's.
  return {
    text: readWholeTextFile(args.file, maxBytes, what, { open: openDataFile, isCancelled: control.isCancelled })
  }
}
