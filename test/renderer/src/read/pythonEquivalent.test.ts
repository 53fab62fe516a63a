/**
 * The Python shown for a Read tab run is a program that runs: python3 with numpy executes it on
 * real files for every mode and style, chained or not, and prints the sum the app computes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readPythonCode } from '@renderer/read/pythonEquivalent'
import type { ProcessArgs, ReadMode } from '@shared/readJobs'
import { pyStr } from '@renderer/walk/pythonEquivalent'
import { runPython } from '../../../support/python'

let dir: string
let binary: string
let second: string
let text: string
const values = Array.from({ length: 25_000 }, (_, i) => ((i * 7919) % 1000) / 8)
const moreValues = Array.from({ length: 3_000 }, (_, i) => i - 1500.25)
const sum = (list: number[]): number => list.reduce((a, b) => a + b, 0)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "yield-lab-readpy-it's "))
  binary = join(dir, 'data.bin')
  second = join(dir, 'more.bin')
  text = join(dir, 'data.txt')
  writeFileSync(binary, new Uint8Array(new Float64Array(values).buffer))
  writeFileSync(second, new Uint8Array(new Float64Array(moreValues).buffer))
  // Comments as np.loadtxt skips them, on a line of their own and after a number.
  const lines = values.map((value, i) => `${value.toExponential(18)}${i === 3 ? '  # a note' : ''}`)
  writeFileSync(text, `# a comment\n${lines.join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function outputLines(code: string): string[] {
  return runPython(code).trim().split('\n')
}

describe('readPythonCode', () => {
  const cases: [ReadMode, 'pull' | 'push'][] = []
  for (const mode of ['eager', 'lazyItem', 'lazyChunk', 'text'] as const)
    for (const style of ['pull', 'push'] as const) cases.push([mode, style])

  test.each(cases)('%s, %s style: python3 prints the sum and the lecture’s progress lines', (mode, style) => {
    const path = mode === 'text' ? text : binary
    const args: ProcessArgs = { inputs: [{ path, mode, chunkSize: 1000 }], style, progressEvery: 10_000 }
    const code = readPythonCode(args)
    expect(code).toContain('def process(')
    const lines = outputLines(code)
    expect(Number(lines.at(-1))).toBeCloseTo(sum(values), 6)
    expect(lines.slice(0, -1)).toEqual(['10000 items processed from input', '20000 items processed from input'])
  })

  test('chunk size 1 reads on past a 0.0 to the end, where the lecture’s first version stops or raises, as the comment says', () => {
    const code = readPythonCode({ inputs: [{ path: binary, mode: 'lazyItem', chunkSize: 1 }], progressEvery: 10_000 })
    expect(code).toContain("# The lecture's first version, `while item := np.fromfile(f, dtype=float, count=1)`")
    expect(code).toContain('from numpy 2.2 it raises ValueError')
    expect(values[0]).toBe(0)
    expect(Number(outputLines(code).at(-1))).toBeCloseTo(sum(values), 6)
    // The slide's loop in place of the shown one, on the same file and on one without a zero.
    const lecture = code.replace(
      /while \(chunk := np\.fromfile\(f, dtype=float, count=chunk_size\)\)\.size > 0:\n\s+for item in chunk:\n\s+yield item/,
      'while item := np.fromfile(f, dtype=float, count=1):\n            yield item'
    )
    expect(lecture).not.toBe(code)
    expect(Number(outputLines(lecture).at(-1))).toBe(0)
    const noZero = join(dir, 'no-zero.bin')
    writeFileSync(noZero, new Uint8Array(new Float64Array([1.5, 2.5]).buffer))
    // numpy 2.2 made the truth value of an empty array an error (a DeprecationWarning before).
    const [major, minor] = runPython('import numpy; print(*numpy.__version__.split(".")[:2])').split(' ').map(Number)
    const atTheEnd = (): string => runPython(lecture.replaceAll(pyStr(binary), pyStr(noZero)))
    if (major! > 2 || (major === 2 && minor! >= 2))
      expect(atTheEnd).toThrow(/ValueError: The truth value of an empty array is ambiguous/)
    else expect(outputLines(atTheEnd()).at(-1)).toBe('[4.]')
  })

  test('chained files are passed as process(*data_iterables), in order, with the user’s arguments', () => {
    const args: ProcessArgs = {
      inputs: [
        { path: binary, mode: 'lazyItem', chunkSize: 512, dtype: 'float64' },
        { path: second, mode: 'lazyItem', chunkSize: 512, dtype: 'float64' }
      ],
      progressEvery: 7000
    }
    const code = readPythonCode(args)
    expect(code).toContain(`read_binary_lazy(${JSON.stringify(binary).replace(/^"|"$/g, '"')}, 512)`)
    expect(code).toMatch(
      /total = process\(\n {4}read_binary_lazy\(.*data\.bin", 512\),\n {4}read_binary_lazy\(.*more\.bin", 512\),\n\)/
    )
    const lines = outputLines(code)
    expect(Number(lines.at(-1))).toBeCloseTo(sum(values) + sum(moreValues), 6)
    expect(lines).toHaveLength(5) // 7000, 14000, 21000, 28000 and the sum
  })

  test('other dtypes are summed in float64, as the app sums them: no float32 rounding, no integer wraparound', () => {
    const cases = [
      { dtype: 'int32', items: [2 ** 31 - 1, 2 ** 31 - 1, 5], bytes: (items: number[]) => new Int32Array(items) },
      {
        dtype: 'int64',
        items: [2 ** 62, 2 ** 62, 2 ** 62, 1],
        bytes: (items: number[]) => new BigInt64Array(items.map(BigInt))
      },
      {
        dtype: 'float32',
        items: Array.from({ length: 20_000 }, (_, i) => Math.fround(((i * 7919) % 1000) / 3)),
        bytes: (items: number[]) => new Float32Array(items)
      }
    ] as const
    for (const { dtype, items, bytes } of cases) {
      const path = join(dir, `${dtype}.bin`)
      writeFileSync(path, new Uint8Array(bytes([...items]).buffer))
      // What the app gives: the items as doubles, added in float64.
      const expected = sum([...items])
      for (const mode of ['eager', 'lazyItem', 'lazyChunk'] as const) {
        const code = readPythonCode({ inputs: [{ path, mode, chunkSize: 1000, dtype }], progressEvery: 10 ** 9 })
        const printed = Number(outputLines(code).at(-1))
        expect(Math.abs(printed - expected) / Math.abs(expected), `${dtype} ${mode}: ${printed}`).toBeLessThan(1e-12)
      }
    }
  })

  test('other dtypes are read as numpy reads them', () => {
    const ints = join(dir, 'ints.bin')
    writeFileSync(ints, new Uint8Array(new Int32Array([5, -7, 2 ** 30, 11]).buffer))
    const code = readPythonCode({ inputs: [{ path: ints, mode: 'eager', dtype: 'int32' }] })
    expect(code).toContain('dtype=np.int32')
    expect(Number(outputLines(code).at(-1))).toBe(5 - 7 + 2 ** 30 + 11)
  })
})
