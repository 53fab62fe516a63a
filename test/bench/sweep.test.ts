import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { sweepCommand } from '../../bench/sweep'
import { writeSampleData } from '../../src/main/lab/read/sampleData'
import { canMountTmpfs, runOnTmpfs } from '../support/mountedTmpfs'
import { runUnprivilegedScript } from '../support/unprivileged'

let dir: string
let data: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yield-lab-sweep-cli-'))
  data = writeSampleData({ directory: dir, name: 'data', bytes: 64 * 1024, seed: 5 }).binaryPath
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  process.exitCode = undefined
  vi.restoreAllMocks()
})

/** A quick sweep of `data` whose JSON goes to `out`; what the command printed to stdout and stderr. */
async function sweepTo(out: string): Promise<{ printed: string[]; errors: string[]; ran: boolean }> {
  const printed: string[] = []
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
  const run = await sweepCommand(
    ['--sweep', data, '--chunks', '1,64', '--repeats', '1', '--cap-ms', '50', '--no-eager', '--json', out],
    (line) => printed.push(line)
  )
  return { printed, errors, ran: run !== undefined }
}

describe('npm run bench -- --sweep FILE --json OUT', () => {
  test('writes the record to OUT', async () => {
    const out = join(dir, 'record.json')
    const { printed } = await sweepTo(out)
    expect(printed.at(-1)).toBe(`wrote ${out}`)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'yield-lab-sweep/2', status: 'complete' })
  })

  test('refuses a symbolic link at OUT before sweeping, and leaves the file it points to alone', async () => {
    const before = readFileSync(data)
    const link = join(dir, 'link.json')
    symlinkSync(data, link)
    const { errors, ran } = await sweepTo(link)
    expect(ran).toBe(false)
    expect(errors).toEqual([
      `${link}: is a symbolic link (saving would replace the link, not its target); refusing to replace it. Choose another name.`
    ])
    expect(process.exitCode).toBe(2)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(data).equals(before)).toBe(true)
  })

  test.runIf(process.platform === 'linux')(
    'a FILE whose name is not UTF-8, as the shell passes it, is swept',
    () => {
      const named = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xff]), Buffer.from('.bin')])
      copyFileSync(data, named)
      const out = join(dir, 'not-utf8.json')
      const run = spawnSync(
        'bash',
        [
          '-c',
          `exec "$0" --import tsx bench/run.ts --sweep $'${dir}/\\xff.bin' --chunks 1,64 --repeats 1 --cap-ms 50 --no-eager --json "$1"`,
          process.execPath,
          out
        ],
        { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' }
      )
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ status: 'complete' })
    },
    60_000
  )

  test.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    'as root, an OUT whose folders would be made under /proc is refused before sweeping',
    async () => {
      const { errors, ran } = await sweepTo('/proc/yield-lab-new/out.json')
      expect(ran).toBe(false)
      expect(errors).toEqual([
        '/proc/yield-lab-new/out.json: cannot be written: /proc, where the folders on its way would be made takes no new files (a system folder such as /proc?)'
      ])
      expect(process.exitCode).toBe(2)
    }
  )

  // A full disk, made for the test: a 4 KiB tmpfs, filled.
  test.runIf(canMountTmpfs)(
    'a --history save that fails after the sweep says why in one line, exit 1, with the JSON written',
    () => {
      const history = join(dir, 'full-disk')
      mkdirSync(history)
      const out = join(dir, 'kept.json')
      const run = runOnTmpfs(
        history,
        'size=4k',
        join(dir, 'history.mts'),
        `import { sweepCommand } from ${JSON.stringify(join(import.meta.dirname, '../../bench/sweep'))}
        await sweepCommand(['--sweep', ${JSON.stringify(data)}, '--chunks', '1', '--repeats', '1', '--no-eager', '--json', ${JSON.stringify(out)}, '--history', ${JSON.stringify(history)}], () => undefined)`,
        4096
      )
      expect([run.status, run.stderr.trim()]).toEqual([1, expect.stringMatching(/: no space left on the device$/)])
      expect(run.stderr).not.toMatch(/\n\s+at /)
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ status: 'complete' })
    }
  )

  test.runIf(process.platform !== 'win32')(
    'refuses, before sweeping, an OUT or a --history folder this account may not write into',
    () => {
      const locked = join(dir, 'locked')
      mkdirSync(locked)
      chmodSync(locked, 0o555)
      const history = join(dir, 'history')
      mkdirSync(history)
      chmodSync(history, 0o555)
      const script = `
        import { sweepCommand } from ${JSON.stringify(join(import.meta.dirname, '../../bench/sweep'))}
        const outcomes = []
        for (const extra of [['--json', ${JSON.stringify(join(locked, 'new', 's.json'))}], ['--json', ${JSON.stringify(join(dir, 'free.json'))}, '--history', ${JSON.stringify(history)}]]) {
          const printed = []
          const errors = []
          console.error = (line) => errors.push(String(line))
          process.exitCode = undefined
          await sweepCommand(['--sweep', ${JSON.stringify(data)}, '--chunks', '1', '--repeats', '1', '--no-eager', ...extra], (line) => printed.push(line))
          outcomes.push({ exitCode: process.exitCode, printed, errors })
        }
        process.exitCode = 0
        process.stdout.write(JSON.stringify(outcomes))
      `
      const outcomes = JSON.parse(runUnprivilegedScript(script, dir)) as unknown[]
      chmodSync(locked, 0o755)
      chmodSync(history, 0o755)
      expect(outcomes).toEqual([
        {
          exitCode: 2,
          printed: [],
          errors: [
            `${join(locked, 'new', 's.json')}: cannot be written: this account may not add files to ${locked}, ` +
              'where the folders on its way would be made'
          ]
        },
        {
          exitCode: 2,
          printed: [],
          errors: [
            `${join(history, 'sweeps')}: cannot be written: this account may not add files to its folder ${history}`
          ]
        }
      ])
      expect(readdirSync(locked)).toEqual([])
      expect(readdirSync(dir)).not.toContain('free.json')
    }
  )
})
