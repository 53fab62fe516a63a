import { describe, expect, test } from 'vitest'
import { eventMarks, nextSuspension, outputUpTo, previousSuspension } from '@renderer/trace/traceSteps'
import { countingTrace, gen107Trace } from '../../../support/traceFixtures'

describe('suspensions', () => {
  const trace = gen107Trace()
  const events = trace.steps.map((step) => step.event)

  test('next and previous find the yields and resumes, and -1 past them', () => {
    const forward: number[] = []
    for (let at = nextSuspension(trace, -1); at >= 0; at = nextSuspension(trace, at)) forward.push(at)
    expect(forward.map((at) => events[at])).toEqual(['yield', 'resume', 'yield', 'resume', 'yield', 'resume'])
    expect(forward).toEqual([5, 7, 9, 10, 12, 13])
    expect(previousSuspension(trace, 9)).toBe(7)
    expect(previousSuspension(trace, 5)).toBe(-1)
    expect(nextSuspension(trace, 13)).toBe(-1)
  })
})

describe('outputUpTo', () => {
  test('counts characters as Python does, astral ones included', () => {
    expect(outputUpTo('1\n[0, 7]\n', 2)).toBe('1\n')
    expect(outputUpTo('🐍 ok\n', 2)).toBe('🐍 ')
    expect(outputUpTo('', 0)).toBe('')
  })
})

describe('eventMarks', () => {
  test('marks every yield, resume and exception of a short trace where it is along the slider', () => {
    const trace = gen107Trace()
    const marks = eventMarks(trace)
    expect(marks.map((mark) => [mark.event, mark.step])).toEqual([
      ['yield', 5],
      ['resume', 7],
      ['yield', 9],
      ['resume', 10],
      ['yield', 12],
      ['resume', 13]
    ])
    expect(marks[0]!.at).toBeCloseTo(5 / 15)
  })

  test('thins a long trace to what the slider can show', () => {
    const marks = eventMarks(countingTrace(10_000), 600)
    expect(marks.length).toBeLessThanOrEqual(2 * 601)
    expect(marks.length).toBeGreaterThan(600)
    expect(new Set(marks.map((mark) => mark.event))).toEqual(new Set(['yield', 'resume']))
  })
})
