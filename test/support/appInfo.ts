import type { AppInfo } from '../../src/shared/contract'

/** app.info's answer for handlers under test: a fixed machine, and the data directory given. */
export function testAppInfo(dataDirectory: string): AppInfo {
  return {
    name: 'yield-lab',
    version: 'test',
    platform: 'test',
    arch: 'x',
    cpuModel: 'cpu',
    cpuCount: 1,
    totalMemoryBytes: 1,
    dataDirectory,
    versions: {}
  }
}
