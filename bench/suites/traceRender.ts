/**
 * The Step tab in Chromium, on the built renderer (as the e2e tests run it): a 10,000-step trace
 * is imported, then
 * - stepping: 300 presses of →; the page's main thread's time per step (its tasks: the key's
 *   event, Vue's render, style, layout, paint);
 * - scrubbing: the slider's thumb dragged end to end with the mouse, in 400 moves; the longest
 *   task of the page's main thread meanwhile.
 * Times are the main thread's CPU time from Chromium's trace (RunTask's thread duration), so a
 * machine busy with other work does not inflate them. The references are the budgets: 16 ms (one
 * frame at 60 Hz) per step, and 50 ms, the threshold of a long task. Above 1 is within budget.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { countingTrace } from '../../test/support/traceFixtures'
import { labBridgeScript } from '../../test/e2e/support/bridge'
import { rendererRoot, startLabServer } from '../../test/e2e/support/labServer'
import { median, type Benchmark, type BenchMeasurement } from '../types'

const STEPS = 10_000
const STEPPED = 300
const DRAG_MOVES = 400
const FRAME_BUDGET_MS = 16
const LONG_TASK_MS = 50

interface Measured {
  step: BenchMeasurement
  scrub: BenchMeasurement
}

function ensureBuilt(): void {
  if (existsSync(join(rendererRoot, 'index.html'))) return
  console.info('traceRender: building the app first (electron-vite build)…')
  execFileSync('npx', ['electron-vite', 'build'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit'
  })
}

interface TraceEvent {
  name: string
  ph: string
  tid: number
  dur?: number
  tdur?: number
  args?: { name?: string }
}

/** Records Chromium's timeline while `work` runs; the main thread's tasks, in CPU milliseconds. */
async function mainThreadTasks(page: Page, work: () => Promise<void>): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents'
  })
  await work()
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
  await cdp.send('Tracing.end')
  await complete
  await cdp.detach()
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
  if (main === undefined) throw new Error('no renderer main thread in the trace')
  return events
    .filter((event) => event.tid === main.tid && event.name === 'RunTask' && event.ph === 'X')
    .map((event) => (event.tdur ?? event.dur ?? 0) / 1000)
}

async function measure(): Promise<Measured> {
  ensureBuilt()
  const scratch = mkdtempSync(join(tmpdir(), 'yield-lab-bench-trace-'))
  const server = await startLabServer({ dataDirectory: scratch })
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.addInitScript(labBridgeScript())
    await page.goto(server.url)
    await page.keyboard.press('Control+5')
    const file = join(scratch, 'counting.json')
    writeFileSync(file, JSON.stringify(countingTrace(STEPS)))
    await page.getByTestId('trace-import-file').setInputFiles(file)
    await page
      .getByTestId('step-counter')
      .filter({ hasText: `of ${STEPS}` })
      .waitFor()

    // Stepping with the → key.
    await page.getByTestId('trace-diagram').click({ position: { x: 2, y: 2 } })
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight') // warm up
    const stepTasks = await mainThreadTasks(page, async () => {
      for (let i = 0; i < STEPPED; i++) await page.keyboard.press('ArrowRight')
    })
    const counter = (await page.getByTestId('step-counter').textContent()) ?? ''
    if (!counter.includes(`Step ${STEPPED + 21} of`)) throw new Error(`stepping ended at "${counter.trim()}"`)
    const perStep = stepTasks.reduce((sum, time) => sum + time, 0) / STEPPED

    // Scrubbing: the thumb dragged from the first step to the last.
    await page.keyboard.press('Home')
    const slider = (await page.getByTestId('step-slider').boundingBox())!
    const y = slider.y + slider.height / 2
    const scrubTasks = await mainThreadTasks(page, async () => {
      await page.mouse.move(slider.x + 4, y)
      await page.mouse.down()
      await page.mouse.move(slider.x + slider.width - 2, y, { steps: DRAG_MOVES })
      await page.mouse.up()
      await page.waitForTimeout(200)
    })
    const last = (await page.getByTestId('step-counter').textContent()) ?? ''
    if (!last.includes(`Step ${STEPS} of`)) throw new Error(`scrubbing ended at "${last.trim()}"`)
    console.info(
      `traceRender: stepping ${perStep.toFixed(2)} ms of main-thread time per step (${stepTasks.length} tasks); ` +
        `scrubbing: ${scrubTasks.length} tasks, median ${median(scrubTasks).toFixed(2)} ms, longest ${Math.max(...scrubTasks).toFixed(1)} ms`
    )
    return {
      step: { value: perStep, reference: FRAME_BUDGET_MS, unit: 'ms' },
      scrub: { value: Math.max(...scrubTasks), reference: LONG_TASK_MS, unit: 'ms' }
    }
  } finally {
    await browser.close()
    await server.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}

let measured: Promise<Measured> | undefined

export const benchmarks: Benchmark[] = [
  {
    name: 'step.render_ms.ratio_vs_frame',
    description: `Step tab, Chromium: main-thread time per → step (${STEPPED} steps) vs a 16 ms frame`,
    run: async () => (await (measured ??= measure())).step
  },
  {
    name: 'step.scrub_longest_task_ms.ratio_vs_long_task',
    description: `Step tab, Chromium: longest task dragging the slider over ${STEPS.toLocaleString('en')} steps, vs 50 ms`,
    run: async () => (await (measured ??= measure())).scrub
  }
]
