/**
 * Console input history, as in a shell: Up walks back, Down forward, and the line being typed is
 * kept as the draft to return to. Persisted (capped) so it survives restarts of the app.
 */
import { loadSetting, saveSetting } from '@renderer/settings/settings'

const HISTORY_LIMIT = 200
export const HISTORY_STORAGE_KEY = 'yield-lab.python.history'

export function loadHistory(): string[] {
  try {
    const parsed: unknown = JSON.parse(loadSetting(HISTORY_STORAGE_KEY) ?? '[]')
    return Array.isArray(parsed)
      ? parsed.filter((entry): entry is string => typeof entry === 'string').slice(-HISTORY_LIMIT)
      : []
  } catch {
    return [] // a damaged entry is not worth an error: start a fresh history
  }
}

export function saveHistory(entries: readonly string[]): void {
  saveSetting(HISTORY_STORAGE_KEY, JSON.stringify(entries.slice(-HISTORY_LIMIT)))
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
