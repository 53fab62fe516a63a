/**
 * `npm run walk -- DIR [options]`: the Browse tab's walk in the terminal. Runs the very walker the
 * `walk` job drives (src/main/lab/walk/walk.ts, os.walk semantics) in this process: its `walk`
 * view for --json, `walkEntries` (with file sizes, as the job uses it) for the summary.
 *
 *   --bottom-up          yield a directory after its subdirectories (os.walk's topdown=False)
 *   --followlinks        walk into symlinks to directories (cycles are never followed)
 *   --exclude PATTERN    repeatable: prune directories whose name matches the fnmatch pattern, as
 *                        `dirnames[:] = [d for d in dirnames if not fnmatch(d, PATTERN)]` before the
 *                        directory is printed; like os.walk, pruning only stops the descent top-down
 *   --one-file-system    do not enter directories on another device than DIR (du -x, ncdu -x)
 *   --json               one JSON array [dirpath, dirnames, filenames] per line, in os.walk's order;
 *                        names that are not UTF-8 carry surrogate escapes ("\udcff"), as Python's
 *                        os.fsdecode and json.dumps give them
 *   --ncdu OUT           write the scan as ncdu's JSON export (what ncdu -o writes) to OUT,
 *                        atomically, and print a summary of it; `ncdu -f OUT` browses it. Not with
 *                        --json or --bottom-up (ncdu nests each directory in its parent)
 *
 * Without --json it prints one summary line: directories, files, bytes of regular files, errors
 * and time. stderr carries one JSON object per line: each error os.walk's onerror would get
 * ({code, message, path}; the walk goes on) and notes ({note}).
 * Exit status: 0 (also when the reader closes the pipe early); 1 when DIR cannot be walked, an error
 * was reported or stdout could not be written (said on stderr too); 2 for bad arguments.
 */
import { commandLineArguments, Output, parseArguments, readCommandLine, UsageError } from './commandLine'
import { LabError } from '../src/shared/errors'
import { formatBytes, formatDuration, plural } from '../src/shared/format'
import { BOTTOM_UP_PRUNING, patternMatchesNothing } from '../src/shared/walkJob'
import { excludeMatcher, pruneInPlace } from '../src/main/lab/walk/prune'
import { checkWalkRoot, walk, walkEntries } from '../src/main/lab/walk/walk'
import { toLabError } from '../src/main/lab/errors'
import { scanForNcdu } from '../src/main/lab/walk/ncduScan'
import { checkWritable, writeAtomically } from '../src/main/lab/temporaryFiles'
import { encodeNcdu, ncduTotals } from '../src/shared/ncdu'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** The app's version, for the export's header. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

const USAGE =
  'Usage: npm run walk -- DIR [--bottom-up] [--followlinks] [--exclude PATTERN]... [--one-file-system] [--json | --ncdu OUT]'

const HELP = `${USAGE}

Walks DIR with the Browse tab's walker (os.walk semantics).

  --bottom-up          yield each directory after its subdirectories (topdown=False)
  --followlinks        walk into symlinks to directories (cycles are never followed)
  --exclude PATTERN    prune directories matching the fnmatch PATTERN (repeatable); as in
                       os.walk, pruning only stops the descent top-down; PATTERN matches one
                       name, so one with a "/" prunes nothing (a note says so)
  --one-file-system    stay on DIR's device, like du -x and ncdu -x
  --json               print [dirpath, dirnames, filenames] per directory, one JSON array a line
  --ncdu OUT           write the scan as ncdu's JSON export to OUT (ncdu -f OUT reads it);
                       not with --json or --bottom-up
  --help               this text

Without --json: a summary line (directories, files, bytes, errors, time).
stderr: one JSON object per line, {code, message, path} per error (the walk goes on), {note}.
Exit status: 0; 1 if DIR cannot be walked, an error was reported or stdout could not be
written; 2 for bad arguments.`

interface Options {
  top: string
  topdown: boolean
  followlinks: boolean
  oneFileSystem: boolean
  json: boolean
  exclude: string[]
  ncdu: string | undefined
}

function parse(argv: readonly string[]): Options | 'help' {
  const parsed = parseArguments({
    args: [...argv],
    options: {
      'bottom-up': { type: 'boolean' },
      followlinks: { type: 'boolean' },
      exclude: { type: 'string', multiple: true },
      'one-file-system': { type: 'boolean' },
      json: { type: 'boolean' },
      ncdu: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  })
  const { values, positionals } = parsed
  if (values.help === true) return 'help'
  if (values.ncdu !== undefined && values.json === true)
    throw new UsageError('--ncdu and --json print different things: choose one')
  if (values.ncdu !== undefined && values['bottom-up'] === true)
    throw new UsageError('--ncdu walks top-down: ncdu nests each directory inside its parent')
  if (values.ncdu === '') throw new UsageError('--ncdu needs a file name')
  if (positionals.length === 0) throw new UsageError('DIR is missing')
  if (positionals.length > 1) throw new UsageError(`one DIR only, got ${positionals.length}`)
  return {
    top: positionals[0]!,
    topdown: values['bottom-up'] !== true,
    followlinks: values.followlinks === true,
    oneFileSystem: values['one-file-system'] === true,
    json: values.json === true,
    exclude: values.exclude ?? [],
    ncdu: values.ncdu
  }
}

/**
 * npm decodes the arguments of `npm run` as UTF-8 before it starts the script, so bytes that are
 * not UTF-8 reach it as U+FFFD, and no walker can get them back.
 */
const NPM_REPLACED_BYTES =
  'DIR holds U+FFFD: if the name has bytes that are not UTF-8, npm replaced them before the walk saw them. ' +
  'Run the script with node instead, which passes them as they are: node --import tsx scripts/walk.ts DIR …'

function report(object: object): void {
  process.stderr.write(JSON.stringify(object) + '\n')
}

async function main(argv: readonly string[]): Promise<number> {
  const options = readCommandLine({ name: 'walk', usage: USAGE, help: HELP }, parse, argv)
  if (typeof options === 'number') return options
  const { top, topdown, followlinks, oneFileSystem, json } = options
  try {
    checkWalkRoot(top)
  } catch (error) {
    report(toLabError(error, top).toInfo())
    if (top.includes('\uFFFD') && process.env.npm_lifecycle_event === 'walk') report({ note: NPM_REPLACED_BYTES })
    return 1
  }
  if (options.ncdu !== undefined) {
    // Before the walk, which may take minutes (a whole disk), not after it.
    try {
      checkWritable(options.ncdu, { probe: true }) // as typed: a trailing separator (a folder's name) is refused
    } catch (error) {
      report(toLabError(error, options.ncdu).toInfo())
      return 1
    }
  }
  const excluded = excludeMatcher(options.exclude)
  if (excluded !== undefined && !topdown) report({ note: `--exclude with --bottom-up: ${BOTTOM_UP_PRUNING}` })
  // Pruned as Python would (nothing), and said why: the app's form refuses such a pattern.
  for (const pattern of options.exclude) {
    const problem = patternMatchesNothing(pattern)
    if (problem !== undefined) report({ note: `--exclude ${problem}` })
  }

  const started = performance.now()
  const output = new Output(process.stdout)
  let errors = 0
  const onerror = (error: LabError): void => {
    errors++
    // After the lines printed before it, not ahead of them (stdout is written in blocks).
    output.otherLine(JSON.stringify(error.toInfo()))
  }
  const walkOptions = { topdown, followlinks, oneFileSystem, onerror }
  if (options.ncdu !== undefined) {
    const scan = scanForNcdu(resolve(top), {
      followlinks,
      oneFileSystem,
      excluded,
      onerror,
      progname: 'yield-lab',
      progver: version()
    })
    const totals = ncduTotals(scan.root)
    try {
      await writeAtomically(resolve(options.ncdu), encodeNcdu(scan))
    } catch (error) {
      report(toLabError(error, options.ncdu).toInfo())
      return 1
    }
    await output.line(
      `${top}: ${plural(totals.entries, 'entry', 'entries')}, ${formatBytes(totals.asize)} apparent, ${formatBytes(totals.dsize)} on disk, ${plural(errors, 'error')} in ${formatDuration(performance.now() - started)}; wrote ${options.ncdu}`
    )
  } else if (json) {
    // walk, not walkEntries: the same traversal without the file sizes, which --json does not print.
    for (const triple of walk(top, walkOptions)) {
      if (excluded !== undefined) pruneInPlace(triple[1], excluded, (name) => name)
      await output.line(JSON.stringify(triple))
      if (output.failure !== undefined) break
      if (output.closed) return 0
    }
  } else {
    let dirs = 0
    let files = 0
    let bytes = 0
    for (const dir of walkEntries(top, walkOptions)) {
      if (excluded !== undefined) pruneInPlace(dir.dirs, excluded, (entry) => entry.name)
      dirs++
      files += dir.files.length
      for (const entry of dir.files) bytes += entry.size
    }
    const elapsed = performance.now() - started
    await output.line(
      `${top}: ${plural(dirs, 'dir')}, ${plural(files, 'file')}, ${formatBytes(bytes)}, ${plural(errors, 'error')} in ${formatDuration(elapsed)}`
    )
  }
  await output.flush()
  if (output.failure !== undefined) {
    report(output.failure.toInfo())
    return 1
  }
  return errors > 0 ? 1 : 0
}

// npm runs scripts in the project's root: a relative DIR means what it meant where npm was typed.
if (process.env['npm_lifecycle_event'] === 'walk' && process.env['INIT_CWD'] !== undefined)
  process.chdir(process.env['INIT_CWD'])
process.exitCode = await main(commandLineArguments())
