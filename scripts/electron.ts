/**
 * Finds Electron's binary for `npm start`, `npm run smoke` and packaging, and downloads it when it is
 * missing. electron 45 no longer fetches its binary at install time and electron-vite only reads
 * `node_modules/electron/path.txt`, so the first start has to do what electron's `install-electron`
 * bin would do, but in-process, so that the real cause of a failure (ENOTFOUND, a timeout, an HTTP
 * status) can be told to the user in plain words.
 *
 * electron's own machinery (`@electron/get`, `@electron-internal/extract-zip`) is resolved from the
 * electron package itself, exactly as its install script does.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Seconds without a byte from the mirror before the download gives up (YIELD_LAB_DOWNLOAD_TIMEOUT overrides). */
export const DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 20

export interface ElectronPackage {
  /** node_modules/electron of the project. */
  directory: string
  version: string
  major: number
  platform: NodeJS.Platform | string
  arch: string
}

export type Env = Record<string, string | undefined>

/** The executable's path inside an unpacked Electron, as electron's install script names it. */
export function executableInDist(platform: string): string {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron'
    case 'win32':
      return 'electron.exe'
    default:
      throw new ElectronUnavailable([`Electron has no builds for the platform ${platform}.`])
  }
}

/** The project's electron package, or a plain error when `npm install` has not been run. */
export function electronPackage(projectRoot: string, env: Env = process.env): ElectronPackage {
  const require = createRequire(join(projectRoot, 'package.json'))
  let manifest: string
  try {
    manifest = require.resolve('electron/package.json')
  } catch {
    throw new ElectronUnavailable([
      `The electron package is not installed in ${projectRoot}.`,
      'Run `npm install` first.'
    ])
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
  return {
    directory: dirname(manifest),
    version,
    major: Number(version.split('.')[0]),
    platform: env['ELECTRON_INSTALL_PLATFORM'] ?? env['npm_config_platform'] ?? process.platform,
    arch: env['ELECTRON_INSTALL_ARCH'] ?? env['npm_config_arch'] ?? process.arch
  }
}

/**
 * The unpacked Electron of this version that packaging reuses: ELECTRON_OVERRIDE_DIST_PATH when set
 * (electron's own name for its dist folder), else node_modules/electron/dist, if it holds this version.
 */
export function installedDist(electron: ElectronPackage, env: Env = process.env): string | undefined {
  const dist = env['ELECTRON_OVERRIDE_DIST_PATH']
    ? resolve(env['ELECTRON_OVERRIDE_DIST_PATH'])
    : join(electron.directory, 'dist')
  try {
    const version = readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '')
    if (version === electron.version && existsSync(join(dist, executableInDist(electron.platform)))) return dist
  } catch {
    // not installed
  }
  return undefined
}

/**
 * The binary to run, without downloading: a user's ELECTRON_EXEC_PATH wins, then
 * ELECTRON_OVERRIDE_DIST_PATH (which electron honours and electron-vite ignores), then the binary
 * in node_modules/electron/dist.
 */
export function findElectron(electron: ElectronPackage, env: Env = process.env): string | undefined {
  const execPath = env['ELECTRON_EXEC_PATH']
  if (execPath) return resolve(execPath)
  const overrideDist = env['ELECTRON_OVERRIDE_DIST_PATH']
  if (overrideDist) return resolve(overrideDist, executableInDist(electron.platform))
  if (!existsSync(join(electron.directory, 'path.txt'))) return undefined
  const dist = installedDist(electron, env)
  return dist === undefined ? undefined : join(dist, executableInDist(electron.platform))
}

interface ElectronGet {
  downloadArtifact(details: Record<string, unknown>): Promise<string>
}

/** Imports one of electron's own dependencies, resolved from the electron package (as its install script does). */
async function importFromElectron<T>(electron: ElectronPackage, specifier: string): Promise<T> {
  const require = createRequire(join(electron.directory, 'package.json'))
  return (await import(pathToFileURL(require.resolve(specifier)).href)) as T
}

function downloadTimeoutSeconds(env: Env): number {
  const raw = env['YIELD_LAB_DOWNLOAD_TIMEOUT']
  const seconds = raw === undefined ? DEFAULT_DOWNLOAD_TIMEOUT_SECONDS : Number(raw)
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_DOWNLOAD_TIMEOUT_SECONDS
}

/** The folder `@electron/get` caches downloads in: electron_config_cache, or the user's cache folder. */
export function cacheRoot(env: Env = process.env): string {
  const configured = env['electron_config_cache']
  if (configured) return resolve(configured)
  const home = env['HOME'] ?? env['USERPROFILE'] ?? '.'
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'electron')
  if (process.platform === 'win32')
    return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'electron', 'Cache')
  return join(env['XDG_CACHE_HOME'] ?? join(home, '.cache'), 'electron')
}

/** The zip's file name on the mirror, e.g. electron-v45.5.0-linux-x64.zip. */
export function zipName(electron: ElectronPackage): string {
  return `electron-v${electron.version}-${electron.platform}-${electron.arch}.zip`
}

/** The first of these variables that is set: @electron/get reads its mirror settings from them in this order. */
function firstSet(env: Env, names: string[]): string | undefined {
  return names.map((name) => env[name]).find((value) => value)
}

/** ELECTRON_MIRROR (or its npm config forms) and ELECTRON_CUSTOM_DIR, as @electron/get reads them. */
function mirrorOptions(env: Env): { mirror?: string; customDir?: string } {
  const mirror = firstSet(env, [
    'npm_config_electron_mirror',
    'NPM_CONFIG_ELECTRON_MIRROR',
    'npm_package_config_electron_mirror',
    'ELECTRON_MIRROR'
  ])
  const customDir = firstSet(env, [
    'npm_config_electron_customdir',
    'NPM_CONFIG_ELECTRON_CUSTOM_DIR',
    'npm_config_electron_custom_dir',
    'npm_package_config_electron_customDir',
    'npm_package_config_electron_custom_dir',
    'ELECTRON_CUSTOM_DIR'
  ])
  return { ...(mirror === undefined ? {} : { mirror }), ...(customDir === undefined ? {} : { customDir }) }
}

/** Where the download comes from. */
export function downloadUrl(electron: ElectronPackage, env: Env = process.env): string {
  const { mirror = 'https://github.com/electron/electron/releases/download/', customDir = `v${electron.version}` } =
    mirrorOptions(env)
  return `${mirror}${customDir.replace('{{ version }}', electron.version)}/${zipName(electron)}`
}

/**
 * Where a zip put by hand is found without any network: @electron/get keeps each download under a
 * folder named by the SHA-256 of its URL's folder.
 */
export function cachedZipPath(electron: ElectronPackage, env: Env = process.env): string {
  const url = new URL(downloadUrl(electron, env))
  url.hash = ''
  url.search = ''
  url.pathname = url.pathname.slice(0, url.pathname.lastIndexOf('/'))
  const folder = createHash('sha256').update(url.toString()).digest('hex')
  return join(cacheRoot(env), folder, zipName(electron))
}

/** A failure to get Electron, told as the lines a user reads: no stack trace. */
export class ElectronUnavailable extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
    this.name = 'ElectronUnavailable'
  }
}

/** The underlying cause of a failed fetch in one line (fetch wraps it as "fetch failed"). */
export function causeOf(error: unknown): string {
  let current: unknown = error
  const seen = new Set<unknown>()
  let message = ''
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current)
    const code = (current as { code?: unknown }).code
    if (current.name === 'TimeoutError' || current.name === 'AbortError') message = current.message
    else if (typeof code === 'string')
      message = current.message.includes(code) ? current.message : `${code}: ${current.message}`
    else if (message === '' || current.message !== 'fetch failed') message = current.message
    current = (current as { cause?: unknown }).cause
  }
  if (message === '') message = String(error)
  return message.split('\n')[0]!.trim()
}

export interface DownloadOptions {
  env?: Env
  /** SHA-256 sums by file name; electron's own checksums.json when absent. */
  checksums?: Record<string, string>
  onProgress?(percent: number): void
}

/**
 * Downloads (or takes from the cache) Electron's zip and unpacks it into node_modules/electron/dist
 * with its path.txt, as `install-electron` would. Returns the executable's path.
 */
export async function installElectron(electron: ElectronPackage, options: DownloadOptions = {}): Promise<string> {
  const env = options.env ?? process.env
  const executable = executableInDist(electron.platform)
  const timeoutSeconds = downloadTimeoutSeconds(env)
  const checksums =
    options.checksums ??
    (JSON.parse(readFileSync(join(electron.directory, 'checksums.json'), 'utf8')) as Record<string, string>)
  // An idle timeout, not a total one: a slow but live download goes on, a mirror that never answers does not.
  const controller = new AbortController()
  let idle: NodeJS.Timeout | undefined
  const armIdleTimer = (): void => {
    clearTimeout(idle)
    idle = setTimeout(
      () =>
        controller.abort(
          Object.assign(new Error(`no answer from the mirror for ${timeoutSeconds} s`), { name: 'TimeoutError' })
        ),
      timeoutSeconds * 1000
    )
  }
  let zip: string
  try {
    const { downloadArtifact } = await importFromElectron<ElectronGet>(electron, '@electron/get')
    armIdleTimer()
    let reported = -1
    zip = await downloadArtifact({
      version: electron.version,
      artifactName: 'electron',
      platform: electron.platform,
      arch: electron.arch,
      cacheRoot: env['electron_config_cache'] || undefined,
      force: env['force_no_cache'] === 'true',
      checksums,
      mirrorOptions: mirrorOptions(env),
      downloadOptions: {
        quiet: true,
        signal: controller.signal,
        getProgressCallback: (progress: { percent: number }) => {
          armIdleTimer()
          const percent = Math.floor(progress.percent * 10) * 10
          if (percent > reported) {
            reported = percent
            options.onProgress?.(percent)
          }
        }
      }
    })
  } catch (error) {
    throw new ElectronUnavailable(
      unavailableLines(electron, env, causeOf(controller.signal.aborted ? controller.signal.reason : error))
    )
  } finally {
    clearTimeout(idle)
  }
  const { extract } = await importFromElectron<{ extract(zip: string, options: { dir: string }): Promise<void> }>(
    electron,
    '@electron-internal/extract-zip'
  )
  const dist = join(electron.directory, 'dist')
  await extract(zip, { dir: dist })
  // As install-electron does: the zip's type definitions move up beside the package's own.
  if (existsSync(join(dist, 'electron.d.ts')))
    renameSync(join(dist, 'electron.d.ts'), join(electron.directory, 'electron.d.ts'))
  writeFileSync(join(electron.directory, 'path.txt'), executable)
  return join(dist, executable)
}

/** What failed, why, and what the user can do, in a few plain lines. */
export function unavailableLines(electron: ElectronPackage, env: Env, cause: string): string[] {
  return [
    `Could not download Electron ${electron.version} for ${electron.platform}-${electron.arch}.`,
    `Why: ${cause}`,
    'What to do, any one of:',
    '  - run the same command again with internet access (the download happens once);',
    '  - set ELECTRON_MIRROR to a mirror you can reach (it must end with a slash);',
    `  - put ${zipName(electron)} here, then run again:`,
    `      ${cachedZipPath(electron, env)}`,
    `  - set ELECTRON_EXEC_PATH to an installed Electron ${electron.major} executable.`
  ]
}

/** The lines for packaging without a binary: packaging never downloads Electron itself. */
export function noDistLines(electron: ElectronPackage): string[] {
  return [
    `Packaging needs Electron ${electron.version} for ${electron.platform}-${electron.arch} unpacked in ${join(electron.directory, 'dist')}, and it is not there.`,
    'Packaging never downloads Electron itself. Run `npm start` once (it downloads Electron and says what to do when it cannot),',
    `or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${electron.version}.`
  ]
}

/** The binary to run: found, or downloaded once. */
export async function ensureElectron(
  projectRoot: string,
  env: Env = process.env,
  log: (line: string) => void = console.error
): Promise<string> {
  const electron = electronPackage(projectRoot, env)
  const found = findElectron(electron, env)
  if (found !== undefined) return found
  log(`Downloading Electron ${electron.version} for ${electron.platform}-${electron.arch} (first start only)…`)
  const executable = await installElectron(electron, { env, onProgress: (percent) => log(`  ${percent}%`) })
  log(`Electron ${electron.version} is in ${dirname(executable)}.`)
  return executable
}

/** Prints an ElectronUnavailable as its lines and exits 1; anything else is a bug and keeps its stack. */
export function exitWithPlainError(error: unknown): never {
  if (error instanceof ElectronUnavailable) {
    for (const line of error.lines) console.error(line)
    process.exit(1)
  }
  throw error
}
