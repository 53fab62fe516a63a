/**
 * A file system made for a test, in a mount namespace of the test's own (unshare -m, which root
 * may do on Linux), and a script run inside that namespace: a tmpfs, read-only or small and full;
 * or an overlay whose lower layer is on another file system, where overlayfs (xino) gives the
 * lower files inode numbers of 2^63 and more. Nothing outside the namespace sees the mount.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

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

/**
 * Mounts an overlay at `at/merged` of the folder `lower` (keep it on another file system than
 * `at`, such as /dev/shm) with xino, its upper layer and work folder made in `at`, then runs
 * `source`, a TypeScript module written to `at/script.mts`, through tsx; returns the run.
 */
export function runOnXinoOverlay(lower: string, at: string, source: string): SpawnSyncReturns<string> {
  for (const part of ['upper', 'work', 'merged']) mkdirSync(join(at, part))
  const scriptFile = join(at, 'script.mts')
  writeFileSync(scriptFile, source)
  return spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3,xino=on" "$4" && exec "$5" --import tsx "$6"',
      'sh',
      lower,
      join(at, 'upper'),
      join(at, 'work'),
      join(at, 'merged'),
      process.execPath,
      scriptFile
    ],
    { cwd: repoRoot, encoding: 'utf8' }
  )
}
