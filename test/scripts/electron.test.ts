/**
 * The launch chain up to Electron's binary, with no network: finding the binary, downloading it
 * with electron's own @electron/get into a fake project, the plain message when that fails (a
 * mirror that refuses, one that never answers). The commands themselves: projectCommands.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createHash } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  cachedZipPath,
  electronPackage,
  findElectron,
  installElectron,
  ElectronUnavailable,
  type ElectronPackage
} from '../../scripts/electron'

const repo = resolve(import.meta.dirname, '../..')
const realModules = join(repo, 'node_modules')
const electronVersion = (
  JSON.parse(readFileSync(join(realModules, 'electron/package.json'), 'utf8')) as { version: string }
).version
const executableName = process.platform === 'win32' ? 'electron.exe' : 'electron'

const temporary: string[] = []
function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  temporary.push(folder)
  return folder
}
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true })
})

/**
 * A project whose node_modules/electron is the real package without a binary (no path.txt, no
 * dist), with electron's real dependencies linked in, or a fake @electron/get when given.
 */
function fakeProject(options: { fakeElectronGet?: string } = {}): { root: string; electron: string } {
  const root = temporaryFolder('yield-lab-project-')
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'fake-project', main: './out/main/index.js', type: 'module' })
  )
  const modules = join(root, 'node_modules')
  const electron = join(modules, 'electron')
  mkdirSync(electron, { recursive: true })
  for (const file of ['package.json', 'checksums.json', 'index.js', 'install.js'])
    cpSync(join(realModules, 'electron', file), join(electron, file))
  mkdirSync(join(modules, '@electron'), { recursive: true })
  mkdirSync(join(modules, '@electron-internal'), { recursive: true })
  symlinkSync(join(realModules, '@electron-internal/extract-zip'), join(modules, '@electron-internal/extract-zip'))
  if (options.fakeElectronGet === undefined) {
    // electron's own dependencies resolve from the project's node_modules, as npm hoists them.
    for (const name of ['@electron/get']) symlinkSync(join(realModules, name), join(modules, name))
  } else {
    const get = join(modules, '@electron/get')
    mkdirSync(get, { recursive: true })
    writeFileSync(
      join(get, 'package.json'),
      JSON.stringify({ name: '@electron/get', type: 'module', exports: './index.js' })
    )
    writeFileSync(join(get, 'index.js'), options.fakeElectronGet)
  }
  // A stand-in electron-vite that records how the launcher ran it.
  const vite = join(modules, 'electron-vite')
  mkdirSync(join(vite, 'bin'), { recursive: true })
  writeFileSync(
    join(vite, 'package.json'),
    JSON.stringify({ name: 'electron-vite', bin: { 'electron-vite': 'bin/cli.js' } })
  )
  writeFileSync(
    join(vite, 'bin/cli.js'),
    "require('fs').writeFileSync(require('path').join(process.cwd(), 'vite-run.json'), JSON.stringify({ args: process.argv.slice(2), exec: process.env.ELECTRON_EXEC_PATH }))\n"
  )
  return { root, electron }
}

/** A zip holding a stub `electron` executable and a `version` file, made by python3's zipfile. */
function electronZip(folder: string): { zip: string; sha256: string } {
  const zip = join(folder, `electron-v${electronVersion}-${process.platform}-${process.arch}.zip`)
  const made = spawnSync('python3', [
    '-c',
    `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    info = zipfile.ZipInfo(sys.argv[2]); info.external_attr = 0o755 << 16
    z.writestr(info, '#!/bin/sh\\necho stub electron "$@"\\n')
    z.writestr('version', sys.argv[3])`,
    zip,
    executableName,
    electronVersion
  ])
  expect(made.status, made.stderr.toString()).toBe(0)
  return { zip, sha256: createHash('sha256').update(readFileSync(zip)).digest('hex') }
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the launcher (`node --import tsx scripts/start.ts`, what `npm start` runs) in a project. */
function runLauncher(cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(join(realModules, 'tsx/dist/loader.mjs')).href, join(repo, 'scripts/start.ts')],
      {
        cwd,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolveRun({ code, stdout, stderr }))
  })
}

/** A mirror on loopback: `refuse` answers 404, `silent` accepts connections and never answers. */
let servers: Server[] = []
async function mirror(behaviour: 'refuse' | 'silent'): Promise<string> {
  const server = createServer((_request, response) => {
    if (behaviour === 'refuse') response.writeHead(404).end('no such release')
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}
afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  }
  servers = []
})

const isolatedEnv = (root: string): Record<string, string> => ({
  HOME: root,
  XDG_CACHE_HOME: join(root, 'cache'),
  electron_config_cache: join(root, 'electron-cache'),
  ELECTRON_EXEC_PATH: '',
  ELECTRON_OVERRIDE_DIST_PATH: ''
})

describe('finding the binary', () => {
  let electron: ElectronPackage
  beforeAll(() => {
    electron = electronPackage(fakeProject().root, {})
  })

  test('a missing binary is not found; a user ELECTRON_EXEC_PATH wins; ELECTRON_OVERRIDE_DIST_PATH names the dist folder', () => {
    expect(electron.version).toBe(electronVersion)
    expect(findElectron(electron, {})).toBeUndefined()
    expect(findElectron(electron, { ELECTRON_EXEC_PATH: '/opt/electron/electron' })).toBe(
      resolve('/opt/electron/electron')
    )
    expect(findElectron(electron, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/dist', ELECTRON_EXEC_PATH: '' })).toBe(
      resolve('/opt/dist', executableName)
    )
  })

  test('a project without the electron package is told to run npm install', () => {
    const empty = temporaryFolder('yield-lab-empty-')
    writeFileSync(join(empty, 'package.json'), '{}')
    expect(() => electronPackage(empty, {})).toThrow(ElectronUnavailable)
    expect(() => electronPackage(empty, {})).toThrow(/Run `npm install` first/)
  })
})

describe("downloading with electron's own @electron/get", () => {
  test('the cache path printed to the user is where @electron/get looks: a zip put there installs with no network', async () => {
    const { root, electron } = fakeProject()
    const env = { ...isolatedEnv(root), ELECTRON_MIRROR: await mirror('refuse') }
    const pkg = electronPackage(root, env)
    const cached = cachedZipPath(pkg, env)
    mkdirSync(dirname(cached), { recursive: true })
    const { zip, sha256 } = electronZip(root)
    cpSync(zip, cached)
    const executable = await installElectron(pkg, {
      env,
      checksums: { [`electron-v${electronVersion}-${process.platform}-${process.arch}.zip`]: sha256 }
    })
    expect(executable).toBe(join(electron, 'dist', executableName))
    expect(readFileSync(join(electron, 'path.txt'), 'utf8')).toBe(executableName)
    // Found from now on without any download.
    expect(findElectron(pkg, env)).toBe(executable)
  })

  test('a mirror that answers 404 gives the plain lines, with the HTTP status as the cause', async () => {
    const { root } = fakeProject()
    const env = { ...isolatedEnv(root), ELECTRON_MIRROR: await mirror('refuse') }
    const pkg = electronPackage(root, env)
    const failure = await installElectron(pkg, { env }).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(ElectronUnavailable)
    const lines = (failure as ElectronUnavailable).lines
    expect(lines[0]).toBe(`Could not download Electron ${electronVersion} for ${process.platform}-${process.arch}.`)
    expect(lines[1]).toMatch(/^Why: .*404/)
    expect(lines).toContain(`      ${cachedZipPath(pkg, env)}`)
  })
})

describe('the launcher (what npm start runs)', () => {
  test('a mirror that never answers: the plain message after the timeout, exit 1, no stack trace', async () => {
    const { root } = fakeProject()
    const run = await runLauncher(root, {
      ...isolatedEnv(root),
      ELECTRON_MIRROR: await mirror('silent'),
      YIELD_LAB_DOWNLOAD_TIMEOUT: '1'
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `Could not download Electron ${electronVersion} for ${process.platform}-${process.arch}.`
    )
    expect(run.stderr).toContain('Why: no answer from the mirror for 1 s')
    expect(run.stderr).toContain('set ELECTRON_EXEC_PATH to an installed Electron')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stderr).not.toContain('Electron uninstall')
    expect(existsSync(join(root, 'vite-run.json'))).toBe(false)
  })

  test('an installer that fails (the fake @electron/get throws ENOTFOUND): the cause in one line, exit 1', async () => {
    const { root } = fakeProject({
      fakeElectronGet:
        "export async function downloadArtifact() { throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND github.com'), { code: 'ENOTFOUND' }) }) }\n"
    })
    const run = await runLauncher(root, isolatedEnv(root))
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Why: getaddrinfo ENOTFOUND github.com')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  test('an installer that succeeds: path.txt and the binary are written, then electron-vite dev runs with it', async () => {
    const folder = temporaryFolder('yield-lab-zip-')
    const { zip } = electronZip(folder)
    const { root, electron } = fakeProject({
      fakeElectronGet: `export async function downloadArtifact() { return ${JSON.stringify(zip)} }\n`
    })
    const run = await runLauncher(root, isolatedEnv(root))
    expect(run.stderr).toContain(`Downloading Electron ${electronVersion}`)
    expect(run.code).toBe(0)
    const viteRun = JSON.parse(readFileSync(join(root, 'vite-run.json'), 'utf8')) as { args: string[]; exec: string }
    expect(viteRun).toEqual({ args: ['dev'], exec: join(electron, 'dist', executableName) })
    // The second start goes straight to the app: no download line.
    const again = await runLauncher(root, isolatedEnv(root))
    expect(again.code).toBe(0)
    expect(again.stderr).not.toContain('Downloading')
  })

  test('ELECTRON_OVERRIDE_DIST_PATH becomes the ELECTRON_EXEC_PATH electron-vite reads', async () => {
    const { root } = fakeProject()
    const dist = temporaryFolder('yield-lab-dist-')
    const run = await runLauncher(root, { ...isolatedEnv(root), ELECTRON_OVERRIDE_DIST_PATH: dist })
    expect(run.code).toBe(0)
    expect(JSON.parse(readFileSync(join(root, 'vite-run.json'), 'utf8'))).toEqual({
      args: ['dev'],
      exec: join(dist, executableName)
    })
  })
})
