/**
 * The Read tab's form, as pure functions: the reading modes in the lecture's words, chunk sizes
 * (items ↔ bytes, the 10–100 KB sweet spot), sample-data sizes and names, and the checks that
 * turn typed values into job arguments with a clear message when they are wrong.
 */
import { chunkSizeProblem, itemBytes, SWEET_SPOT_BYTES, type Dtype } from '@shared/dataFiles'
import { isSampleName, MAX_PROGRESS_EVERY, MAX_SAMPLE_BYTES, SEED_RULE, type ReadMode } from '@shared/readJobs'
import { formatBytes } from '@shared/format'

export interface ModeInfo {
  mode: ReadMode
  label: string
  /** The lecture's code for it. */
  code: string
  /** One line in the lecture's terms. */
  explain: string
}

export const modeInfos: readonly ModeInfo[] = [
  {
    mode: 'eager',
    label: 'Eager',
    code: 'np.fromfile(fname)',
    explain: 'read_binary_eager: the whole file in one array, then sum it. Fast, but needs memory for all of it.'
  },
  {
    mode: 'lazyItem',
    label: 'Lazy per item',
    code: 'read_binary_lazy(fname, chunk_size)',
    explain: 'Reads chunk_size items per read(), yields one number at a time: constant memory.'
  },
  {
    mode: 'lazyChunk',
    label: 'Lazy per chunk',
    code: 'yield chunk  # an array',
    explain: 'The same reads, but yields each chunk as an array, summed at once: constant memory, fast.'
  },
  {
    mode: 'text',
    label: 'Text, lazy',
    code: 'for line in open(fname)',
    explain: 'One number per line (np.savetxt), parsed as read; chunk size × item bytes per read().'
  }
]

export function modeInfo(mode: ReadMode): ModeInfo {
  return modeInfos.find((info) => info.mode === mode)!
}

/** Chunk sizes below this many bytes get the "tiny chunks are ~100× slower" warning. */
const TINY_CHUNK_BYTES = 1024

export type ChunkAdvice = 'tiny' | 'small' | 'sweet' | 'large'

export function chunkAdvice(bytes: number): ChunkAdvice {
  if (bytes < TINY_CHUNK_BYTES) return 'tiny'
  if (bytes < SWEET_SPOT_BYTES.from) return 'small'
  if (bytes <= SWEET_SPOT_BYTES.to) return 'sweet'
  return 'large'
}

export function chunkBytes(items: number, dtype: Dtype): number {
  return items * itemBytes[dtype]
}

/** Chunk presets in items for a dtype: one item, 1 KiB, 64 KiB (the sweet spot), 1 MiB. */
export function chunkPresets(dtype: Dtype): { label: string; items: number }[] {
  const size = itemBytes[dtype]
  return [
    { label: '1 item', items: 1 },
    { label: '1 KiB', items: 1024 / size },
    { label: '64 KiB', items: (64 * 1024) / size },
    { label: '1 MiB', items: (1024 * 1024) / size }
  ]
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string }

/** A chunk size typed into a number field (v-model.number gives a number or the raw string). */
export function checkChunkItems(raw: unknown, dtype: Dtype): Checked<number> {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  const problem = chunkSizeProblem(value, dtype)
  return problem === undefined ? { ok: true, value: value as number } : { ok: false, message: problem }
}

export function checkProgressEvery(raw: unknown): Checked<number> {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PROGRESS_EVERY) {
    return { ok: false, message: 'Progress interval must be a whole number of items from 1 up.' }
  }
  return { ok: true, value }
}

const MIB = 1024 * 1024

/** Memory limit typed in MiB; 0 would refuse every non-empty file, which is allowed (and explained). */
export function checkMemoryLimitMiB(raw: unknown): Checked<number> {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return { ok: false, message: 'Memory limit must be a number of MiB, 0 or more.' }
  }
  return { ok: true, value: Math.floor(value * MIB) }
}

/** Default eager limit: a quarter of the RAM. */
export function defaultMemoryLimit(totalMemoryBytes: number): number {
  return Math.floor(totalMemoryBytes / 4)
}

export const samplePresets = [
  { id: '1MiB', label: '1 MiB', bytes: MIB },
  { id: '64MiB', label: '64 MiB', bytes: 64 * MIB },
  { id: '512MiB', label: '512 MiB', bytes: 512 * MIB },
  { id: 'custom', label: 'Custom', bytes: 0 }
] as const
export type SamplePreset = (typeof samplePresets)[number]['id']

/** Custom sample sizes: 1 MiB up to 64 GiB, rounded down to whole float64 items. */
export function checkSampleMiB(raw: unknown): Checked<number> {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > MAX_SAMPLE_BYTES / MIB) {
    return { ok: false, message: 'Size must be from 1 MiB to 65536 MiB (64 GiB).' }
  }
  return { ok: true, value: Math.floor((value * MIB) / 8) * 8 }
}

export function checkSeed(raw: unknown): Checked<number> {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return { ok: false, message: `Seed must be ${SEED_RULE}.` }
  }
  return { ok: true, value }
}

export function checkSampleName(name: string): Checked<string> {
  if (!isSampleName(name)) {
    return {
      ok: false,
      message: "File name: letters, digits, '.', '_' and '-' only (no folders, not starting with '.')."
    }
  }
  return { ok: true, value: name }
}

/** A name that says what is in the file: sample-64MiB-seed0. */
export function defaultSampleName(bytes: number, seed: number): string {
  const size = formatBytes(bytes).replace(/\.0+ /, ' ').replace(' ', '')
  return `sample-${size.replace(/[^A-Za-z0-9.]/g, '')}-seed${seed}`
}
