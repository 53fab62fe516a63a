/**
 * Every tab, in a state with content (a walk part-way, read results, a finished sweep, a console
 * with generator cards), in the light and dark themes: axe-core finds no serious or critical
 * violation (contrast of every text included), and a screenshot is saved at 1280×800 and 900×600
 * (`<tab>-1280x800-light.png`, …) for people to judge the layout.
 * Every tab in its first state, before anything is done in it, has no violation at all, whatever
 * its impact (one h1, headings in order, aria-controls naming what is there).
 *
 * The tabs come from `tabIds`, the list App.vue's tabs are typed against, so a new tab is checked
 * without editing this file: in its first state until a driver below fills it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeSampleData } from '../../src/main/lab/read/sampleData'
import { tabIds, type TabId } from '../../src/shared/smoke'
import { contrastRatio } from '../support/contrast'
import { useLabApp, type LabApp } from './support/app'

const lab = useLabApp()
let scratch = ''
let sweepFile = ''

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'yield-lab-a11y-e2e-'))
  sweepFile = writeSampleData({ directory: scratch, name: 'sweep', bytes: 256 * 1024, seed: 3 }).binaryPath
})
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
})

const themes = ['light', 'dark'] as const
const viewports = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 }
] as const

/**
 * How to put a tab into a state with content, and which of the elements it produced must be among
 * those axe checked for contrast (so a pass cannot come from an empty or hidden tab).
 */
interface Scene {
  drive(app: LabApp, panel: Locator): Promise<void>
  /** CSS selectors inside the panel. */
  contrastChecked: string[]
}

const scenes: Partial<Record<TabId, Scene>> = {
  walk: {
    async drive(_app, panel) {
      const top = join(scratch, 'tree')
      for (const name of ['docs', 'src', 'src/lib']) {
        mkdirSync(join(top, name), { recursive: true })
        for (let k = 0; k < 6; k++)
          writeFileSync(join(top, name, `${name.replace('/', '-')}-${k}.txt`), 'y'.repeat(k * 500))
      }
      await panel.getByTestId('walk-path').fill(top)
      // Three steps: the generator is suspended part-way, its badge and the tree's current row shown.
      for (let i = 1; i <= 3; i++) {
        await panel.getByTestId('walk-step').click()
        await expect.poll(() => panel.getByTestId('count-dirs').getAttribute('data-value')).toBe(String(i))
      }
      await expect.poll(() => panel.getByTestId('walk-state').textContent()).toContain('GEN_SUSPENDED')
    },
    contrastChecked: ['[data-testid=walk-state] .badge', '[data-testid=walk-transcript]']
  },

  read: {
    async drive(_app, panel) {
      await panel.getByTestId('read-generate-toggle').click()
      const text = panel.getByTestId('read-sample-text')
      if (await text.isChecked()) await text.uncheck()
      await panel.getByTestId('read-sample-generate').click()
      await expect
        .poll(() => panel.getByTestId('read-sample-done').textContent(), { timeout: 30_000 })
        .toContain('Wrote 131,072 items')
      const rows = panel.getByTestId('read-results').locator('tbody tr[data-testid]')
      for (const [index, mode] of ['lazyChunk', 'eager'].entries()) {
        await panel.getByTestId(`read-mode-${mode}`).click()
        await panel.getByTestId('read-run').click()
        await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(index + 1)
      }
      // Eager stays selected, so the chunk-size row is greyed out.
      await expect.poll(() => panel.getByTestId('read-chunk').isDisabled()).toBe(true)
    },
    contrastChecked: ['.chunk', '[data-testid=read-results] tbody']
  },

  sweep: {
    async drive(_app, panel) {
      await panel.getByTestId('sweep-path').fill(sweepFile)
      await panel.getByTestId('sweep-max-chunk').selectOption('2048')
      await panel.getByTestId('sweep-repeats').fill('1')
      await panel.getByTestId('sweep-cap').selectOption('50')
      await panel.getByTestId('sweep-run').click()
      await expect.poll(() => panel.getByTestId('sweep-status').textContent(), { timeout: 60_000 }).toMatch(/^Complete/)
      await expect.poll(() => panel.getByTestId('sweep-history').locator('tbody tr').count()).toBe(1)
    },
    contrastChecked: ['[data-testid=sweep-status]', '[data-testid=sweep-history] tbody']
  },

  python: {
    async drive(_app, panel) {
      // The status carries the store's state as its class; its wording is for people and may change.
      await panel.locator('[data-testid=python-status].ready').waitFor({ timeout: 60_000 })
      const input = panel.getByTestId('console-input')
      for (const code of [
        'def count():\n    yield 1\n    yield 2\n',
        'c = count()',
        'squares = (n * n for n in range(3))',
        'done = count()\ndone.close()'
      ]) {
        await input.fill(code)
        await input.press('Control+Enter')
        const firstLine = `>>> ${code.split('\n')[0]}`
        await expect.poll(() => panel.getByTestId('console-transcript').textContent()).toContain(firstLine)
        await expect.poll(() => panel.getByTestId('console-interrupt').isDisabled()).toBe(true)
      }
      await panel.getByTestId('object-squares').locator('[data-action=next]').click()
      await expect.poll(() => panel.getByTestId('object-squares').textContent()).toContain('GEN_SUSPENDED')
      await expect.poll(() => panel.getByTestId('object-c').textContent()).toContain('GEN_CREATED')
      await expect.poll(() => panel.getByTestId('object-done').textContent()).toContain('GEN_CLOSED')
      // The generator living in main, suspended after one item.
      await panel.getByRole('button', { name: 'Create generator' }).click()
      await panel.getByTestId('remote-next').click()
      await expect.poll(() => panel.getByTestId('remote-state').textContent()).toContain('GEN_SUSPENDED')
    },
    contrastChecked: [
      '[data-testid=object-c] .badge',
      '[data-testid=object-squares] .badge',
      '[data-testid=object-done] .badge',
      '[data-testid=remote-state] .badge'
    ]
  },

  trace: {
    async drive(app, panel) {
      await panel.getByTestId('examples-button').click()
      await app.page.locator('[data-example=gen-107]').click()
      const counter = panel.getByTestId('step-counter')
      await expect.poll(() => counter.textContent(), { timeout: 90_000 }).toMatch(/^\s*Step 1 of \d+/)
      // To where <module> runs with gen_107 paused: its frame greyed beside its generator.
      await panel.getByTestId('trace-diagram').click({ position: { x: 2, y: 2 } })
      await app.page.keyboard.press('y')
      for (let i = 0; i < 50 && !/in <module>/.test((await counter.textContent()) ?? ''); i++)
        await app.page.keyboard.press('ArrowRight')
      await expect.poll(() => panel.getByTestId('frame-gen_107').getAttribute('data-role')).toBe('suspended')
    },
    // axe leaves SVG text out: the diagram's text uses only the theme's text tokens, which
    // base.test.ts checks on every background token.
    contrastChecked: ['[data-testid=step-counter]', '.cm-content']
  }
}

/** Waits until layout and the charts have followed a viewport or theme change. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
  )
}

interface Finding {
  rule: string
  impact: string
  help: string
  nodes: { target: string; summary: string }[]
}

/** axe-core over the whole window: the violations of serious or critical impact. */
async function seriousViolations(page: Page): Promise<Finding[]> {
  return (await violations(page)).filter((finding) => finding.impact === 'serious' || finding.impact === 'critical')
}

/** axe-core over the whole window: every violation, whatever its impact. */
async function violations(page: Page): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? '',
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(' '),
      summary: (node.failureSummary ?? '').replaceAll('\n', ' ')
    }))
  }))
}

/** How many elements under `selector` axe checked for contrast and found legible. */
async function contrastPasses(page: Page, selector: string): Promise<number> {
  const results = await new AxeBuilder({ page }).include(selector).withRules(['color-contrast']).analyze()
  return results.passes.reduce((count, rule) => count + rule.nodes.length, 0)
}

/** Empty fields' placeholders, which axe does not check, against their field's background. */
async function faintPlaceholders(page: Page): Promise<string[]> {
  const fields = await page.evaluate(() => {
    const backgroundOf = (element: Element): string => {
      for (let node: Element | null = element; node !== null; node = node.parentElement) {
        const color = getComputedStyle(node).backgroundColor
        if (!/^rgba\(.*,\s*0\)$/.test(color)) return color
      }
      return 'rgb(255, 255, 255)'
    }
    const all = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      'input[placeholder], textarea[placeholder]'
    )
    return [...all]
      .filter((field) => field.value === '' && field.checkVisibility())
      .map((field) => ({
        name: field.dataset['testid'] ?? field.placeholder,
        color: getComputedStyle(field, '::placeholder').color,
        background: backgroundOf(field)
      }))
  })
  return fields
    .map((field) => ({ ...field, ratio: contrastRatio(field.color, field.background) }))
    .filter((field) => field.ratio < 4.5)
    .map((field) => `${field.name}: ${field.color} on ${field.background}, ${field.ratio.toFixed(2)}:1`)
}

/** Makes the window tall enough that the panel does not scroll; returns that height. */
async function showWholePanel(page: Page, panel: Locator): Promise<number> {
  const { width } = page.viewportSize()!
  let height = page.viewportSize()!.height
  // A taller window can lay the panel out anew (wrapping, stretching): grow until it fits.
  for (let attempt = 0; attempt < 5; attempt++) {
    await panel.evaluate((element) => element.scrollTo(0, 0))
    const overflow = await panel.evaluate((element) => element.scrollHeight - element.clientHeight)
    if (overflow <= 0) break
    height += overflow
    await page.setViewportSize({ width, height })
    await settle(page)
  }
  return height
}

/** Saves the window with the panel at its top and, when the panel scrolls, at its end too. */
async function photograph(app: LabApp, panel: Locator, name: string): Promise<void> {
  const { page } = app
  const viewport = page.viewportSize()!
  // The pointer rests on the status bar, so no hover state shows.
  await page.mouse.move(viewport.width - 2, viewport.height - 2)
  await panel.evaluate((element) => element.scrollTo(0, 0))
  await settle(page)
  await app.screenshot(name)
  if (await panel.evaluate((element) => element.scrollHeight > element.clientHeight)) {
    await panel.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    await settle(page)
    await app.screenshot(`${name}-end`)
  }
}

/** Eight full axe runs and up to twenty-four screenshots per tab: more than the suite's default guard. */
const HANG_GUARD_MS = 300_000

describe('accessibility and screenshots of every tab', () => {
  test(
    'every tab in its first state: no axe violation of any impact, and the page has one h1',
    async () => {
      const app = await lab.open()
      const { page } = app
      const findings: Record<string, Finding[]> = {}
      for (const id of tabIds) {
        await page.locator(`#tab-${id}`).click()
        await expect.poll(() => page.locator(`#panel-${id}`).isVisible()).toBe(true)
        const found = await violations(page)
        if (found.length > 0) findings[id] = found
        expect(await page.locator('h1').count()).toBe(1)
        expect(await page.getByRole('heading', { level: 1, name: 'Yield Lab', exact: true }).isVisible()).toBe(true)
      }
      expect(findings).toEqual({})
      expect(app.problems).toEqual([])
    },
    HANG_GUARD_MS
  )

  test.each(tabIds)(
    '%s: no serious axe violation in either theme; screenshots at both sizes',
    async (id) => {
      const app = await lab.open()
      const { page } = app
      const tab = page.locator(`#tab-${id}`)
      const name = ((await tab.textContent()) ?? id).trim().toLowerCase()
      await tab.click()
      const panel = page.locator(`#panel-${id}`)
      await expect.poll(() => panel.isVisible()).toBe(true)
      const scene = scenes[id]
      await scene?.drive(app, panel)

      const findings: Record<string, Finding[]> = {}
      const unchecked: string[] = []
      const placeholders = new Set<string>()
      const windowScrolls: string[] = []
      for (const colorScheme of themes) {
        await page.emulateMedia({ colorScheme })
        for (const { width, height } of viewports) {
          await page.setViewportSize({ width, height })
          await photograph(app, panel, `${name}-${width}x${height}-${colorScheme}`)
          // Only the tab's panel scrolls: the window itself never does (its tab bar and status bar stay put).
          const windowOverflow = await page.evaluate(() => {
            const root = document.scrollingElement!
            return [root.scrollWidth - window.innerWidth, root.scrollHeight - window.innerHeight]
          })
          if (windowOverflow.some((excess) => excess > 0))
            windowScrolls.push(`${colorScheme} ${width}x${height}: ${windowOverflow.join(' × ')} px over`)
          // And the panel scrolls only down: what is too wide scrolls in a box of its own (a table's,
          // with its cue), never the whole tab sideways.
          const panelOverflow = await panel.evaluate((element) => element.scrollWidth - element.clientWidth)
          if (panelOverflow > 0)
            windowScrolls.push(`${colorScheme} ${width}x${height}: the panel is ${panelOverflow} px too wide`)
          const found = await seriousViolations(page)
          if (found.length > 0) findings[`${colorScheme} ${width}x${height}`] = found
          for (const faint of await faintPlaceholders(page)) placeholders.add(`${colorScheme}: ${faint}`)
          // axe leaves out what is scrolled out of view: once more with the whole panel on screen.
          const tall = await showWholePanel(page, panel)
          if (tall > height) await app.screenshot(`${name}-${width}x${height}-${colorScheme}-full`)
          const foundTall = await seriousViolations(page)
          if (foundTall.length > 0) findings[`${colorScheme} ${width}x${tall}, the whole panel`] = foundTall
        }
        // With the whole panel on screen at the narrower width.
        for (const selector of scene?.contrastChecked ?? []) {
          if ((await contrastPasses(page, `#panel-${id} ${selector}`)) === 0)
            unchecked.push(`${colorScheme}: ${selector}`)
        }
      }
      expect(findings).toEqual({})
      expect(unchecked).toEqual([])
      expect([...placeholders]).toEqual([])
      expect(windowScrolls).toEqual([])
      expect(app.problems).toEqual([])
    },
    HANG_GUARD_MS
  )
})
