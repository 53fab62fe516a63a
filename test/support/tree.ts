import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A symbolic link to `target` in a tree spec. */
export class Link {
  constructor(readonly target: string) {}
}
/** A named pipe in a tree spec. */
export const FIFO = Symbol('fifo')

/** A directory tree: a string is a file's content, a nested spec a directory. */
export interface Spec {
  [name: string]: Spec | string | Link | typeof FIFO
}

/** Creates the tree `spec` describes under `dir`. */
export function build(dir: string, spec: Spec): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, value] of Object.entries(spec)) {
    const path = join(dir, name)
    if (typeof value === 'string') writeFileSync(path, value)
    else if (value instanceof Link) symlinkSync(value.target, path)
    else if (value === FIFO) execFileSync('mkfifo', [path])
    else build(path, value)
  }
}
