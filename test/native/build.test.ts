/**
 * native/build.cjs, the install step of the optional native helper: it compiles with a C compiler
 * alone (Node-API headers from the node-api-headers package, nothing downloaded), and where it
 * cannot, it says why in one line, lets the install go on (exit 0) and leaves the reason in
 * build/status.json, where native/index.cjs puts it into the error the loader reports.
 *
 * Each case builds a copy of native/ in a temp folder, so the helper the other tests load is untouched.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const posix = process.platform === 'linux' || process.platform === 'darwin'
const repo = resolve(import.meta.dirname, '../..')

let base = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-native-build-'))
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

/** Runs build.cjs in a fresh copy of native/ with only `env` (plus where node-api-headers is). */
function buildCopy(name: string, env: Record<string, string>): { dir: string; status: number | null; stderr: string } {
  const dir = join(base, name)
  mkdirSync(dir)
  for (const entry of ['build.cjs', 'index.cjs', 'package.json', 'src'])
    cpSync(join(repo, 'native', entry), join(dir, entry), { recursive: true })
  const result = spawnSync(process.execPath, ['build.cjs'], {
    cwd: dir,
    env: { NODE_PATH: join(repo, 'node_modules'), ...env },
    encoding: 'utf8'
  })
  return { dir, status: result.status, stderr: result.stderr }
}

function loadError(dir: string): Error {
  try {
    createRequire(join(dir, 'package.json'))('./index.cjs')
  } catch (error) {
    return error as Error
  }
  throw new Error(`${dir}/index.cjs loaded`)
}

describe.runIf(posix)('native/build.cjs', () => {
  it('without a compiler: one line saying so, exit 0, the reason kept for the loader', () => {
    const empty = join(base, 'empty-bin')
    mkdirSync(empty)
    const { dir, status, stderr } = buildCopy('no-compiler', { PATH: empty })
    expect(status).toBe(0)
    expect(stderr).toBe(
      "Yield Lab native helper not built: no C compiler found (tried cc); the app will use Node's fs (slower).\n"
    )
    expect(JSON.parse(readFileSync(join(dir, 'build', 'status.json'), 'utf8'))).toEqual({
      built: false,
      reason: 'no C compiler found (tried cc)',
      compilerMissing: true
    })
    expect(loadError(dir).message).toBe(
      'Yield Lab native helper unavailable: not built: no C compiler found (tried cc)'
    )
  })

  it('names the compiler $CC points to when it does not exist', () => {
    const missing = join(base, 'nowhere', 'cc')
    const { dir, status, stderr } = buildCopy('missing-cc', { PATH: process.env.PATH ?? '', CC: missing })
    expect(status).toBe(0)
    expect(stderr).toBe(
      `Yield Lab native helper not built: no C compiler found (tried ${missing}); the app will use Node's fs (slower).\n`
    )
    expect(loadError(dir).message).toContain(`no C compiler found (tried ${missing})`)
  })

  it('a compiler that fails is told apart from a missing one', () => {
    const { dir, status, stderr } = buildCopy('failing-cc', { PATH: process.env.PATH ?? '', CC: 'false' })
    expect(status).toBe(0)
    expect(stderr.trim().split('\n')).toEqual([
      "Yield Lab native helper not built: false failed with exit code 1; the app will use Node's fs (slower)."
    ])
    expect(JSON.parse(readFileSync(join(dir, 'build', 'status.json'), 'utf8'))).toMatchObject({
      built: false,
      compilerMissing: false
    })
  })

  it('with cc, builds a helper that loads, and says nothing', () => {
    const { dir, status, stderr } = buildCopy('with-cc', { PATH: process.env.PATH ?? '' })
    expect(status).toBe(0)
    expect(stderr).toBe('')
    expect(JSON.parse(readFileSync(join(dir, 'build', 'status.json'), 'utf8'))).toEqual({ built: true })
    const helper = createRequire(join(dir, 'package.json'))('./index.cjs') as {
      listDirectory(path: string, withSizes: boolean): string
    }
    expect(helper.listDirectory(join(dir, 'src'), false)).toContain('1yield_lab_native.c/')
  })
})
