/**
 * The Browse tab's walk job (walkJob, as the job worker runs it: top-down, one file system)
 * against `ncdu -0 -x -o /dev/null` on the same trees, warm cache: wall time and the process's CPU
 * time (every thread, user + system), medians of interleaved rounds. With --before <checkout>,
 * the walk job of another checkout of Yield Lab (e.g. `git worktree add` of main, with this
 * checkout's node_modules linked in) runs in the same rounds, so a change can be compared with
 * what it replaces on a shared machine. Each run is a fresh process; the walk is timed inside it.
 *
 * Usage: node --import tsx bench/walkVsNcdu.ts [--rounds 5] [--before <checkout>] <tree>...
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { median } from './types'

interface Run {
  wall: number
  cpu: number
  entries: number
}

const here = resolve(import.meta.dirname, '..')

/** Runs in the child: the walk job over argv[2] from the checkout at argv[1], timed from the first pull to the summary. */
const CHILD = `
import { pathToFileURL } from 'node:url'
const [root, top] = process.argv.slice(1)
const { walkJob } = await import(pathToFileURL(root + '/src/main/lab/walk/walkJob.ts').href)
const control = { isCancelled: () => false, report: () => {} }
const args = { top, topdown: true, followlinks: false, oneFileSystem: true, exclude: [], files: [] }
const cpu = process.cpuUsage()
const start = performance.now()
const job = walkJob(args, control)
let step = job.next()
while (!step.done) step = job.next()
const wall = (performance.now() - start) / 1000
const used = process.cpuUsage(cpu)
const summary = step.value
process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1e6, entries: summary.dirs + summary.files }))
`

function walkRun(checkout: string, top: string): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, checkout, top], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 1 << 20
  })
  return JSON.parse(out) as Run
}

/** ncdu in a shell whose `time` gives its wall and CPU (user + system) time. */
function ncduRun(top: string): Run {
  const result = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time ncdu -0 -x -o /dev/null "$1"', 'ncdu', top], {
    encoding: 'utf8'
  })
  if (result.status !== 0) throw new Error(`ncdu failed on ${top}: ${result.stderr}`)
  const [wall, user, system] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return { wall: wall!, cpu: user! + system!, entries: NaN }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '5' }, before: { type: 'string' } }
})
const rounds = Number(values.rounds)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number from 1')
if (positionals.length === 0) throw new Error('usage: bench/walkVsNcdu.ts [--rounds 5] [--before <checkout>] <tree>...')

const sides: [string, (top: string) => Run][] = [
  ['walkJob', (top) => walkRun(here, top)],
  ...(values.before === undefined
    ? []
    : [['walkJob before', (top: string) => walkRun(resolve(values.before!), top)] as [string, (top: string) => Run]]),
  ['ncdu -0 -x', ncduRun]
]

const fmt = (n: number): string => n.toFixed(3)
for (const top of positionals) {
  for (const [, run] of sides) run(top) // warm the cache and the module caches
  const runs = new Map<string, Run[]>(sides.map(([name]) => [name, []]))
  const loads: number[] = []
  for (let round = 0; round < rounds; round++) {
    loads.push(loadavg()[0]!)
    // Rotate who goes first, so drift on a shared machine hits every side alike.
    for (let k = 0; k < sides.length; k++) {
      const [name, run] = sides[(round + k) % sides.length]!
      runs.get(name)!.push(run(top))
    }
  }
  console.log(`${top}: ${rounds} rounds, load average (1 min) ${loads.map((l) => l.toFixed(2)).join(' ')}`)
  for (const [name] of sides) {
    const list = runs.get(name)!
    const entries = list[0]!.entries
    console.log(
      `  ${name.padEnd(16)} wall ${fmt(median(list.map((r) => r.wall)))} s (${list.map((r) => fmt(r.wall)).join(' ')})` +
        `  cpu ${fmt(median(list.map((r) => r.cpu)))} s` +
        (Number.isNaN(entries) ? '' : `  ${entries} entries`)
    )
  }
}
console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`)
