/**
 * `npm run smoke`: runs the built app in Electron with `--smoke` and passes on its JSON report and
 * exit code (0: the window opened, every tab mounted, IPC and a remote generator work). Adds what a
 * Linux machine without a desktop needs: `--no-sandbox` as root, a headless Ozone platform with no
 * display. Run `npm run build` first (the npm script does).
 */
import { spawn } from 'node:child_process'
import { SMOKE_FLAG } from '../src/shared/smoke'
import { ensureElectron, exitWithPlainError } from './electron'

/** Chromium switches a Linux machine needs to open a window at all here. */
export function linuxSwitches(env: NodeJS.ProcessEnv, isRoot: boolean): string[] {
  const switches: string[] = []
  if (isRoot) switches.push('--no-sandbox')
  if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) switches.push('--ozone-platform=headless')
  return switches
}

async function main(): Promise<void> {
  const projectRoot = process.cwd()
  const executable = await ensureElectron(projectRoot)
  const switches = process.platform === 'linux' ? linuxSwitches(process.env, process.getuid?.() === 0) : []
  const child = spawn(executable, ['.', SMOKE_FLAG, ...switches, ...process.argv.slice(2)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let output = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (text: string) => (output += text))
  child.on('error', (error) => {
    console.error(`Could not run ${executable}: ${error.message}`)
    process.exit(1)
  })
  child.on('close', (code, signal) => {
    const report = output
      .split('\n')
      .reverse()
      .find((line) => line.startsWith('{"ok":'))
    if (report === undefined) {
      process.stdout.write(output)
      console.error(`Smoke run: ${executable} ended (${signal ?? `exit ${code}`}) without a report.`)
      process.exit(1)
    }
    console.log(report)
    process.exit(code ?? 1)
  })
}

main().catch(exitWithPlainError)
