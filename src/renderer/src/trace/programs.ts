/**
 * Programs for the Step tab: a lecture example (its console inputs, one after another), or what
 * was typed into the console, as one program the recorder runs from the top.
 */
import type { ConsoleExample } from '@renderer/python/examples'

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

export function exampleProgram(example: ConsoleExample): string {
  return programFromInputs(example.inputs)
}
