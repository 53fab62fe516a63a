/**
 * The Browse tab's whole path, from Enter in the path field to the last row rendered: the walker
 * in a worker thread, batching, transport, the tree model and rendering, in the built renderer
 * (electron-vite build, run first) in Debian's Chromium over the handlers the e2e tests use
 * (test/e2e/support). The transport is therefore the e2e loopback bridge (HTTP + JSON + an event
 * stream), not Electron's IPC.
 *
 * Reference: `ncdu -0 -x -o /dev/null DIR` (Debian's ncdu 1.x, the C version), timed in the same
 * run on the same warm trees: the bench's 200k-entry tree and /usr. Rounds interleave ours and
 * ncdu; values are medians. browse.full_scan.ratio_vs_ncdu is ncdu's time over ours, both trees
 * summed. browse.walk_job.ratio_vs_ncdu times the walk job's generator alone on the same trees (a
 * fresh process each run, as ncdu is), and browse.pull_only.ratio_vs_ncdu pulls the same walk
 * job into the same page over the same transport, batch after batch as the tab pulls it, with
 * no tree and nothing drawn: the walker's share, the transport's (pull only minus walk job
 * alone) and the tab's (full scan minus pull only) can be told apart.
 * browse.walk_with_tree.ratio_vs_ncdu feeds the walk job's items to the tab's tree model in the
 * walker's own thread: the bound of a design where the tree lives with the walker.
 *
 * Where the time goes, per scan (medians, from /proc, Linux): CPU of this process (the lab server
 * with its job worker and listing threads, and the bench's own driver of the page, which is
 * small), of Chromium's processes by type, and of ncdu; browse.full_scan_cpu.ratio_vs_ncdu
 * compares the whole pipeline's CPU with ncdu's. On a machine with few cores, CPU is what the
 * walk, the transport and the renderer share.
 *
 * Also: the renderer's JS heap (after a forced GC) holding a walked tree of about 1M entries,
 * against ncdu's peak RSS holding the same tree in its browser; and the longest task on the renderer's main
 * thread while streaming, against the 50 ms budget of a responsive UI (the log lists each task over
 * it: when it began after Enter, in a scan of how long).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { labBridgeScript } from '../../test/e2e/support/bridge'
import { launchBrowser } from '../../test/e2e/support/browser'
import { startLabServer, type LabServer } from '../../test/e2e/support/labServer'
import { median, type Benchmark, type BenchMeasurement } from '../types'
import { defaultWalkForm, RUN_BATCH_ITEMS, walkArgsFromForm } from '../../src/renderer/src/walk/walkOptions'
import { pythonReady } from './python'
import { ensureTree } from './walk'

const ROUNDS = 5
const LONG_TASK_BUDGET_MS = 50
const MILLION = { dirs: 2000, files: 500 }
/** Top, its 40 folders, their 2,000 folders and 1,000,000 files. */
const MILLION_ENTRIES = 1 + MILLION.dirs / 50 + MILLION.dirs + MILLION.dirs * MILLION.files
const TRANSPORT_NOTE = 'transport: the e2e loopback bridge (HTTP + JSON + event stream to Chromium), not Electron IPC'

/** In the page: when Enter was pressed, when the walk showed "exhausted" and the frame after, and long tasks. */
const INSTRUMENT = `(() => {
  const scan = (window.__scan = { enterAt: 0, doneAt: 0, longTasks: [] })
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { scan.enterAt = performance.now(); scan.doneAt = 0 }
  }, true)
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) scan.longTasks.push([entry.startTime, entry.duration])
  }).observe({ type: 'longtask', buffered: true })
  new MutationObserver(() => {
    const phase = document.querySelector('[data-testid=walk-phase]')
    if (scan.enterAt > 0 && scan.doneAt === 0 && phase && phase.textContent.includes('exhausted')) {
      scan.doneAt = -1
      // The rows of the last refresh are in the DOM with this text; the frame after them is painted.
      requestAnimationFrame(() => setTimeout(() => { scan.doneAt = performance.now() }, 0))
    }
  }).observe(document, { subtree: true, childList: true, characterData: true })
})()`

interface Scan {
  ms: number
  /** Each task over the budget: ms from Enter to its start (negative: it began before), and its duration. */
  longTasks: [startMs: number, durationMs: number][]
}

/** utime + stime (and, with children, cutime + cstime) of /proc/PID/stat, in ms. */
function processCpuMs(pid: number | 'self', withChildren = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which may hold spaces: state is field 3, utime 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = (i: number): number => Number(fields[i - 3])
  const total = ticks(14) + ticks(15) + (withChildren ? ticks(16) + ticks(17) : 0)
  return (total * 1000) / CLOCK_TICKS_PER_SECOND
}
/** USER_HZ: 100 on every Linux the bench runs on (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100

/** CPU so far: this process (its threads, exited ones included) and its descendants, by Chromium process type. */
interface CpuSnapshot {
  node: number
  /** Children waited for (ncdu). */
  waited: number
  chromium: Map<string, number>
}

function cpuSnapshot(): CpuSnapshot {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === process.pid) return true
    return false
  }
  const chromium = new Map<string, number>()
  for (const pid of parents.keys()) {
    if (!descends(pid)) continue
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!command.includes('chrom')) continue
      const type = /--type=([a-z-]+)/.exec(command)?.[1] ?? 'browser'
      chromium.set(type, (chromium.get(type) ?? 0) + processCpuMs(pid))
    } catch {
      // The process ended meanwhile.
    }
  }
  const self = processCpuMs('self', true)
  const node = processCpuMs('self')
  return { node, waited: self - node, chromium }
}

function chromiumTotal(snapshot: CpuSnapshot): number {
  let total = 0
  for (const ms of snapshot.chromium.values()) total += ms
  return total
}

/**
 * In a fresh process (as ncdu runs): the walk job's generator (walkJob as the job worker runs it,
 * top-down, one file system, listing ahead in the native pool) over `top`, from the first pull to
 * its summary; ms. 'alone': nothing else. 'tree': each item applied to the Browse tab's tree model
 * (WalkTree) in the same thread, after one untimed walk as the long-lived job worker would have
 * made (its JIT warm, as the page's is): what a design keeping the tree with the walker, the page
 * asking for the rows it shows, could reach before any transport or drawing.
 */
const WALK_JOB_RUN = `
import { pathToFileURL } from 'node:url'
const [root, top, mode] = process.argv.slice(1)
const { walkJob } = await import(pathToFileURL(root + '/src/main/lab/walk/walkJob.ts').href)
const { WalkTree } = await import(pathToFileURL(root + '/src/renderer/src/walk/walkTree.ts').href)
const control = { isCancelled: () => false, report: () => {} }
function walk() {
  const tree = mode === 'tree' ? new WalkTree(top) : undefined
  const job = walkJob({ top, topdown: true, followlinks: false, oneFileSystem: true, exclude: [], files: [] }, control)
  let step = job.next()
  for (; !step.done; step = job.next()) tree?.apply(step.value)
  if (tree !== undefined && !tree.matches(step.value)) throw new Error('the tree does not match the walk summary')
}
if (mode === 'tree') walk()
const start = performance.now()
walk()
process.stdout.write(String(performance.now() - start))
`

function timeWalkJob(top: string, mode: 'alone' | 'tree'): number {
  const projectRoot = join(import.meta.dirname, '..', '..')
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', WALK_JOB_RUN, projectRoot, top, mode],
    { cwd: projectRoot, encoding: 'utf8' }
  )
  return Number(out)
}

function build(): void {
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' })
}

function requireNcdu(): void {
  const probe = spawnSync('ncdu', ['-v'], { encoding: 'utf8' })
  if (probe.status !== 0 || !/^ncdu 1\./.test(probe.stdout))
    throw new Error(
      "ncdu is missing: Debian's ncdu 1.x (apt-get install ncdu) is the reference of browse.full_scan; no ratio without it"
    )
}

function timeNcdu(top: string, cpu?: number[]): number {
  const before = cpu === undefined ? undefined : cpuSnapshot().waited
  const start = performance.now()
  const result = spawnSync('ncdu', ['-0', '-x', '-o', '/dev/null', top], { stdio: 'ignore' })
  const ms = performance.now() - start
  if (result.status !== 0) throw new Error(`ncdu -0 -x -o /dev/null ${top} failed (${result.status})`)
  if (before !== undefined) cpu!.push(cpuSnapshot().waited - before)
  return ms
}

/**
 * ncdu's peak resident memory (MiB) holding top's tree in its browser, from /usr/bin/time: ncdu
 * only keeps the tree when it shows it (with -o it streams), so it runs in a pseudo-terminal
 * (script) and gets 'q' once its scan is surely over (3× its -o time, plus a second).
 */
async function ncduPeakMiB(top: string): Promise<number> {
  const scanMs = timeNcdu(top)
  const child = spawn('/usr/bin/time', ['-f', '%M', 'script', '-qfec', `ncdu -x '${top}'`, '/dev/null'], {
    stdio: ['pipe', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const quit = setTimeout(() => child.stdin.end('q'), 3 * scanMs + 1000)
  const [status] = (await once(child, 'close')) as [number | null]
  clearTimeout(quit)
  const kib = Number(stderr.trim().split('\n').at(-1))
  if (status !== 0 || !Number.isFinite(kib)) throw new Error(`ncdu under /usr/bin/time and script failed: ${stderr}`)
  return kib / 1024
}

class BrowseTab {
  private constructor(
    readonly browser: Browser,
    readonly server: LabServer,
    readonly page: Page,
    private readonly dataDirectory: string
  ) {}

  static async open(): Promise<BrowseTab> {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'yield-lab-bench-browse-'))
    const browser = await launchBrowser()
    const server = await startLabServer({ dataDirectory })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.addInitScript(labBridgeScript())
    await page.addInitScript(INSTRUMENT)
    await page.goto(server.url)
    await page.getByTestId('walk-path').waitFor()
    // The app starts Python (Pyodide, in a worker of the renderer's process) once the window has
    // painted, and that takes a core for seconds: scans timed meanwhile would measure the startup.
    await pythonReady(page)
    return new BrowseTab(browser, server, page, dataDirectory)
  }

  /**
   * The walk job pulled from the page over the same bridge, as the Browse tab pulls it (the
   * arguments its form makes of `top`, one item first and then RUN_BATCH_ITEMS per pull, the next
   * asked for as soon as a batch is in) and decoded, but not applied to a tree nor drawn; ms from
   * the open to the last batch.
   */
  async pullOnly(top: string): Promise<number> {
    const form = walkArgsFromForm({ ...defaultWalkForm(), top })
    if (!form.ok)
      throw new Error(`The Browse form refuses ${top}: ${form.problems.map((problem) => problem.message).join('; ')}`)
    // No function declared inside: tsx names them with a helper (__name) the page does not have.
    return this.page.evaluate(
      async ({ args, batchItems }) => {
        type Envelope = { ok: true; value: { id: string; done: boolean } } | { ok: false; error: { message: string } }
        const lab = (globalThis as unknown as { lab: { invoke(channel: string, input: unknown): Promise<Envelope> } })
          .lab
        const start = performance.now()
        const opened = await lab.invoke('job.open', { kind: 'walk', args })
        if (!opened.ok) throw new Error(opened.error.message)
        for (let maxItems = 1; ; maxItems = batchItems) {
          const batch = await lab.invoke('job.next', { id: opened.value.id, maxItems })
          if (!batch.ok) throw new Error(batch.error.message)
          if (batch.value.done) return performance.now() - start
        }
      },
      { args: form.args, batchItems: RUN_BATCH_ITEMS }
    )
  }

  /** Enter in the path field, until the walk is exhausted and its rows painted. */
  async scan(top: string): Promise<Scan> {
    const path = this.page.getByTestId('walk-path')
    await path.fill(top)
    await path.press('Enter')
    await this.page.waitForFunction(
      // A function, not a string: the app's CSP forbids eval.
      () => (globalThis as unknown as { __scan: { doneAt: number } }).__scan.doneAt > 0,
      undefined,
      { timeout: 120_000, polling: 50 }
    )
    const { enterAt, doneAt, longTasks } = (await this.page.evaluate('window.__scan')) as {
      enterAt: number
      doneAt: number
      longTasks: [number, number][]
    }
    const during = longTasks.filter(([start, duration]) => start + duration >= enterAt && start <= doneAt)
    return {
      ms: doneAt - enterAt,
      longTasks: during
        .filter(([, duration]) => duration > LONG_TASK_BUDGET_MS)
        .map(([start, duration]) => [start - enterAt, duration])
    }
  }

  /**
   * The page's JS heap in MiB after a full garbage collection, with the memory behind its
   * ArrayBuffers (typed arrays' bytes live outside the JS heap) where Chromium reports it.
   */
  async heapMiB(): Promise<number> {
    const cdp = await this.page.context().newCDPSession(this.page)
    await cdp.send('HeapProfiler.collectGarbage')
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
    await cdp.detach()
    return (usage.usedSize + (usage.backingStorageSize ?? 0)) / 2 ** 20
  }

  async close(): Promise<void> {
    await this.browser.close()
    await this.server.close()
    rmSync(this.dataDirectory, { recursive: true, force: true })
  }
}

/** dirs × files empty files on tmpfs when there is one; removed by the caller. */
function makeMillionTree(): string {
  const scratch = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const top = mkdtempSync(join(scratch, 'yield-lab-bench-1m-'))
  for (let d = 0; d < MILLION.dirs; d++) {
    const dir = join(top, `d${Math.floor(d / 50)}`, `e${d % 50}`)
    mkdirSync(dir, { recursive: true })
    for (let f = 0; f < MILLION.files; f++) writeFileSync(join(dir, `file${f}.dat`), '')
  }
  return top
}

interface Measured {
  /** Medians; `oursCpu` and `ncduCpu` are CPU ms per scan (see the module comment). */
  trees: {
    name: string
    ours: number
    ncdu: number
    walkJob: number
    walkWithTree: number
    pullOnly: number
    oursCpu: number
    ncduCpu: number
  }[]
  longestTaskMs: number
  heapMiB: number
  ncduPeakMiB: number
}

async function measure(): Promise<Measured> {
  requireNcdu()
  build()
  console.log(`browse.full_scan: the built renderer in Chromium; ${TRANSPORT_NOTE}`)
  const tab = await BrowseTab.open()
  try {
    const trees = [
      { name: '200k', top: ensureTree() },
      { name: 'usr', top: '/usr' }
    ]
    const results: Measured['trees'] = []
    const longest: number[] = []
    for (const { name, top } of trees) {
      await tab.scan(top) // warm the page's JIT and the page cache
      timeNcdu(top)
      const ours: number[] = []
      const pulls: number[] = []
      const theirs: number[] = []
      const cpu = { node: [] as number[], chromium: [] as number[], renderer: [] as number[], ncdu: [] as number[] }
      /** Where the long tasks fell, to chase them: "duration ms at start ms of a scan of N ms". */
      const longTasks: string[] = []
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 1) theirs.push(timeNcdu(top, cpu.ncdu))
        const before = cpuSnapshot()
        const scan = await tab.scan(top)
        const after = cpuSnapshot()
        ours.push(scan.ms)
        for (const [start, duration] of scan.longTasks) {
          longest.push(duration)
          longTasks.push(`${Math.round(duration)} ms at ${Math.round(start)} ms of a ${Math.round(scan.ms)} ms scan`)
        }
        cpu.node.push(after.node - before.node)
        cpu.chromium.push(chromiumTotal(after) - chromiumTotal(before))
        cpu.renderer.push((after.chromium.get('renderer') ?? 0) - (before.chromium.get('renderer') ?? 0))
        if (round % 2 === 0) theirs.push(timeNcdu(top, cpu.ncdu))
        pulls.push(await tab.pullOnly(top))
      }
      // The walker alone, and with the tree beside it, without transport: where the full scan's time goes.
      timeWalkJob(top, 'alone')
      const walkJobs: number[] = []
      const walksWithTree: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        walkJobs.push(timeWalkJob(top, 'alone'))
        theirs.push(timeNcdu(top))
        walksWithTree.push(timeWalkJob(top, 'tree'))
      }
      const oursCpu = median(cpu.node.map((node, i) => node + cpu.chromium[i]!))
      results.push({
        name,
        ours: median(ours),
        ncdu: median(theirs),
        walkJob: median(walkJobs),
        walkWithTree: median(walksWithTree),
        pullOnly: median(pulls),
        oursCpu,
        ncduCpu: median(cpu.ncdu)
      })
      console.log(
        `  ${name} (${top}): ours ${ours.map(Math.round).join(' ')} ms, pulled only ` +
          `${pulls.map(Math.round).join(' ')} ms, walk job alone ${walkJobs.map(Math.round).join(' ')} ms, ` +
          `walk job with the tree ${walksWithTree.map(Math.round).join(' ')} ms, ` +
          `ncdu ${theirs.map(Math.round).join(' ')} ms\n` +
          `    CPU per scan (medians): ours ${Math.round(oursCpu)} ms = this process (lab server, job worker, ` +
          `listing threads) ${Math.round(median(cpu.node))} + Chromium ${Math.round(median(cpu.chromium))} ` +
          `(renderer ${Math.round(median(cpu.renderer))}); ncdu ${Math.round(median(cpu.ncdu))} ms\n` +
          `    renderer tasks over ${LONG_TASK_BUDGET_MS} ms while streaming: ${longTasks.length === 0 ? 'none' : longTasks.join(', ')}`
      )
    }
    const million = makeMillionTree()
    try {
      await tab.scan(million)
      const heap = await tab.heapMiB()
      return {
        trees: results,
        longestTaskMs: Math.max(0, ...longest),
        heapMiB: heap,
        ncduPeakMiB: await ncduPeakMiB(million)
      }
    } finally {
      rmSync(million, { recursive: true, force: true })
    }
  } finally {
    await tab.close()
  }
}

let measured: Promise<Measured> | undefined
const measuredOnce = (): Promise<Measured> => (measured ??= measure())

function tree(m: Measured, name: string): BenchMeasurement {
  const found = m.trees.find((t) => t.name === name)!
  return { value: found.ours, reference: found.ncdu, unit: 'ms' }
}

type TreeFigure = Exclude<keyof Measured['trees'][number], 'name'>

/** A figure of ours against one of ncdu's, each summed over both trees. */
async function bothTrees(ours: TreeFigure, reference: TreeFigure): Promise<BenchMeasurement> {
  const m = await measuredOnce()
  const sum = (key: TreeFigure): number => m.trees.reduce((total, t) => total + t[key], 0)
  return { value: sum(ours), reference: sum(reference), unit: 'ms' }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'browse.full_scan.ratio_vs_ncdu',
    description: `Enter to last row in Chromium, 200k tree + /usr, vs ncdu -0 -x -o /dev/null (${TRANSPORT_NOTE})`,
    run: () => bothTrees('ours', 'ncdu')
  },
  {
    name: 'browse.full_scan_200k.ratio_vs_ncdu',
    description: 'the same, on the bench tree of 200,420 entries only',
    run: async () => tree(await measuredOnce(), '200k')
  },
  {
    name: 'browse.full_scan_usr.ratio_vs_ncdu',
    description: 'the same, on /usr only',
    run: async () => tree(await measuredOnce(), 'usr')
  },
  {
    name: 'browse.full_scan_cpu.ratio_vs_ncdu',
    description:
      'CPU per full scan (this process + Chromium, medians), 200k tree + /usr, vs ncdu -0 -x -o /dev/null; breakdown in the log',
    run: () => bothTrees('oursCpu', 'ncduCpu')
  },
  {
    name: 'browse.walk_job.ratio_vs_ncdu',
    description:
      'the walk job alone (its generator in a fresh process, no transport, no tree), 200k tree + /usr, vs ncdu -0 -x -o /dev/null',
    run: () => bothTrees('walkJob', 'ncdu')
  },
  {
    name: 'browse.walk_with_tree.ratio_vs_ncdu',
    description:
      "the walk job with the tab's tree model applied in its thread (warm, no transport, nothing drawn), 200k tree + /usr, vs ncdu -0 -x -o /dev/null",
    run: () => bothTrees('walkWithTree', 'ncdu')
  },
  {
    name: 'browse.pull_only.ratio_vs_ncdu',
    description:
      'the walk job pulled into the page over the same transport, no tree, nothing drawn, 200k tree + /usr, vs ncdu -0 -x -o /dev/null',
    run: () => bothTrees('pullOnly', 'ncdu')
  },
  {
    name: 'browse.longest_task.ratio_vs_budget',
    description: `longest renderer task while streaming (all rounds; 50 = none reported over 50 ms) vs the ${LONG_TASK_BUDGET_MS} ms budget`,
    // Chromium reports only tasks over 50 ms: none means at most the budget, so the ratio is then 1.
    run: async () => ({
      value: Math.max((await measuredOnce()).longestTaskMs, LONG_TASK_BUDGET_MS),
      reference: LONG_TASK_BUDGET_MS,
      unit: 'ms'
    })
  },
  {
    name: 'browse.heap_1m.ratio_vs_ncdu_rss',
    description: `renderer JS heap + ArrayBuffers after GC holding a walked tree of ${MILLION_ENTRIES.toLocaleString('en')} entries vs ncdu's peak RSS browsing it`,
    run: async () => {
      const m = await measuredOnce()
      return { value: m.heapMiB, reference: m.ncduPeakMiB, unit: 'MiB' }
    }
  }
]
