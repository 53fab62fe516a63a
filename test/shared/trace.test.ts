import { describe, expect, test } from 'vitest'
import { LabError } from '../../src/shared/errors'
import { MAX_TRACE_JSON_CHARS, parseTrace } from '../../src/shared/trace'
import { delegateTrace, gen107Trace } from '../support/traceFixtures'

function refusal(json: string): LabError {
  try {
    parseTrace(json)
  } catch (error) {
    if (error instanceof LabError) return error
    throw error
  }
  throw new Error('parseTrace accepted it')
}

describe('parseTrace', () => {
  test('reads a trace back as it was written', () => {
    for (const trace of [gen107Trace(), delegateTrace()]) expect(parseTrace(JSON.stringify(trace))).toEqual(trace)
  })

  test('reads numeric object and frame ids as strings', () => {
    const trace = gen107Trace()
    const json = JSON.stringify(trace).replaceAll('"id":"f0"', '"id":0')
    expect(parseTrace(json).steps[0]!.stack[0]!.id).toBe('0')
  })

  test('refuses what is not a trace, saying why', () => {
    expect(refusal('nope')).toMatchObject({
      code: 'MALFORMED_DATA',
      message: expect.stringMatching(/^This is not JSON: /)
    })
    expect(refusal('[1]').message).toBe('This is not a Yield Lab trace: expected a JSON object.')
    expect(refusal('{}').message).toBe(
      'This is not a Yield Lab trace: it has no "format" (expected "yield-lab-trace/1").'
    )
    expect(refusal('{"format":"yield-lab-trace/2"}').message).toBe(
      'This trace\'s format is "yield-lab-trace/2"; this version of Yield Lab reads "yield-lab-trace/1".'
    )
    const wrongEvent = gen107Trace() as unknown as { steps: { event: string }[] }
    wrongEvent.steps[2]!.event = 'jump'
    expect(refusal(JSON.stringify(wrongEvent)).message).toMatch(/^This trace is damaged: steps\.2\.event: /)
  })

  test('refuses a step naming an object its heap does not hold, or more output than the run printed', () => {
    const dangling = gen107Trace()
    delete dangling.steps[6]!.heap['o2']
    expect(refusal(JSON.stringify(dangling)).message).toBe(
      'This trace is damaged: step 7 refers to object o2, which is not in its heap.'
    )
    const overlong = gen107Trace()
    overlong.steps[3]!.stdout_length = 99
    expect(refusal(JSON.stringify(overlong)).message).toBe(
      'This trace is damaged: step 4 has 99 characters of output, the whole run 9.'
    )
  })

  test('refuses a file too large to be a trace before parsing it', () => {
    const huge = { length: MAX_TRACE_JSON_CHARS + 1 } as string
    expect(refusal(huge).code).toBe('TOO_LARGE')
  })
})
