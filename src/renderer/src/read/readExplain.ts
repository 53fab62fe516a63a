/**
 * A run explained against the lecture, as pure functions: eager broken into allocate, read and sum;
 * the page faults and disk reads behind it (cold or warm page cache); and one sentence on why it
 * won or lost against the other runs on the same data. The lecture says "prefer to eager load the
 * full data set if you can afford it": true in Python, where every lazily yielded item costs an
 * interpreter step, but here chunks are summed natively, so eager's extra work can make it lose.
 */
import { formatBinaryBytes, formatBytes, formatCount, formatDuration, formatSlowdown, plural } from '@shared/format'
import { chunkAdvice, chunkBytes } from './readForm'
import { chainKey, type RowView } from './readResults'

/** Linux reports disk reads in 512-byte blocks (getrusage's ru_inblock). */
const BLOCK_BYTES = 512
/** A run that read at least this share of its bytes from disk found the file cold. */
const COLD_SHARE = 0.1
const SMALL_PAGE = 4096
/** Times within this factor of each other are called the same: runs on a shared machine vary that much. */
const SAME_TIME = 1.25
const HUGE_PAGE = 2 * 1024 * 1024
/**
 * A run that took more than this many times a repeat of the same read, and at least
 * OUTLIER_MIN_GAP_MS longer, was slowed by something else: runs of a millisecond or less vary
 * that much on their own.
 */
const OUTLIER = 2
const OUTLIER_MIN_GAP_MS = 5

export interface Phase {
  name: 'allocate' | 'read' | 'sum' | 'rest'
  label: string
  ms: number
  /** Share of the run's time, 0…1. */
  share: number
}

export interface Explanation {
  /** Eager's phases (allocate, read, sum and the rest of the run), or null for lazy runs. */
  phases: Phase[] | null
  /** Whether the file came from disk or from the page cache, in words (null when unknown). */
  cache: { state: 'cold' | 'warm'; text: string } | null
  /** The page faults of the run, in words (null when unknown). */
  faults: string | null
  /** One sentence: how this run compares with the others on the same data, and why. */
  verdict: string | null
  /** What ran beside it and skewed its times, in words (null when it ran alone). */
  skew: string | null
}

function phasesOf(view: RowView): Phase[] | null {
  const { row } = view
  if (row.eager === null) return null
  const total = Math.max(row.elapsedMs, 1e-9)
  const { allocateMs, readMs, sumMs } = row.eager
  const rest = Math.max(0, row.elapsedMs - allocateMs - readMs - sumMs)
  return [
    { name: 'allocate', label: 'allocate', ms: allocateMs },
    { name: 'read', label: 'read (and fault in)', ms: readMs },
    { name: 'sum', label: 'sum', ms: sumMs },
    { name: 'rest', label: 'open, check, report', ms: rest }
  ].map((phase) => ({ ...phase, share: phase.ms / total }) as Phase)
}

function cacheOf(view: RowView): Explanation['cache'] {
  const { row } = view
  if (row.costs === null || row.bytes === 0) return null
  const fromDisk = row.costs.blocksRead * BLOCK_BYTES
  if (fromDisk >= COLD_SHARE * row.bytes) {
    return {
      state: 'cold',
      text: `Cold: ${formatBytes(fromDisk)} came from the disk, not from the page cache, so this run measured the disk as much as the reader.`
    }
  }
  return {
    state: 'warm',
    text: 'Warm: the file came from the page cache (the kernel kept it in RAM from an earlier read or from writing it), so no time went to the disk.'
  }
}

function faultsOf(view: RowView): string | null {
  const { row } = view
  if (row.costs === null) return null
  const faults = row.costs.minorPageFaults + row.costs.majorPageFaults
  if (row.eager !== null && row.eager.readPageFaults > 0) {
    const perFault = row.bytes / row.eager.readPageFaults
    const pages =
      perFault <= 2 * SMALL_PAGE
        ? '4 KiB pages, one fault each'
        : perFault >= HUGE_PAGE / 2
          ? 'huge pages, one fault per 2 MiB'
          : 'partly huge pages, partly 4 KiB ones'
    return `${plural(row.eager.readPageFaults, 'page fault')} while reading the ${formatBytes(row.bytes)} buffer into fresh memory (about ${formatBytes(perFault)} per fault: ${pages}); ${formatCount(faults)} in the whole run.`
  }
  const inRun = `${plural(faults, 'page fault')} in the whole run`
  if (row.mode === 'eager') return `${inRun}.` // its read's own faults were not counted
  // Said as the row's own Peak RSS column shows it: a big chunk is a big buffer, and a run of tiny
  // chunks makes garbage as it goes.
  const buffer = row.chunkItems === null ? undefined : chunkBytes(row.chunkItems, row.dtype)
  const reuses = `the reader reuses one buffer${buffer === undefined ? '' : ` of ${formatBytes(buffer)}`}`
  if (view.memoryCost < LAZY_FLAT_BYTES) return `${inRun}: ${reuses}, so memory stays flat.`
  if (view.memoryCost < (buffer ?? 0) + LAZY_FLAT_BYTES)
    return `${inRun}: ${reuses}, so memory grew by that buffer (+${formatBytes(view.memoryCost)} peak RSS), not by the file.`
  return `${inRun}. ${reuses[0]!.toUpperCase()}${reuses.slice(1)} and never holds the file whole, yet the peak RSS rose by ${formatBytes(view.memoryCost)} while it ran: memory the process used besides that buffer.`
}

/** A lazy run whose peak RSS rose less than this is said to keep its memory flat. */
const LAZY_FLAT_BYTES = 1024 * 1024

function skewOf({ row }: RowView): string | null {
  if (row.sharedCpuWith.length === 0) return null
  return `Timed while ${row.sharedCpuWith.join(', ')} ran: they shared the CPU, so its times are slower than the read alone. Run it again alone before comparing it.`
}

/** Fastest run first. */
function byTime(a: RowView, b: RowView): number {
  return a.row.elapsedMs - b.row.elapsedMs
}

/** How many times `fast`'s time `slow` took (a run of 0 ms counted as the smallest time). */
function timeRatio(slow: RowView, fast: RowView): number {
  return slow.row.elapsedMs / Math.max(fast.row.elapsedMs, 1e-9)
}

function verdictOf(view: RowView, views: readonly RowView[]): string | null {
  const { row } = view
  if (row.outcome !== 'done') return null
  const key = chainKey(row.paths, row.mode, row.dtype)
  const others = views.filter(
    (other) =>
      other !== view &&
      other.row.outcome === 'done' &&
      chainKey(other.row.paths, other.row.mode, other.row.dtype) === key
  )
  // A repeat of this very read (same files, bytes, mode, chunk and style) that took far less time:
  // this run's time is the machine's, not the reader's.
  const fastestRepeat = others
    .filter(
      (other) =>
        other.row.mode === row.mode &&
        other.row.chunkItems === row.chunkItems &&
        other.row.style === row.style &&
        other.row.bytes === row.bytes &&
        other.row.count === row.count
    )
    .sort(byTime)[0]
  if (
    fastestRepeat !== undefined &&
    row.elapsedMs > OUTLIER * fastestRepeat.row.elapsedMs &&
    row.elapsedMs - fastestRepeat.row.elapsedMs >= OUTLIER_MIN_GAP_MS
  ) {
    const ratio = formatSlowdown(timeRatio(view, fastestRepeat))
    const repeat = fastestRepeat.row.run
    return cacheOf(view)?.state === 'cold' && cacheOf(fastestRepeat)?.state === 'warm'
      ? `This run read the file from the disk and took ${ratio} the time of run ${repeat}, the same read from the page cache: this run measured the disk. Compare run ${repeat} to judge the reader.`
      : `This run took ${ratio} the time of run ${repeat}, the same read of the same data: something else slowed it (other programs on the machine, the system reclaiming memory), so its time says little about the reader. Compare run ${repeat} instead.`
  }
  const fastestLazy = others.filter((other) => other.row.mode === 'lazyChunk').sort(byTime)[0]
  const eagerRuns = others.filter((other) => other.row.mode === 'eager')
  if (row.mode === 'eager' && fastestLazy !== undefined) {
    const ratio = timeRatio(view, fastestLazy)
    if (ratio >= 1 / SAME_TIME && ratio <= SAME_TIME) {
      return `Eager and lazy per chunk (run ${fastestLazy.row.run}) take about the same time here (within ${Math.round((SAME_TIME - 1) * 100)}%, which is run-to-run noise on a busy machine), so what tells them apart is memory: eager held the whole file (+${formatBytes(view.memoryCost)}), lazy one chunk.`
    }
    if (ratio > 1) {
      return `Eager loses here (${formatSlowdown(ratio)} the time of lazy per chunk, run ${fastestLazy.row.run}) because it must get ${formatBytes(row.bytes)} of fresh memory and copy the whole file into it before summing, while lazy per chunk reuses one small buffer that stays in the CPU cache and sums each chunk natively: the lecture's "prefer eager if you can afford it" is about Python, where every lazily yielded item costs an interpreter step.`
    }
    return `Eager wins here, as the lecture says: one big read and one native sum, and the file fits in the memory you can spare (it cost ${formatBytes(view.memoryCost)}).`
  }
  if (row.mode === 'lazyChunk' && eagerRuns.length > 0) {
    const eager = eagerRuns.sort(byTime)[0]!
    const faster = row.elapsedMs < eager.row.elapsedMs
    return faster
      ? `Lazy per chunk beats eager (run ${eager.row.run}) here: it never allocates the whole file, and each chunk is summed while it is still in the CPU cache.`
      : `Eager (run ${eager.row.run}) is faster here, as the lecture says, but it held the whole file in memory (+${formatBytes(eager.memoryCost)}) where lazy per chunk held one chunk.`
  }
  if (row.mode === 'lazyItem') return lazyItemVerdict(view, others)
  if (row.mode === 'text') {
    return 'Text is about 3× the bytes of binary, and every line is parsed into a number: the cost of a text format, whichever way it is read.'
  }
  return null
}

/** What a run read per read() call, as people read it; undefined for a run that did not read in chunks. */
function perRead({ row }: RowView): number | undefined {
  return row.chunkItems === null ? undefined : chunkBytes(row.chunkItems, row.dtype)
}

function readsTiny(view: RowView): boolean {
  const bytes = perRead(view)
  return bytes !== undefined && chunkAdvice(bytes) === 'tiny'
}

/**
 * The lecture's "100× slower" is the size of each read: its first lazy reader reads one number
 * (8 bytes) per call, and its fix reads a few kilobytes at a time while still yielding each
 * number. So a run is judged by its own read size, against the other lazy-per-item runs of the
 * same data on the other side of the tiny-read line; the generator step per number is the
 * smaller cost that stays, seen against a run that sums whole arrays.
 */
function lazyItemVerdict(view: RowView, others: readonly RowView[]): string {
  const { row } = view
  const bytes = perRead(view) ?? row.bytes
  const readText = (other: RowView): string => formatBinaryBytes(perRead(other) ?? other.row.bytes)
  const lazyItems = others.filter((other) => other.row.mode === 'lazyItem')
  // Only a run that reads more than tiny chunks shows what tiny reads cost.
  const larger = lazyItems.filter((other) => !readsTiny(other)).sort(byTime)[0]
  const wholeArrays = others.filter((other) => other.row.mode === 'lazyChunk' && !readsTiny(other)).sort(byTime)[0]
  /** "took 40× the time of" / "took about as long as" / "took 0.5× the time of". */
  const took = (ratio: number): string =>
    ratio > SAME_TIME || ratio < 1 / SAME_TIME ? `took ${formatSlowdown(ratio)} the time of` : 'took about as long as'
  if (readsTiny(view)) {
    const perNumber = `one system call per ${row.chunkItems === 1 ? 'number' : plural(row.chunkItems ?? 1, 'number')}`
    const said = `This run read only ${formatBinaryBytes(bytes)} per read() call, ${perNumber}`
    const against = larger ?? wholeArrays
    if (against === undefined)
      return `${said}: the tiny reads behind the lecture's "100× slower". Run it again with chunks of a few kilobytes or more to see what they cost.`
    const ratio = timeRatio(view, against)
    const other = `run ${against.row.run}, which read ${readText(against)} at a time${against === larger ? '' : ' and summed whole arrays'}`
    return ratio > SAME_TIME
      ? `${said} (${formatSlowdown(ratio)} the time of ${other}): the tiny reads behind the lecture's "100× slower". Reading at least a few kilobytes at a time fixes it, while the generator still yields one number at a time.`
      : `${said}, and ${took(ratio)} ${other}: the lecture's "100× slower" from tiny reads did not show here.`
  }
  const tiny = lazyItems.filter(readsTiny).sort(byTime).at(-1)
  let fixed = `Reading ${formatBinaryBytes(bytes)} at a time, this run is past the tiny reads behind the lecture's "100× slower" (under 1 KiB per read()).`
  if (tiny !== undefined) {
    const ratio = timeRatio(tiny, view)
    fixed =
      `Run ${tiny.row.run}, reading ${readText(tiny)} at a time, ${took(ratio)} this run, which read ${formatBinaryBytes(bytes)} at a time: ` +
      (ratio > SAME_TIME
        ? `the lecture's "100× slower" is those tiny reads, and larger chunks fix it.`
        : `the tiny reads behind the lecture's "100× slower" did not cost much here.`)
  }
  const stepsRatio = wholeArrays === undefined ? 0 : timeRatio(view, wholeArrays)
  const steps =
    wholeArrays !== undefined && stepsRatio > SAME_TIME
      ? ` What stays is a generator step for every number: ${formatSlowdown(stepsRatio)} the time of run ${wholeArrays.row.run}, which sums whole arrays.`
      : ''
  return fixed + steps
}

export function explainRun(view: RowView, views: readonly RowView[]): Explanation {
  return {
    phases: phasesOf(view),
    cache: cacheOf(view),
    faults: faultsOf(view),
    verdict: verdictOf(view, views),
    skew: skewOf(view)
  }
}

/** "allocate 1.2 ms · read 48 ms · sum 3.1 ms": eager's phases in one line. */
export function phasesLine(phases: readonly Phase[]): string {
  return phases
    .filter((phase) => phase.name !== 'rest')
    .map((phase) => `${phase.name} ${formatDuration(phase.ms)}`)
    .join(' · ')
}
