/** electron-builder's configuration as electron-builder resolves it for this project. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { builderConfig } from '../../scripts/packaging'

const repo = resolve(import.meta.dirname, '../..')
const temporary = mkdtempSync(join(tmpdir(), 'yield-lab-packaging-'))
afterAll(() => rmSync(temporary, { recursive: true, force: true }))

describe.runIf(process.platform === 'linux')('electron-builder.ts', () => {
  test('is the configuration electron-builder loads, with the fuses set', async () => {
    const { default: loaded } = (await import('../../electron-builder')) as {
      default: ReturnType<typeof builderConfig>
    }
    expect(loaded.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false
    })
    expect(loaded.npmRebuild).toBe(false)
    expect(loaded.publish).toBeNull()
    expect(loaded.files).toContain('!node_modules/node-api-headers/**')
  })

  test('reuses an unpacked Electron only when it holds this version', () => {
    const dist = join(temporary, 'dist')
    mkdirSync(dist)
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist }
    expect(builderConfig(repo, env).electronDist).toBeUndefined()
    writeFileSync(join(dist, 'electron'), '')
    writeFileSync(join(dist, 'version'), '1.0.0')
    expect(builderConfig(repo, env).electronDist).toBeUndefined()
    const { version } = JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string
    }
    writeFileSync(join(dist, 'version'), `v${version}`)
    expect(builderConfig(repo, env).electronDist).toBe(dist)
  })
})
