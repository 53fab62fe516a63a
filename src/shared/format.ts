/**
 * Numbers for people, the one place for them (app, sweep CLI and main's messages): sizes, counts,
 * durations, rates and sums.
 *
 * Two styles of sizes, each for its own job:
 * - `formatBytes`: file and folder sizes like ncdu (three significant digits, "1.50 KiB").
 * - `formatBinary`, `formatItems`, `formatBinaryBytes`: chunk sizes of the sweep, exact where they
 *   can be ("8 KiB", "1.5 Ki items").
 *
 * One style of durations, `formatDuration`, for every time shown: walks, reads, sweeps, estimates.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** Sizes like ncdu: binary units (1 KiB = 1024 bytes), three significant digits. 1536 → "1.50 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]!}`
}

/** Made once: toLocaleString builds a formatter on every call, which shows in a profile of a scan. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US')

/** Counts with grouped digits: 200,000. */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count)
}

/** A count and its noun, singular for exactly one: "1 run", "2,048 files", "3 entries". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`
}

/** The noun alone, for a label beside a number field: "item" for exactly one, else "items". */
export function pluralNoun(count: unknown, noun: string, nouns = `${noun}s`): string {
  return count === 1 ? noun : nouns
}

/**
 * Milliseconds to `digits` significant digits below a minute, whole seconds above:
 * "42.4 ms", "4.74 s", "36.3 s", "2 min 5 s". Estimates ask for 2 digits ("about 6.7 s left").
 */
export function formatDuration(ms: number, digits = 3): string {
  if (!Number.isFinite(ms)) return '—'
  // Rounded first, so 999.96 ms reads "1 s" rather than "1,000 ms".
  const milliseconds = Number(ms.toPrecision(digits))
  if (Math.abs(milliseconds) < 1000) return `${formatSignificant(milliseconds, digits)} ms`
  const seconds = Number((ms / 1000).toPrecision(digits))
  if (Math.abs(seconds) < 60) return `${formatSignificant(seconds, digits)} s`
  const wholeSeconds = Math.round(ms / 1000)
  return `${Math.floor(wholeSeconds / 60)} min ${wholeSeconds % 60} s`
}

/** Always in seconds, one decimal: "0.4 s", "12.5 s" (how long Python took to load). */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

const binaryUnits = ['', 'Ki', 'Mi', 'Gi', 'Ti']

/** 1 → "1", 1024 → "1 Ki", 1536 → "1.5 Ki", 1048576 → "1 Mi". */
export function formatBinary(value: number): string {
  let unit = 0
  let scaled = value
  while (Math.abs(scaled) >= 1024 && unit < binaryUnits.length - 1) {
    scaled /= 1024
    unit++
  }
  const number = Number.isInteger(scaled)
    ? String(scaled)
    : scaled >= 100
      ? scaled.toFixed(0)
      : scaled >= 10
        ? scaled.toFixed(1).replace(/\.0$/, '')
        : scaled.toFixed(2).replace(/\.?0+$/, '')
  return unit === 0 ? number : `${number} ${binaryUnits[unit]}`
}

export function formatItems(items: number): string {
  return `${formatBinary(items)} item${items === 1 ? '' : 's'}`
}

/** 8 → "8 B", 8192 → "8 KiB", 8388608 → "8 MiB". */
export function formatBinaryBytes(bytes: number): string {
  const text = formatBinary(bytes)
  return /[A-Za-z]$/.test(text) ? `${text}B` : `${text} B`
}

/** A number to about `digits` significant digits (all integer digits kept), with thousands separators. */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return '0'
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const decimals = Math.min(20, Math.max(0, digits - 1 - magnitude))
  SIGNIFICANT_FORMATS[decimals] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals })
  return SIGNIFICANT_FORMATS[decimals].format(value)
}

/** formatSignificant's formatters by their number of decimals, each made once (as COUNT_FORMAT). */
const SIGNIFICANT_FORMATS: Intl.NumberFormat[] = []

/** NaN or ±Infinity as Python and numpy print them: `nan`, `inf`, `-inf`. */
export function nonFiniteText(value: number): string {
  return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf'
}

/** A sum with 13 significant digits: enough to see agreement, short enough for a table; nan and inf as numpy prints them. */
export function formatSum(sum: number): string {
  if (!Number.isFinite(sum)) return nonFiniteText(sum)
  if (sum === 0) return '0'
  const magnitude = Math.abs(sum)
  if (magnitude >= 1e15 || magnitude < 1e-6) return sum.toExponential(12)
  return Number(sum.toPrecision(13)).toLocaleString('en-US', {
    maximumFractionDigits: 12,
    maximumSignificantDigits: 13
  })
}

/** Every digit of a sum (a table cell's title), nan and inf as numpy prints them. */
export function exactSum(sum: number): string {
  return Number.isFinite(sum) ? String(sum) : nonFiniteText(sum)
}

/** MB/s as process() measures it (decimal megabytes: bytes / 1e6 per second). */
export function formatRate(mbPerSecond: number): string {
  if (!Number.isFinite(mbPerSecond) || mbPerSecond <= 0) return '—'
  if (mbPerSecond >= 100) return `${formatCount(Math.round(mbPerSecond))} MB/s`
  if (mbPerSecond >= 1) return `${mbPerSecond.toFixed(1)} MB/s`
  return `${mbPerSecond.toPrecision(2)} MB/s`
}

/** Items per second, compact: 1.2 M/s, 850 k/s. */
export function formatItemRate(itemsPerSecond: number): string {
  if (!Number.isFinite(itemsPerSecond) || itemsPerSecond <= 0) return '—'
  if (itemsPerSecond >= 1e9) return `${(itemsPerSecond / 1e9).toFixed(1)} G/s`
  if (itemsPerSecond >= 1e6) return `${(itemsPerSecond / 1e6).toFixed(1)} M/s`
  if (itemsPerSecond >= 1e3) return `${(itemsPerSecond / 1e3).toFixed(0)} k/s`
  return `${Math.round(itemsPerSecond)} /s`
}

/** 1.0×, 12×, 140×. */
export function formatSlowdown(ratio: number): string {
  if (ratio < 10) return `${ratio.toFixed(1)}×`
  return `${formatCount(Math.round(ratio))}×`
}

/** A date and time in the person's own locale, e.g. "11/25/2025, 5:49:03 PM". */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString()
}

/** "Nov 25, 17:49" */
export function formatShortDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}
