import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { textHead } from '../../../src/main/lab/dataFileHead'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('textHead tells text from raw items, and numbers one per line from other text', () => {
  test.each([
    ['numpy.savetxt of a 1-D array', '1.500000000000000000e+00\n-2.250000000000000000e+00\n'],
    ['blank and comment lines, blanks around numbers, CRLF', '# x\r\n\r\n  0.5 \r\n\t7\r\n'],
    ['inf and nan in every case Python reads', 'nan\ninf\n-Infinity\n+NaN\n'],
    ['a head cut inside its last line', '1.5\n2.25\n3.1e'],
    ['only comments (the Text mode reads no numbers)', '# a header\n# nothing else\n']
  ])('%s: numbers', (_case, text) => {
    expect(textHead(bytes(text))).toBe('numbers')
  })

  test.each([
    ['words (lowercase letters only, which the rule before this took for numbers)', 'hello world\nfoo\n'],
    ['numpy.savetxt of a 2-D array (two numbers a line)', '1.0 2.0\n3.0 4.0\n'],
    ['a CSV with a header', 'a,b\n1,2\n'],
    ['UTF-8 beyond ASCII', 'größe\n42\n'],
    ['a number line after a word line', 'total\n42\n']
  ])('%s: other text', (_case, text) => {
    expect(textHead(bytes(text))).toBe('other')
  })

  test('a head cut inside a UTF-8 character is still text', () => {
    const head = bytes('é\n'.repeat(3) + 'é').subarray(0, -1)
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(head)).toThrow()
    expect(textHead(head)).toBe('other')
  })

  test.each([
    ['empty', new Uint8Array(0)],
    ['no line end', bytes('1.5')],
    ['a NUL byte', bytes('1.5\n\0\n')],
    ['a control character', bytes('abc\x1b[0m\n')],
    ['Latin-1, not UTF-8', Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]
  ])('%s: not text', (_case, head) => {
    expect(textHead(head)).toBeUndefined()
  })

  test('float64 items as numpy writes them with tofile are not text, whatever their values', () => {
    const script = `
import numpy as np, sys
rng = np.random.default_rng(7)
parts = [np.arange(512, dtype=np.float64), rng.random(512), rng.normal(0, 1e6, 512), np.full(512, 10.0)]
parts += [rng.integers(32, 127, 512, dtype=np.uint8).view(np.float64)]  # printable bytes only, no line end
parts += [np.frombuffer(bytes(rng.integers(32, 127, 4088, dtype=np.uint8)) + b'\\n' * 8, dtype=np.float64)]
sys.stdout.buffer.write(b''.join(p.astype(np.float64).tobytes() for p in parts))
`
    const out = execFileSync('python3', ['-c', script], { maxBuffer: 1 << 24 })
    const heads = [0, 1, 2, 3, 4].map((i) => out.subarray(i * 4096, (i + 1) * 4096))
    for (const head of heads.slice(0, 4)) expect(textHead(head)).toBeUndefined()
    // Printable bytes without a line end are not taken for lines of text either.
    expect(textHead(heads[4]!)).toBeUndefined()
    // Bytes that are text make text, whatever wrote them: the rule reads bytes, not intent.
    expect(textHead(out.subarray(5 * 4096, 6 * 4096))).toBe('other')
  })
})
