/**
 * The one error type that crosses the process boundary. Main throws it, IPC carries its
 * plain `LabErrorInfo` form, and the renderer rebuilds it, so every layer speaks the same codes.
 */
import { shownName } from './fsNames'

export const labErrorCodes = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'NOT_A_DIRECTORY',
  'IS_A_DIRECTORY',
  'NOT_A_REGULAR_FILE',
  'MALFORMED_DATA',
  'TOO_LARGE',
  'ALREADY_EXISTS',
  'CANCELLED',
  'UNKNOWN_JOB',
  'JOB_BUSY',
  /** Raised into a generator by throw() and not handled there. */
  'THROWN',
  'UNAVAILABLE',
  /** The disk (or quota) is full. */
  'NO_SPACE',
  'READ_ONLY',
  /** The device reported a read or write failure. */
  'IO_ERROR',
  'TOO_MANY_OPEN_FILES',
  /** The file or device is in use. */
  'BUSY',
  /** The worker thread running a job ended before the job did (killed, crashed, out of memory). */
  'WORKER_DIED',
  'INTERNAL'
] as const

export type LabErrorCode = (typeof labErrorCodes)[number]

export interface LabErrorInfo {
  code: LabErrorCode
  message: string
  /** The file or directory the problem is about, when there is one. */
  path?: string
}

export class LabError extends Error {
  readonly code: LabErrorCode
  readonly path?: string

  constructor(code: LabErrorCode, message: string, path?: string) {
    super(message)
    this.name = 'LabError'
    this.code = code
    if (path !== undefined) this.path = path
  }

  toInfo(): LabErrorInfo {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path }
  }

  static fromInfo(info: LabErrorInfo): LabError {
    return new LabError(info.code, info.message, info.path)
  }
}

/** Whether `error` is a LabError with this code. */
export function isLabError(error: unknown, code: LabErrorCode): error is LabError {
  return error instanceof LabError && error.code === code
}

/**
 * The message without the path it starts with: main's messages about a file name it first, as
 * people are shown it (`/data/x.bin: does not exist`), which a place naming the file itself would
 * repeat. A message that does not start so is kept whole.
 */
export function messageAfterPath(error: LabErrorInfo): string {
  if (error.path === undefined || error.path === '') return error.message
  const start = `${shownName(error.path)}: `
  return error.message.startsWith(start) ? error.message.slice(start.length) : error.message
}
