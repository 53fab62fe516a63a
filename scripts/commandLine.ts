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
 * and keeps any other write error in `failure` for the caller to report. Lines for another stream
 * (errors, on stderr) keep their place among the lines (Python's line-buffered print and its
 * errors interleave so at a terminal, or with 2>&1): one is written at once when no line waits
 * before it, else after those lines, once the stream has taken them.
 */
export class Output {
  /** Text for `stream` not written yet, and, after it, lines for the other stream that wait for it. */
  private pending = ''
  private waiting: { before: string; other: string }[] = []
  /** The length of all that waits, both streams: a full block is written, not kept. */
  private waitingLength = 0
  closed = false
  failure: LabError | undefined

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly other: NodeJS.WritableStream = process.stderr
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.closed = true
      if (error.code === 'EPIPE') return
      const cause = toLabError(error)
      this.failure ??= new LabError(cause.code, `cannot write the output to stdout: ${cause.message}`)
    })
  }

  async line(text: string): Promise<void> {
    this.pending += text + '\n'
    this.waitingLength += text.length + 1
    if (this.waitingLength >= 1 << 16) await this.flush()
  }

  /** A line for the other stream, in its place after the lines given before it. */
  otherLine(text: string): void {
    if (this.pending === '' && this.waiting.length === 0) this.other.write(text + '\n')
    else {
      this.waiting.push({ before: this.pending, other: text + '\n' })
      this.pending = ''
      this.waitingLength += text.length + 1
    }
  }

  async flush(): Promise<void> {
    const waiting = this.waiting
    this.waiting = []
    this.waitingLength = 0
    for (const { before, other } of waiting) {
      await this.write(before)
      this.other.write(other)
    }
    const chunk = this.pending
    this.pending = ''
    await this.write(chunk)
  }

  /** Writes `chunk` and waits until the stream has taken it (so what follows on the other stream comes after it), or has ended. */
  private async write(chunk: string): Promise<void> {
    if (chunk === '' || this.closed) return
    await new Promise<void>((resolve) => this.stream.write(chunk, () => resolve()))
  }
}
