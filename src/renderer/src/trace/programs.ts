/**
 * Programs for the Step tab: a lecture example (its console inputs, one after another), or what
 * was typed into the console, as one program the recorder runs from the top.
 */
import type { ConsoleExample } from '@renderer/python/examples'
import type { RunStatus } from '@renderer/python/protocol'

/** Console inputs as one program: blocks end with a blank line, as they do at the prompt. */
export function programFromInputs(inputs: readonly string[]): string {
  const parts = inputs.map((input) => input.replace(/\s+$/, '')).filter((input) => input !== '')
  const lines: string[] = []
  parts.forEach((part, index) => {
    lines.push(part)
    const isBlock = part.includes('\n')
    const nextIsBlock = parts[index + 1]?.includes('\n') ?? false
    if (index < parts.length - 1 && (isBlock || nextIsBlock)) lines.push('')
  })
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

/** An input run in the console, and how it ended. */
export interface SessionInput {
  source: string
  status: RunStatus
  /** RunOutcome's: the lines (from 1) that go on with a string, which indenting would change. */
  linesInsideStrings?: readonly number[]
}

/** Said above an input that raised at the prompt, which the program runs inside try, as the session went on after it. */
export const RAISED_AT_PROMPT = '# raised at the >>> prompt, and the session went on:'

/**
 * The console's session as one program, as it ran: an input that did not compile (nothing of it
 * ran) or was interrupted (a runaway loop, most often) is left out, and one that raised runs
 * inside try/except, so what it did before raising is done and the rest of the session runs too.
 */
export function programFromSession(inputs: readonly SessionInput[]): string {
  return programFromInputs(
    inputs.flatMap(({ source, status, linesInsideStrings = [] }) => {
      if (status === 'ok') return [source]
      if (status !== 'error') return []
      const insideStrings = new Set(linesInsideStrings)
      const body = source
        .replace(/\s+$/, '')
        .split('\n')
        .map((line, index) => (insideStrings.has(index + 1) ? line : `    ${line}`))
        .join('\n')
      // BaseException: the console goes on after exit() (SystemExit) and a GeneratorExit raised at the prompt too.
      return [`${RAISED_AT_PROMPT}\ntry:\n${body}\nexcept BaseException:\n    pass`]
    })
  )
}

export function exampleProgram(example: ConsoleExample): string {
  return programFromInputs(example.inputs)
}
