/**
 * python3 (with numpy) is the reference for differential tests. When it is missing the test
 * fails and says so: a differential test that silently passes without its reference proves nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process'

let checked: string | undefined

export function requirePython(): void {
  if (checked === undefined) {
    const probe = spawnSync('python3', ['-c', 'import numpy, os, json'], { encoding: 'utf8' })
    checked =
      probe.status === 0
        ? ''
        : `python3 with numpy is required as the reference for this test but is not usable here: ${probe.error?.message ?? probe.stderr.trim()}`
  }
  if (checked !== '') throw new Error(checked)
}

/** Runs a Python script with arguments and returns its stdout (throws with stderr on failure). */
export function runPython(script: string, args: readonly string[] = [], input?: string): string {
  requirePython()
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, input })
}

/** The last line a program printed (the lines before it are the program's own). */
export function lastLine(output: string): string {
  return output.trim().split('\n').at(-1) ?? ''
}
