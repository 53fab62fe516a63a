import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { useLabApp } from './support/app'

const lab = useLabApp()

function panelOf(page: Page): Locator {
  return page.getByRole('tabpanel', { name: 'Read' })
}

async function openRead(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Read' }).click()
  const panel = panelOf(page)
  await expect.poll(() => panel.isVisible()).toBe(true)
  return panel
}

async function generate(
  panel: Locator,
  options: { customMiB?: number; withText?: boolean; name?: string; seed?: number } = {}
): Promise<void> {
  if (!(await panel.getByTestId('read-sample-generate').isVisible()))
    await panel.getByTestId('read-generate-toggle').click()
  if (options.customMiB !== undefined) {
    await panel.getByRole('radio', { name: 'Custom' }).check()
    await panel.getByTestId('read-sample-mib').fill(String(options.customMiB))
  }
  if (options.withText === true) await panel.getByTestId('read-sample-text').check()
  if (options.name !== undefined) await panel.getByTestId('read-sample-name').fill(options.name)
  if (options.seed !== undefined) await panel.getByTestId('read-sample-seed').fill(String(options.seed))
  await panel.getByTestId('read-sample-generate').click()
}

async function runMode(panel: Locator, mode: string, rows: number, chunkPreset?: string): Promise<void> {
  await panel.getByTestId(`read-mode-${mode}`).click()
  if (chunkPreset !== undefined) await panel.getByRole('button', { name: chunkPreset, exact: true }).click()
  await panel.getByTestId('read-run').click()
  await expect
    .poll(() => panel.getByTestId('read-results').locator('tbody tr[data-testid]').count(), { timeout: 30_000 })
    .toBe(rows)
}

describe('Read tab in Chromium', () => {
  test('a typed folder is written only after main’s message box is answered Allow', async () => {
    const app = await lab.open()
    const { page, server } = app
    const panel = await openRead(page)
    await panel.getByTestId('read-generate-toggle').click()
    const typed = join(server.dataDirectory, '..', `${basename(server.dataDirectory)}-typed`)
    await panel.getByTestId('read-sample-directory').fill(typed)
    expect(await panel.getByTestId('read-sample-text').isChecked()).toBe(false)

    server.confirmAnswers.push(false)
    await panel.getByTestId('read-sample-generate').click()
    await expect.poll(() => panel.getByTestId('read-sample-error').textContent()).toContain('Nothing was written')
    expect(server.confirmQuestions.map((question) => question.message)).toEqual([
      `Allow Yield Lab to write into ${typed}?`
    ])
    expect(existsSync(typed)).toBe(false)

    server.confirmAnswers.push(true)
    await panel.getByTestId('read-sample-generate').click()
    await expect
      .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
      .toContain('Wrote 131,072 items')
    try {
      expect(readdirSync(typed).sort()).toEqual(['sample-1MiB-seed0.bin', 'sample-1MiB-seed0.json'])
    } finally {
      rmSync(typed, { recursive: true, force: true })
    }
    expect(app.problems).toEqual([])
  })

  test('generates a small file, reads it eagerly and lazily, and the sums agree', async () => {
    const app = await lab.open()
    const { page } = app
    const panel = await openRead(page)
    await expect.poll(() => panel.getByTestId('read-results').textContent()).toContain('No runs yet')

    await generate(panel, { withText: true })
    await expect
      .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
      .toContain('Wrote 131,072 items')
    const path = await panel.getByTestId('read-path').inputValue()
    expect(path).toMatch(/sample-1MiB-seed0\.bin$/)
    const dataDir = readdirSync(join(path, '..'))
    expect(dataDir.sort()).toEqual(['sample-1MiB-seed0.bin', 'sample-1MiB-seed0.json', 'sample-1MiB-seed0.txt'])

    await runMode(panel, 'eager', 1)
    await runMode(panel, 'lazyItem', 2, '1 KiB')
    await runMode(panel, 'lazyChunk', 3, '64 KiB')
    // Text mode asks before it changes the file.
    await panel.getByTestId('read-mode-text').click()
    await expect.poll(() => panel.getByTestId('read-path-switch').textContent()).toContain('switch the file from')
    expect(await panel.getByTestId('read-path').inputValue()).toMatch(/sample-1MiB-seed0\.bin$/)
    await panel.getByTestId('read-path-switch-yes').click()
    expect(await panel.getByTestId('read-path').inputValue()).toMatch(/sample-1MiB-seed0\.txt$/)
    await runMode(panel, 'text', 4)
    await panel.getByTestId('read-style-push').check()
    await panel.getByTestId('read-mode-lazyChunk').click()
    await panel.getByTestId('read-path-switch-yes').click()
    await runMode(panel, 'lazyChunk', 5)
    expect(await panel.getByTestId('read-path').inputValue()).toMatch(/sample-1MiB-seed0\.bin$/)

    const table = panel.getByTestId('read-results')
    const sums = await table.getByTestId('read-row-sum').allTextContents()
    expect(sums).toHaveLength(5)
    const first = Number(sums[0]!.replaceAll(',', ''))
    expect(first).toBeGreaterThan(60_000)
    expect(first).toBeLessThan(71_000)
    for (const sum of sums) expect(Math.abs(Number(sum.replaceAll(',', '')) - first)).toBeLessThan(1e-6)
    expect(await table.getByTestId('read-row-agreement').allTextContents()).toEqual(['✓', '✓', '✓', '✓', '✓'])
    expect(await table.locator('tbody tr').nth(3).textContent()).toContain('Text, lazy')
    await app.screenshot('read-results-light')
    expect(app.problems).toEqual([])
  })

  test('a sum that is nan or inf reads as numpy prints it, and eager and lazy agree on it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'yield-lab-nan-'))
    try {
      const app = await lab.open()
      const panel = await openRead(app.page)
      for (const [name, values, sum] of [
        ['nan.bin', [1, NaN, 2], 'nan'],
        ['inf.bin', [1, Infinity, 2], 'inf'],
        ['minus-inf.bin', [-Infinity, 3], '-inf']
      ] as const) {
        const path = join(folder, name)
        writeFileSync(path, new Float64Array(values))
        await panel.getByTestId('read-path').fill(path)
        const before = await panel.getByTestId('read-results').locator('tbody tr[data-testid]').count()
        await runMode(panel, 'eager', before + 1)
        expect(await panel.getByTestId('read-status').textContent()).toContain(`sum ${sum} of ${values.length} items`)
        await runMode(panel, 'lazyChunk', before + 2)
        const row = panel.getByTestId(`read-row-${before + 2}`)
        expect(await row.getByTestId('read-row-sum').textContent()).toBe(sum)
        expect(await row.getByTestId('read-row-sum').getAttribute('title')).toBe(sum)
        expect(await row.getByTestId('read-row-agreement').textContent()).toBe('✓')
      }
      await app.screenshot('read-nan-inf')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('eager refusal explains lazy reading, errors name the file, cancel works mid-file (dark)', async () => {
    const app = await lab.open({ colorScheme: 'dark' })
    const { page, server } = app
    const panel = await openRead(page)
    await app.screenshot('read-empty-dark')

    // A 16 MiB file read one item per read(): long enough to cancel mid-file.
    await generate(panel, { customMiB: 16 })
    await expect
      .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
      .toContain('Wrote 2,097,152 items')
    const path = await panel.getByTestId('read-path').inputValue()

    await panel.getByTestId('read-memory-limit').fill('4')
    await panel.getByTestId('read-mode-eager').click()
    await panel.getByTestId('read-run').click()
    const error = panel.getByTestId('read-error')
    await expect.poll(() => error.textContent()).toContain('Eager read refused.')
    expect(await error.textContent()).toContain('16.0 MiB, more than the eager memory limit of 4.00 MiB')
    expect(await error.textContent()).toContain('That is why lazy reading exists')
    await app.screenshot('read-eager-refused-dark')
    await panel.getByTestId('read-lazily-instead').click()
    await expect
      .poll(() => panel.getByTestId('read-results').locator('tbody tr[data-testid]').count(), { timeout: 30_000 })
      .toBe(1)
    expect(await error.count()).toBe(0)

    await panel.getByTestId('read-mode-lazyItem').click()
    await panel.getByRole('button', { name: '1 item', exact: true }).click()
    await expect
      .poll(() => panel.getByTestId('read-chunk-hint').textContent())
      .toContain('tiny chunks are ~100× slower')
    await panel.getByTestId('read-run').click()
    await expect.poll(() => panel.getByTestId('read-status').textContent()).toContain('Reading')
    await expect
      .poll(async () => Number((await panel.getByTestId('read-live-items').textContent())?.replaceAll(',', '')), {
        timeout: 20_000
      })
      .toBeGreaterThan(0)
    await app.screenshot('read-running-dark')
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.getByTestId('read-status').textContent(), { timeout: 20_000 }).toContain('Cancelled')
    await expect.poll(() => server.jobs.openJobs().length).toBe(0)
    // The cancelled run is kept, marked as such.
    expect(await panel.getByTestId('read-results').locator('tbody tr[data-testid]').count()).toBe(2)
    expect(await panel.getByTestId('read-row-2').textContent()).toContain('cancelled after')

    // Bad input: a missing file, named in the error; then the app keeps working.
    const missing = join(path, '..', 'no-such-file.bin')
    await panel.getByTestId('read-path').fill(missing)
    await panel.getByTestId('read-mode-lazyChunk').click()
    await panel.getByTestId('read-run').click()
    await expect.poll(() => error.textContent()).toContain('no-such-file.bin')
    expect(await error.textContent()).toContain('does not exist')
    await app.screenshot('read-error-dark')

    // Browse… answers with the generated file; a bad chunk size is refused before running.
    server.dialogAnswers.push(path)
    await panel.getByTestId('read-browse').click()
    await expect.poll(() => panel.getByTestId('read-path').inputValue()).toBe(path)
    await panel.getByTestId('read-chunk').fill('0')
    await expect
      .poll(() => panel.getByTestId('read-chunk-hint').textContent())
      .toContain('Chunk size must be a whole number of items from 1 to')
    expect(await panel.getByTestId('read-run').isDisabled()).toBe(true)
    await panel.getByTestId('read-chunk').fill('8192')
    await panel.getByTestId('read-run').click()
    await expect
      .poll(() => panel.getByTestId('read-results').locator('tbody tr[data-testid]').count(), { timeout: 30_000 })
      .toBe(3)
    expect(await panel.getByTestId('read-results').getByTestId('read-row-agreement').allTextContents()).toEqual([
      '✓',
      '✓'
    ])

    // Generating the same file again asks before overwriting.
    await generate(panel)
    await expect.poll(() => panel.getByTestId('read-overwrite').isVisible()).toBe(true)
    expect(await panel.getByTestId('read-overwrite').textContent()).toContain('already exists')
    await app.screenshot('read-overwrite-dark')
    await panel.getByTestId('read-overwrite-yes').click()
    await expect
      .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
      .toContain('Wrote 2,097,152 items')
    expect(existsSync(path)).toBe(true)
    await app.screenshot('read-results-dark')
    expect(app.problems).toEqual([])
  })

  test('at 900 px a shadow marks the edge past which the results table hides columns; ← → reach them', async () => {
    const app = await lab.open()
    const { page } = app
    const panel = await openRead(page)
    await generate(panel)
    await expect
      .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
      .toContain('Wrote 131,072 items')
    await runMode(panel, 'eager', 1)
    await runMode(panel, 'lazyChunk', 2, '64 KiB')
    const table = panel.getByRole('region', { name: 'Results table' })
    const hiddenLeft = panel.getByTestId('scroll-shadow-start')
    const hiddenRight = panel.getByTestId('scroll-shadow-end')
    // Every column fits at 1280 px: no shadow.
    expect([await hiddenLeft.isVisible(), await hiddenRight.isVisible()]).toEqual([false, false])

    await page.setViewportSize({ width: 900, height: 600 })
    await table.scrollIntoViewIfNeeded()
    await expect.poll(() => hiddenRight.isVisible()).toBe(true)
    expect(await hiddenLeft.isVisible()).toBe(false)
    // Over the table's right edge, its whole height.
    const box = (await table.boundingBox())!
    const shadow = (await hiddenRight.boundingBox())!
    expect(shadow.x + shadow.width).toBeCloseTo(box.x + box.width, 0)
    expect(shadow.y).toBeCloseTo(box.y, 0)
    expect(shadow.height).toBeCloseTo(box.height, 0)
    await app.screenshot('read-results-columns-hidden-900')

    // The table takes focus and the arrow keys scroll it: a shadow on the left now, none once at the right end.
    await table.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => hiddenLeft.isVisible()).toBe(true)
    for (let press = 0; press < 50 && (await hiddenRight.isVisible()); press++) await page.keyboard.press('ArrowRight')
    await expect.poll(() => hiddenRight.isVisible()).toBe(false)
    expect(
      await table.evaluate((element) => element.scrollWidth - element.scrollLeft - element.clientWidth)
    ).toBeLessThan(1)
    expect(await hiddenLeft.isVisible()).toBe(true)
    // Only the table scrolled: the tab, which keys pressed past the table's end would scroll next, cannot.
    expect(await panel.evaluate((root) => [root.scrollLeft, root.scrollWidth - root.clientWidth])).toEqual([0, 0])
    await app.screenshot('read-results-scrolled-to-end-900')

    await page.setViewportSize({ width: 1280, height: 800 })
    await expect.poll(() => Promise.all([hiddenLeft.isVisible(), hiddenRight.isVisible()])).toEqual([false, false])
    expect(app.problems).toEqual([])
  })

  test('chains two files in one run, explains eager against lazy, sorts, removes, shows the Python', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const app = await lab.open({ colorScheme })
      const { page, server } = app
      const panel = await openRead(page)
      await generate(panel, { customMiB: 4, name: 'first' })
      await expect
        .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
        .toContain('Wrote 524,288 items')
      const first = await panel.getByTestId('read-path').inputValue()
      await generate(panel, { customMiB: 2, name: 'second', seed: 2 })
      await expect
        .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
        .toContain('Wrote 262,144 items')
      const second = await panel.getByTestId('read-path').inputValue()
      await panel.getByTestId('read-path').fill(first)
      server.dialogAnswers.push(second)
      await panel.getByTestId('read-chain-add').click()
      await expect.poll(() => panel.getByTestId('read-chained-0').inputValue()).toBe(second)
      expect(await panel.getByTestId('read-chain').textContent()).toContain('2 files read one after the other')

      // Chained, one item at a time: long enough to see progress per file.
      await panel.getByTestId('read-mode-lazyItem').click()
      await panel.getByRole('button', { name: '1 KiB', exact: true }).click()
      await panel.getByTestId('read-run').click()
      await expect.poll(() => panel.getByTestId('read-per-file').isVisible(), { timeout: 20_000 }).toBe(true)
      expect(await panel.getByTestId('read-per-file').getByRole('progressbar').count()).toBe(2)
      await expect
        .poll(() => panel.getByTestId('read-results').locator('tbody tr[data-testid]').count(), { timeout: 60_000 })
        .toBe(1)
      expect(await panel.getByTestId('read-row-file').textContent()).toContain('first.bin + second.bin')
      expect(await panel.getByTestId('read-row-file').getAttribute('title')).toBe(`${first}\n${second}`)
      expect(await panel.getByTestId('read-row-agreement').textContent()).toBe('✓')
      expect(await panel.getByTestId('read-status-files').textContent()).toBe('first.bin + second.bin')
      expect(await panel.getByTestId('read-status').textContent()).toContain('786,432 items')

      // The same two files eagerly and lazily per chunk: the Why panel says who won and why.
      await runMode(panel, 'eager', 2)
      await runMode(panel, 'lazyChunk', 3, '64 KiB')
      await panel.getByTestId('read-row-2').click()
      const why = panel.getByTestId('read-explain')
      expect(await why.textContent()).toContain('run 2, Eager')
      for (const phase of ['allocate', 'read', 'sum'])
        expect(await panel.getByTestId(`read-phase-${phase}`).isVisible()).toBe(true)
      expect(await panel.getByTestId('read-verdict').textContent()).toMatch(
        /^Eager (loses here|wins here|and lazy per chunk \(run \d+\) take about the same time)/
      )
      expect(await panel.getByTestId('read-explain-cache').textContent()).toMatch(/^(Warm|Cold):/)
      expect(await panel.getByTestId('read-chart').locator('canvas').count()).toBe(2)
      await page.getByTestId('read-chart').scrollIntoViewIfNeeded()
      await app.screenshot(`read-chained-${colorScheme}-1280x800`)

      await panel.getByTestId('read-sort-rate').click()
      expect(await page.locator('th', { has: page.getByTestId('read-sort-rate') }).getAttribute('aria-sort')).toBe(
        'descending'
      )
      const rates = await panel
        .getByTestId('read-results')
        .locator('tbody tr[data-testid]')
        .evaluateAll((rows) =>
          rows.map((row) => Number(row.querySelectorAll('td')[9]!.textContent!.replace(/[^\d.]/g, '')))
        )
      expect(rates).toHaveLength(3)
      expect(rates).toEqual([...rates].sort((a, b) => b - a))
      await panel.getByTestId('read-row-remove-1').click()
      expect(await panel.getByTestId('read-results-count').textContent()).toBe('2 runs')

      await panel.getByTestId('read-row-python-3').click()
      const code = (await page.getByTestId('read-python-code').textContent()) ?? ''
      expect(code).toContain(`read_binary_chunks('${first}', 8192),`)
      expect(code).toContain(`read_binary_chunks('${second}', 8192),`)
      await app.screenshot(`read-python-${colorScheme}`)
      await page.getByTestId('read-python-close').click()

      await page.setViewportSize({ width: 900, height: 600 })
      await page.getByTestId('read-explain').scrollIntoViewIfNeeded()
      await app.screenshot(`read-chained-${colorScheme}-900x600`)
      // Nothing in the tab is wider than the window (the results table scrolls inside its panel).
      const tooWide = await panel.evaluate((root) => {
        const width = document.documentElement.clientWidth
        return [...root.querySelectorAll('*')]
          .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest('.scroll'))
          .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`)
      })
      expect(tooWide).toEqual([])
      // Each progress bar's text stays clear of the RSS sparkline beside them (the per-file bars are narrow here).
      const underRss = await panel.getByTestId('read-run-panel').evaluate((root) => {
        const rss = root.querySelector('.rss')!.getBoundingClientRect().left
        return [...root.querySelectorAll('[role=progressbar] + .text')]
          .filter((text) => text.getBoundingClientRect().right > rss)
          .map((text) => text.textContent)
      })
      expect(await panel.getByTestId('read-per-file').isVisible()).toBe(true)
      expect(underRss).toEqual([])
      expect(app.problems).toEqual([])
      // The fixture closes the last app it opened; the others are closed here.
      if (colorScheme === 'light') await app.close()
    }
  })
})
