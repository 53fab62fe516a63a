/**
 * `npm run dist:*`: packages the app with electron-builder, reusing the Electron binary that
 * `npm start` downloaded. Without it, stops before building with a plain message: packaging never
 * downloads Electron itself. Arguments go to electron-builder (`--linux`, `--dir`, …).
 */
import { spawnSync } from 'node:child_process'
import { electronPackage, ElectronUnavailable, exitWithPlainError, installedDist, noDistLines } from './electron'

const projectRoot = process.cwd()

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

try {
  const electron = electronPackage(projectRoot)
  if (installedDist(electron, process.env) === undefined) throw new ElectronUnavailable(noDistLines(electron))
  run('npm', ['run', 'build'])
  run('npx', ['electron-builder', ...process.argv.slice(2)])
} catch (error) {
  exitWithPlainError(error)
}
