/**
 * ncdu's export format against the real ncdu 1.x: what ncdu writes is read and written back byte
 * for byte, what we write ncdu reads and writes back the same, names that are not UTF-8 survive
 * both ways, and broken files get an error naming the file.
 */
import { execFileSync } from 'node:child_process'
import { linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabError } from '../../src/shared/errors'
import {
  decodeNcdu,
  encodeNcdu,
  encodeNcduPieces,
  NCDU_PIECE_ENTRIES,
  ncduTotals,
  type NcduDirectory,
  type NcduEntry,
  type NcduExport
} from '../../src/shared/ncdu'
import { catchLabError } from '../support/labErrors'
import { ncdu } from '../support/ncdu'
import { NOT_UTF8_NOTE, shownWithNote } from '../support/notUtf8'
import { build, FIFO, Link } from '../support/tree'

let base = ''
let top = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-ncdu-'))
  top = join(base, 'tree')
  build(top, {
    'a.txt': 'hello',
    empty: {},
    zero: '',
    sub: { big: 'x'.repeat(10_000), deeper: { leaf: 'leaf' } },
    link: new Link('a.txt'),
    fifo: FIFO,
    'we"ird\\\ttab\nline\x7f': 'escaped'
  })
  linkSync(join(top, 'sub', 'big'), join(top, 'hardlink'))
  writeFileSync(Buffer.concat([Buffer.from(join(top, 'bad-')), Buffer.from([0xff, 0x80]), Buffer.from('-é')]), 'bytes')
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

function find(dir: NcduEntry, name: string): NcduEntry {
  const entry = dir.children?.find((child) => child.name === name)
  if (entry === undefined) throw new Error(`${name} is not in ${dir.name}`)
  return entry
}

function malformed(bytes: Uint8Array | string, file = '/data/scan.json'): LabError {
  try {
    decodeNcdu(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, file)
  } catch (error) {
    expect(error).toBeInstanceOf(LabError)
    expect((error as LabError).code).toBe('MALFORMED_DATA')
    expect((error as LabError).path).toBe(file)
    expect((error as LabError).message).toContain(file)
    return error as LabError
  }
  throw new Error('decodeNcdu accepted a file it should refuse')
}

describe.runIf(process.platform === 'linux')('ncdu export format, against ncdu 1.x', () => {
  it('reads what ncdu -o writes, fields and raw-byte names included, and writes the same bytes back', () => {
    const written = ncdu(['-o', '-', top])
    expect(written.includes(Buffer.from([0xff, 0x80])), 'ncdu writes the name’s raw bytes').toBe(true)
    const scan = decodeNcdu(written, 'ncdu-export.json')
    expect(scan.progname).toBe('ncdu')
    expect(scan.root.name).toBe(top)
    const { children, ...rootInfo } = scan.root
    expect(rootInfo.dev).toBeGreaterThan(0)
    expect(children!.map((child) => child.name).sort()).toEqual(
      [
        'a.txt',
        'bad-\udcff\udc80-é',
        'empty',
        'fifo',
        'hardlink',
        'link',
        'sub',
        'we"ird\\\ttab\nline\x7f',
        'zero'
      ].sort()
    )
    const hardlink = find(scan.root, 'hardlink')
    const big = find(find(scan.root, 'sub'), 'big')
    expect(hardlink).toMatchObject({ asize: 10_000, nlink: 2 })
    expect(hardlink.ino).toBe(big.ino)
    expect(find(scan.root, 'fifo')).toEqual({ name: 'fifo', notreg: true })
    expect(find(scan.root, 'link')).toMatchObject({ asize: 5, notreg: true })
    expect(find(scan.root, 'zero')).toEqual({ name: 'zero' })
    expect(find(scan.root, 'empty').children).toEqual([])
    expect(Buffer.from(encodeNcdu(scan)).equals(written)).toBe(true)
  })

  it('writes what ncdu reads and writes back unchanged but for its own name and version', () => {
    const scan: NcduExport = {
      progname: 'yield-lab',
      progver: '9.9.9',
      timestamp: 1_700_000_000,
      root: {
        name: '/scanned/root',
        asize: 4096,
        dsize: 4096,
        dev: 2049,
        children: [
          { name: 'bytes-\udcff\udcfe', asize: 3, dsize: 4096 },
          { name: 'ctl\x01"\\', asize: 1 },
          { name: 'big', asize: 2 ** 40, dsize: 2 ** 40 + 4096, ino: 77, nlink: 3 },
          { name: 'proc', dev: 4, excluded: 'othfs', children: [] },
          { name: 'node_modules', dev: 0, excluded: 'pattern' },
          { name: 'locked', asize: 4096, dsize: 4096, readError: true, children: [] },
          { name: 'sock', notreg: true },
          {
            name: 'mnt',
            asize: 4096,
            dsize: 4096,
            dev: 99,
            children: [
              { name: 'on-99', asize: 1, dsize: 4096 },
              { name: 'back', dev: 2049, asize: 5, dsize: 8 }
            ]
          }
        ]
      }
    }
    const ours = encodeNcdu(scan)
    const file = join(base, 'ours.json')
    writeFileSync(file, ours)
    const theirs = ncdu(['-f', file, '-o', '-'])
    const header = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1').split('\n')[0]!
    expect(header(ours)).toBe('[1,2,{"progname":"yield-lab","progver":"9.9.9","timestamp":1700000000},')
    expect(header(theirs)).toMatch(/^\[1,2,\{"progname":"ncdu","progver":"1\.\d+","timestamp":\d+\},$/)
    const body = (bytes: Uint8Array): Buffer => Buffer.from(bytes).subarray(Buffer.from(bytes).indexOf(0x0a))
    // ncdu 1.18 writes "othfs" but its importer looks for "otherfs", so it reads any other
    // exclusion back as "pattern": its own exports (ncdu -x -o) come back the same way.
    const asNcduReadsIt = body(ours).toString('latin1').replace('"excluded":"othfs"', '"excluded":"pattern"')
    expect(body(theirs).toString('latin1')).toBe(asNcduReadsIt)
    const proc = find(decodeNcdu(theirs, 're-export').root, 'proc')
    expect(proc).toEqual({ ...find(scan.root, 'proc'), excluded: 'pattern' })
  })

  it('names that are not UTF-8 round-trip as surrogate escapes, also from \\u escapes as Python writes them', () => {
    const scan = decodeNcdu(
      Buffer.from('[1,0,{},[{"name":"/r"},{"name":"a\\udcff"},{"name":"\\u00e9\\ud83d\\ude00"}]]'),
      'python.json'
    )
    expect(scan.root.children!.map((entry) => entry.name)).toEqual(['a\udcff', 'é😀'])
    expect(Buffer.from(encodeNcdu(scan)).toString('latin1')).toContain('"name":"a\xff"')
  })

  it('sums entries and sizes as ncdu lists them', () => {
    const scan = decodeNcdu(ncdu(['-o', '-', top]), 'ncdu-export.json')
    const du = execFileSync('du', ['-s', '--apparent-size', '-B1', '--count-links', top], { encoding: 'utf8' })
    expect(ncduTotals(scan.root).asize).toBe(Number(du.split('\t')[0]))
    expect(ncduTotals(scan.root).entries).toBe(1 + 9 + 3)
  })
})

describe('ncdu exports written piece by piece', () => {
  /** /r { d0..d9 { f0..f49 } }, each folder listing its entries only when asked (`listed` records it). */
  function lazyScan(): { root: NcduDirectory; listed: string[]; scan: NcduExport } {
    const listed: string[] = []
    const files = (): NcduEntry[] => Array.from({ length: 50 }, (_, f) => ({ name: `f${f}`, asize: f + 1 }))
    const folder = (name: string, children: () => (NcduEntry | NcduDirectory)[]): NcduDirectory => ({
      info: { name },
      entries: () => {
        listed.push(name)
        return children()
      }
    })
    const names = Array.from({ length: 10 }, (_, d) => `d${d}`)
    const root = folder('/r', () => names.map((name) => folder(name, files)))
    const scan: NcduExport = {
      progname: 'yield-lab',
      progver: '1',
      timestamp: 1,
      root: { name: '/r', children: names.map((name) => ({ name, children: files() })) }
    }
    return { root, listed, scan }
  }

  it('lists each folder only when it is reached, at most NCDU_PIECE_ENTRIES entries a piece', () => {
    const { root, listed } = lazyScan()
    const pieces = encodeNcduPieces({ progname: 'yield-lab', progver: '1', timestamp: 1 }, root)
    expect(listed).toEqual([])
    const first = pieces.next()
    expect(first.done).toBe(false)
    // 1 + 10 + 10 × 50 entries: the first piece reaches the third folder, no further.
    expect(listed).toEqual(['/r', 'd0', 'd1', 'd2'])
    const entries = (piece: Uint8Array): number => Buffer.from(piece).toString('latin1').split('{"name":').length - 1
    expect(entries(first.value!)).toBe(NCDU_PIECE_ENTRIES)
    const rest = [...pieces]
    expect(rest.map(entries)).toEqual([128, 128, 127])
    expect(listed).toHaveLength(11)
  })

  it('joined, the pieces are encodeNcdu’s bytes for the same scan', () => {
    const { root, scan } = lazyScan()
    const pieces = [...encodeNcduPieces(scan, root)]
    expect(Buffer.concat(pieces).equals(Buffer.from(encodeNcdu(scan)))).toBe(true)
  })
})

describe('ncdu exports that are broken get an error naming the file', () => {
  const good =
    '[1,2,{"progname":"ncdu","progver":"1.18","timestamp":1},\n[{"name":"/r","asize":4096,"dev":1},\n{"name":"f","asize":5}]]'

  it('accepts the well-formed sample these are cut from', () => {
    expect(ncduTotals(decodeNcdu(Buffer.from(good), 'good.json').root)).toEqual({ entries: 2, asize: 4101, dsize: 0 })
  })

  it('truncated anywhere', () => {
    for (let end = 0; end < good.length; end++) {
      const error = malformed(good.slice(0, end))
      if (end > 0 && good.slice(0, end).trim() !== '')
        expect(error.message, `cut after ${end} bytes`).toMatch(/truncated|not a valid ncdu export/)
    }
    expect(malformed(good.slice(0, 80)).message).toBe(
      '/data/scan.json: the ncdu export is truncated (it ends after 80 bytes, inside its data)'
    )
  })

  it('not JSON, not an export, or another major version', () => {
    expect(malformed('').message).toContain('is empty')
    expect(malformed('hello').message).toContain('is not an ncdu export')
    expect(malformed('{"a": 1}').message).toContain('is not an ncdu export')
    expect(malformed('[2,0,{},[{"name":"/"}]]').message).toBe(
      '/data/scan.json: is ncdu export version 2; only version 1 can be read (byte 1)'
    )
    expect(malformed('[1,2,{},{"name":"/"}]').message).toContain('the root is not a directory')
    expect(malformed('[1,2,{},[{"asize":1}]]').message).toContain('no "name"')
    expect(malformed('[1,2,{},[{"name":"/"},{"name":"f"} {"name":"g"}]]').message).toContain("expected ',' or ']'")
  })

  it('absurd or negative sizes, and names that are not one path component', () => {
    expect(malformed('[1,2,{},[{"name":"/","asize":18446744073709551615}]]').message).toContain(
      '"asize" is absurdly large (18446744073709551615)'
    )
    expect(malformed('[1,2,{},[{"name":"/"},{"name":"f","dsize":-4}]]').message).toContain(
      '"dsize" is not a whole number of at least 0'
    )
    expect(malformed('[1,2,{},[{"name":"/"},{"name":"f","nlink":1.5}]]').message).toContain('"nlink"')
    for (const name of ['', '.', '..', 'a/b', '../../etc'])
      expect(malformed(`[1,2,{},[{"name":"/"},{"name":${JSON.stringify(name)}}]]`).message).toContain(
        'is not a file name'
      )
    expect(malformed('[1,2,{},[{"name":"/"},{"name":"f","excluded":"why"}]]').message).toContain('"excluded" is "why"')
  })

  it('an inode number above 2^53 (an NTFS file id, from an export made on Windows) keeps files apart; one of 2^64 is refused', () => {
    // Two file ids one MFT record apart (reused 0xc6 times): one double, kept as two numbers.
    const [a, b] = [0x00c6000000035370n, 0x00c6000000035371n]
    const file = (name: string, ino: bigint): string =>
      `{"name":"${name}","asize":5,"dev":1,"ino":${ino},"hlnkc":true,"nlink":2}`
    const scan = decodeNcdu(
      Buffer.from(`[1,2,{},[{"name":"/r","dev":1},${file('one', a)},${file('two', b)},${file('small', 12n)}]]`),
      'windows.json'
    )
    const inodes = scan.root.children!.map((entry) => entry.ino)
    expect(new Set(inodes).size).toBe(3)
    expect(inodes[2]).toBe(12)
    expect(malformed(`[1,2,{},[{"name":"/"},${file('f', 1n << 64n)}]]`).message).toContain(
      '"ino" is absurdly large (18446744073709551616)'
    )
    expect(malformed(`[1,2,{},[{"name":"/"},{"name":"f","ino":1234567890123456.5}]]`).message).toContain(
      '"ino" is not a whole number of at least 0'
    )
  })

  it('a flag that is not true or false, near the end or not, and a file that ends inside true, false or null', () => {
    const flagged = '[1,2,{},[{"name":"/r"},{"name":"a","notreg":1}]]'
    expect(malformed(flagged).message).toBe(
      `/data/scan.json: not a valid ncdu export: "notreg" must be true or false at byte ${flagged.indexOf(':1') + 1}`
    )
    expect(malformed('[1,2,{},[{"name":"/r"},{"name":"a","read_error":"yes"}]]').message).toContain(
      '"read_error" must be true or false'
    )
    expect(malformed('[1,2,{},[{"name":"/r","uid":nope}]]').message).toContain('expected true, false or null')
    const literals = '[1,2,{},[{"name":"/r"},{"name":"a","notreg":false,"uid":null}]]'
    for (const cut of [literals.indexOf('false') + 1, literals.indexOf('null') + 3, literals.indexOf('null')])
      expect(malformed(literals.slice(0, cut)).message, literals.slice(0, cut)).toBe(
        `/data/scan.json: the ncdu export is truncated (it ends after ${cut} bytes, inside its data)`
      )
  })

  it('numbers too long to read, in a size, a skipped field or the version', () => {
    const digits = '1'.repeat(1_000_000)
    expect(malformed(`[1,2,{},[{"name":"/r"},{"name":"a","asize":${digits}}]]`).message).toBe(
      '/data/scan.json: not a valid ncdu export: a number too long to read (1000000 bytes) at byte 43'
    )
    expect(malformed(`[1,2,{},[{"name":"/r","mtime":${digits}}]]`).message).toContain('a number too long to read')
    expect(malformed(`[${digits},2,{},[{"name":"/r"}]]`).message).toBe(
      '/data/scan.json: not a valid ncdu export: a number too long to read (1000000 bytes) at byte 1'
    )
  })

  it('a name listed twice in one folder: two files, a file and a folder, two folders, the same bytes', () => {
    const twoFiles = '[1,2,{},[{"name":"/r"},[{"name":"files"},{"name":"a","asize":5},{"name":"a","asize":7}]]]'
    expect(malformed(twoFiles).message).toBe(
      `/data/scan.json: not a valid ncdu export: the folder "/r/files" lists "a" a second time (names in a folder are unique) at byte ${twoFiles.lastIndexOf('{"name":"a"')}`
    )
    // The folder listed second, children and all: its '[' is where the duplicate starts.
    const fileAndFolder = '[1,2,{},[{"name":"/"},{"name":"x","asize":3},[{"name":"x"},{"name":"inner"}]]]'
    expect(malformed(fileAndFolder).message).toBe(
      `/data/scan.json: not a valid ncdu export: the folder "/" lists "x" a second time (names in a folder are unique) at byte ${fileAndFolder.indexOf('[{"name":"x"')}`
    )
    const twoFolders =
      '[1,2,{},[{"name":"/r"},[{"name":"d"},[{"name":"dd"},{"name":"c1"}],[{"name":"dd"},{"name":"c2"}]]]]'
    expect(malformed(twoFolders).message).toContain(
      `the folder "/r/d" lists "dd" a second time (names in a folder are unique) at byte ${twoFolders.lastIndexOf('[{"name":"dd"')}`
    )
    // Names that are not UTF-8 are compared by their bytes, and shown with U+FFFD and the note.
    const inSub = (second: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from('[1,2,{},[{"name":"/r"},[{"name":"sub-'),
        Buffer.from([0xfe]),
        Buffer.from('"},{"name":"a'),
        Buffer.from([0xff]),
        Buffer.from('"},{"name":"'),
        second,
        Buffer.from('"}]]]')
      ])
    const rawTwice = inSub(Buffer.from([0x61, 0xff]))
    expect(malformed(rawTwice).message).toBe(
      `/data/scan.json: not a valid ncdu export: the folder "/r/sub-\uFFFD" ${NOT_UTF8_NOTE} lists "a\uFFFD" ${NOT_UTF8_NOTE} a second time (names in a folder are unique) at byte ${rawTwice.lastIndexOf('{"name":"a')}`
    )
    // Python's \udcff escape of the same byte is the same name.
    expect(malformed(inSub(Buffer.from('a\\udcff'))).message).toContain(
      `lists "a\uFFFD" ${NOT_UTF8_NOTE} a second time`
    )
  })

  it('accepts names that are alike but not the same: in other folders, in another case, other bytes shown alike', () => {
    const scan = decodeNcdu(
      Buffer.concat([
        Buffer.from(
          '[1,2,{},[{"name":"/r"},[{"name":"one"},{"name":"a"},[{"name":"d"}]],[{"name":"two"},{"name":"a"},[{"name":"d"}]],' +
            '{"name":"a"},{"name":"A"},{"name":"b'
        ),
        Buffer.from([0xff]),
        Buffer.from('"},{"name":"b'),
        Buffer.from([0xfe]),
        Buffer.from('"}]]')
      ]),
      'alike.json'
    )
    expect(scan.root.children!.map((entry) => entry.name)).toEqual(['one', 'two', 'a', 'A', 'b\udcff', 'b\udcfe'])
    expect(find(scan.root, 'one').children!.map((entry) => entry.name)).toEqual(['a', 'd'])
    expect(find(scan.root, 'two').children!.map((entry) => entry.name)).toEqual(['a', 'd'])
  })

  it('names that are not valid UTF-8, the file’s and an entry’s, are shown with U+FFFD and the note once each', () => {
    const file = '/data/scan-\udcff.json'
    const refused = (text: string): LabError => {
      const error = catchLabError(() => decodeNcdu(Buffer.from(text, 'latin1'), file))
      expect([error.code, error.path]).toEqual(['MALFORMED_DATA', file])
      return error
    }
    const shownFile = shownWithNote(file)
    expect(refused('').message).toBe(`${shownFile}: is empty, not an ncdu export`)
    expect(refused('hello').message).toBe(`${shownFile}: is not an ncdu export (ncdu's JSON export starts with "[1,")`)
    expect(refused('[2,0,{},[{"name":"/"}]]').message).toBe(
      `${shownFile}: is ncdu export version 2; only version 1 can be read (byte 1)`
    )
    expect(refused(good.slice(0, 80)).message).toBe(
      `${shownFile}: the ncdu export is truncated (it ends after 80 bytes, inside its data)`
    )
    const absurd = '[1,2,{},[{"name":"/","asize":18446744073709551615}]]'
    expect(refused(absurd).message).toBe(
      `${shownFile}: not a valid ncdu export: "asize" is absurdly large (18446744073709551615) at byte ${absurd.indexOf('1844')}`
    )
    const slashed = '[1,2,{},[{"name":"/"},{"name":"a\xff/b"}]]'
    expect(refused(slashed).message).toBe(
      `${shownFile}: not a valid ncdu export: "a\uFFFD/b" ${NOT_UTF8_NOTE} is not a file name at byte ${slashed.indexOf('"a')}`
    )
    const unwritable = catchLabError(() =>
      encodeNcdu({
        progname: 'yield-lab',
        progver: '1',
        timestamp: 0,
        root: { name: '/r', children: [{ name: 'x\udcff\ud800' }] }
      })
    )
    expect(unwritable.message).toBe(`"x\uFFFD\\ud800" ${NOT_UTF8_NOTE} cannot be written as a name`)
  })

  it('skips fields it does not use, as ncdu -e writes them', () => {
    const scan = decodeNcdu(
      Buffer.from(
        '[1,2,{"x":[1,{"y":null}]},[{"name":"/","uid":0,"mode":16877,"mtime":5,"other":{"a":[true,false]}}]]'
      ),
      'extended.json'
    )
    expect(scan.root).toEqual({ name: '/', children: [] })
  })
})
