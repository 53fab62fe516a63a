/**
 * What the project's CLIs (`npm run walk`, `npm run trace`) share about their command lines:
 * `--help` prints the help and exits 0; a command line they cannot run prints the problem and the
 * usage, and exits 2. And about their output: a reader that goes (`| head`) ends it quietly, a
 * stdout that cannot be written (a full disk) is an error they report, never a stack trace.
 */

import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { fsdecode } from '../src/shared/fsNames'
import { LabError } from '../src/shared/errors'
import { toLabError } from '../src/main/lab/errors'

/** A command line the CLI cannot run. */
export class UsageError extends Error {}

/** Node's parseArgs, its refusals (an unknown option, a missing value) as usage errors. */
export function parseArguments<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** The CLI's options, or the exit code to stop with at once (after --help or a usage error). */
export function readCommandLine<Options extends object>(
  cli: { name: string; usage: string; help: string },
  parse: (argv: readonly string[]) => Options | 'help',
  argv: readonly string[]
): Options | number {
  let options: Options | 'help'
  try {
    options = parse(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${cli.name}: ${error.message}\n${cli.usage}`)
    return 2
  }
  if (options === 'help') {
    console.log(cli.help)
    return 0
  }
  return options
}

/**
 * The arguments after the script, as Python's sys.argv has them on Linux: an argument that is
 * not valid UTF-8 (a path with such a name) keeps its bytes as surrogate escapes, where Node's
 * process.argv has replaced them with U+FFFD and so names another file. The raw bytes come from
 * /proc/self/cmdline; elsewhere, or if the two do not line up, process.argv is used as it is.
 */
export function commandLineArguments(
  argv: readonly string[] = process.argv.slice(2),
  rawCommandLine: () => Uint8Array = () => readFileSync('/proc/self/cmdline')
): string[] {
  if (!argv.some((argument) => argument.includes('\uFFFD'))) return [...argv]
  let raw: Uint8Array
  try {
    raw = rawCommandLine()
  } catch {
    return [...argv]
  }
  const words: Uint8Array[] = []
  for (let start = 0, end = raw.indexOf(0); end !== -1; start = end + 1, end = raw.indexOf(0, start))
    words.push(raw.subarray(start, end))
  if (words.length < argv.length) return [...argv]
  const tail = words.slice(words.length - argv.length)
  const lossy = new TextDecoder()
  // Each raw word must be the very argument Node decoded, or none is trusted.
  if (tail.some((word, i) => lossy.decode(word) !== argv[i])) return [...argv]
  return tail.map((word) => fsdecode(word))
}

/**
 * Output in large writes, waiting when the pipe is full; stops quietly when the reader has gone,
 * and keeps any other write error in `failure` for the caller to report.
 */
export class Output {
  private pending = ''
  closed = false
  failure: LabError | undefined

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.closed = true
      if (error.code === 'EPIPE') return
      const cause = toLabError(error)
      this.failure ??= new LabError(cause.code, `cannot write the output to stdout: ${cause.message}`)
    })
  }

  async line(text: string): Promise<void> {
    this.pending += text + '\n'
    if (this.pending.length >= 1 << 16) await this.flush()
  }

  /**
   * Hands what is pending to the stream now, without waiting for it to drain, so that a line
   * written to another stream next (an error on stderr) comes after it, as Python's line-buffered
   * print and its errors interleave at a terminal.
   */
  writePending(): void {
    if (this.pending === '' || this.closed) return
    const chunk = this.pending
    this.pending = ''
    this.stream.write(chunk)
  }

  async flush(): Promise<void> {
    if (this.pending === '' || this.closed) return
    const chunk = this.pending
    this.pending = ''
    if (!this.stream.write(chunk)) await this.writable()
  }

  /** Resolves once the stream drains, or ends (then `closed` tells why). */
  private writable(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        for (const event of ['drain', 'close', 'error']) this.stream.off(event, done)
        resolve()
      }
      for (const event of ['drain', 'close', 'error']) this.stream.on(event, done)
    })
  }
}
