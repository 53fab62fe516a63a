/**
 * The main-process generators a person can drive by hand from the Coroutines tab: what each is
 * called in Python, the job that runs it, and how its items print at the REPL.
 */
import type { JobArgs, JobKind } from '@shared/jobKinds'
import type { NumericChunk } from '@shared/dataFiles'
import { formatCount, nonFiniteText } from '@shared/format'
import type { WalkItem } from '@shared/walkJob'
import { pyStr, tripleRepr } from '@renderer/walk/pythonEquivalent'

export type RemoteSourceKind = 'range' | 'walk' | 'readItems' | 'readChunks'

export interface RemoteSourceForm {
  source: RemoteSourceKind
  start: number
  stop: number
  step: number
  path: string
  chunkSize: number
}

export interface RemoteSourcePlan {
  kind: JobKind
  args: JobArgs<'range'> | JobArgs<'walk'> | JobArgs<'read'>
  /** The Python expression the generator stands for, e.g. `os.walk('/data')`. */
  python: string
  label: string
}

export const remoteSourceLabels: Record<RemoteSourceKind, string> = {
  range: 'range(start, stop, step)',
  walk: 'os.walk(top)',
  readItems: 'read_binary_lazy(fname, chunk_size)',
  readChunks: 'chunks of a binary file'
}

export function planRemoteSource(form: RemoteSourceForm): RemoteSourcePlan {
  switch (form.source) {
    case 'range':
      return {
        kind: 'range',
        args: { start: form.start, stop: form.stop, step: form.step },
        python: `range_in_main(${form.start}, ${form.stop}, ${form.step})`,
        label: 'range in main'
      }
    case 'walk':
      return {
        kind: 'walk',
        args: { top: form.path },
        python: `os.walk(${pyStr(form.path)})`,
        label: 'os.walk in main'
      }
    case 'readItems':
      return {
        kind: 'read',
        args: { path: form.path, mode: 'lazyItem', chunkSize: form.chunkSize },
        python: `read_binary_lazy(${pyStr(form.path)}, chunk_size=${form.chunkSize})`,
        label: 'read_binary_lazy in main'
      }
    case 'readChunks':
      return {
        kind: 'read',
        args: { path: form.path, mode: 'lazyChunk', chunkSize: form.chunkSize },
        python: `read_binary_chunks(${pyStr(form.path)}, chunk_size=${form.chunkSize})`,
        label: 'read_binary_chunks in main'
      }
  }
}

/**
 * repr() of a float as Python prints it: the shortest digits that round-trip (as in JS), but in
 * Python's layout: positional for exponents -4…15 (with `.0` when integral), else `1e-05`, `1e+16`.
 */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value)) return nonFiniteText(value)
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string]
  const exponent = Number(exponentText)
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace(/[-.]/g, '')
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`
}

const dtypeOf: Record<string, string> = {
  Float64Array: 'float64',
  Float32Array: 'float32',
  Int32Array: 'int32',
  BigInt64Array: 'int64'
}

/** How the REPL shows one item of a main-process generator (long values cut for the transcript). */
export function remoteItemRepr(item: unknown): string {
  if (typeof item === 'number') return Number.isInteger(item) && Math.abs(item) < 2 ** 53 ? String(item) : pyFloat(item)
  if (ArrayBuffer.isView(item)) {
    const chunk = item as NumericChunk
    const head = Array.from(chunk.subarray(0, 4) as ArrayLike<number | bigint>, (x) =>
      typeof x === 'bigint' ? String(x) : pyFloat(x)
    )
    const more = chunk.length > 4 ? ', …' : ''
    return `array([${head.join(', ')}${more}], dtype=${dtypeOf[chunk.constructor.name] ?? 'float64'})  # ${formatCount(chunk.length)} items`
  }
  const walked = item as WalkItem
  if (walked.kind === 'dir') return tripleRepr(walked)
  if (walked.kind === 'skip')
    return `# not entered: ${walked.name} (${walked.reason === 'cycle' ? 'a cycle' : 'another file system'})`
  return `# onerror(${walked.error.message})`
}
