import { describe, expect, test } from 'vitest'
import { explainRun, phasesLine } from '@renderer/read/readExplain'
import { viewRows } from '@renderer/read/readResults'
import { resultRow as row } from '../../../support/readRows'

const MIB = 1024 * 1024
const eagerRow = (run: number, elapsedMs: number, blocksRead = 0) =>
  row(run, {
    mode: 'eager',
    chunkItems: null,
    bytes: 16 * MIB,
    elapsedMs,
    eager: { allocateMs: 0.5, readMs: elapsedMs - 4, sumMs: 3, readPageFaults: 4096 },
    costs: { minorPageFaults: 4200, majorPageFaults: 0, blocksRead },
    startRssBytes: 100 * MIB,
    peakRssBytes: 116 * MIB
  })

describe('explainRun', () => {
  test('says what ran beside a run and skewed its times, and nothing for a run alone', () => {
    const views = viewRows([row(1, { sharedCpuWith: ['Walk /usr', 'Sweep data.bin'] }), row(2)])
    expect(explainRun(views[0]!, views).skew).toBe(
      'Timed while Walk /usr, Sweep data.bin ran: they shared the CPU, so its times are slower than the read alone. Run it again alone before comparing it.'
    )
    expect(explainRun(views[1]!, views).skew).toBeNull()
  })

  test('breaks eager into allocate, read and sum, with the rest of the run', () => {
    const views = viewRows([eagerRow(1, 40)])
    const { phases } = explainRun(views[0]!, views)
    expect(phases!.map((phase) => [phase.name, phase.ms])).toEqual([
      ['allocate', 0.5],
      ['read', 36],
      ['sum', 3],
      ['rest', 0.5]
    ])
    expect(phases!.reduce((total, phase) => total + phase.share, 0)).toBeCloseTo(1)
    expect(phasesLine(phases!)).toBe('allocate 0.5 ms · read 36 ms · sum 3 ms')
  })

  test('says when eager loses to lazy per chunk, and why, in one sentence', () => {
    const views = viewRows([eagerRow(1, 40), row(2, { bytes: 16 * MIB, elapsedMs: 10 })])
    const verdict = explainRun(views[0]!, views).verdict!
    expect(verdict).toMatch(
      /^Eager loses here \(4\.0× the time of lazy per chunk, run 2\) because it must get 16\.0 MiB of fresh memory/
    )
    expect(verdict).toContain('prefer eager if you can afford it')
    expect(verdict.match(/\. /g)).toBeNull() // one sentence
    expect(explainRun(views[1]!, views).verdict).toMatch(/^Lazy per chunk beats eager \(run 1\)/)
  })

  test('within 25% it calls them the same and points at memory instead', () => {
    const views = viewRows([eagerRow(1, 12), row(2, { bytes: 16 * MIB, elapsedMs: 10 })])
    expect(explainRun(views[0]!, views).verdict).toMatch(
      /^Eager and lazy per chunk \(run 2\) take about the same time here \(within 25%.*\(\+16\.0 MiB\)/
    )
  })

  test('says when eager wins, as the lecture says', () => {
    const views = viewRows([eagerRow(1, 5), row(2, { bytes: 16 * MIB, elapsedMs: 10 })])
    expect(explainRun(views[0]!, views).verdict).toMatch(/^Eager wins here, as the lecture says/)
    expect(explainRun(views[1]!, views).verdict).toMatch(/^Eager \(run 1\) is faster here.*\+16\.0 MiB/)
  })

  test('a cold run read from disk; a warm one from the page cache', () => {
    const views = viewRows([eagerRow(1, 40, (16 * MIB) / 512), eagerRow(2, 30, 0)])
    expect(explainRun(views[0]!, views).cache).toMatchObject({ state: 'cold' })
    expect(explainRun(views[0]!, views).cache!.text).toContain('16.0 MiB came from the disk')
    expect(explainRun(views[1]!, views).cache).toMatchObject({ state: 'warm' })
  })

  test('page faults: 4 KiB pages or huge pages, and flat memory for lazy readers', () => {
    const small = viewRows([eagerRow(1, 40)])
    expect(explainRun(small[0]!, small).faults).toContain('4,096 page faults while reading the 16.0 MiB buffer')
    expect(explainRun(small[0]!, small).faults).toContain('4 KiB pages, one fault each')
    const huge = viewRows([{ ...eagerRow(1, 40), eager: { allocateMs: 0, readMs: 30, sumMs: 3, readPageFaults: 8 } }])
    expect(explainRun(huge[0]!, huge).faults).toContain('huge pages, one fault per 2 MiB')
    const mixed = viewRows([
      { ...eagerRow(1, 40), eager: { allocateMs: 0, readMs: 30, sumMs: 3, readPageFaults: 517 } }
    ])
    expect(explainRun(mixed[0]!, mixed).faults).toContain('partly huge pages, partly 4 KiB ones')
    const lazy = viewRows([row(1)])
    expect(explainRun(lazy[0]!, lazy)).toMatchObject({
      phases: null,
      faults: expect.stringContaining('memory stays flat')
    })
    // Not where the row's own Peak RSS column shows a rise.
    const grew = viewRows([{ ...row(1), peakRssBytes: row(1).startRssBytes + 7 * MIB }])
    expect(explainRun(grew[0]!, grew).faults).not.toContain('flat')
    expect(explainRun(grew[0]!, grew).faults).toContain('yet the peak RSS rose by 7.00 MiB while it ran')
    // A big chunk is a big buffer: the rise is that buffer, not memory besides it.
    const bigChunk = viewRows([
      { ...row(1), chunkItems: 16 * 1024 * 1024, peakRssBytes: row(1).startRssBytes + 128 * MIB + 4096 }
    ])
    expect(explainRun(bigChunk[0]!, bigChunk).faults).toMatch(
      /: the reader reuses one buffer of 128 MiB, so memory grew by that buffer \(\+128 MiB peak RSS\), not by the file\.$/
    )
    // An eager run whose read's faults were not counted is not told as a lazy one.
    const eager = viewRows([{ ...eagerRow(1, 40), eager: { allocateMs: 0, readMs: 30, sumMs: 3, readPageFaults: 0 } }])
    expect(explainRun(eager[0]!, eager).faults).toBe('4,200 page faults in the whole run.')
  })

  test('a run far slower than a repeat of the same read is said to be slowed by something else, not judged', () => {
    const views = viewRows([
      eagerRow(1, 758),
      row(2, { elapsedMs: 29, bytes: 16 * MIB }),
      eagerRow(3, 21.3),
      eagerRow(4, 40)
    ])
    expect(explainRun(views[0]!, views).verdict).toBe(
      'This run took 36× the time of run 3, the same read of the same data: something else slowed it (other programs on the machine, the system reclaiming memory), so its time says little about the reader. Compare run 3 instead.'
    )
    // Within twice the fastest repeat, a run is judged as before; the fastest is judged against lazy per chunk.
    expect(explainRun(views[3]!, views).verdict).toMatch(
      /^Eager loses here \(1\.4× the time of lazy per chunk, run 2\)/
    )
    expect(explainRun(views[2]!, views).verdict).toMatch(/^Eager wins here, as the lecture says/)
    // Read from the disk against a repeat from the page cache: the disk is named, not other programs.
    const cold = viewRows([eagerRow(1, 758, 32768), eagerRow(2, 21)])
    expect(explainRun(cold[0]!, cold).verdict).toBe(
      'This run read the file from the disk and took 36× the time of run 2, the same read from the page cache: this run measured the disk. Compare run 2 to judge the reader.'
    )
    // Not the same read: other bytes (the file changed), another style; nor a gap of under 5 ms.
    for (const other of [
      { ...eagerRow(2, 21), bytes: MIB },
      row(2, { mode: 'lazyChunk', elapsedMs: 3, style: 'push' }),
      row(2, { mode: 'lazyChunk', elapsedMs: 0.02 })
    ]) {
      const first =
        other.mode === 'eager'
          ? eagerRow(1, 758)
          : row(1, { mode: 'lazyChunk', elapsedMs: other.elapsedMs === 3 ? 7.1 : 0.05 })
      const pair = viewRows([first, other])
      expect(explainRun(pair[0]!, pair).verdict ?? '', JSON.stringify(other)).not.toContain('the same read')
    }
  })

  test('lazy per item: the lecture’s “100× slower” is the tiny reads, judged by each run’s own read size', () => {
    const views = viewRows([
      row(1, { elapsedMs: 2 }),
      row(2, { mode: 'lazyItem', chunkItems: 1, elapsedMs: 200 }),
      row(3, { mode: 'lazyItem', chunkItems: 8192, elapsedMs: 5 }),
      row(4, { outcome: 'cancelled' }),
      row(5, { mode: 'lazyItem', chunkItems: 16, elapsedMs: 220 })
    ])
    const verdict = (run: number): string | null => explainRun(views[run - 1]!, views).verdict
    expect(verdict(2)).toBe(
      'This run read only 8 B per read() call, one system call per number (40× the time of run 3, which read 64 KiB at a time): the tiny reads behind the lecture’s "100× slower". Reading at least a few kilobytes at a time fixes it, while the generator still yields one number at a time.'.replace(
        '’',
        "'"
      )
    )
    expect(verdict(5)).toMatch(
      /^This run read only 128 B per read\(\) call, one system call per 16 numbers \(44× the time of run 3/
    )
    // The fast run is not called "100× slower": it names the slowest tiny-read run, and the step per number that stays.
    expect(verdict(3)).toBe(
      'Run 5, reading 128 B at a time, took 44× the time of this run, which read 64 KiB at a time: the lecture\'s "100× slower" is those tiny reads, and larger chunks fix it. What stays is a generator step for every number: 2.5× the time of run 1, which sums whole arrays.'
    )
    expect(verdict(4)).toBeNull()
    // Alone with a run that sums whole arrays, a tiny-read run is compared with it.
    const pair = viewRows([row(1, { elapsedMs: 2 }), row(2, { mode: 'lazyItem', chunkItems: 1, elapsedMs: 200 })])
    expect(explainRun(pair[1]!, pair).verdict).toContain(
      '(100× the time of run 1, which read 64 KiB at a time and summed whole arrays)'
    )
    // Within noise of each other, neither is said to be slower, nor that larger reads fix anything.
    const close = viewRows([
      row(1, { mode: 'lazyItem', chunkItems: 1, elapsedMs: 10 }),
      row(2, { mode: 'lazyItem', chunkItems: 8192, elapsedMs: 9 })
    ])
    expect(explainRun(close[0]!, close).verdict).toBe(
      'This run read only 8 B per read() call, one system call per number, and took about as long as run 2, which read 64 KiB at a time: the lecture\'s "100× slower" from tiny reads did not show here.'
    )
    expect(explainRun(close[1]!, close).verdict).toBe(
      'Run 1, reading 8 B at a time, took about as long as this run, which read 64 KiB at a time: the tiny reads behind the lecture\'s "100× slower" did not cost much here.'
    )
    // The tiny-read run faster: said as it is.
    const faster = viewRows([
      row(1, { mode: 'lazyItem', chunkItems: 1, elapsedMs: 5 }),
      row(2, { mode: 'lazyItem', chunkItems: 8192, elapsedMs: 10 })
    ])
    expect(explainRun(faster[0]!, faster).verdict).toContain('and took 0.5× the time of run 2')
    expect(explainRun(faster[1]!, faster).verdict).toMatch(
      /^Run 1, reading 8 B at a time, took 0\.5× the time of this run/
    )
    // A run summing whole arrays of tiny reads shows nothing about tiny reads.
    const bothTiny = viewRows([
      row(1, { mode: 'lazyItem', chunkItems: 16, elapsedMs: 145 }),
      row(2, { mode: 'lazyChunk', chunkItems: 16, elapsedMs: 95 })
    ])
    expect(explainRun(bothTiny[0]!, bothTiny).verdict).toBe(
      'This run read only 128 B per read() call, one system call per 16 numbers: the tiny reads behind the lecture\'s "100× slower". Run it again with chunks of a few kilobytes or more to see what they cost.'
    )
  })
})
