/**
 * Root ignores permission bits, so a test about unreadable files proves nothing when run as root
 * unless the process it checks runs without that override.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * How to run a process that obeys permission bits: as root, drop the two capabilities that let
 * root ignore them; as another user, nothing to do.
 */
export function unprivilegedWrapper(): string[] {
  if (process.getuid === undefined) throw new Error('this test needs a POSIX system (process.getuid)')
  const env = ['env', `PATH=${process.env.PATH ?? ''}`]
  if (process.getuid() !== 0) return env
  const caps = '-dac_override,-dac_read_search'
  const wrapper = ['setpriv', `--inh-caps=${caps}`, `--bounding-set=${caps}`, ...env]
  const probe = spawnSync(wrapper[0]!, [...wrapper.slice(1), 'true'], { encoding: 'utf8' })
  if (probe.status !== 0) {
    throw new Error(
      `Running as root, this test needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE so that unreadable directories are unreadable: ${probe.error?.message ?? probe.stderr}`
    )
  }
  return wrapper
}

const repoRoot = resolve(import.meta.dirname, '../..')

/**
 * Runs `script`, a TypeScript module (through tsx, from the repository's root), in a process that
 * obeys permission bits; returns its stdout. The module is written to a new folder in `scratch`.
 */
export function runUnprivilegedScript(script: string, scratch: string): string {
  const wrapper = unprivilegedWrapper()
  // A module file, not `-e` with --input-type=module: workers inherit execArgv, and the job worker's boot code is CommonJS.
  const file = join(mkdtempSync(join(scratch, 'unprivileged-')), 'script.mts')
  writeFileSync(file, script)
  const command = [...wrapper, process.execPath, '--import', 'tsx', file]
  const result = spawnSync(command[0]!, command.slice(1), {
    encoding: 'utf8',
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.status !== 0) throw new Error(`unprivileged script failed: ${result.error?.message ?? result.stderr}`)
  return result.stdout
}
