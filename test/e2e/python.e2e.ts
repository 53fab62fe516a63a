/**
 * The Coroutines tab in Chromium: Pyodide loads from the app's own files under the strict CSP in
 * a module worker, started in the background after launch so the tab finds it ready; the lecture's
 * COROUTINE EXAMPLE prints the lecture's output, the Live objects buttons drive a generator, and a
 * runaway loop or a long sleep is interrupted while the page keeps answering, and an input
 * interrupted while Python loads is cancelled. How long things take
 * is logged, not asserted (vitest's timeouts only guard against hangs).
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { coroutineExample } from '../support/lecture'
import { holdPythonLoading, useLabApp } from './support/app'

const lab = useLabApp()

/** Opens the tab and waits for Python; returns the milliseconds from the click to "ready". */
async function openCoroutines(page: Page): Promise<number> {
  const clicked = Date.now()
  await page.getByRole('tab', { name: 'Coroutines' }).click()
  await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
  return Date.now() - clicked
}

/** Whether the element is on screen and nothing covers its centre (what a click would hit). */
async function uncovered(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect()
    const x = box.left + box.width / 2
    const y = box.top + box.height / 2
    if (box.width === 0 || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false
    const hit = document.elementFromPoint(x, y)
    return hit !== null && (hit === element || element.contains(hit))
  })
}

async function statusOf(page: Page): Promise<string> {
  const status = page.getByTestId('python-status')
  return `${((await status.textContent()) ?? '').trim()} (${await status.getAttribute('title')})`
}

async function transcript(page: Page): Promise<string> {
  return (await page.getByTestId('console-transcript').textContent()) ?? ''
}

async function typeAndRun(page: Page, code: string): Promise<void> {
  const input = page.getByTestId('console-input')
  await input.fill(code)
  await input.press('Control+Enter')
}

describe('Coroutines tab in Chromium', () => {
  test('Python is started in the background: the tab opened later finds the console ready', async () => {
    const app = await lab.open()
    const { page } = app
    // The prewarm's signal: the hidden tab's status says ready. Nothing here waits on a clock.
    await page
      .getByTestId('python-status')
      .filter({ hasText: 'ready in' })
      .waitFor({ state: 'attached', timeout: 60_000 })
    expect(await page.getByRole('tab', { name: 'Browse' }).getAttribute('aria-selected')).toBe('true')
    const firstPaint = await page.evaluate(
      "performance.getEntriesByType('paint').find((entry) => entry.name === 'first-paint')?.startTime"
    )
    console.info(`[python.e2e] first paint at ${Math.round(Number(firstPaint))} ms; ${await statusOf(page)}`)
    // The worker's script was fetched after the first paint (resource timing, same clock as the paint's).
    const workerFetched = await page.evaluate(
      "performance.getEntriesByType('resource').find((entry) => /pythonWorker/.test(entry.name))?.startTime"
    )
    expect(Number(workerFetched)).toBeGreaterThan(Number(firstPaint))

    await page.getByRole('tab', { name: 'Coroutines' }).click()
    // Checked at once, without waiting: ready, no loading steps, and the input runs code.
    expect(await page.getByTestId('python-status').textContent()).toMatch(/Python 3\.\d+\.\d+ · ready in/)
    expect(await page.getByTestId('python-loading').count()).toBe(0)
    await typeAndRun(page, '6 * 7')
    await expect.poll(() => transcript(page)).toContain('>>> 6 * 7\n42\n')
    expect(app.problems).toEqual([])
  })

  test('runs the lecture’s COROUTINE EXAMPLE, and drives a generator', async () => {
    const app = await lab.open()
    const { page } = app
    expect(await page.evaluate('crossOriginIsolated')).toBe(true)

    const readyMs = await openCoroutines(page)
    const status = (await page.getByTestId('python-status').textContent()) ?? ''
    const detail = await page.getByTestId('python-status').getAttribute('title')
    console.info(
      `[python.e2e] Python ready ${readyMs} ms after opening the tab; the app reports: ${status.trim()} (${detail})`
    )
    expect(status).toMatch(/Python 3\.\d+\.\d+ · ready in \d+\.\d s · interruptible/)

    await page.getByRole('tabpanel', { name: 'Coroutines' }).getByTestId('examples-button').click()
    await page.getByRole('menuitem', { name: /COROUTINE EXAMPLE/ }).click()
    await expect.poll(() => transcript(page)).toContain(`    main()\n...\n${coroutineExample().output}`)

    await typeAndRun(page, 'c = coroutine()')
    const card = page.getByTestId('object-c')
    await expect.poll(() => card.textContent()).toContain('GEN_CREATED')
    await card.locator('[data-action=next]').click()
    await expect.poll(() => card.textContent()).toContain('GEN_SUSPENDED')
    await expect.poll(() => card.textContent()).toContain('x = yield ncalls')
    await card.locator('[data-action=send]').click()
    await expect
      .poll(() => transcript(page))
      .toContain(">>> next(c)\n0\n>>> c.send('CS107')\ncoroutine(): CS107 (call id: 1)\n1\n")
    await expect.poll(() => card.getByTestId('object-last').textContent()).toBe('last yielded 1')
    await app.screenshot('coroutines-console')

    await page.getByRole('button', { name: 'Inspect c' }).click()
    await expect.poll(() => page.getByTestId('attributes-table').textContent()).toContain('c.gi_frame')
    await page.getByTestId('internals-select').selectOption('coroutine')
    await expect.poll(() => page.getByTestId('attributes-table').textContent()).toContain('coroutine.__code__')
    await page.getByTestId('internals-select').scrollIntoViewIfNeeded()
    await app.screenshot('coroutines-internals')
    expect(app.problems).toEqual([])
  })

  test('Live objects says GEN_RUNNING once the generator runs, not while send’s argument is evaluated', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'import time\ndef slow():\n    while True:\n        got = yield\n        time.sleep(2)\n')
    await typeAndRun(page, 's = slow(); next(s)')
    const card = page.getByTestId('object-s')
    await expect.poll(() => card.textContent()).toContain('GEN_SUSPENDED')
    await card.getByRole('textbox', { name: 'Value to send into s (a Python expression)' }).fill('time.sleep(3) or 5')
    await card.locator('[data-action=send]').click()
    await page.getByTestId('console-running').waitFor()
    // The argument sleeps first: s is not running yet, as inspect.getgeneratorstate(s) would say.
    expect(await card.textContent()).toContain('GEN_SUSPENDED')
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('GEN_RUNNING')
    await page.getByTestId('console-running').waitFor({ state: 'hidden', timeout: 10_000 })
    expect(await card.textContent()).toContain('GEN_SUSPENDED')
    expect(app.problems).toEqual([])
  })

  test('the transcript follows long output to its foot, and stays where the user scrolled up to read', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    const log = page.getByTestId('console-transcript')
    const belowFoot = (): Promise<number> =>
      log.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)
    // 3,000 lines: dozens of output blocks, most never drawn, so their heights are estimates.
    await typeAndRun(page, 'for i in range(3000): print(i)')
    await expect.poll(() => transcript(page)).toContain('\n2999\n')
    await typeAndRun(page, "print('the end')")
    await expect.poll(() => transcript(page)).toMatch(/the end\n$/)
    await expect.poll(belowFoot).toBeLessThan(1)
    await app.screenshot('coroutines-long-output')

    // Scrolled up to read, the transcript stays there while output arrives; back at the foot, it follows again.
    await log.hover()
    await page.mouse.wheel(0, -2000)
    await expect.poll(belowFoot).toBeGreaterThan(1000)
    const reading = await log.evaluate((element) => element.scrollTop)
    await typeAndRun(page, "print('while reading')")
    await expect.poll(() => transcript(page)).toMatch(/while reading\n$/)
    expect(await log.evaluate((element) => element.scrollTop)).toBe(reading)
    await page.mouse.wheel(0, 100_000)
    await expect.poll(belowFoot).toBeLessThan(1)
    await typeAndRun(page, "print('followed again')")
    await expect.poll(() => transcript(page)).toMatch(/followed again\n$/)
    await expect.poll(belowFoot).toBeLessThan(1)
    expect(app.problems).toEqual([])
  })

  test('each generator-expression card shows its own source, not the latest input with one', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'ge3 = (n * n for n in range(3))')
    await typeAndRun(page, 'total = sum(b for b in range(5))')
    await typeAndRun(page, 'ge4 = (a for a in "xy")')
    await expect.poll(() => transcript(page)).toContain('>>> ge4 = (a for a in "xy")\n')
    const ge3 = page.getByTestId('object-ge3')
    const ge4 = page.getByTestId('object-ge4')
    await expect.poll(() => ge4.textContent()).toContain('ge4 = (a for a in "xy")')
    expect(await ge4.textContent()).not.toContain('sum(b for b in range(5))')
    expect(await ge3.textContent()).toContain('ge3 = (n * n for n in range(3))')
    await ge4.locator('[data-action=next]').click()
    await expect.poll(() => ge4.getByTestId('object-last').textContent()).toBe("last yielded 'x'")
    await app.screenshot('coroutines-genexpr-cards')
    expect(app.problems).toEqual([])
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${colorScheme} theme, 1280×800 and 900×600: cards, Interrupt in view while code runs, Restart asks`, async () => {
      const app = await lab.open({ colorScheme })
      const { page } = app
      await openCoroutines(page)
      await typeAndRun(
        page,
        'def countdown(n):\n    while n > 0:\n        yield n\n        n -= 1\n    return "liftoff"\n'
      )
      await typeAndRun(page, 'c = countdown(3)\nnext(c)\nd = countdown(1)\nnext(d)\nd.close()')
      const closed = page.getByTestId('object-d')
      await expect.poll(() => closed.textContent()).toContain('GEN_CLOSED')
      expect(await closed.getByTestId('object-last').textContent()).toBe('closed by close()')
      expect(await closed.locator('button[data-action]:disabled').count()).toBe(2)
      expect(await page.getByTestId('object-c').getByTestId('object-last').textContent()).toBe('last yielded 3')
      // The newest object is the one Internals shows.
      await expect.poll(() => page.getByTestId('internals-select').inputValue()).toBe('d')
      await app.screenshot(`coroutines-1280-${colorScheme}`)

      await page.setViewportSize({ width: 900, height: 600 })
      await app.screenshot(`coroutines-900-${colorScheme}`)
      await typeAndRun(page, 'while True:\n    pass\n')
      await page.getByTestId('console-running').waitFor()
      // Scrolled to the bottom of the tab, the console is out of view: the status bar has Interrupt.
      await page.locator('#panel-python').evaluate((panel) => (panel.scrollTop = panel.scrollHeight))
      expect(await uncovered(page.getByTestId('python-busy-interrupt'))).toBe(true)
      await app.screenshot(`coroutines-900-running-${colorScheme}`)
      // Scrolled 150 px past the console's top, its toolbar has stuck at the top of the tab.
      await page.locator('#panel-python').evaluate((panel) => {
        const console = panel.querySelector('.console')!
        panel.scrollTop += console.getBoundingClientRect().top - panel.getBoundingClientRect().top + 150
      })
      expect(await uncovered(page.getByTestId('console-interrupt'))).toBe(true)
      await app.screenshot(`coroutines-900-sticky-${colorScheme}`)
      await page.getByTestId('console-interrupt').click()
      await expect.poll(() => transcript(page)).toMatch(/KeyboardInterrupt\n$/)

      // Restart asks first, and the keyboard answers: Escape keeps everything, Enter restarts.
      await page.getByTestId('console-restart').click()
      const dialog = page.getByTestId('restart-dialog')
      await dialog.waitFor()
      expect(await dialog.textContent()).toContain('forgets the 3 names you defined: countdown, c, d.')
      await app.screenshot(`coroutines-900-restart-${colorScheme}`)
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      expect(await transcript(page)).not.toContain('Python restarted')
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.getByTestId('console-restart').click()
      await dialog.waitFor()
      await app.screenshot(`coroutines-1280-restart-${colorScheme}`)
      await page.keyboard.press('Enter')
      await expect.poll(() => transcript(page)).toContain('Python restarted: you asked for a fresh interpreter.')
      await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor()
      expect(await page.getByTestId('objects-empty').count()).toBe(1)
      expect(app.problems).toEqual([])
    })
  }

  test('a runaway loop is interrupted and the window never blocks', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'n = 0\nwhile True:\n    n += 1\n')
    await page.getByTestId('console-running').waitFor()
    await page.waitForTimeout(300)
    // The page still answers while Python spins in its worker (on the page's own thread, Python
    // would block this for good) and still shows the loop running.
    expect(await page.evaluate('1 + 1')).toBe(2)
    expect(await page.getByTestId('console-running').isVisible()).toBe(true)

    const pressed = Date.now()
    await page.getByTestId('console-interrupt').click()
    await expect.poll(() => transcript(page), { interval: 20 }).toMatch(/KeyboardInterrupt\n$/)
    console.info(`[python.e2e] while True interrupted ${Date.now() - pressed} ms after pressing Interrupt`)
    // Interrupted, not restarted: the namespace survives (below).
    expect(await transcript(page)).not.toContain('Python restarted')

    // The namespace survived: n counted while the loop ran.
    await typeAndRun(page, 'n > 1000')
    await expect.poll(() => transcript(page)).toMatch(/>>> n > 1000\nTrue\n$/)

    // A long time.sleep stops at once too.
    await typeAndRun(page, 'import time\ntime.sleep(60)')
    await page.getByTestId('console-running').waitFor()
    await page.waitForTimeout(200)
    await page.getByTestId('console-interrupt').click()
    // Interrupted, not slept out: the 60 s sleep would outlast the test's own timeout.
    await expect.poll(() => transcript(page), { interval: 20 }).toMatch(/KeyboardInterrupt\n$/)

    // Ctrl+C in the input interrupts too.
    await typeAndRun(page, 'while True:\n    pass\n')
    await page.getByTestId('console-running').waitFor()
    await page.getByTestId('console-input').press('Control+c')
    await expect
      .poll(() => transcript(page))
      .toMatch(/>>> while True:\n\.\.\.     pass\n\.\.\.\nTraceback[\s\S]*KeyboardInterrupt\n$/)

    // And with focus elsewhere in the console: on Run, just clicked, or in the transcript.
    for (const focused of ['console-run', 'console-transcript']) {
      await page.getByTestId('console-input').fill('while True:\n    pass\n')
      await page.getByTestId('console-run').click()
      await page.getByTestId('console-running').waitFor()
      await page.getByTestId(focused).focus()
      await page.keyboard.press('Control+c')
      await page.getByTestId('console-running').waitFor({ state: 'hidden' })
      expect(await transcript(page), focused).toMatch(/KeyboardInterrupt\n$/)
    }
    expect(app.problems).toEqual([])
  })

  test('Ctrl+C while Python loads cancels the input, says it never started, and Python loads and runs on', async () => {
    const loading = holdPythonLoading()
    const app = await lab.open({ beforeLoad: loading.hold })
    const { page } = app
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    await page.getByTestId('python-loading').waitFor()
    await typeAndRun(page, 'while True:\n    pass\n')
    await page.getByTestId('console-running').waitFor()
    await page.getByTestId('console-input').press('Control+c')
    await expect
      .poll(() => transcript(page))
      .toBe('>>> while True:\n...     pass\n...\nInterrupted before it started: Python was still loading.\n')
    await page.getByTestId('console-running').waitFor({ state: 'hidden' })
    loading.release()
    await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
    await typeAndRun(page, '6 * 7')
    await expect.poll(() => transcript(page)).toMatch(/>>> 6 \* 7\n42\n$/)
    const text = await transcript(page)
    expect(text).not.toContain('has not stopped')
    expect(text).not.toContain('Traceback')
    expect(app.problems).toEqual([])
  })

  test("every press of Interrupt stops the loop in place: none is lost to the race with Python's poll", async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'presses = 0')
    const waited: number[] = []
    for (let press = 1; press <= 25; press++) {
      await typeAndRun(page, 'presses += 1\nwhile True:\n    pass\n')
      await page.getByTestId('console-running').waitFor()
      // Pressed at different points of the loop's life, from before the worker starts it on.
      await page.waitForTimeout((press % 5) * 40)
      const pressed = Date.now()
      await page.getByTestId('console-interrupt').click()
      await expect.poll(() => transcript(page), { interval: 10 }).toMatch(/KeyboardInterrupt\n$/)
      waited.push(Date.now() - pressed)
      await page.getByTestId('console-running').waitFor({ state: 'hidden' })
    }
    const text = await transcript(page)
    expect(text).not.toContain('has not stopped')
    expect(text).not.toContain('Python restarted')
    expect(text.match(/^KeyboardInterrupt$/gm)).toHaveLength(25)
    await typeAndRun(page, 'presses')
    await expect.poll(() => transcript(page)).toMatch(/>>> presses\n25\n$/)
    waited.sort((a, b) => a - b)
    console.info(
      `[python.e2e] 25 interrupts: median ${waited[12]} ms, slowest ${waited[24]} ms from the press to KeyboardInterrupt`
    )
    expect(app.problems).toEqual([])
  })

  test('code that outlives Interrupt keeps running (no restart), and Restart Python, offered then, stops it', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'kept = 42')
    await typeAndRun(
      page,
      'caught = 0\nwhile True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        caught += 1\n'
    )
    await page.getByTestId('console-running').waitFor()
    const interrupt = page.getByTestId('console-interrupt')
    expect((await interrupt.textContent())?.trim()).toBe('Interrupt')
    await interrupt.click()
    // The loop catches the KeyboardInterrupt and goes on: after the grace period the console says so.
    await expect.poll(() => transcript(page)).toContain('Python has not stopped 1 s after Interrupt')
    expect((await interrupt.textContent())?.trim()).toBe('Restart Python')
    expect((await page.getByTestId('python-busy-interrupt').textContent())?.trim()).toBe('Restart Python')
    expect(await transcript(page)).not.toContain('Python restarted')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('coroutines-900-interrupt-stalled')

    await interrupt.click()
    await expect
      .poll(() => transcript(page))
      .toContain(
        'Python restarted: Interrupt was pressed again while the code still ran. Names defined before are gone.'
      )
    await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
    expect((await interrupt.textContent())?.trim()).toBe('Interrupt')
    await typeAndRun(page, "'kept' in globals()")
    await expect.poll(() => transcript(page)).toMatch(/>>> 'kept' in globals\(\)\nFalse\n$/)
    expect(app.problems).toEqual([])
  })

  test('bad input: syntax errors, exceptions, offline imports, input(), huge outputs', async () => {
    const app = await lab.open()
    const { page } = app
    await openCoroutines(page)
    await typeAndRun(page, 'x = 1 +* 2')
    await expect
      .poll(() => transcript(page))
      .toContain('  File "<stdin>", line 1\n    x = 1 +* 2\n           ^\nSyntaxError: invalid syntax\n')
    await typeAndRun(page, 'import requests')
    await expect.poll(() => transcript(page)).toContain("so packages such as 'requests' cannot be installed here.")
    await typeAndRun(page, "input('name? ')")
    await expect.poll(() => transcript(page)).toContain('input() cannot read from the Yield Lab console')

    const started = Date.now()
    await typeAndRun(page, 'for i in range(500_000):\n    print(i)\n')
    await page.getByTestId('console-running').waitFor()
    // A window frozen by output would not switch tabs at all; while the output streams, it does.
    await page.getByRole('tab', { name: 'Browse' }).click()
    expect(await page.getByRole('tab', { name: 'Browse' }).getAttribute('aria-selected')).toBe('true')
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    expect(await page.getByRole('tab', { name: 'Coroutines' }).getAttribute('aria-selected')).toBe('true')
    await expect
      .poll(() => transcript(page), { timeout: 60_000 })
      .toContain('more characters were printed but not shown]')
    console.info(
      `[python.e2e] printing 500,000 lines took ${Date.now() - started} ms (output cut at 200,000 characters)`
    )
    const length = await page.evaluate("document.querySelector('[data-testid=console-transcript]').textContent.length")
    expect(length).toBeLessThan(250_000)
    await typeAndRun(page, "print('still here')")
    await expect.poll(() => transcript(page)).toMatch(/still here\n$/)
    expect(app.problems).toEqual([])
  })

  test('Internals: bytecode and frames of a suspended generator, in the dark theme', async () => {
    const app = await lab.open({ colorScheme: 'dark' })
    const { page } = app
    await openCoroutines(page)
    await page.getByRole('tabpanel', { name: 'Coroutines' }).getByTestId('examples-button').click()
    await page.getByRole('menuitem', { name: /gen_107 and getgeneratorstate/ }).click()
    await expect.poll(() => transcript(page)).toContain("'GEN_CLOSED'")
    await typeAndRun(page, 'def drive(gen):\n    return next(gen)\n')
    await typeAndRun(page, 'g = gen_107()')
    await page.getByTestId('object-g').locator('[data-action=next]').click()
    await typeAndRun(page, 'drive(g)')
    await expect.poll(() => transcript(page)).toContain('>>> drive(g)\n0\n')
    await page.getByTestId('object-g').locator('[data-action=next]').click()
    await expect.poll(() => page.getByTestId('object-g').textContent()).toContain('yield 7')
    await page.getByRole('button', { name: 'Inspect g' }).click()
    await page.getByRole('button', { name: 'Bytecode (dis)', exact: true }).click()
    await expect.poll(() => page.getByTestId('bytecode').textContent()).toContain('-->')
    await page.getByRole('button', { name: 'Frames', exact: true }).click()
    await expect.poll(() => page.getByTestId('resumed-stack').textContent()).toContain('gen_107')
    await app.screenshot('coroutines-internals-dark')
    await page.getByTestId('internals-select').selectOption('gen_107')
    await page.getByRole('button', { name: 'Attributes', exact: true }).click()
    await expect.poll(() => page.getByTestId('attributes-table').textContent()).toContain('gen_107.__closure__')
    await page.getByTestId('python-status').scrollIntoViewIfNeeded()
    await app.screenshot('coroutines-dark')
    expect(app.problems).toEqual([])
  })
})
