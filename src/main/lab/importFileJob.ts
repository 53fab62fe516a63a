/** The `importFile` job (src/shared/importFile.ts): yields nothing and returns the file's text. */
import { importFileLimits, type ImportFileKind, type ImportFileResult } from '../../shared/importFile'
import { readWholeTextFile } from './readWholeFile'

export function* importFileJob(args: {
  file: string
  kind: ImportFileKind
}): Generator<never, ImportFileResult, unknown> {
  const { maxBytes, what } = importFileLimits[args.kind]
  return { text: readWholeTextFile(args.file, maxBytes, what) }
}
