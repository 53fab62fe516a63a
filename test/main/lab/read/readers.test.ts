/**
 * Readers against numpy (the differential reference), fd hygiene, and every kind of bad input.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  ftruncateSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dtypes, MAX_CHUNK_BYTES, type Dtype, type NumericChunk } from '../../../../src/shared/dataFiles'
import { processData } from '../../../../src/main/lab/read/process'
import {
  EAGER_READ_PIECE_BYTES,
  readBinaryChunks,
  readBinaryEager,
  readBinaryLazy,
  readTextLazy
} from '../../../../src/main/lab/read/readers'
import { sumChunk } from '../../../../src/main/lab/sum'
import { catchLabError } from '../../../support/labErrors'
import { shownWithNote } from '../../../support/notUtf8'
import { requirePython, runPython } from '../../../support/python'

let dir: string

function openFds(): number {
  return readdirSync('/proc/self/fd').length
}

function drain<T>(iterable: Iterable<T>): T[] {
  return [...iterable]
}

function toNumbers(chunk: NumericChunk): number[] {
  return chunk instanceof BigInt64Array ? Array.from(chunk, (x) => Number(x)) : Array.from(chunk)
}

/** Written by numpy: per dtype a binary file, plus a savetxt text file of the float64 data. */
interface Fixture {
  path: string
  count: number
  sum: number
  /** Sum of |x|: the scale for the tolerance of a sum whose order differs from numpy's. */
  abs: number
  /** Some items (index → value as a string, exact for int64). */
  samples: Record<string, string>
}
let fixtures: Record<Dtype, Fixture>
let text: { path: string; count: number; sum: number; abs: number }
/** Items not dividing any chunk size used below (prime). */
const N = 100_003

const GENERATE = String.raw`
import json, sys
import numpy as np
d, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(107)
data = {
  'float64': rng.uniform(-1e3, 1e3, n),
  'float32': rng.uniform(-1e3, 1e3, n).astype(np.float32),
  'int32': rng.integers(-2**31, 2**31, n, dtype=np.int32),
  # beyond 2^32 (both words matter), negatives, and exactly representable extremes
  'int64': np.concatenate([rng.integers(-2**45, 2**45, n - 4, dtype=np.int64),
                           np.array([2**53, -2**53, 2**40 + 1, -1], dtype=np.int64)]),
}
out = {}
for name, a in data.items():
  path = f'{d}/{name}.bin'
  a.tofile(path)
  back = np.fromfile(path, dtype=a.dtype)
  # float32 summed by numpy in float32 would carry float32 rounding; the reference sum is in float64.
  s = back.astype(np.float64).sum() if name == 'float32' else back.sum()
  idx = [0, 1, n // 2, n - 2, n - 1]
  out[name] = {'path': path, 'count': int(back.size), 'sum': float(s), 'abs': float(np.abs(back.astype(np.float64)).sum()),
               'samples': {str(i): repr(back[i].item()) for i in idx}}
np.savetxt(f'{d}/float64.txt', data['float64'])
t = np.loadtxt(f'{d}/float64.txt')
out['text'] = {'path': f'{d}/float64.txt', 'count': int(t.size), 'sum': float(t.sum()), 'abs': float(np.abs(t).sum())}
print(json.dumps(out))
`

function expectSum(
  actual: { sum: number; count: number },
  expected: { sum: number; count: number; abs: number }
): void {
  expect(actual.count).toBe(expected.count)
  // Summation order differs from numpy's pairwise sum: compare relative to the sum of magnitudes.
  expect(Math.abs(actual.sum - expected.sum)).toBeLessThanOrEqual(1e-12 * expected.abs + 1e-9)
}

beforeAll(() => {
  requirePython()
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-readers-'))
  const out = JSON.parse(runPython(GENERATE, [dir, String(N)])) as Record<Dtype | 'text', Fixture>
  fixtures = { float64: out.float64, float32: out.float32, int32: out.int32, int64: out.int64 }
  text = out.text
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('differential vs numpy', () => {
  describe.each(dtypes)('%s', (dtype) => {
    it('eager: count, sum and items equal np.fromfile', () => {
      const f = fixtures[dtype]
      const data = readBinaryEager(f.path, dtype)
      expect(data.length).toBe(f.count)
      expectSum({ sum: sumChunk(data), count: data.length }, f)
      for (const [index, value] of Object.entries(f.samples)) {
        const item = data[Number(index)]!
        expect(typeof item === 'bigint' ? item.toString() : item).toEqual(dtype === 'int64' ? value : Number(value))
      }
    })

    it.each([1, 7, 4096, 65536, N + 5])('lazy items, chunk %i: process() sum and count equal numpy', (chunk) => {
      const f = fixtures[dtype]
      const result = processData([readBinaryLazy(f.path, chunk, dtype)])
      expectSum(result, f)
      expect(result.bytes).toBe(f.count * (dtype === 'float32' || dtype === 'int32' ? 4 : 8))
    })

    it.each([1, 1000, 65536, N + 5])('lazy chunks, chunk %i: sum, count and chunk lengths', (chunk) => {
      const f = fixtures[dtype]
      const lengths: number[] = []
      const collected: NumericChunk[] = []
      for (const c of readBinaryChunks(f.path, chunk, dtype)) {
        lengths.push(c.length)
        if (lengths.length <= 3) collected.push(c)
      }
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(f.count)
      expect(lengths.slice(0, -1).every((n) => n === chunk)).toBe(true)
      expect(lengths.at(-1)).toBe(f.count % chunk === 0 ? chunk : f.count % chunk)
      // Owned chunks: each its own exactly sized buffer, none aliasing another.
      for (const c of collected) expect([c.byteOffset, c.buffer.byteLength]).toEqual([0, c.byteLength])
      if (collected.length > 1) expect(collected[0]!.buffer).not.toBe(collected[1]!.buffer)
      expectSum(processData([readBinaryChunks(f.path, chunk, dtype)]), f)
      expectSum(processData([readBinaryChunks(f.path, chunk, dtype, { reuseBuffer: true })]), f)
    })

    it('lazy items equal the eager array item by item', () => {
      const f = fixtures[dtype]
      const eager = toNumbers(readBinaryEager(f.path, dtype))
      expect(drain(readBinaryLazy(f.path, 999, dtype))).toEqual(eager)
      expect(drain(readBinaryChunks(f.path, 999, dtype)).flatMap(toNumbers)).toEqual(eager)
    })
  })

  it('reuseBuffer yields views into one buffer that the next chunk overwrites', () => {
    const f = fixtures.float64
    const reader = readBinaryChunks(f.path, 1000, 'float64', { reuseBuffer: true })
    const first = reader.next().value as Float64Array
    const firstCopy = Array.from(first)
    const second = reader.next().value as Float64Array
    expect(second.buffer).toBe(first.buffer)
    expect(Array.from(first)).not.toEqual(firstCopy)
    reader.return()
  })

  it.each([65536, 4093, 100, 7])(
    'text, chunk %i bytes: equals np.loadtxt, and the binary items exactly',
    (chunkBytes) => {
      const values = drain(readTextLazy(text.path, { chunkBytes }))
      expect(values.length).toBe(text.count)
      expectSum({ sum: values.reduce((a, b) => a + b, 0), count: values.length }, text)
      // '%.18e' has 19 significant digits: every double reads back exactly.
      expect(values).toEqual(Array.from(readBinaryEager(fixtures.float64.path)))
    }
  )

  it('text through process(): sum and count equal np.loadtxt, bytes = file size', () => {
    const result = processData([readTextLazy(text.path)])
    expectSum(result, text)
    expect(result.bytes).toBe(readFileSync(text.path).length)
  })
})

describe('lazy reading really is lazy', () => {
  it('chunk size sets how far a reader reads ahead', () => {
    const f = fixtures.float64
    const one = readBinaryLazy(f.path, 1)
    expect(one.readStats.bytesRead).toBe(0) // not even opened before the first next()
    one.next()
    expect(one.readStats.bytesRead).toBe(8)
    one.next()
    expect(one.readStats.bytesRead).toBe(16)
    one.return()
    const big = readBinaryLazy(f.path, 4096)
    big.next()
    expect([big.readStats.bytesRead, big.readStats.fileBytes]).toEqual([4096 * 8, N * 8])
    big.return()
  })
})

describe('text format', () => {
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }

  it.each([1, 2, 3, 65536])(
    'handles LF, CRLF, CR, blank lines, comments, spaces, inf and nan (chunk %i bytes)',
    (chunkBytes) => {
      const path = file(
        'mixed.txt',
        '# header\r\n1.5\r\n\r\n  -2.25e+00 \n\n3\r4e-1\r\n.5\n+6.\ninf\n-Infinity\nnan\n7'
      )
      const values = drain(readTextLazy(path, { chunkBytes }))
      expect(values).toEqual([1.5, -2.25, 3, 0.4, 0.5, 6, Infinity, -Infinity, NaN, 7])
    }
  )

  it('lines split anywhere across chunk boundaries, with any line ends (property)', () => {
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -1e6, max: 1e6 }))
    const ending = fc.constantFrom('\n', '\r\n', '\r')
    const line = fc.tuple(fc.option(number, { nil: undefined, freq: 5 }), ending, fc.constantFrom('', ' ', '\t'))
    let case_ = 0
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (lines, chunkBytes, lastEnding) => {
          const expected: number[] = []
          let content = ''
          lines.forEach(([value, end, pad], i) => {
            if (value !== undefined) {
              expected.push(Object.is(value, -0) ? 0 : value)
              content += pad + (value === 0 ? '0' : value.toExponential(18)) + pad
            }
            content += i < lines.length - 1 || lastEnding ? end : ''
          })
          const path = file(`prop-${case_++}.txt`, content)
          expect(drain(readTextLazy(path, { chunkBytes }))).toEqual(expected)
        }
      ),
      { numRuns: 150 }
    )
  })

  it('a malformed line is MALFORMED_DATA naming the file and the line number', () => {
    const path = file('bad.txt', '1.0\r\n2.0\r\n\r\n3.0 4.0\r\n5.0\r\n')
    const reader = readTextLazy(path, { chunkBytes: 4 })
    expect(reader.next().value).toBe(1)
    expect(reader.next().value).toBe(2)
    const error = catchLabError(() => reader.next())
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toContain(path)
    expect(error.message).toContain('line 4')
    expect(error.path).toBe(path)
  })

  it.each([
    ['hex', '0x10'],
    ['words', 'hello'],
    ['comma decimal', '1,5'],
    ['two numbers', '1 2'],
    ['non-ASCII byte', Buffer.from([0x31, 0xa0, 0x32])],
    ['NUL', '1\u00002'],
    ['underscore', '1_000']
  ])('rejects %s', (_, line) => {
    const path = file('reject.txt', Buffer.concat([Buffer.from('1\n'), Buffer.from(line), Buffer.from('\n')]))
    const error = catchLabError(() => drain(readTextLazy(path)))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toContain('line 2')
  })

  it('a number followed by a # comment is read, as np.loadtxt reads it; a line of several numbers says how many', () => {
    const path = file('comments.txt', '# header\n1.0\n2.0  # inline\n  # indented comment\n3.0#tight\n')
    expect(drain(readTextLazy(path))).toEqual([1, 2, 3])
    const columns = catchLabError(() => drain(readTextLazy(file('columns.txt', '1 2 3\n4 5 6\n'))))
    expect(columns.code).toBe('MALFORMED_DATA')
    expect(columns.message).toMatch(
      /: line 1 holds 3 numbers: the Text mode reads one number per line, as np\.savetxt writes a 1-D array$/
    )
    expect(catchLabError(() => drain(readTextLazy(file('csv.txt', '1.5, 2.5\n')))).message).toMatch(
      /line 1 holds 2 numbers/
    )
    expect(catchLabError(() => drain(readTextLazy(file('noted.txt', '1 2 3  # a row\n')))).message).toMatch(
      /line 1 holds 3 numbers/
    )
    // A comment after something that is not a number does not make it one.
    expect(catchLabError(() => drain(readTextLazy(file('word.txt', 'abc # note\n')))).message).toMatch(
      /line 1 is not a number: "abc # note"$/
    )
  })

  it('a line that is not a number is quoted as the UTF-8 it is, what is not printable escaped; a byte-order mark is named', () => {
    const quoted = (bytes: Buffer): string =>
      catchLabError(() => drain(readTextLazy(file('quoted.txt', Buffer.concat([Buffer.from('1\n'), bytes]))))).message
    expect(quoted(Buffer.from('\uff11\n'))).toMatch(/: line 2 is not a number: "\uff11"$/)
    expect(quoted(Buffer.from('2 \u202e3\n'))).toMatch(/: line 2 is not a number: "2 \\u202e3"$/)
    expect(quoted(Buffer.from([0x31, 0xff, 0x0a]))).toMatch(/: line 2 is not a number: "1\ufffd"$/)
    const bom = catchLabError(() => drain(readTextLazy(file('bom.txt', '\ufeff1.0\n2.0\n'))))
    expect(bom.code).toBe('MALFORMED_DATA')
    expect(bom.message).toMatch(/: line 1 starts with a byte-order mark \(U\+FEFF\)/)
  })

  it('a very long line (binary data read as text) is refused without reading it all into memory', () => {
    const path = file('long.txt', Buffer.alloc(300_000, 0x31))
    const error = catchLabError(() => drain(readTextLazy(path, { chunkBytes: 1024, maxLineBytes: 100_000 })))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toMatch(/line 1 is longer than 100000 bytes/)
  })

  it('a long line read a few bytes at a time is scanned once, not again at every read', () => {
    // 16 KiB without a line end, refused past 8 KiB, 8 bytes per read: scanning what was carried at
    // every read looked at 4.2 million characters (1,025 reads × 4 KiB on average); once, 8,200.
    const path = file('unended.txt', Buffer.alloc(16 * 1024, 0x31))
    const charCodeAt = String.prototype.charCodeAt
    let looked = 0
    String.prototype.charCodeAt = function (this: string, index: number) {
      looked++
      return charCodeAt.call(this, index)
    }
    let error
    try {
      error = catchLabError(() => drain(readTextLazy(path, { chunkBytes: 8, maxLineBytes: 8 * 1024 })))
    } finally {
      String.prototype.charCodeAt = charCodeAt
    }
    expect(error.message).toBe(
      `${path}: line 1 is longer than 8192 bytes; is this really a text file with one number per line?`
    )
    expect(looked).toBeLessThanOrEqual(8 * 1024 + 8)
  })

  it.runIf(process.platform === 'linux')(
    'one read of 512 MiB or more (over the length of a string) still says what is wrong with the file',
    () => {
      // Sparse: NUL bytes on no disk, a line with no end, read whole at once.
      const path = join(dir, 'huge-line.txt')
      const fd = openSync(path, 'w')
      ftruncateSync(fd, 2 ** 29 + 2 ** 20)
      closeSync(fd)
      try {
        const error = catchLabError(() => drain(readTextLazy(path, { chunkBytes: MAX_CHUNK_BYTES })))
        expect(error.message).toBe(
          `${path}: line 1 is longer than 1048576 bytes; is this really a text file with one number per line?`
        )
      } finally {
        rmSync(path)
      }
    }
  )

  it('a garbage line of digits is rejected (no regex backtracking blow-up)', () => {
    const path = file('digits.txt', `${'1'.repeat(200_000)}x\n`)
    const error = catchLabError(() => drain(readTextLazy(path)))
    expect(error.code).toBe('MALFORMED_DATA')
    expect(error.message).toMatch(/line 1 is not a number/)
  })
})

describe('bad input', () => {
  const all = (path: string): Record<string, () => unknown> => ({
    eager: () => readBinaryEager(path),
    lazy: () => drain(readBinaryLazy(path, 16)),
    chunks: () => drain(readBinaryChunks(path, 16)),
    text: () => drain(readTextLazy(path))
  })

  it.each(['eager', 'lazy', 'chunks', 'text'])('%s: missing file is NOT_FOUND naming it', (mode) => {
    const path = join(dir, 'does-not-exist.bin')
    const error = catchLabError(all(path)[mode]!)
    expect([error.code, error.path]).toEqual(['NOT_FOUND', path])
    expect(error.message).toContain(path)
  })

  it.each(['eager', 'lazy', 'chunks', 'text'])('%s: a directory is IS_A_DIRECTORY', (mode) => {
    const error = catchLabError(all(dir)[mode]!)
    expect([error.code, error.path]).toEqual(['IS_A_DIRECTORY', dir])
    expect(error.message).toContain(dir)
  })

  it('an empty file is no error: nothing to read, sum 0, count 0', () => {
    const path = join(dir, 'empty.bin')
    writeFileSync(path, '')
    expect(readBinaryEager(path).length).toBe(0)
    expect(drain(readBinaryLazy(path, 1))).toEqual([])
    expect(drain(readBinaryChunks(path, 8))).toEqual([])
    expect(drain(readBinaryChunks(path, 8, 'float64', { reuseBuffer: true }))).toEqual([])
    expect(drain(readTextLazy(path))).toEqual([])
    const result = processData([readBinaryLazy(path, 4), readBinaryChunks(path, 4), readTextLazy(path)])
    expect([result.sum, result.count, result.bytes]).toEqual([0, 0, 0])
  })

  it.each(['eager', 'lazy', 'chunks'])(
    '%s: a size that is not a whole number of items is MALFORMED_DATA with the trailing bytes',
    (mode) => {
      const path = join(dir, 'trailing.bin')
      writeFileSync(path, Buffer.alloc(8 * 10 + 3))
      const error = catchLabError(all(path)[mode]!)
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toContain(path)
      expect(error.message).toContain('3 trailing bytes')
      // int32 items fit: 83 = 4 * 20 + 3 as well, 84 bytes would not be float64 but fine as int32
      writeFileSync(path, Buffer.alloc(8 * 10 + 4))
      expect(catchLabError(() => readBinaryEager(path)).message).toContain('4 trailing bytes')
      expect(readBinaryEager(path, 'int32').length).toBe(21)
      // Sizes are written as counts are everywhere else: with thousands separators.
      writeFileSync(path, Buffer.alloc(1_000_005))
      expect(catchLabError(all(path)[mode]!).message).toContain(': 1,000,005 bytes is not a whole number')
    }
  )

  it.each(['eager', 'lazy', 'chunks'])(
    '%s: trailing bytes in a text file point to the Text mode, not the dtype',
    (mode) => {
      const path = join(dir, 'numbers.txt')
      writeFileSync(path, '0.5\n1.5\n2.25\n') // 13 bytes
      const error = catchLabError(all(path)[mode]!)
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toBe(
        `${path}: 13 bytes is not a whole number of float64 items (8 bytes each): 5 trailing bytes; this looks like a text file (numbers written out as text), which the Text mode reads as numbers.`
      )
      expect(drain(readTextLazy(path))).toEqual([0.5, 1.5, 2.25])
    }
  )

  it.each(['eager', 'lazy', 'chunks'])(
    '%s: trailing bytes in a text file of words say it is text, and not the Text mode',
    (mode) => {
      const path = join(dir, 'notes.txt')
      writeFileSync(path, 'hello\nworld\n') // 12 bytes
      expect(catchLabError(all(path)[mode]!).message).toBe(
        `${path}: 12 bytes is not a whole number of float64 items (8 bytes each): 4 trailing bytes; this looks like a text file (not numbers one per line).`
      )
    }
  )

  describe('a file that shrinks while being read is an error, not a short result', () => {
    it.each([
      ['lazy items', (p: string) => readBinaryLazy(p, 1000)],
      ['chunks', (p: string) => readBinaryChunks(p, 1000)],
      ['text', (p: string) => readTextLazy(p, { chunkBytes: 1000 })]
    ] as const)('%s', (_, open) => {
      const path = join(dir, 'shrinking.bin')
      writeFileSync(path, readFileSync(text.path).subarray(0, 80_000))
      const reader = open(path) as Iterator<unknown>
      reader.next()
      truncateSync(path, 4000)
      const error = catchLabError(() => {
        for (let r = reader.next(); r.done !== true; r = reader.next());
      })
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toMatch(
        /shrank while being read: it had 80,000 bytes when opened but has no data at byte [\d,]+ any more/
      )
      expect(error.message).toContain(path)
    })

    it('eager (truncated between its large reads)', () => {
      const path = join(dir, 'shrinking-eager.bin')
      const fd = openSync(path, 'w')
      ftruncateSync(fd, EAGER_READ_PIECE_BYTES + 8 * 1024)
      closeSync(fd)
      let reports = 0
      const error = catchLabError(() =>
        readBinaryEager(path, 'float64', {
          control: {
            isCancelled: () => false,
            report: () => {
              if (reports++ === 0) truncateSync(path, EAGER_READ_PIECE_BYTES + 8)
            }
          }
        })
      )
      expect(error.code).toBe('MALFORMED_DATA')
      expect(error.message).toContain('shrank')
      rmSync(path)
    })
  })

  it('maxBytes: a file too large to read eagerly is TOO_LARGE, saying why lazy reading exists', () => {
    const f = fixtures.float64
    const error = catchLabError(() => readBinaryEager(f.path, 'float64', { maxBytes: 1000 }))
    expect(error.code).toBe('TOO_LARGE')
    expect(error.message).toContain(f.path)
    expect(error.message).toMatch(/into RAM at once.*lazily/)
    expect(readBinaryEager(f.path, 'float64', { maxBytes: N * 8 }).length).toBe(N)
  })

  it.each([0, -1, 1.5, NaN, Infinity, MAX_CHUNK_BYTES / 8 + 1, '8' as unknown as number])(
    'chunk size %s is INVALID_ARGUMENT at call time, naming the limit',
    (chunk) => {
      for (const make of [
        () => readBinaryLazy(fixtures.float64.path, chunk),
        () => readBinaryChunks(fixtures.float64.path, chunk)
      ]) {
        const error = catchLabError(make)
        expect(error.code).toBe('INVALID_ARGUMENT')
        expect(error.message).toContain(`from 1 to ${MAX_CHUNK_BYTES / 8} (1 GiB of float64)`)
      }
    }
  )

  it('the largest chunk size is accepted (and only a file-sized buffer allocated)', () => {
    expect(drain(readBinaryLazy(fixtures.int32.path, MAX_CHUNK_BYTES / 4, 'int32')).length).toBe(N)
  })

  it('unknown dtype and bad text options are INVALID_ARGUMENT', () => {
    expect(catchLabError(() => readBinaryEager(fixtures.float64.path, 'float16' as Dtype)).code).toBe(
      'INVALID_ARGUMENT'
    )
    expect(catchLabError(() => readBinaryLazy(fixtures.float64.path, 1, 'uint8' as Dtype)).message).toContain(
      'float64, float32, int32, int64'
    )
    expect(catchLabError(() => readTextLazy(text.path, { chunkBytes: 0 })).code).toBe('INVALID_ARGUMENT')
    expect(catchLabError(() => readTextLazy(text.path, { maxLineBytes: -1 })).code).toBe('INVALID_ARGUMENT')
    expect(catchLabError(() => readBinaryEager('')).code).toBe('INVALID_ARGUMENT')
  })

  describe('things that are not regular files are refused before any blocking open', () => {
    it.each(['eager', 'lazy', 'chunks', 'text'])('%s: /dev/zero is NOT_A_REGULAR_FILE', (mode) => {
      const error = catchLabError(all('/dev/zero')[mode]!)
      expect(error.code).toBe('NOT_A_REGULAR_FILE')
      expect(error.message).toMatch(/\/dev\/zero: is a character device/)
    })

    it.each(['eager', 'lazy', 'chunks', 'text'])(
      '%s: a /proc file (size 0, with content) is refused saying so',
      (mode) => {
        const error = catchLabError(all('/proc/self/status')[mode]!)
        expect(error.code).toBe('NOT_A_REGULAR_FILE')
        expect(error.message).toContain('/proc/self/status: has content although its size is 0 bytes')
      }
    )

    const sysfsFile = '/sys/devices/system/cpu/online'
    it.runIf(process.platform === 'linux' && existsSync(sysfsFile)).each(['eager', 'lazy', 'chunks', 'text'])(
      '%s: a /sys file (size 4,096, holding less) is refused saying so, not said to have shrunk',
      (mode) => {
        const error = catchLabError(all(sysfsFile)[mode]!)
        expect(error.code).toBe('NOT_A_REGULAR_FILE')
        expect(error.message).toBe(
          `${sysfsFile}: is a file of the kernel's (in /sys or /proc), whose size (4,096 bytes) does not tell what it holds; only files whose size tells what they hold can be read (copy it to a regular file first)`
        )
      }
    )

    it.each(['eager', 'lazy', 'chunks', 'text'])(
      '%s: a FIFO nobody writes to is NOT_A_REGULAR_FILE at once',
      (mode) => {
        const fifo = join(dir, `fifo-${mode}`)
        execFileSync('mkfifo', [fifo])
        // That it is never opened is asserted in readSyscalls.test.ts. Should the reader block in
        // open() all the same, this opens the FIFO's other end after 3 s, so the run does not hang.
        const watchdog = spawn('sh', ['-c', 'sleep 3; exec 3<>"$0"', fifo], { stdio: 'ignore' })
        try {
          const error = catchLabError(all(fifo)[mode]!)
          expect(error.code).toBe('NOT_A_REGULAR_FILE')
          expect(error.message).toContain(`${fifo}: is a named pipe (FIFO)`)
        } finally {
          watchdog.kill()
          rmSync(fifo)
        }
      }
    )
  })

  it('EACCES is PERMISSION_DENIED naming the file (run as an unprivileged user: root ignores file modes)', () => {
    const isRoot = process.getuid?.() === 0
    const open = join(dir, 'perm')
    mkdirSync(open, { mode: 0o755 })
    chmodSync(dir, 0o755) // nobody must reach the file to be refused by its mode, not by the directory
    const path = join(open, 'secret.bin')
    writeFileSync(path, Buffer.alloc(64))
    chmodSync(path, 0o000)
    const readersUrl = new URL('../../../../src/main/lab/read/readers.ts', import.meta.url).href
    const script = `
      const m = await import(${JSON.stringify(readersUrl)})
      const out = {}
      for (const [mode, run] of Object.entries({
        eager: () => m.readBinaryEager(${JSON.stringify(path)}),
        lazy: () => [...m.readBinaryLazy(${JSON.stringify(path)}, 1)],
        text: () => [...m.readTextLazy(${JSON.stringify(path)})]
      })) { try { run(); out[mode] = 'no error' } catch (e) { out[mode] = { code: e.code, message: e.message, path: e.path } } }
      console.log(JSON.stringify(out))`
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: new URL('../../../..', import.meta.url).pathname,
      ...(isRoot ? { uid: 65534, gid: 65534 } : {})
    })
    expect(child.stderr).toBe('')
    const out = JSON.parse(child.stdout) as Record<string, { code: string; message: string; path: string }>
    for (const mode of ['eager', 'lazy', 'text']) {
      expect(out[mode]).toEqual({ code: 'PERMISSION_DENIED', message: `${path}: permission denied`, path })
    }
  })
})

describe('file descriptors are always closed', () => {
  const f = (): string => fixtures.float64.path
  const readers: Record<string, () => Iterator<unknown> & { return(): unknown }> = {
    lazy: () => readBinaryLazy(f(), 100),
    lazy1: () => readBinaryLazy(f(), 1),
    chunks: () => readBinaryChunks(f(), 100),
    reused: () => readBinaryChunks(f(), 100, 'float64', { reuseBuffer: true }),
    text: () => readTextLazy(text.path, { chunkBytes: 1000 })
  }

  it.each(Object.keys(readers))(
    '%s: after finishing, after return(), after break, and never opened when never started',
    (name) => {
      const make = readers[name]!
      const before = openFds()
      const started = make()
      started.next()
      expect(openFds()).toBe(before + 1)
      started.return()
      expect(openFds()).toBe(before)

      for (const item of { [Symbol.iterator]: make }) {
        void item
        break
      }
      expect(openFds()).toBe(before)

      const full = make()
      for (let r = full.next(); r.done !== true; r = full.next());
      expect(openFds()).toBe(before)

      make() // created, never started: nothing open, nothing to close
      expect(openFds()).toBe(before)
    }
  )

  it('log narrates the open and the close done by the finally (finished, returned, failed)', () => {
    const path = f()
    const lines: string[] = []
    const log = (line: string): void => void lines.push(line)
    drain(readBinaryLazy(path, 50_000, 'float64', { log }))
    const chunks = readBinaryChunks(path, 10, 'float64', { log })
    chunks.next()
    chunks.return()
    const bad = join(dir, 'log-bad.txt')
    writeFileSync(bad, 'x\n')
    catchLabError(() => drain(readTextLazy(bad, { log })))
    const opened = `opened ${path} (${N * 8} bytes)`
    expect(lines).toEqual([
      opened,
      `closed ${path}`,
      opened,
      `closed ${path}`,
      `opened ${bad} (2 bytes)`,
      `closed ${bad}`
    ])
    // a log that throws changes nothing
    expect(
      drain(
        readBinaryLazy(path, 50_000, 'float64', {
          log: () => {
            throw new Error('log broke')
          }
        })
      ).length
    ).toBe(N)
  })

  it.runIf(process.platform === 'linux')(
    'log names a file whose name is not valid UTF-8 with U+FFFD and the note once',
    () => {
      writeFileSync(Buffer.from(join(dir, 'log-\xff.bin'), 'latin1'), new Uint8Array(16))
      const path = join(dir, 'log-\udcff.bin')
      const lines: string[] = []
      drain(readBinaryLazy(path, 2, 'float64', { log: (line) => void lines.push(line) }))
      expect(lines).toEqual([`opened ${shownWithNote(path)} (16 bytes)`, `closed ${shownWithNote(path)}`])
    }
  )

  it('after errors: shrinking file, trailing bytes, malformed text, eager refusals', () => {
    const before = openFds()
    const trailing = join(dir, 'fd-trailing.bin')
    writeFileSync(trailing, Buffer.alloc(13))
    catchLabError(() => drain(readBinaryLazy(trailing, 1)))
    catchLabError(() => drain(readBinaryChunks(trailing, 1)))
    catchLabError(() => readBinaryEager(trailing))
    catchLabError(() => readBinaryEager(f(), 'float64', { maxBytes: 1 }))
    const bad = join(dir, 'fd-bad.txt')
    writeFileSync(bad, '1\n2\nx\n')
    catchLabError(() => drain(readTextLazy(bad)))
    catchLabError(() => readBinaryEager(dir))
    catchLabError(() => readBinaryEager('/dev/zero'))
    const cancelled = catchLabError(() =>
      readBinaryEager(f(), 'float64', { control: { isCancelled: () => true, report: () => {} } })
    )
    expect([cancelled.code, cancelled.path]).toEqual(['CANCELLED', f()])
    expect(openFds()).toBe(before)
  })

  it('process() cancelled midway closes the current reader and the ones not reached', () => {
    const before = openFds()
    const inputs = [readBinaryLazy(f(), 100), readBinaryChunks(f(), 100), readTextLazy(text.path)]
    inputs[1]!.next() // opened ahead of time by its caller: must still be closed on cancel
    expect(openFds()).toBe(before + 1)
    let reports = 0
    const error = catchLabError(() =>
      processData(inputs, {
        progressEvery: 1000,
        control: { isCancelled: () => reports >= 3, report: () => void reports++ }
      })
    )
    expect(error.code).toBe('CANCELLED')
    expect(openFds()).toBe(before)
    for (const input of inputs) expect(input.next().done).toBe(true) // all closed, none restarts
    expect(openFds()).toBe(before)
  })
})

describe.runIf(process.platform === 'linux')('a file whose name is not valid UTF-8', () => {
  it('is read through the surrogate-escaped path the walker gives (the same bytes), never its U+FFFD look-alike', () => {
    const raw = Buffer.concat([Buffer.from(join(dir, 'latin1-')), Buffer.from([0xe9]), Buffer.from('.bin')])
    writeFileSync(raw, Buffer.from(new Float64Array([1.5, 2.5]).buffer))
    writeFileSync(join(dir, 'latin1-\uFFFD.bin'), Buffer.from(new Float64Array([100]).buffer))
    const escaped = join(dir, 'latin1-\udce9.bin')
    expect(processData([readBinaryLazy(escaped, 16)])).toMatchObject({ sum: 4, count: 2 })
    expect([...readBinaryEager(escaped)]).toEqual([1.5, 2.5])
    expect(processData([readBinaryLazy(join(dir, 'latin1-\uFFFD.bin'), 16)])).toMatchObject({ sum: 100, count: 1 })
  })
})
