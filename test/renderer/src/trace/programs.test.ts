import { describe, expect, test } from 'vitest'
import { examples } from '@renderer/python/examples'
import { exampleProgram, programFromInputs } from '@renderer/trace/programs'

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
