#!/usr/bin/env node
// A stub "electron" executable for ELECTRON_EXEC_PATH: records its arguments, working folder and
// environment to FAKE_ELECTRON_RECORD (JSON), then, like Electron, runs the app at the path it is
// given (its package.json main) with the fake electron module, so a smoke run really runs main.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const [appPath = '.', ...rest] = process.argv.slice(2)
if (process.env.FAKE_ELECTRON_RECORD) {
  writeFileSync(
    process.env.FAKE_ELECTRON_RECORD,
    JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(2), env: process.env })
  )
}
if (process.env.FAKE_ELECTRON_RUN_APP !== '1') process.exit(0)
const main = JSON.parse(readFileSync(join(resolve(appPath), 'package.json'), 'utf8')).main
const register = new URL('./register.mjs', import.meta.url).pathname
const result = spawnSync(process.execPath, ['--import', register, resolve(appPath, main), ...rest], {
  stdio: 'inherit'
})
process.exit(result.status ?? 1)
