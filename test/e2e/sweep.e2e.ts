import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeSampleData } from '../../src/main/lab/read/sampleData'
import { MEASUREMENT_CSV_COLUMNS } from '../../src/shared/sweepExport'
import { artifactsDir, useLabApp, type LabApp, type OpenOptions } from './support/app'

const lab = useLabApp()
let dataDir: string
let small: string
let medium: string

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'yield-lab-bench-e2e-'))
  small = writeSampleData({ directory: dataDir, name: 'small', bytes: 256 * 1024, seed: 1, withText: true }).binaryPath
  medium = writeSampleData({ directory: dataDir, name: 'medium', bytes: 8 * 1024 * 1024, seed: 2 }).binaryPath
})
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

async function openBenchmark(options: OpenOptions = {}): Promise<LabApp> {
  const app = await lab.open(options)
  await app.page.getByRole('tab', { name: 'Benchmark' }).click()
  return app
}

/** Fills the form for a quick sweep: chunks 1 … maxChunk items, two repeats, 50 ms cap. */
async function setUpSweep(page: Page, path: string, { maxChunk = 4096, repeats = 2, cap = 50 } = {}): Promise<void> {
  await page.getByTestId('sweep-path').fill(path)
  await page.getByTestId('sweep-max-chunk').selectOption(String(maxChunk))
  await page.getByTestId('sweep-repeats').fill(String(repeats))
  await page.getByTestId('sweep-cap').selectOption(String(cap))
}

/** Pixels of the chart canvas close to each colour, and how many differ from the background. */
async function canvasStats(
  page: Page,
  colors: Record<string, string>
): Promise<{ nonBackground: number; total: number; byColor: Record<string, number> }> {
  return page.evaluate((colors) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="sweep-chart"] canvas')
    if (!canvas) throw new Error('no chart canvas')
    const context = canvas.getContext('2d')!
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    const parse = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
    const targets = Object.entries(colors).map(([name, hex]) => ({ name, rgb: parse(hex) }))
    const byColor: Record<string, number> = Object.fromEntries(targets.map((t) => [t.name, 0]))
    const background = [data[0]!, data[1]!, data[2]!]
    let nonBackground = 0
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!]
      if (Math.abs(r - background[0]!) + Math.abs(g - background[1]!) + Math.abs(b - background[2]!) > 30)
        nonBackground++
      for (const target of targets) {
        if (Math.abs(r - target.rgb[0]!) + Math.abs(g - target.rgb[1]!) + Math.abs(b - target.rgb[2]!) < 40)
          byColor[target.name]!++
      }
    }
    return { nonBackground, total: data.length / 4, byColor }
  }, colors)
}

async function cssColors(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.documentElement)
    const read = (name: string): string => style.getPropertyValue(name).trim()
    return {
      lazyItem: read('--state-running'),
      lazyChunk: read('--accent'),
      text: read('--state-created'),
      eager: read('--ok')
    }
  })
}

describe('Benchmark tab in Chromium', () => {
  test('runs a small sweep live, charts every mode, exports CSV, keeps the run in history', async () => {
    const app = await openBenchmark()
    const { page } = app
    await expect.poll(() => page.getByTestId('sweep-empty').isVisible()).toBe(true)
    // The native dialog answers with the file, as the user would pick it.
    app.server.dialogAnswers.push(small)
    await page.getByRole('button', { name: 'Choose…' }).first().click()
    await expect.poll(() => page.getByTestId('sweep-path').inputValue()).toBe(small)
    await setUpSweep(page, small)
    await expect.poll(() => page.getByTestId('sweep-plan').textContent()).toContain('80 runs')
    await page.getByTestId('sweep-run').click()

    // Points appear while the sweep runs.
    await expect
      .poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 30_000 })
      .toMatch(/runs ·|Complete/)
    await expect
      .poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 60_000 })
      .toMatch(/^Complete: 80 runs/)
    await expect.poll(() => page.getByTestId('sweep-saved').isVisible()).toBe(true)

    // Every mode has its points: the table, the chart's text alternative, and pixels of each mode's colour.
    const table = page.getByTestId('sweep-table')
    await page.getByText('Table of medians and notes').click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(13)
    const head = await table.locator('thead').textContent()
    expect(head).toContain('lazy per item')
    expect(head).toContain('lazy per chunk')
    expect(head).toContain('text lazy')
    const label = await page.locator('[data-testid="sweep-chart"] canvas').getAttribute('aria-label')
    expect(label).toMatch(/lazy per item: best .* MB\/s at .*lazy per chunk: best .*text lazy: best/)
    const stats = await canvasStats(page, await cssColors(page))
    expect(stats.nonBackground / stats.total).toBeGreaterThan(0.02)
    for (const [mode, count] of Object.entries(stats.byColor)) expect(count, `pixels of ${mode}`).toBeGreaterThan(40)

    // CSV export downloads one row per run.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toMatch(/^yield-lab-sweep-small-\d{8}-\d{6}-runs\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/)
    expect(csv[0]).toBe(MEASUREMENT_CSV_COLUMNS.join(','))
    expect(csv).toHaveLength(81)

    // The PNG export is a real image: the chart as drawn, with a caption above it and the legend below.
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()])
    const image = readFileSync((await png.path())!)
    await png.saveAs(join(artifactsDir, 'benchmark-export.png'))
    expect(image.subarray(1, 4).toString()).toBe('PNG')
    const canvasSize = await page
      .locator('[data-testid="sweep-chart"] canvas')
      .evaluate((canvas: HTMLCanvasElement) => ({ width: canvas.width, height: canvas.height }))
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect(image.readUInt32BE(16)).toBe(canvasSize.width)
    expect(image.readUInt32BE(20)).toBeGreaterThan(canvasSize.height + 60)

    await expect.poll(() => page.getByTestId('sweep-history').locator('tbody tr').count()).toBe(1)
    const files = readdirSync(join(app.server.dataDirectory, 'sweeps'))
    expect(files).toHaveLength(1)
    await page.setViewportSize({ width: 1280, height: 1500 })
    await app.screenshot('benchmark-sweep')
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.getByRole('radiogroup', { name: 'Chart view' }).getByText('Time per file').click()
    await expect.poll(() => page.getByTestId('view-time').isChecked()).toBe(true)
    await page.getByTestId('sweep-chart').scrollIntoViewIfNeeded()
    await app.screenshot('benchmark-time-per-file')
    expect(app.problems).toEqual([])
  })

  test('cancel keeps the measured points, which can be saved', async () => {
    const app = await openBenchmark()
    const { page } = app
    await setUpSweep(page, medium, { maxChunk: 65536, repeats: 3, cap: 250 })
    await page.getByTestId('sweep-run').click()
    await expect
      .poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 30_000 })
      .toMatch(/^[3-9]\d* of \d+ runs · .+ elapsed · about .+ left$/)
    await page.getByTestId('sweep-cancel').click()
    await expect
      .poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 10_000 })
      .toMatch(/^Cancelled after \d+ of \d+ runs/)
    const kept = Number(/after (\d+)/.exec((await page.getByTestId('sweep-status').textContent())!)![1])
    expect(kept).toBeGreaterThanOrEqual(3)
    await expect.poll(() => app.server.jobs.openJobs().length).toBe(0)
    await expect.poll(async () => (await canvasStats(page, {})).nonBackground).toBeGreaterThan(1000)
    await page.getByTestId('sweep-save').click()
    await expect.poll(() => page.getByTestId('sweep-history').textContent()).toContain(`${kept} / `)
    expect(app.problems).toEqual([])
  })

  test('a sweep and a Read run at once: each tab says the other is running and both timings are skewed', async () => {
    const app = await openBenchmark()
    const { page } = app
    await page.setViewportSize({ width: 900, height: 600 })
    await setUpSweep(page, medium, { maxChunk: 65536, repeats: 5, cap: 1000 })
    await page.getByTestId('sweep-run').click()

    await page.getByRole('tab', { name: 'Read' }).click()
    const read = page.getByRole('tabpanel', { name: 'Read' })
    const readNotice = read.getByTestId('read-timing-skew')
    await expect
      .poll(() => readNotice.textContent(), { timeout: 30_000 })
      .toContain('Timings will be skewed: the Benchmark tab is running Sweep medium.bin. A read started now shares')
    expect(await read.getByTestId('read-run').isDisabled()).toBe(true) // no file yet; the sweep blocks nothing
    await read.getByTestId('read-path').fill(medium)
    expect(await read.getByTestId('read-run').isDisabled()).toBe(false)
    await readNotice.scrollIntoViewIfNeeded()
    await app.screenshot('read-timing-skew-900x600')

    // One read() per item over the file twelve times (chained by Browse…): cancelled long before its end.
    for (let index = 0; index < 11; index++) {
      app.server.dialogAnswers.push(medium)
      await read.getByTestId('read-chain-add').click()
      await expect.poll(() => read.getByTestId(`read-chained-${index}`).inputValue()).toBe(medium)
    }
    await read.getByTestId('read-mode-lazyItem').click()
    await read.getByRole('button', { name: '1 item', exact: true }).click()
    await read.getByTestId('read-run').click()
    await expect
      .poll(() => readNotice.textContent())
      .toContain('Timings skewed: the Benchmark tab is running Sweep medium.bin at the same time.')

    await page.getByRole('tab', { name: 'Benchmark' }).click()
    const sweepNotice = page.getByTestId('sweep-timing-skew')
    await expect
      .poll(() => sweepNotice.textContent())
      .toContain('Timings skewed: the Read tab is running Lazy per item: 12 files chained at the same time.')
    // Beside the sweep's Cancel, in view although the tab scrolled the form away when the sweep started.
    expect((await sweepNotice.boundingBox())!.y).toBeLessThan(600)
    // Two jobs in the status bar do not widen the window: both Cancel buttons are on screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900)
    for (const label of ['Sweep medium.bin', 'Lazy per item: 12 files chained']) {
      const cancel = (await page.getByRole('button', { name: `Cancel ${label}` }).boundingBox())!
      expect(cancel.x + cancel.width, label).toBeLessThanOrEqual(900)
    }
    await app.screenshot('benchmark-timing-skew-900x600')
    await page.setViewportSize({ width: 1280, height: 800 })
    expect((await sweepNotice.boundingBox())!.y).toBeLessThan(800)
    await app.screenshot('benchmark-timing-skew-1280x800')
    await page.getByRole('tab', { name: 'Read' }).click()
    await readNotice.scrollIntoViewIfNeeded()
    await app.screenshot('read-timing-skew-1280x800')

    await page.getByRole('button', { name: 'Cancel Sweep medium.bin' }).click()
    await page.getByRole('button', { name: 'Cancel Lazy per item: 12 files chained' }).click()
    await expect.poll(() => app.server.jobs.openJobs().length, { timeout: 20_000 }).toBe(0)
    // The read's row keeps the mark once both are over, with what ran beside it in its title.
    const skewed = read.getByTestId('read-row-skewed')
    await expect.poll(() => skewed.count()).toBe(1)
    expect(await skewed.getAttribute('title')).toBe(
      'Timed while Sweep medium.bin ran: they shared the CPU, so this run measured slower than it would alone'
    )
    expect(await readNotice.count()).toBe(0)
    await page.setViewportSize({ width: 900, height: 600 })
    await read.getByTestId('read-results').scrollIntoViewIfNeeded()
    await app.screenshot('read-row-skewed-900x600')
    expect(app.problems).toEqual([])
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`at 900 × 600 (${colorScheme}) the chart shrinks and grows back with the window, Export stays in view, a sweep scrolls to its chart`, async () => {
      const app = await openBenchmark({ colorScheme })
      const { page } = app
      await page.setViewportSize({ width: 900, height: 600 })
      await setUpSweep(page, small, { maxChunk: 2048, repeats: 1 })
      await page.getByTestId('sweep-run').click()
      // On start, the tab's panel scrolls to the progress and the live chart (placeholder first):
      // both are in view, the progress at the top or the panel scrolled as far as it goes.
      const placement = (): Promise<{
        scrolled: boolean
        progressTop: number
        resultsTop: number
        panelBottom: number
      }> =>
        page.evaluate(() => {
          const element = document.querySelector('[data-testid="sweep-live"]')!
          const panel = element.closest('.tab-panel')!
          const results = element.querySelector('[aria-label="Sweep results"]')!
          return {
            scrolled: panel.scrollTop > 0,
            progressTop: element.getBoundingClientRect().top - panel.getBoundingClientRect().top,
            resultsTop: results.getBoundingClientRect().top,
            panelBottom: panel.getBoundingClientRect().bottom
          }
        })
      await expect.poll(async () => (await placement()).scrolled).toBe(true)
      const placed = await placement()
      expect(placed.progressTop).toBeGreaterThanOrEqual(0)
      expect(placed.resultsTop + 200).toBeLessThanOrEqual(placed.panelBottom)
      // Only the tab's panel scrolled: the tabs are still on screen.
      expect((await page.getByRole('tab', { name: 'Benchmark' }).boundingBox())!.y).toBeGreaterThanOrEqual(0)
      expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0)
      await expect.poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 60_000 }).toMatch(/^Complete/)
      await app.screenshot(`benchmark-900x600-${colorScheme}`)

      const chart = page.getByTestId('sweep-chart')
      const chartWidth = async (): Promise<number> => (await chart.boundingBox())!.width
      const narrow = await chartWidth()
      expect((await chart.boundingBox())!.x + narrow).toBeLessThanOrEqual(900)
      await page.setViewportSize({ width: 1280, height: 800 })
      await expect.poll(chartWidth).toBeGreaterThan(narrow + 300)
      await page.setViewportSize({ width: 900, height: 600 })
      await expect.poll(chartWidth).toBeLessThanOrEqual(narrow + 1)
      // At 900 px nothing is wider than the window, and the Export buttons are on screen.
      const button = (await page.getByTestId('export-png').boundingBox())!
      expect(button.x + button.width).toBeLessThanOrEqual(900)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900)
      // The legend stays on one line.
      expect((await page.getByTestId('sweep-legend').boundingBox())!.height).toBeLessThan(30)
      await page.setViewportSize({ width: 1280, height: 800 })
      await app.screenshot(`benchmark-1280x800-${colorScheme}`)
      expect(app.problems).toEqual([])
    })
  }

  test('bad input: missing file, file smaller than the largest chunk, corrupt or foreign imports write nothing', async () => {
    const app = await openBenchmark({ colorScheme: 'dark' })
    const { page } = app
    await setUpSweep(page, join(dataDir, 'missing.bin'))
    await page.getByTestId('sweep-run').click()
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toContain('missing.bin: does not exist')

    await setUpSweep(page, small, { maxChunk: 1024 * 1024 })
    await page.getByTestId('sweep-run').click()
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toContain('fewer than the largest chunk')

    for (const [name, content, message] of [
      ['broken.json', '{"format": "yield-lab-sweep/1", "measurements": [', 'it is not JSON ('],
      ['empty.json', '', 'empty.json was not imported: This is not a Yield Lab sweep: the file is empty.'],
      ['package.json', '{"name": "left-pad", "version": "1.0.0"}', 'not a Yield Lab sweep'],
      ['edited.json', JSON.stringify({ format: 'yield-lab-sweep/1', label: 'x' }), 'damaged or was edited']
    ] as const) {
      const path = join(dataDir, name)
      writeFileSync(path, content)
      app.server.dialogAnswers.push(path)
      await page.getByTestId('import-json').click()
      await expect.poll(() => page.getByTestId('import-error').textContent()).toContain(message)
    }
    // Read in main, not in the page: a FIFO is not read as an empty file (nor waited on), nor is a folder.
    const fifo = join(dataDir, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    for (const [path, message] of [
      [fifo, `Not imported: ${fifo}: is a named pipe (FIFO)`],
      [dataDir, `Not imported: ${dataDir}: is a directory`]
    ] as const) {
      app.server.dialogAnswers.push(path)
      await page.getByTestId('import-json').click()
      await expect.poll(() => page.getByTestId('import-error').textContent()).toContain(message)
    }
    expect(() => readdirSync(join(app.server.dataDirectory, 'sweeps'))).toThrow()
    await app.screenshot('benchmark-bad-input-dark')
    expect(app.problems).toEqual([])
  })

  test('dark theme: an imported run overlaid on a fresh one, then deleted', async () => {
    const app = await openBenchmark({ colorScheme: 'dark' })
    const { page } = app
    await setUpSweep(page, small, { maxChunk: 2048 })
    await page.getByTestId('sweep-run').click()
    await expect.poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 60_000 }).toMatch(/^Complete/)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()])
    const exported = readFileSync((await download.path())!, 'utf8')
    const colleague = JSON.parse(exported) as {
      id: string
      label: string
      machine: { cpuModel: string }
      measurements: { elapsedMs: number }[]
    }
    colleague.id = 'sweep-20240101T000000Z-c0ffee' // another machine's run, not this one again
    colleague.label = 'colleague.bin'
    colleague.machine.cpuModel = 'Colleague CPU'
    // A slower machine: every run took 2.5 times as long (so the overlay is visible beside this run).
    for (const m of colleague.measurements) m.elapsedMs *= 2.5
    const path = join(dataDir, 'colleague.json')
    writeFileSync(path, JSON.stringify(colleague))
    app.server.dialogAnswers.push(path)
    await page.getByTestId('import-json').click()
    await expect.poll(() => page.getByTestId('sweep-history').locator('tbody tr').count()).toBe(2)
    await expect.poll(() => page.getByTestId('sweep-history').textContent()).toContain('Colleague CPU')
    await page.setViewportSize({ width: 1280, height: 1500 })
    await app.screenshot('benchmark-overlay-dark')
    // With an overlay the legend still takes one line (it scrolls when too long).
    const legend = page.getByTestId('sweep-legend')
    await expect.poll(() => legend.locator('li').count()).toBeGreaterThanOrEqual(4)
    expect((await legend.boundingBox())!.height).toBeLessThan(30)
    await page.setViewportSize({ width: 900, height: 600 })
    await page.getByTestId('sweep-chart').scrollIntoViewIfNeeded()
    expect((await legend.boundingBox())!.height).toBeLessThan(30)
    await app.screenshot('benchmark-overlay-900x600-dark')

    const del = page.getByRole('button', { name: /^Delete colleague\.bin/ })
    await del.click()
    await del.click()
    await expect.poll(() => page.getByTestId('sweep-history').locator('tbody tr').count()).toBe(1)
    expect(readdirSync(join(app.server.dataDirectory, 'sweeps'))).toHaveLength(1)
    expect(app.problems).toEqual([])
  })
})
