/**
 * A file system made for a test: a tmpfs mounted at a folder in a mount namespace of the test's
 * own (unshare -m, which root may do on Linux), read-only or small and full, and a script run
 * inside that namespace. Nothing outside the namespace sees the mount.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** Whether this process may make one (root on Linux): tests that need one run only there, as .ci/run does. */
export const canMountTmpfs = process.platform === 'linux' && process.getuid?.() === 0

const repoRoot = resolve(import.meta.dirname, '../..')

/**
 * Mounts a tmpfs at `at` with mount's `options` (e.g. 'ro', or 'size=4k'), fills it with
 * `fillBytes` of zeros, then runs `source`, a TypeScript module written to `scriptFile`, through
 * tsx from the repository's root; returns the run.
 */
export function runOnTmpfs(
  at: string,
  options: string,
  scriptFile: string,
  source: string,
  fillBytes = 0
): SpawnSyncReturns<string> {
  writeFileSync(scriptFile, source)
  // Filled as far as it goes (a write that fills it may itself end with ENOSPC); nothing runs unless the mount worked.
  const fill = fillBytes > 0 ? ` && { head -c ${fillBytes} /dev/zero > "$1/filler" || true; }` : ''
  return spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      `mount -t tmpfs -o ${options} tmpfs "$1"${fill} && exec "$2" --import tsx "$3"`,
      'sh',
      at,
      process.execPath,
      scriptFile
    ],
    { cwd: repoRoot, encoding: 'utf8' }
  )
}
