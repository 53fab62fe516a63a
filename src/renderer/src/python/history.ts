/**
 * Console input history, as in a shell: Up walks back, Down forward, and the line being typed is
 * kept as the draft to return to. Persisted (capped) so it survives restarts of the app.
 */
export const HISTORY_LIMIT = 200
export const HISTORY_STORAGE_KEY = 'yield-lab.python.history'

/** The subset of Storage the history needs (localStorage in the app). */
export interface HistoryStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export function loadHistory(storage: HistoryStorage | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(HISTORY_STORAGE_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string').slice(-HISTORY_LIMIT) : []
  } catch {
    return [] // a damaged entry is not worth an error: start a fresh history
  }
}

export function saveHistory(storage: HistoryStorage | undefined, entries: readonly string[]): void {
  try {
    storage?.setItem(HISTORY_STORAGE_KEY, JSON.stringify(entries.slice(-HISTORY_LIMIT)))
  } catch {
    // Storage full or unavailable: history stays for this session only.
  }
}

/** Adds an input unless it repeats the last one; returns the capped list. */
export function remember(entries: readonly string[], input: string): string[] {
  if (input.trim() === '' || entries.at(-1) === input) return [...entries]
  return [...entries, input].slice(-HISTORY_LIMIT)
}

/** A walk through the history that starts at the draft being typed. */
export class HistoryCursor {
  private index: number
  private draft = ''

  constructor(private readonly entries: readonly string[]) {
    this.index = entries.length
  }

  /** The older entry, or undefined at the oldest. */
  back(current: string): string | undefined {
    if (this.index === 0) return undefined
    if (this.index === this.entries.length) this.draft = current
    this.index--
    return this.entries[this.index]
  }

  /** The newer entry, the draft after the newest, or undefined when already at the draft. */
  forward(): string | undefined {
    if (this.index >= this.entries.length) return undefined
    this.index++
    return this.index === this.entries.length ? this.draft : this.entries[this.index]
  }
}
