/**
 * The Step tab in Chromium, on the built app under its strict CSP: lecture programs recorded by
 * the real recorder in Pyodide, stepped with buttons and keys; the suspended generator frame drawn
 * apart and greyed (under the stack in a 900 px window, with nothing to scroll to sideways); a
 * program opened from the console; the trace exported and imported back; the diagram exported;
 * CodeMirror styled through the page's nonce; the editor left by keyboard (Escape then Tab), as
 * its hint says; the current line kept in view as the window shrinks; a recording waiting for the
 * console's code, and the console's input for a recording; a recording interrupted while Python
 * loads. Screenshots: step-*.png.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, test } from 'vitest'
import { parseTraceJson } from '../../src/shared/trace'
import { lineText } from '../../src/renderer/src/trace/traceSteps'
import { holdPythonLoading, useLabApp, type LabApp } from './support/app'

const lab = useLabApp()
const scratch = mkdtempSync(join(tmpdir(), 'yield-lab-trace-e2e-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The app, opened on the Step tab (Ctrl+5). */
async function openStep(options: Parameters<typeof lab.open>[0] = {}): Promise<LabApp> {
  const app = await lab.open(options)
  await app.page.keyboard.press('Control+5')
  await app.page.getByTestId('trace-view').waitFor()
  return app
}

async function counter(page: Page): Promise<string> {
  return ((await page.getByTestId('step-counter').textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

async function recordExample(page: Page, id: string): Promise<void> {
  await page.getByTestId('trace-view').getByTestId('examples-button').click()
  await page.locator(`[data-example=${id}]`).click()
  await expect.poll(() => counter(page), { timeout: 90_000 }).toMatch(/^Step 1 of \d+/)
}

/** Replaces the editor's program, typed key by key, Enter included, as a user types: CodeMirror handles each key itself. */
async function typeProgram(page: Page, source: string): Promise<void> {
  await page.locator('.cm-content').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.type(source)
}

/**
 * Records a program typed into the editor, once Python is loaded (a lecture example records
 * first); resolves at its first step. The example's trace is at its step 1 too: the new one is
 * shown once the editor no longer differs from the program recorded ("Edited since recorded").
 */
async function recordTyped(page: Page, source: string): Promise<void> {
  await recordExample(page, 'gen-107')
  await typeProgram(page, source)
  await page.getByTestId('trace-edited').waitFor()
  await page.getByTestId('trace-record').click()
  await page.getByTestId('trace-edited').waitFor({ state: 'detached', timeout: 90_000 })
  await expect.poll(() => counter(page)).toMatch(/^Step 1 of \d+/)
}

/** Gives the step player's keys focus: a click in the diagram's corner, on no frame or object. */
async function focusPlayer(page: Page): Promise<void> {
  await page.getByTestId('trace-diagram').click({ position: { x: 2, y: 2 } })
}

/** What the program printed, read at its last step (End in the player). */
async function outputAtLastStep(page: Page): Promise<string | null> {
  await focusPlayer(page)
  await page.keyboard.press('End')
  return page.getByTestId('trace-output').textContent()
}

/** Presses a key (focus on the page, not in the editor) until the counter matches. */
async function pressUntil(page: Page, key: string, pattern: RegExp, most = 200): Promise<string> {
  for (let i = 0; i < most; i++) {
    const text = await counter(page)
    if (pattern.test(text)) return text
    await page.keyboard.press(key)
  }
  throw new Error(`${key} never reached ${pattern}; at ${await counter(page)}`)
}

/** The diagram's 12 px text as drawn, in pixels: the SVG is scaled to its panel. */
function textSize(svg: Element): number {
  return (12 * svg.getBoundingClientRect().width) / (svg as SVGSVGElement).viewBox.baseVal.width
}

async function box(page: Page, testId: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.getByTestId(testId).first().boundingBox()
  if (found === null) throw new Error(`${testId} is not shown`)
  return found
}

type Side = 'top' | 'right' | 'bottom' | 'left'

/**
 * The sides of an element's box where the accent colour is painted, looked for across its edge (6 px
 * either side) at the middle of each side: where a focus ring shows, whichever element draws it and
 * whatever paints over it. Read from a screenshot, so it is what the user sees.
 */
async function accentSides(page: Page, testId: string): Promise<Side[]> {
  const element = await box(page, testId)
  const margin = 6
  const clip = {
    x: Math.floor(element.x) - margin,
    y: Math.floor(element.y) - margin,
    width: Math.ceil(element.width) + 2 * margin,
    height: Math.ceil(element.height) + 2 * margin
  }
  const png = (await page.screenshot({ clip })).toString('base64')
  return page.evaluate(
    async ({ png, margin }) => {
      const probe = document.createElement('div')
      probe.style.color = 'var(--accent)'
      document.body.append(probe)
      const accent = getComputedStyle(probe).color.match(/\d+/g)!.map(Number)
      probe.remove()
      const image = new Image()
      image.src = `data:image/png;base64,${png}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const isAccent = (x: number, y: number): boolean => {
        const [r, g, b] = context.getImageData(x, y, 1, 1).data
        return Math.abs(r! - accent[0]!) + Math.abs(g! - accent[1]!) + Math.abs(b! - accent[2]!) < 60
      }
      const { width, height } = canvas
      const across = [...Array(2 * margin).keys()]
      const painted: Record<Side, boolean> = {
        top: across.some((i) => isAccent(Math.floor(width / 2), i)),
        right: across.some((i) => isAccent(width - 1 - i, Math.floor(height / 2))),
        bottom: across.some((i) => isAccent(Math.floor(width / 2), height - 1 - i)),
        left: across.some((i) => isAccent(i, Math.floor(height / 2)))
      }
      return (Object.keys(painted) as Side[]).filter((side) => painted[side])
    },
    { png, margin }
  )
}

/** The description Chromium's accessibility tree gives the element, as a screen reader reads it. */
async function accessibleDescription(page: Page, selector: string): Promise<string | undefined> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false })
    return nodes[0]?.description?.value as string | undefined
  } finally {
    await cdp.detach()
  }
}

/** Whether the editor line of the shown step is wholly inside the editor's scrolled box. */
async function currentLineInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const line = document.querySelector('.cm-step-current')?.getBoundingClientRect()
    const scroller = document.querySelector('.cm-scroller')!.getBoundingClientRect()
    return line !== undefined && line.top >= scroller.top && line.bottom <= scroller.bottom
  })
}

/** The grep example's first line sent in (src/renderer/src/python/examples.ts). */
const FIRST_SEND = 'Yeah, but no, but yeah, but no'

describe('Step tab in Chromium', () => {
  test('steps through gen_107 and the grep coroutine, the suspended frame detached and greyed', async () => {
    const app = await openStep()
    const { page } = app
    expect(await page.getByTestId('trace-empty').textContent()).toContain('No trace yet')

    // CodeMirror's run-time styles apply under style-src 'self' 'nonce-…' (no 'unsafe-inline').
    const editorStyle = await page.evaluate(() => {
      const editor = document.querySelector('.cm-editor')!
      const gutters = document.querySelector('.cm-gutters')!
      const scroller = document.querySelector('.cm-scroller')!
      const probe = document.createElement('div')
      probe.style.color = 'var(--bg-sunken)'
      document.body.append(probe)
      const sunken = getComputedStyle(probe).color
      probe.remove()
      const nonceStyles = [...document.querySelectorAll('style')].filter((style) => style.nonce !== '').length
      return {
        editorDisplay: getComputedStyle(editor).display,
        scrollerDisplay: getComputedStyle(scroller).display,
        guttersBackground: getComputedStyle(gutters).backgroundColor,
        sunken,
        nonceStyles,
        policy: document.querySelector('meta[http-equiv=Content-Security-Policy]')!.getAttribute('content')
      }
    })
    expect(editorStyle.editorDisplay).toBe('flex')
    expect(editorStyle.scrollerDisplay).toBe('flex')
    expect(editorStyle.guttersBackground).toBe(editorStyle.sunken)
    expect(editorStyle.nonceStyles).toBeGreaterThan(0)
    expect(editorStyle.policy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/]{24}'/)
    expect(editorStyle.policy).not.toContain('unsafe-inline')
    await app.screenshot('step-empty')

    // gen_107: to its first yield, then on to where <module> runs with gen_107 paused.
    await recordExample(page, 'gen-107')
    await focusPlayer(page)
    await pressUntil(page, 'y', /yield in gen_107/)
    expect(await page.getByTestId('chip-yielded').textContent()).toMatch(/yielded\s*1/)
    expect(await page.locator('.cm-step-current').textContent()).toBe('    yield 1')
    await pressUntil(page, 'ArrowRight', /in <module>/)
    const suspended = page.getByTestId('frame-gen_107')
    expect(await suspended.getAttribute('data-role')).toBe('suspended')
    // Greyed: a dashed outline and the muted text colour (not opacity, which would cut the contrast).
    const look = await suspended.evaluate((element) => {
      const probe = document.createElement('div')
      probe.style.color = 'var(--text-muted)'
      document.body.append(probe)
      const muted = getComputedStyle(probe).color
      probe.remove()
      return {
        muted,
        title: getComputedStyle(element.querySelector('text')!).fill,
        outline: getComputedStyle(element.querySelector('.box')!).strokeDasharray
      }
    })
    expect(look.title).toBe(look.muted)
    expect(look.outline).not.toBe('none')
    const generatorId = await page.locator('[data-type=generator]').first().getAttribute('data-testid')
    const generator = await box(page, generatorId!)
    const frame = await box(page, 'frame-gen_107')
    const module = await box(page, 'frame-<module>')
    expect(frame.x).toBeGreaterThan(generator.x + generator.width) // beside its generator object
    expect(module.x + module.width).toBeLessThan(generator.x) // not in the stack column
    expect(await page.locator(`[data-testid=${generatorId}]`).getAttribute('data-state')).toBe('GEN_SUSPENDED')
    await app.screenshot('step-gen107-suspended')
    // Classic scrollbars (Windows, most Linux desktops) keep a gutter in the panel for good: at
    // 1280 × 800 the paused frame still fits beside its generator, its text at 10 px or more.
    const diagramPanel = page.getByRole('region', { name: 'Frames and objects' })
    const gutter = await diagramPanel.evaluate((element) => {
      const sheet = new CSSStyleSheet()
      sheet.replaceSync('::-webkit-scrollbar { width: 17px; height: 17px; background: #8888 }')
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
      const { borderLeftWidth, borderRightWidth } = getComputedStyle(element)
      return (
        (element as HTMLElement).offsetWidth -
        element.clientWidth -
        parseFloat(borderLeftWidth) -
        parseFloat(borderRightWidth)
      )
    })
    expect(gutter).toBe(17)
    // The panel's new width reaches the diagram through a ResizeObserver: two frames later it is drawn.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    const besideScrollbar = await box(page, generatorId!)
    expect((await box(page, 'frame-gen_107')).x).toBeGreaterThan(besideScrollbar.x + besideScrollbar.width)
    expect(await page.getByTestId('trace-diagram').evaluate(textSize)).toBeGreaterThanOrEqual(10)
    await app.screenshot('step-gen107-classic-scrollbars')
    await page.evaluate(() => (document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1)))

    // Back and forth with the keys: back into the generator, where its frame is running again.
    const here = await counter(page)
    await page.keyboard.press('ArrowLeft')
    expect(await page.getByTestId('frame-gen_107').getAttribute('data-role')).toBe('current')
    await page.keyboard.press('ArrowRight')
    expect(await counter(page)).toBe(here)
    await pressUntil(page, 'y', /resume in gen_107/)
    expect(await page.getByTestId('frame-gen_107').getAttribute('data-role')).toBe('current')
    const resumed = await box(page, 'frame-gen_107')
    expect(resumed.x).toBe(module.x) // back in the stack, above its caller
    expect(resumed.y).toBeLessThan((await box(page, 'frame-<module>')).y)

    // The grep coroutine: send lines into it, then close it.
    await recordExample(page, 'grep')
    await focusPlayer(page)
    await pressUntil(page, 'y', /yield in grep/)
    await pressUntil(page, 'ArrowRight', /in <module>/)
    expect(await page.getByTestId('frame-grep').getAttribute('data-role')).toBe('suspended')
    expect(await page.getByTestId('frame-grep').textContent()).toContain("'python'")
    await pressUntil(page, 'y', /resume in grep/)
    expect(await page.getByTestId('chip-sent').locator('title').textContent()).toBe(`sent '${FIRST_SEND}'`)
    // A step button that disables itself hands the focus to the slider, where the keys go on stepping.
    await page.getByTestId('step-last').focus()
    await page.keyboard.press('Enter')
    const focusedAfterLast = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))
    expect(focusedAfterLast).toBe('step-slider')
    const output = (await page.getByTestId('trace-output').textContent()) ?? ''
    expect(output).toBe('Looking for python\npython generators rock!\nGoing away. Goodbye\n')
    expect(await page.locator('[data-type=generator]').first().getAttribute('data-state')).toBe('GEN_CLOSED')
    expect(await page.getByTestId('frame-grep').count()).toBe(0)
    await page.keyboard.press('Home')
    await pressUntil(page, 'y', /resume in grep/)
    await pressUntil(page, 'ArrowRight', /in <module>/)
    await app.screenshot('step-grep')
    await page.setViewportSize({ width: 900, height: 600 })
    // Too narrow for a column of suspended frames beside the objects: grep's frame goes under the
    // stack, and nothing is left to scroll to sideways, where ← → would step rather than scroll.
    const panel = page.getByRole('region', { name: 'Frames and objects' })
    await expect.poll(() => panel.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0)
    await app.screenshot('step-grep-900')
    expect(await page.getByTestId('frame-grep').getAttribute('data-role')).toBe('suspended')
    await page.getByTestId('frame-grep').scrollIntoViewIfNeeded()
    const shown = await panel.evaluate((element) => {
      const { left, top } = element.getBoundingClientRect()
      const x = left + element.clientLeft
      const y = top + element.clientTop
      return { left: x, top: y, right: x + element.clientWidth, bottom: y + element.clientHeight }
    })
    const grep = await box(page, 'frame-grep')
    expect(grep.x).toBeGreaterThanOrEqual(shown.left)
    expect(grep.x + grep.width).toBeLessThanOrEqual(shown.right)
    expect(grep.y).toBeGreaterThanOrEqual(shown.top)
    expect(grep.y + grep.height).toBeLessThanOrEqual(shown.bottom)
    // The diagram is scaled to its panel, but its 12 px text never drawn below 10 px.
    expect(await page.getByTestId('trace-diagram').evaluate(textSize)).toBeGreaterThanOrEqual(10)
    expect(app.problems).toEqual([])
  })

  test('opens a program from the console, exports and imports the trace, exports the diagram', async () => {
    const app = await lab.open({ colorScheme: 'dark' })
    const { page } = app
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
    const program =
      'def countdown(n):\n    while n > 0:\n        yield n\n        n -= 1\n\nprint(list(countdown(3)))\n'
    await page.getByTestId('console-input').fill(program)
    await page.getByTestId('console-step-through').click()
    expect(await page.getByRole('tab', { name: 'Step' }).getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => counter(page), { timeout: 60_000 }).toMatch(/^Step 1 of \d+/)
    expect(await page.locator('.cm-content').textContent()).toContain('def countdown(n):')
    await focusPlayer(page)
    await pressUntil(page, 'y', /yield in countdown/)
    await app.screenshot('step-countdown-dark')

    // Export the trace: it is a valid trace of this program.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trace-export-json').click()])
    // Named after the program's first function, as the diagram's files are, with their step.
    expect(download.suggestedFilename()).toBe('yield-lab-trace-countdown.json')
    const exported = join(scratch, 'countdown.json')
    await download.saveAs(exported)
    const trace = parseTraceJson(readFileSync(exported, 'utf8'))
    expect(trace.source).toBe(program)
    expect(trace.stdout).toBe('[3, 2, 1]\n')
    expect(
      trace.steps.filter((step) => step.event === 'yield').map((step) => step.value?.kind === 'int' && step.value.repr)
    ).toEqual(['3', '2', '1'])

    // The diagram as SVG and PNG.
    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('trace-export-svg').click()
    ])
    expect(svgDownload.suggestedFilename()).toMatch(/^yield-lab-trace-countdown-step-\d+\.svg$/)
    const svgPath = join(scratch, 'diagram.svg')
    await svgDownload.saveAs(svgPath)
    const svg = readFileSync(svgPath, 'utf8')
    expect(svg).toMatch(/^<\?xml/)
    expect(svg).toContain('countdown')
    expect(svg).not.toContain('class=')
    expect(svg).not.toMatch(/\sstyle=/) // the diagram's min-width in the page stays there
    const [pngDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('trace-export-png').click()
    ])
    const pngPath = join(scratch, 'diagram.png')
    await pngDownload.saveAs(pngPath)
    expect(readFileSync(pngPath).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))

    // Import: a file that is not a trace is refused and says why; the exported one comes back.
    const notATrace = join(scratch, 'notes.json')
    writeFileSync(notATrace, '{"format": "something else"}')
    app.server.dialogAnswers.push(notATrace)
    await page.getByTestId('trace-import').click()
    await expect
      .poll(() => page.getByTestId('trace-problem').textContent())
      .toContain(
        'notes.json could not be opened: This is not a Yield Lab trace: its "format" is not yield-lab-trace/1.'
      )
    await app.screenshot('step-import-error-dark')
    // Read in main: bytes that are not UTF-8 are refused naming the file, not replaced by U+FFFD.
    const latin1 = join(scratch, 'latin1.json')
    writeFileSync(latin1, Buffer.from('{"label": "caf\xe9"}', 'latin1'))
    app.server.dialogAnswers.push(latin1)
    await page.getByTestId('trace-import').click()
    await expect
      .poll(() => page.getByTestId('trace-problem').textContent())
      .toContain(`The file could not be opened: ${latin1}: is not UTF-8 text, so it cannot be a trace`)
    app.server.dialogAnswers.push(exported)
    await page.getByTestId('trace-import').click()
    const start = trace.steps[0]!
    await expect
      .poll(() => counter(page))
      .toBe(`Step 1 of ${trace.steps.length} · ${lineText(start.line)} · ${start.event} in ${start.function}`)
    expect(await counter(page)).not.toContain('line 0') // CPython's line of a module's call event
    expect(await page.getByTestId('trace-problem').count()).toBe(0)
    expect(await outputAtLastStep(page)).toBe('[3, 2, 1]\n')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('step-countdown-dark-900')
    expect(app.problems).toEqual([])
  })
  test('a long unbroken line of output stays in its column, beside the diagram', async () => {
    const app = await openStep()
    const { page } = app
    await recordTyped(page, `print('x' * 5000)\n`)
    expect(await counter(page)).toMatch(/^Step 1 of 3 /)
    expect(await outputAtLastStep(page)).toBe(`${'x'.repeat(5000)}\n`)
    const output = await box(page, 'trace-output')
    const diagram = await page.getByRole('region', { name: 'Frames and objects' }).boundingBox()
    expect(output.x + output.width).toBeLessThan(diagram!.x)
    await app.screenshot('step-long-output')
    expect(app.problems).toEqual([])
  })

  test('the slider and its marks stay put as the counter’s text changes from step to step', async () => {
    const app = await openStep()
    const { page } = app
    // One line each: the editor indents what follows a colon.
    await typeProgram(
      page,
      'def very_long_generator_function_name(): yield 1\nfor x in very_long_generator_function_name(): pass\n'
    )
    await page.getByTestId('trace-record').click()
    await expect.poll(() => counter(page), { timeout: 90_000 }).toMatch(/^Step 1 of \d+ · before its first line/)
    const slider = async (): Promise<string> => JSON.stringify(await page.getByTestId('step-slider').boundingBox())
    const first = await slider()
    const cut = (): Promise<boolean> =>
      page.getByTestId('step-counter').evaluate((element) => element.scrollWidth > element.clientWidth)
    expect(await cut()).toBe(false) // "Step 1 of N · before its first line · call in <module>" is whole
    await focusPlayer(page)
    // "line 2 · line in <module>" is shorter than step 1's text, the generator's name longer.
    const seen = new Set<string>()
    for (let i = 0; i < 12; i++) {
      seen.add(await counter(page))
      expect(await slider()).toBe(first)
      await page.keyboard.press('ArrowRight')
    }
    expect([...seen].some((text) => text.includes('in very_long_generator_function_name'))).toBe(true)
    // A program that printed nothing says so at its end, not "yet".
    await page.keyboard.press('End')
    expect(await page.getByTestId('trace-output').textContent()).toBe('(nothing printed)')
    // Cut to the column where it must be, the counter's title has it whole.
    const counterTitle = await page.getByTestId('step-counter').getAttribute('title')
    expect(counterTitle).toMatch(/^Step \d+ of \d+ · line \d+ · \w+ in \S+$/)
    await app.screenshot('step-counter-fixed')
    expect(app.problems).toEqual([])
  })

  test('the output keeps its newest line in view as the steps print more than it shows', async () => {
    const app = await openStep()
    const { page } = app
    await recordTyped(page, 'for i in range(40):\n    print(i)\n')
    const output = page.getByTestId('trace-output')
    const below = (): Promise<number> =>
      output.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)
    expect(await outputAtLastStep(page)).toMatch(/\n39\n$/)
    expect(await output.evaluate((element) => element.scrollHeight > 2 * element.clientHeight)).toBe(true)
    expect(await below()).toBeLessThan(2)
    // Stepping back, the box follows the shorter output to its end.
    for (let i = 0; i < 200 && !/\n20\n$/.test((await output.textContent()) ?? ''); i++)
      await page.keyboard.press('ArrowLeft')
    expect(await output.textContent()).toMatch(/\n20\n$/)
    expect(await below()).toBeLessThan(2)
    await app.screenshot('step-output-follows')
    expect(app.problems).toEqual([])
  })

  test('Tab indents in the editor, Escape then Tab leaves it, and a hint says so while it has focus', async () => {
    const app = await openStep()
    const { page } = app
    const content = page.locator('.cm-content')
    const hint = page.getByTestId('trace-editor-keys')
    const keys = 'Tab indents · Esc then Tab leaves the editor'
    expect(await hint.isVisible()).toBe(false)
    // Screen readers hear the keys as the editor's description, focused or not.
    expect(await accessibleDescription(page, '.cm-content')).toBe(keys)
    const layoutBefore = [await box(page, 'trace-editor'), await box(page, 'trace-output')]

    expect(await accentSides(page, 'trace-editor')).toEqual([])
    await content.focus()
    expect(await hint.isVisible()).toBe(true)
    // The focus ring shows all round the editor: the line-number gutter does not paint over its left side.
    expect(await accentSides(page, 'trace-editor')).toEqual(['top', 'right', 'bottom', 'left'])
    expect((await hint.textContent())?.replace(/\s+/g, ' ').trim()).toBe(keys)
    // The hint takes its line inside the editor's box: nothing around the editor moves.
    expect([await box(page, 'trace-editor'), await box(page, 'trace-output')]).toEqual(layoutBefore)
    await app.screenshot('step-editor-keys')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('step-editor-keys-900')

    const firstLine = await page.locator('.cm-line').first().textContent()
    await page.keyboard.press('Tab')
    const indented = (await page.locator('.cm-line').first().textContent()) ?? ''
    // One indent is four spaces, as PEP 8 and the lecture's examples have it.
    expect(indented).toBe(`    ${firstLine}`)
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true)

    await page.keyboard.press('Escape')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => ({
      inEditor: document.activeElement?.closest('.cm-editor') !== null,
      testId: document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid')
    }))
    expect(focused).toEqual({ inEditor: false, testId: 'trace-output' })
    expect(await hint.isVisible()).toBe(false)
    expect(app.problems).toEqual([])
  })

  test('the current line stays in view when the editor shrinks with the window', async () => {
    const app = await openStep()
    const { page } = app
    await recordExample(page, 'gen-107') // Python is loaded
    const lines = 40 // taller than the editor at either size
    await typeProgram(page, Array.from({ length: lines }, (_, n) => `n${n + 1} = ${n + 1}\n`).join(''))
    await page.getByTestId('trace-record').click()
    await expect.poll(() => counter(page)).toMatch(/^Step 1 of \d+ /)
    await focusPlayer(page)
    await page.keyboard.press('End') // the last line, scrolled to the editor's foot
    expect(await counter(page)).toMatch(new RegExp(`line ${lines} · return in <module>$`))
    expect(await currentLineInView(page)).toBe(true)
    await page.setViewportSize({ width: 900, height: 600 })
    await expect.poll(() => currentLineInView(page)).toBe(true)
    await app.screenshot('step-current-line-900')
    expect(app.problems).toEqual([])
  })

  test('Ctrl+C in the console, on input typed during a recording, does not stop the recording', async () => {
    const app = await openStep()
    const { page } = app
    await recordExample(page, 'gen-107') // Python is loaded
    await typeProgram(page, 'import time\nfor i in range(60):\ntime.sleep(0.1)\n') // the editor indents the loop's body
    await page.getByTestId('trace-record').click()
    await expect.poll(() => page.getByTestId('trace-record').textContent()).toContain('Recording…')
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    const input = page.getByTestId('console-input')
    await input.fill('print("typed meanwhile")')
    await input.press('Control+Enter')
    await page.getByTestId('console-waiting').waitFor()
    await app.screenshot('coroutines-waiting-for-recording')
    await input.press('Control+c')
    await expect
      .poll(() => page.getByTestId('console-transcript').textContent(), { timeout: 60_000 })
      .toContain('>>> print("typed meanwhile")\ntyped meanwhile\n')
    await page.keyboard.press('Control+5')
    await expect.poll(() => counter(page)).toMatch(/^Step 1 of \d+ /) // not cut: no "+"
    expect(await page.getByTestId('trace-truncated').count()).toBe(0)
    expect(app.problems).toEqual([])
  })

  test('a recording asked for while console code runs waits for it, says so, and cannot interrupt it', async () => {
    const app = await lab.open()
    const { page } = app
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
    const input = page.getByTestId('console-input')
    await input.fill('import time\nfor i in range(60):\n    time.sleep(0.1)\nprint("console done")')
    await input.press('Control+Enter')
    await page.getByTestId('console-running').waitFor()
    await page.keyboard.press('Control+5')
    await page.getByTestId('trace-record').click()
    await expect.poll(() => page.getByTestId('trace-record').textContent()).toContain('Waiting for the console’s code…')
    const interrupt = page.getByTestId('trace-interrupt')
    expect(await interrupt.isDisabled()).toBe(true)
    expect(await interrupt.getAttribute('title')).toBe(
      'The console’s code runs first: the Coroutines tab’s Interrupt stops it'
    )
    // The status bar says both, with one Interrupt: the console's.
    expect(await page.getByTestId('python-busy').isVisible()).toBe(true)
    expect((await page.getByTestId('step-busy').textContent())?.trim()).toBe('Step: waiting for the console’s code…')
    expect(await page.getByTestId('step-busy-interrupt').count()).toBe(0)
    // The console, where the running code is, says what waits for it.
    await page.keyboard.press('Control+4')
    expect(await page.getByTestId('console-recording-waits').textContent()).toBe(
      'The Step tab’s recording waits for this code to end.'
    )
    await app.screenshot('coroutines-console-holds-recording')
    await page.keyboard.press('Control+5')
    await app.screenshot('step-waiting-for-console')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('step-waiting-for-console-900')
    await expect.poll(() => counter(page), { timeout: 60_000 }).toMatch(/^Step 1 of \d+ /)
    expect(await page.getByTestId('console-transcript').textContent()).toContain('console done')
    expect(app.problems).toEqual([])
  })

  test('Interrupt while Python loads cancels the recording, says it never started, and Python records after', async () => {
    const loading = holdPythonLoading()
    const app = await openStep({ beforeLoad: loading.hold })
    const { page } = app
    await page.getByTestId('trace-record').click()
    await expect.poll(() => page.getByTestId('trace-record').textContent()).toContain('Loading Python…')
    await page.getByTestId('trace-interrupt').click()
    await expect
      .poll(() => page.getByTestId('trace-problem').textContent())
      .toBe('Interrupted before it started: Python was still loading.')
    expect(await page.getByTestId('trace-record').textContent()).toContain('Step through')
    loading.release()
    await page.getByTestId('trace-record').click()
    await expect.poll(() => counter(page), { timeout: 90_000 }).toMatch(/^Step 1 of \d+ /)
    expect(await page.getByTestId('trace-problem').count()).toBe(0)
    expect(await page.getByTestId('trace-error').count()).toBe(0)
    expect(app.problems).toEqual([])
  })

  test('Interrupt stops a recording while the window keeps answering', async () => {
    const app = await openStep()
    const { page } = app
    await recordExample(page, 'gen-107') // Python is loaded
    await typeProgram(page, 'import time\nstarted = True\ntime.sleep(60)\n')
    expect(await page.locator('.cm-content').textContent()).toBe('import timestarted = Truetime.sleep(60)')
    await page.getByTestId('trace-record').click()
    await expect.poll(() => page.getByTestId('trace-record').textContent()).toContain('Recording…')
    // The window answers while Python records: other tabs open and come back. The status bar,
    // on every tab, says the Step tab records and offers its Interrupt.
    await page.getByRole('tab', { name: 'Browse' }).click()
    expect(await page.getByRole('tab', { name: 'Browse' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.getByTestId('step-busy').textContent()).toMatch(/^\s*Step: recording…\s*Interrupt\s*$/)
    expect(await page.getByTestId('step-busy-interrupt').isVisible()).toBe(true)
    await app.screenshot('statusbar-step-recording')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('statusbar-step-recording-900')
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.keyboard.press('Control+5')
    await page.getByTestId('trace-interrupt').click()
    await expect
      .poll(() => page.getByTestId('trace-truncated').textContent())
      .toMatch(/Recording was interrupted after \d+ steps/)
    expect(await page.getByTestId('trace-record').textContent()).toContain('Step through')
    await focusPlayer(page)
    await page.keyboard.press('End')
    expect(await page.getByTestId('trace-error').textContent()).toContain('KeyboardInterrupt')
    await app.screenshot('step-interrupted')
    expect(app.problems).toEqual([])
  })
})
