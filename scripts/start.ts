/**
 * `npm start`: makes sure Electron's binary is there (downloading it once), then runs
 * `electron-vite dev` with it. Arguments after `--` go to electron-vite (`npm start -- --noSandbox`).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { readFileSync } from 'node:fs'
import { ensureElectron, exitWithPlainError } from './electron'

const projectRoot = process.cwd()

/** electron-vite's own CLI script, as npm's .bin link would run it. */
function electronViteCli(): string {
  const require = createRequire(join(projectRoot, 'package.json'))
  const manifest = require.resolve('electron-vite/package.json')
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }
  return join(dirname(manifest), bin['electron-vite']!)
}

try {
  const executable = await ensureElectron(projectRoot)
  // electron-vite reads ELECTRON_EXEC_PATH and ignores ELECTRON_OVERRIDE_DIST_PATH: hand it the binary.
  const child = spawn(process.execPath, [electronViteCli(), 'dev', ...process.argv.slice(2)], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: executable }
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('close', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)))
} catch (error) {
  exitWithPlainError(error)
}
