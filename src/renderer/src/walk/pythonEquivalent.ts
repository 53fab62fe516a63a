/**
 * The Python that stands for what the Browse tab does: repr() of strings and os.walk triples for
 * the step transcript, and the whole os.walk loop with the filename pipeline for the Python button.
 * Pure functions; the generated script runs as is (a test executes it with python3).
 */
import { formatCount } from '@shared/format'
import { hasUnprintable, NOT_PRINTABLE, pythonEscape, shellBytesQuoted } from '@shared/fsNames'
import {
  BOTTOM_UP_PRUNING,
  yieldedDirnames,
  type WalkArgs,
  type WalkDirItem,
  type WalkFilterStage
} from '@shared/walkJob'

/** Python's repr() of a str: single quotes unless the text has ' and no ", escapes as CPython writes them. */
export function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    if (char === quote || char === '\\') out += `\\${char}`
    else if (NOT_PRINTABLE.test(char)) out += pythonEscape(char)
    else out += char
  }
  return out + quote
}

const pyBool = (value: boolean): string => (value ? 'True' : 'False')

/** repr() of a list of names, cut after `max` names with a count of the rest (for display, not for running). */
export function pyNames(names: readonly string[], max = 6): string {
  const shown = names.slice(0, max).map(pyStr)
  if (names.length > max) shown.push(`… ${formatCount(names.length - max)} more`)
  return `[${shown.join(', ')}]`
}

/**
 * The triple as `next(w)` prints it at the REPL: `('/top', ['a', '.git', 'b'], ['f.txt'])`, with
 * dirnames as os.walk yielded them (the loop body prunes them after the yield).
 */
export function tripleRepr(
  item: Pick<WalkDirItem, 'dirpath' | 'dirnames' | 'excluded' | 'excludedAt' | 'filenames'>,
  max = 6
): string {
  return `(${pyStr(item.dirpath)}, ${pyNames(yieldedDirnames(item), max)}, ${pyNames(item.filenames, max)})`
}

/** os.walk's call with every option spelled out. */
export function walkCall(args: WalkArgs, top = pyStr(args.top)): string {
  return `os.walk(${top}, topdown=${pyBool(args.topdown ?? true)}, onerror=errors.append, followlinks=${pyBool(args.followlinks ?? false)})`
}

/** The predicate of one stage, as a Python lambda. */
function stagePredicate(stage: WalkFilterStage): string {
  if (stage.test === 'fnmatch') return `lambda name: fnmatch(name, ${pyStr(stage.pattern)})`
  const suffixes = stage.suffixes.map(pyStr)
  return `lambda name: name.endswith(${suffixes.length === 1 ? suffixes[0]! : `(${suffixes.join(', ')})`})`
}

/** Text as comment lines of at most about 100 characters. */
function wrapComment(text: string, prefix: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > 100) {
      lines.push(prefix + line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(prefix + line)
  return lines
}

/** One line of the pipeline: `files = filter(pred, files)` or `files = filterfalse(pred, files)`. */
export function stageLine(stage: WalkFilterStage, source: string): string {
  return `files = ${stage.fn}(${stagePredicate(stage)}, ${source})`
}

/** The os.walk idiom that prunes one folder pattern: `dirnames[:] = [d for d in dirnames if not fnmatch(d, '…')]`. */
export function pruneLine(pattern: string): string {
  return `dirnames[:] = [d for d in dirnames if not fnmatch(d, ${pyStr(pattern)})]`
}

/**
 * Stay on this file system (du -x), as os.walk can: the loop body's line that prunes the
 * subdirectories on another device than top's (`topDevice`, a Python expression). os.walk follows
 * links only with followlinks, so only then is a link's target's device the one that counts.
 * Undefined when the walk does not stay on one file system, or is bottom-up, where pruning has no effect.
 */
export function devicePruneLine(args: WalkArgs, topDevice: string): string | undefined {
  if (!(args.oneFileSystem ?? false) || !(args.topdown ?? true)) return undefined
  const stat = (args.followlinks ?? false) ? 'stat' : 'lstat'
  return `dirnames[:] = [d for d in dirnames if os.${stat}(os.path.join(dirpath, d)).st_dev == ${topDevice}]`
}

/** A pattern as a shell takes it: in single quotes, or $'…' when it holds a quote, a backslash or what is not printable. */
function shellQuoted(text: string): string {
  return hasUnprintable(text) || /['\\]/.test(text) ? shellBytesQuoted(text) : `'${text}'`
}

/**
 * What the printed total is, after "bytes in all": the du command that gives the same figure where
 * there is one (-x stays on top's file system, --exclude skips a name pattern, as Browse prunes).
 */
function totalWords(args: WalkArgs): string {
  if ((args.files ?? []).length > 0) return ', the files kept and the folders'
  if (args.followlinks ?? false) return ' (links to folders followed)'
  const topdown = args.topdown ?? true
  const oneFileSystem = args.oneFileSystem ?? false
  if (oneFileSystem && !topdown) return ', other file systems too: bottom-up, os.walk cannot be kept out of them'
  // Bottom-up, pruning has no effect, in Browse as here.
  const excludes = topdown ? (args.exclude ?? []).map((pattern) => ` --exclude=${shellQuoted(pattern)}`) : []
  return ` (du -sb${oneFileSystem ? 'x' : ''}${excludes.join('')})`
}

/** The whole program: os.walk with the chosen options, the filename pipeline, sizes as Browse counts them. */
export function walkPythonCode(args: WalkArgs): string {
  const stages = args.files ?? []
  const imports = ['import os', 'import stat']
  const excludes = args.exclude ?? []
  const topdown = args.topdown ?? true
  const byDevice = devicePruneLine(args, 'top_dev')
  if (excludes.length > 0 || stages.some((stage) => stage.test === 'fnmatch'))
    imports.push('from fnmatch import fnmatch')
  if (stages.some((stage) => stage.fn === 'filterfalse')) imports.push('from itertools import filterfalse')
  const pipeline = stages.map((stage, index) => `    ${stageLine(stage, index === 0 ? 'filenames' : 'files')}`)
  const source = stages.length === 0 ? 'filenames' : 'files'
  const lines = [
    ...imports,
    '',
    `top = ${pyStr(args.top)}`,
    ...(byDevice === undefined ? [] : ['top_dev = os.stat(top).st_dev  # stay on this file system (du -x)']),
    'errors = []  # onerror: a directory that cannot be listed is recorded and the walk goes on',
    'shown = {}  # dirpath -> [(name, bytes)]: the files Browse lists, with what its "bytes" counter sums',
    'total = 0  # the bytes Browse shows for top, as du -b counts them: every entry by its own size,',
    'seen = set()  # directories included, and a file with hard links once per (st_dev, st_ino)',
    '# (Each folder below shows du -b of that folder alone: a hard-linked file counts in every folder',
    '# holding one of its names, as ncdu counts it.)',
    '',
    '',
    'def file_size(dirpath, name):',
    '    """Bytes of a regular file for the "bytes" counter; symlinks and special files count 0 there.',
    '    The tree shows every entry by its own size instead, a symlink too, as du -b does (du_size)."""',
    '    try:',
    '        st = os.lstat(os.path.join(dirpath, name))',
    '    except OSError as error:  # vanished since it was listed, or its folder is not searchable',
    '        errors.append(error)',
    '        return 0',
    '    return st.st_size if stat.S_ISREG(st.st_mode) else 0',
    '',
    '',
    'def du_size(path):',
    '    # What du -b adds for an entry that is not a directory: its own size, a hard link once.',
    '    global total',
    '    try:',
    '        st = os.lstat(path)',
    '    except OSError:',
    '        return',
    '    if st.st_nlink > 1:',
    '        if (st.st_dev, st.st_ino) in seen:',
    '            return',
    '        seen.add((st.st_dev, st.st_ino))',
    '    total += st.st_size',
    '',
    '',
    '# os.walk returns a generator: nothing is read until the loop asks for the next triple.',
    `for dirpath, dirnames, filenames in ${walkCall(args, 'top')}:`
  ]
  if (excludes.length > 0) {
    if (topdown)
      lines.push(
        '    # Prune in place: os.walk walks only the names left in dirnames (and Browse shows them excluded).'
      )
    else lines.push(...wrapComment(`topdown=False: ${BOTTOM_UP_PRUNING}.`, '    # '))
    lines.push(...excludes.map((pattern) => `    ${pruneLine(pattern)}`))
  }
  if (stages.length > 0) {
    lines.push('    # A lazy pipeline: each name flows through every stage before the next name is looked at.')
    lines.push(...pipeline)
  }
  lines.push(`    shown[dirpath] = [(name, file_size(dirpath, name)) for name in ${source}]`)
  lines.push(
    '    total += os.stat(dirpath).st_size  # the directory itself',
    '    for name in dirnames:  # a symlink to a directory counts as the link it is',
    '        if os.path.islink(os.path.join(dirpath, name)):',
    '            du_size(os.path.join(dirpath, name))',
    '    for name, _ in shown[dirpath]:',
    '        du_size(os.path.join(dirpath, name))'
  )
  if (byDevice !== undefined)
    lines.push(
      '    # Stay on this file system (du -x): a folder on another device stays in the dirnames yielded, but',
      '    # is not walked. os.walk has no such option; pruning by device, once the sizes are counted, does it.',
      `    ${byDevice}`
    )
  else if (args.oneFileSystem ?? false)
    lines.push(
      ...wrapComment(
        'Stay on this file system (du -x): Browse does not enter a folder on another device. With topdown=False os.walk cannot be kept out of one: it has chosen the directories to walk before it yields their parent, so pruning dirnames has no effect.',
        '    # '
      )
    )
  if (!topdown) lines.push('    # topdown=False: each directory comes after all of its subdirectories.')
  if (args.followlinks ?? false) {
    lines.push('    # Browse never re-enters a directory that is its own ancestor; os.walk follows such a')
    lines.push('    # symlink cycle until the path gets too long.')
  }
  lines.push(
    '',
    '# A folder os.walk could not list was still there to stat: du and Browse count its own size.',
    'for error in errors:',
    '    try:',
    '        st = os.stat(error.filename)',
    '    except OSError:',
    '        continue',
    '    if stat.S_ISDIR(st.st_mode):',
    '        total += st.st_size',
    '',
    '# What Browse shows once the walk is done: its counters, and the size of top.',
    'kept = [size for entries in shown.values() for _, size in entries]',
    `print(f'{len(shown)} dirs, {len(kept)} files${stages.length > 0 ? ' kept' : ''}, {sum(kept)} bytes; {total} bytes in all' + ${pyStr(totalWords(args))})`,
    '',
    '# Step mode drives the same generator by hand:',
    `#   w = ${walkCall(args, 'top')}`,
    '#   dirpath, dirnames, filenames = next(w)'
  )
  return lines.join('\n') + '\n'
}
