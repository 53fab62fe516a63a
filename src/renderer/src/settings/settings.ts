/**
 * Small settings that survive a restart of the app, kept in localStorage. Where storage is disabled
 * or full they last for the session only: a setting is never worth an error.
 */
function settingsStorage(): Storage | undefined {
  try {
    return globalThis.localStorage
  } catch {
    return undefined
  }
}

export function loadSetting(key: string): string | null {
  try {
    return settingsStorage()?.getItem(key) ?? null
  } catch {
    return null
  }
}

/** Stores `value`, or forgets the setting when it is null. */
export function saveSetting(key: string, value: string | null): void {
  try {
    const storage = settingsStorage()
    if (value === null) storage?.removeItem(key)
    else storage?.setItem(key, value)
  } catch {
    // Storage full or unavailable: the setting lasts for this session only.
  }
}
