/**
 * What to hand the system's file manager for a path the renderer wants shown: the path itself
 * when it exists, or, when it carries bytes that are not valid UTF-8 (which the shell, taking a
 * string, cannot be given), its nearest folder that has none.
 */
import { lstatSync } from 'node:fs'
import { dirname } from 'node:path'
import { hasEscapedBytes } from '../../shared/fsNames'
import { toLabError } from './errors'
import { fsPath } from './fsPath'

/** The path to show for `path`; throws a LabError naming it when it does not exist (NOT_FOUND…). */
export function revealablePath(path: string): string {
  try {
    lstatSync(fsPath(path))
  } catch (error) {
    throw toLabError(error, path)
  }
  let shown = path
  while (hasEscapedBytes(shown) && dirname(shown) !== shown) shown = dirname(shown)
  return shown
}
