/**
 * The trace schema: a trace as the recorder writes it is accepted as it is; a damaged or foreign
 * one is refused with a LabError whose message says plainly what is wrong.
 */
import { describe, expect, test } from 'vitest'
import { LabError } from '@shared/errors'
import { parseTrace, parseTraceJson, TRACE_FORMAT, type Trace } from '@shared/trace'

/** gen_107's first yield, as the recorder writes it: the module calls next(g) and gen_107 yields 1. */
function sampleTrace(): Trace {
  const moduleFrame = {
    id: 'f1',
    function: '<module>',
    line: 3,
    locals: { g: { kind: 'ref' as const, id: 'o2' } },
    generator: null
  }
  return {
    format: TRACE_FORMAT,
    python: '3.11.7',
    source: 'def gen_107():\n    yield 1\ng = gen_107()\nnext(g)\n',
    steps: [
      {
        event: 'line',
        line: 3,
        function: '<module>',
        stack: [moduleFrame],
        suspended: [{ id: 'f2', function: 'gen_107', line: 1, locals: {}, generator: 'o2' }],
        heap: {
          o2: {
            type: 'generator',
            type_name: 'generator',
            items: [],
            hidden: 0,
            repr: '<generator object gen_107>',
            state: 'GEN_CREATED',
            frame: 'f2',
            yieldfrom: null,
            function: 'gen_107'
          }
        },
        value: null,
        sent: null,
        stdout_length: 0
      },
      {
        event: 'yield',
        line: 2,
        function: 'gen_107',
        stack: [
          { ...moduleFrame, line: 4 },
          { id: 'f2', function: 'gen_107', line: 2, locals: {}, generator: 'o2' }
        ],
        suspended: [],
        heap: {
          o2: {
            type: 'generator',
            type_name: 'generator',
            items: [],
            hidden: 0,
            repr: '<generator object gen_107>',
            state: 'GEN_RUNNING',
            frame: 'f2',
            yieldfrom: null,
            function: 'gen_107'
          },
          o3: {
            type: 'dict',
            type_name: 'dict',
            items: [],
            entries: [
              [
                { kind: 'str', repr: "'a'" },
                { kind: 'int', repr: '1' }
              ]
            ],
            hidden: 0,
            repr: '<dict of 1>'
          }
        },
        value: { kind: 'int', repr: '1' },
        sent: null,
        stdout_length: 0
      }
    ],
    stdout: '',
    truncated: false,
    note: null,
    error: null
  }
}

function refusal(json: unknown): string {
  try {
    parseTrace(json)
  } catch (error) {
    expect(error).toBeInstanceOf(LabError)
    expect((error as LabError).code).toBe('MALFORMED_DATA')
    return (error as LabError).message
  }
  throw new Error('the trace was accepted')
}

describe('parseTrace', () => {
  test('accepts a trace as the recorder writes it, unchanged', () => {
    const trace = sampleTrace()
    expect(parseTrace(structuredClone(trace))).toEqual(trace)
    expect(parseTraceJson(JSON.stringify(trace))).toEqual(trace)
  })

  test('refuses what is not a trace, saying so', () => {
    expect(refusal([])).toBe('This is not a Yield Lab trace: a trace is a JSON object.')
    expect(refusal({ format: 'yield-lab-sweep/2' })).toBe(
      'This is not a Yield Lab trace: its "format" is not yield-lab-trace/1.'
    )
    expect(() => parseTraceJson('{"format": ')).toThrow(/^This is not a Yield Lab trace: it is not JSON/)
    expect(() => parseTraceJson('')).toThrow(/^This is not a Yield Lab trace: the file is empty\.$/)
    expect(() => parseTraceJson('\u0000'.repeat(10))).toThrow(
      /^This is not a Yield Lab trace: it holds binary data \(NUL bytes\), not JSON text\.$/
    )
  })

  test('names a newer format it cannot read', () => {
    expect(refusal({ ...sampleTrace(), format: 'yield-lab-trace/2' })).toBe(
      'This trace is in format yield-lab-trace/2; this version of Yield Lab reads yield-lab-trace/1.'
    )
  })

  test('says where a damaged trace is damaged', () => {
    const badEvent = sampleTrace() as unknown as { steps: { event: string }[] }
    badEvent.steps[1]!.event = 'suspend'
    expect(refusal(badEvent)).toMatch(/^This Yield Lab trace is damaged: steps\.1\.event: Invalid type/)

    const badLine = sampleTrace() as unknown as { steps: { line: number }[] }
    badLine.steps[0]!.line = -1
    expect(refusal(badLine)).toMatch(/steps\.0\.line: /)

    const extra = sampleTrace() as unknown as Record<string, unknown>
    extra.comment = 'hand-edited'
    expect(refusal(extra)).toMatch(/comment/)
  })

  test('refuses a trace that disagrees with itself', () => {
    const dangling = sampleTrace()
    dangling.steps[1]!.value = { kind: 'ref', id: 'o9' }
    expect(refusal(dangling)).toBe(
      'This Yield Lab trace is damaged: step 2 refers to object o9, which is not in its heap.'
    )

    const lostFrame = sampleTrace()
    lostFrame.steps[0]!.suspended = []
    expect(refusal(lostFrame)).toMatch(/step 1: generator o2 has frame f2, which is neither running nor suspended/)

    const twice = sampleTrace()
    twice.steps[1]!.suspended = [{ id: 'f2', function: 'gen_107', line: 2, locals: {}, generator: 'o2' }]
    expect(refusal(twice)).toMatch(/step 2 draws a frame twice/)

    const pastTheProgram = sampleTrace()
    pastTheProgram.steps[1]!.line = 999
    expect(refusal(pastTheProgram)).toMatch(/step 2 is at line 999, past the program's last line \(\d+\)/)
    const noSource = sampleTrace()
    noSource.source = ''
    expect(refusal(noSource)).toMatch(/step 1 is at line \d+, past the program's last line \(1\)/)

    const pastTheEnd = sampleTrace()
    pastTheEnd.steps[1]!.stdout_length = 5
    expect(refusal(pastTheEnd)).toMatch(/step 2: stdout_length 5 is out of order or past the end of stdout/)
  })
})
