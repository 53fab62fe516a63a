import { describe, expect, test } from 'vitest'
import { examples } from '@renderer/python/examples'
import { exampleProgram, programFromInputs, programFromSession, RAISED_AT_PROMPT } from '@renderer/trace/programs'

describe('programFromInputs', () => {
  test('joins console inputs into one program, blocks set apart by a blank line', () => {
    expect(programFromInputs(['def f():\n    yield 1\n', 'g = f()', 'next(g)'])).toBe(
      'def f():\n    yield 1\n\ng = f()\nnext(g)\n'
    )
    expect(programFromInputs(['x = 1', 'for i in range(2):\n    print(i)\n', 'y = 2'])).toBe(
      'x = 1\n\nfor i in range(2):\n    print(i)\n\ny = 2\n'
    )
    expect(programFromInputs(['', '   '])).toBe('')
  })

  test('every lecture example becomes a program', () => {
    for (const example of examples) {
      const program = exampleProgram(example)
      expect(program.endsWith('\n'), example.id).toBe(true)
      for (const input of example.inputs) expect(program, example.id).toContain(input.trimEnd())
    }
  })
})

describe('programFromSession', () => {
  test('replays the session as it ran: what did not compile or was interrupted is left out, what raised runs inside try', () => {
    expect(
      programFromSession([
        { source: 'g = gen()', status: 'ok' },
        { source: 'x = 1 +* 2', status: 'syntax-error' },
        { source: 'next(g)', status: 'error' },
        { source: 'while True:\n    pass\n', status: 'interrupted' },
        { source: 'print(1)', status: 'ok' }
      ])
    ).toBe(`g = gen()\n\n${RAISED_AT_PROMPT}\ntry:\n    next(g)\nexcept BaseException:\n    pass\n\nprint(1)\n`)
    expect(programFromSession([{ source: 'x = 1 +* 2', status: 'syntax-error' }])).toBe('')
  })

  test('the lines of a raising input that go on with a string keep their text inside try', () => {
    expect(programFromSession([{ source: "s = '''a\n  b'''\nf(s)", status: 'error', linesInsideStrings: [2] }])).toBe(
      `${RAISED_AT_PROMPT}\ntry:\n    s = '''a\n  b'''\n    f(s)\nexcept BaseException:\n    pass\n`
    )
  })
})
