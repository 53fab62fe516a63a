import os from 'node:os'
import type { AppInfo } from '../../shared/contract'

/** Facts about this machine that a benchmark result must carry to be comparable. */
export function collectAppInfo(app: { name: string; version: string; dataDirectory: string }): AppInfo {
  const cpus = os.cpus()
  return {
    name: app.name,
    version: app.version,
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    dataDirectory: app.dataDirectory,
    versions: Object.fromEntries(
      Object.entries(process.versions).filter(
        (entry): entry is [string, string] =>
          ['node', 'v8', 'electron', 'chrome'].includes(entry[0]) && typeof entry[1] === 'string'
      )
    )
  }
}
