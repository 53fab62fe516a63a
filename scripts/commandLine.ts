/**
 * What the project's CLIs (`npm run walk`, `npm run trace`) share about their command lines:
 * `--help` prints the help and exits 0; a command line they cannot run prints the problem and the
 * usage, and exits 2.
 */

import { parseArgs, type ParseArgsConfig } from 'node:util'

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
