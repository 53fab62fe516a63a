/**
 * Opens the real built renderer in Debian's Chromium (driven by playwright-core) against the lab
 * server, and collects console errors and CSP violations so tests can assert there were none.
 * Every e2e file sets itself up with `useLabApp()`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { labBridgeScript } from './bridge'
import { launchBrowser } from './browser'
import { startLabServer, type LabServer } from './labServer'

export const artifactsDir = fileURLToPath(new URL('../artifacts', import.meta.url))

export interface LabApp {
  page: Page
  server: LabServer
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[]
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export interface OpenOptions {
  /** Appended to the page URL, e.g. `?smoke`. */
  query?: string
  colorScheme?: 'light' | 'dark'
  /** Called before the page loads: e.g. a route (page.route) that holds a file the page asks for. */
  beforeLoad?(page: Page): Promise<void>
}

async function openApp(browser: Browser, options: OpenOptions = {}): Promise<LabApp> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'yield-lab-e2e-'))
  const server = await startLabServer({ dataDirectory })
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light'
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`))
  await page.addInitScript(labBridgeScript())
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
  )
  await options.beforeLoad?.(page)
  await page.goto(`${server.url}${options.query ?? ''}`)
  return {
    page,
    server,
    problems,
    async screenshot(name) {
      mkdirSync(artifactsDir, { recursive: true })
      const path = join(artifactsDir, `${name}.png`)
      await page.screenshot({ path })
      return path
    },
    async close() {
      await context.close()
      await server.close()
      rmSync(dataDirectory, { recursive: true, force: true })
    }
  }
}

/**
 * Keeps Python loading until release(): the worker's request for Pyodide's standard library is
 * held. Pass `hold` to open() as beforeLoad.
 */
export function holdPythonLoading(): { hold(page: Page): Promise<void>; release(): void } {
  let release = (): void => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  return {
    async hold(page) {
      await page.route('**/pyodide/python_stdlib.zip', async (route) => {
        await released
        await route.continue()
      })
    },
    release: () => release()
  }
}

export interface LabAppFixture {
  /** Opens the app in a fresh browser context against a fresh lab server; it is closed after the test. */
  open(options?: OpenOptions): Promise<LabApp>
}

/**
 * The set-up of an e2e file: one Chromium for the file (beforeAll / afterAll), and the app each
 * test opens, closed after it (afterEach). Call it at the top of the file.
 */
export function useLabApp(): LabAppFixture {
  let browser: Browser | undefined
  let app: LabApp | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    await app?.close()
    app = undefined
  })
  return {
    async open(options = {}) {
      if (browser === undefined) throw new Error('useLabApp(): the browser is not running; open the app inside a test')
      app = await openApp(browser, options)
      return app
    }
  }
}
