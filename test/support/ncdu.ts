/**
 * Debian's ncdu (1.x, the C version) is the reference for the ncdu export format. When it is
 * missing the test fails and says so (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process'
import type { NcduEntry, NcduExport } from '../../src/shared/ncdu'

let problem: string | undefined

export function requireNcdu(): void {
  if (problem === undefined) {
    const probe = spawnSync('ncdu', ['-v'], { encoding: 'utf8' })
    problem =
      probe.status === 0 && /^ncdu 1\./.test(probe.stdout)
        ? ''
        : `Debian's ncdu 1.x is required as the reference for this test (apt-get install ncdu): ${probe.error?.message ?? (probe.stdout + probe.stderr).trim()}`
  }
  if (problem !== '') throw new Error(problem)
}

/** Runs ncdu with these arguments (no UI: always with -0 and -o) and returns what it wrote to stdout. */
export function ncdu(args: readonly string[]): Buffer {
  requireNcdu()
  const result = spawnSync('ncdu', ['-0', ...args], { maxBuffer: 256 * 1024 * 1024 })
  if (result.status !== 0) throw new Error(`ncdu ${args.join(' ')} failed: ${result.stderr.toString()}`)
  return result.stdout
}

/** An export's entries by path, each with its info and whether it is a directory: order-free, for comparing scans. */
export function entriesByPath(scan: NcduExport): Map<string, object> {
  const entries = new Map<string, object>()
  const visit = (entry: NcduEntry, path: string): void => {
    const { children, ...info } = entry
    entries.set(path, { ...info, name: undefined, dir: children !== undefined })
    for (const child of children ?? []) visit(child, `${path}/${child.name}`)
  }
  visit(scan.root, scan.root.name)
  return entries
}
