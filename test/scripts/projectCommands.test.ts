/**
 * The README's commands in this project, run to their end with no network: `npm start` and
 * `npm run smoke` with a stub Electron (the smoke run really runs the built main process, with the
 * fake electron module), and the packaging scripts with and without an unpacked Electron. One file,
 * so that its builds into out/ never overlap.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { tabIds, type SmokeReport } from '../../src/shared/smoke'

const repo = resolve(import.meta.dirname, '../..')
const stubElectron = join(repo, 'test/support/fakeElectron/electron-stub.mjs')
const electronVersion = (
  JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version
chmodSync(stubElectron, 0o755)

/** Each command builds the app first (dist:dir also typechecks): minutes on a loaded machine, never a bound on speed. */
const commandTimeout = 600_000

const temporary = mkdtempSync(join(tmpdir(), 'yield-lab-commands-'))
afterAll(() => rmSync(temporary, { recursive: true, force: true }))

/** The environment of a user without Electron: no binary named, none unpacked anywhere we would look. */
const withoutElectron = { ELECTRON_EXEC_PATH: '', ELECTRON_OVERRIDE_DIST_PATH: join(temporary, 'no-electron-here') }

function npm(args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync('npm', args, {
    cwd: repo,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: commandTimeout
  })
}

/**
 * An unpacked "Electron": a stub executable carrying Electron's fuse wire, each of its 8 fuses as
 * Electron 45 ships it (run as node, cookie encryption, NODE_OPTIONS, --inspect, asar integrity,
 * only app.asar, browser V8 snapshot, file:// extra privileges: 10110001), and its version.
 */
function fakeUnpackedElectron(): { dist: string; sentinel: Buffer } {
  const dist = join(temporary, 'electron-dist')
  mkdirSync(join(dist, 'resources'), { recursive: true })
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX')
  writeFileSync(
    join(dist, 'electron'),
    Buffer.concat([Buffer.from('#!/bin/sh\n# '), sentinel, Buffer.from([1, 8]), Buffer.from('10110001\nexit 0\n')])
  )
  chmodSync(join(dist, 'electron'), 0o755)
  writeFileSync(join(dist, 'version'), electronVersion)
  writeFileSync(join(dist, 'LICENSE'), 'MIT')
  return { dist, sentinel }
}

describe.runIf(process.platform === 'linux')('project commands', () => {
  test(
    'npm start builds, then runs the stub in the project root with the app path, whose package.json main is the built entry',
    () => {
      const record = join(temporary, 'start.json')
      const run = npm(['start'], { ELECTRON_EXEC_PATH: stubElectron, FAKE_ELECTRON_RECORD: record })
      expect(run.status, run.stderr).toBe(0)
      const recorded = JSON.parse(readFileSync(record, 'utf8')) as {
        cwd: string
        args: string[]
        env: Record<string, string>
      }
      expect(recorded.cwd).toBe(repo)
      expect(recorded.args[0]).toBe('.')
      expect(recorded.env['ELECTRON_RENDERER_URL']).toMatch(/^http:\/\/localhost:\d+/)
      const main = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { main: string }).main
      expect(existsSync(join(repo, main))).toBe(true)
    },
    commandTimeout
  )

  test(
    "npm run smoke: the built main process opens its window, takes the page's checks and exits 0 with a JSON report",
    () => {
      const record = join(temporary, 'smoke.json')
      const run = npm(['run', 'smoke'], {
        ELECTRON_EXEC_PATH: stubElectron,
        FAKE_ELECTRON_RUN_APP: '1',
        FAKE_ELECTRON_RECORD: record
      })
      expect(run.status, run.stderr).toBe(0)
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as SmokeReport
      expect(report).toMatchObject({ ok: true, failures: [], checks: { range: { ok: true, items: [0, 1, 2, 3, 4] } } })
      // As root with no display, Chromium needs these to open a window at all.
      const { args } = JSON.parse(readFileSync(record, 'utf8')) as { args: string[] }
      expect(args.slice(0, 2)).toEqual(['.', '--smoke'])
      if (process.getuid?.() === 0) expect(args).toContain('--no-sandbox')
    },
    commandTimeout
  )

  test(
    'a packaged app ignores ELECTRON_RENDERER_URL: it loads its own pages, never the page named there',
    () => {
      // Port 9 (discard) on loopback: nothing answers, so loading it would fail the smoke run.
      const run = npm(['run', 'smoke'], {
        ELECTRON_EXEC_PATH: stubElectron,
        FAKE_ELECTRON_RUN_APP: '1',
        FAKE_ELECTRON_PACKAGED: '1',
        ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/'
      })
      expect(run.status, run.stdout + run.stderr).toBe(0)
      expect(run.stderr).toContain('ELECTRON_RENDERER_URL is ignored: a packaged app loads only its own pages')
      expect((JSON.parse(run.stdout.trim().split('\n').at(-1)!) as SmokeReport).ok).toBe(true)
    },
    commandTimeout
  )

  test(
    'npm run smoke fails with exit 1 and says what failed when a tab did not mount',
    () => {
      const run = npm(['run', 'smoke'], {
        ELECTRON_EXEC_PATH: stubElectron,
        FAKE_ELECTRON_RUN_APP: '1',
        FAKE_RENDERER_TABS: 'walk,read'
      })
      expect(run.status).toBe(1)
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as SmokeReport
      expect(report.ok).toBe(false)
      expect(report.failures).toEqual([
        `tabs not mounted: ${tabIds.filter((id) => id !== 'walk' && id !== 'read').join(', ')}`
      ])
    },
    commandTimeout
  )

  test(
    'npm run dist:linux without an unpacked Electron stops before building, with the plain message',
    () => {
      const run = npm(['run', 'dist:linux'], withoutElectron)
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(`Packaging needs Electron ${electronVersion} for linux-${process.arch} unpacked in`)
      expect(run.stderr).toContain('Packaging never downloads Electron itself.')
      expect(run.stderr).not.toContain('ENOTFOUND')
      expect(run.stderr).not.toMatch(/\n\s+at /)
      expect(run.stdout).not.toContain('electron-builder')
    },
    commandTimeout
  )

  test(
    'npm run dist:dir packages the unpacked app from that Electron with no network, fuses set',
    () => {
      const { dist, sentinel } = fakeUnpackedElectron()
      const output = join(temporary, 'packages')
      const run = npm(['run', 'dist:dir', '--', `-c.directories.output=${output}`], {
        ELECTRON_EXEC_PATH: '',
        ELECTRON_OVERRIDE_DIST_PATH: dist
      })
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
      const unpacked = join(output, 'linux-unpacked')
      expect(existsSync(join(unpacked, 'resources', 'app.asar'))).toBe(true)
      const binary = readFileSync(join(unpacked, 'yield-lab'))
      const wire = binary
        .subarray(binary.indexOf(sentinel) + sentinel.length + 2, binary.indexOf(sentinel) + sentinel.length + 10)
        .toString()
      // runAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on, only app.asar on,
      // the V8 snapshot fuse as shipped, file:// extra privileges off.
      expect(wire).toBe('01001100')
    },
    commandTimeout
  )
})
