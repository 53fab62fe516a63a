/**
 * Python ready when you arrive: the built renderer in Chromium (as the e2e tests run it, over the
 * lab server), each round in a fresh browser context, with and without prewarming interleaved.
 *
 *   python.first_paint.ratio_vs_no_prewarm   the window's first paint with the prewarm scheduled,
 *                                            against the same page with the prewarm switched off
 *                                            (requestIdleCallback never calls back); target >= 0.91,
 *                                            i.e. no more than 10% later
 *   python.ready.ratio_vs_tab_at_launch      launch (navigation start) to Python ready with the
 *                                            prewarm, against opening the Coroutines tab at the first
 *                                            paint without it: the earliest a user could have asked
 *
 * Needs the build (`npx electron-vite build`) and Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH).
 * Values are medians over the rounds, in ms since navigation start (performance.now() in the page).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { labBridgeScript } from '../../test/e2e/support/bridge'
import { rendererRoot, startLabServer } from '../../test/e2e/support/labServer'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const ROUNDS = 7
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
/** Switches the prewarm off: the idle callback it waits for never comes. */
const WITHOUT_PREWARM = 'window.requestIdleCallback = () => 0'
const READY_TIMEOUT_MS = 120_000

interface Round {
  firstPaint: number
  ready: number
}

/** What the page functions below use of the page's globals (this file is type-checked for Node, without the DOM). */
interface PageGlobals {
  performance: { now(): number; getEntriesByType(type: string): { name: string; startTime: number }[] }
  document: { querySelector(selector: string): { textContent: string | null } | null }
}

// Functions, not strings: the app's CSP forbids eval, which string predicates need.
function firstPaintInPage(): number | undefined {
  const page = globalThis as unknown as PageGlobals
  return page.performance.getEntriesByType('paint').find((entry) => entry.name === 'first-paint')?.startTime
}

function readyAtInPage(): number | false {
  const page = globalThis as unknown as PageGlobals
  const status = page.document.querySelector('[data-testid=python-status]')?.textContent ?? ''
  return status.includes('ready in') && page.performance.now()
}

async function firstPaint(page: Page): Promise<number> {
  const handle = await page.waitForFunction(firstPaintInPage, undefined, { polling: 'raf' })
  return Number(await handle.jsonValue())
}

/** When the console's status says ready (the tab's status is rendered even while it is hidden). */
export async function pythonReady(page: Page): Promise<number> {
  const handle = await page.waitForFunction(readyAtInPage, undefined, { polling: 'raf', timeout: READY_TIMEOUT_MS })
  return Number(await handle.jsonValue())
}

async function round(browser: Browser, url: string, prewarm: boolean): Promise<Round> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    await page.addInitScript(labBridgeScript())
    if (!prewarm) await page.addInitScript(WITHOUT_PREWARM)
    await page.goto(url)
    const paint = await firstPaint(page)
    if (!prewarm) await page.getByRole('tab', { name: 'Coroutines' }).click()
    return { firstPaint: paint, ready: await pythonReady(page) }
  } finally {
    await context.close()
  }
}

async function compare(): Promise<{ firstPaint: BenchMeasurement; ready: BenchMeasurement }> {
  if (!existsSync(join(rendererRoot, 'index.html')))
    throw new Error(`No built renderer in ${rendererRoot}: run \`npx electron-vite build\` first.`)
  const dataDirectory = mkdtempSync(join(tmpdir(), 'yield-lab-bench-python-'))
  const server = await startLabServer({ dataDirectory })
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  })
  try {
    await round(browser, server.url, true) // warm the disk cache and Chromium's compile cache alike
    const withPrewarm: Round[] = []
    const without: Round[] = []
    for (let index = 0; index < ROUNDS; index++) {
      // Alternate which goes first, so neither always follows the other's leftover work.
      if (index % 2 === 1) without.push(await round(browser, server.url, false))
      withPrewarm.push(await round(browser, server.url, true))
      if (index % 2 === 0) without.push(await round(browser, server.url, false))
    }
    const measure = (key: keyof Round): BenchMeasurement => ({
      value: median(withPrewarm.map((r) => r[key])),
      reference: median(without.map((r) => r[key])),
      unit: 'ms'
    })
    const list = (rounds: Round[], key: keyof Round): string => rounds.map((r) => Math.round(r[key])).join(', ')
    console.log(
      `  python: first paint with prewarm [${list(withPrewarm, 'firstPaint')}] ms, without [${list(without, 'firstPaint')}] ms;` +
        ` ready since launch with prewarm [${list(withPrewarm, 'ready')}] ms, tab opened at launch without [${list(without, 'ready')}] ms`
    )
    return { firstPaint: measure('firstPaint'), ready: measure('ready') }
  } finally {
    await browser.close()
    await server.close()
    rmSync(dataDirectory, { recursive: true, force: true })
  }
}

let measured: ReturnType<typeof compare> | undefined

export const benchmarks: Benchmark[] = [
  {
    name: 'python.first_paint.ratio_vs_no_prewarm',
    description: 'first paint in Chromium with the Python prewarm scheduled vs without (target >= 0.91)',
    run: async () => (await (measured ??= compare())).firstPaint
  },
  {
    name: 'python.ready.ratio_vs_tab_at_launch',
    description: 'launch to Python ready with the prewarm vs opening the Coroutines tab at first paint without it',
    run: async () => (await (measured ??= compare())).ready
  }
]
