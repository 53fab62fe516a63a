/** Questions about a recorded trace that the Step tab's controls ask while the user scrubs. */
import type { Trace, TraceEvent } from '@shared/trace'

/** The first yield or resume after `index`, or -1: the moments a generator's frame leaves or comes back. */
export function nextSuspension(trace: Trace, index: number): number {
  for (let at = index + 1; at < trace.steps.length; at++) {
    const event = trace.steps[at]!.event
    if (event === 'yield' || event === 'resume') return at
  }
  return -1
}

/** The same, backwards. */
export function previousSuspension(trace: Trace, index: number): number {
  for (let at = Math.min(index, trace.steps.length) - 1; at >= 0; at--) {
    const event = trace.steps[at]!.event
    if (event === 'yield' || event === 'resume') return at
  }
  return -1
}

/**
 * The program's output up to a step: the first `length` characters as Python counts them
 * (code points), which JavaScript counts in UTF-16 units.
 */
export function outputUpTo(stdout: string, length: number): string {
  if (!/[\uD800-\uDFFF]/.test(stdout)) return stdout.slice(0, length)
  return Array.from(stdout).slice(0, length).join('')
}

export interface EventMark {
  /** Where along the slider, from 0 to 1. */
  at: number
  event: TraceEvent
  step: number
}

/**
 * The yields, resumes and exceptions along the slider. A long trace has more than the slider has
 * pixels: marks closer than `resolution` keep only the first of each kind.
 */
export function eventMarks(trace: Trace, resolution = 600): EventMark[] {
  const marks: EventMark[] = []
  const last = Math.max(trace.steps.length - 1, 1)
  const seen = new Map<TraceEvent, number>()
  trace.steps.forEach((step, index) => {
    if (step.event !== 'yield' && step.event !== 'resume' && step.event !== 'exception') return
    const bucket = Math.round((index / last) * resolution)
    if (seen.get(step.event) === bucket) return
    seen.set(step.event, bucket)
    marks.push({ at: index / last, event: step.event, step: index })
  })
  return marks
}

/**
 * Where a step is, in words: "line 7". CPython reports line 0 for a module's call event, taken
 * before its first line runs; that is said so, not as a line the program does not have.
 */
export function lineText(line: number): string {
  return line > 0 ? `line ${line}` : 'before its first line'
}
