import { describe, expect, test } from 'vitest'
import { judgeSmoke, tabIds } from '../../src/shared/smoke'
import { useLabApp } from './support/app'

const lab = useLabApp()

describe('app shell in Chromium', () => {
  test('--smoke: the built page checks every tab, app.info and a remote generator, and reports to main', async () => {
    const app = await lab.open({ query: '?smoke' })
    await expect.poll(() => app.server.smokeReports.length).toBe(1)
    const [checks] = app.server.smokeReports
    expect(checks!.mountedTabs).toEqual([...tabIds])
    expect(checks!.range).toEqual({ ok: true, items: [0, 1, 2, 3, 4] })
    expect(checks!.appInfo).toEqual({ ok: true, name: 'yield-lab', version: 'e2e' })
    expect(judgeSmoke(checks!)).toEqual([])
    expect(app.problems).toEqual([])
  })

  test('opens with five tabs, switches by click and keyboard, and shows machine info', async () => {
    const app = await lab.open()
    const { page } = app
    const tabs = page.getByRole('tab')
    await expect.poll(() => tabs.allTextContents()).toEqual(['Browse', 'Read', 'Benchmark', 'Coroutines', 'Step'])
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Browse')

    await page.getByRole('tab', { name: 'Read' }).click()
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Read')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Benchmark')
    await page.keyboard.press('Control+4')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Coroutines')
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Coroutines' }).isVisible()).toBe(true)
    await page.keyboard.press('Control+5')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Step')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe('Browse')

    await expect.poll(() => page.getByRole('contentinfo').textContent()).toContain('yield-lab e2e')
    // Only the jobs' announcement is a live region, not the whole bar.
    expect(await page.getByRole('contentinfo').getByRole('status').textContent()).toBe('')
    expect(app.problems).toEqual([])
  })

  test('drives a generator living in main: next, pull, close runs its finally', async () => {
    const app = await lab.open()
    const { page, server } = app
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    const panel = page.getByRole('tabpanel', { name: 'Coroutines' })
    await panel.getByLabel('start', { exact: true }).fill('10')
    await panel.getByLabel('stop', { exact: true }).fill('20')
    await panel.getByRole('button', { name: 'Create generator' }).click()
    await expect.poll(() => panel.getByTestId('remote-state').textContent()).toContain('GEN_CREATED')

    for (let i = 0; i < 3; i++) await panel.getByTestId('remote-next').click()
    await expect.poll(() => panel.getByTestId('remote-transcript').textContent()).toContain('>>> next(g)\n12')
    await expect.poll(() => panel.getByTestId('remote-state').textContent()).toContain('GEN_SUSPENDED')
    expect(server.jobs.openJobs()).toHaveLength(1)

    await panel.getByTestId('remote-batch').click()
    await expect.poll(() => panel.getByTestId('remote-transcript').textContent()).toContain('[13, 14, 15, 16, 17]')

    await panel.getByTestId('remote-close').click()
    await expect.poll(() => panel.getByTestId('remote-state').textContent()).toContain('GEN_CLOSED')
    await expect.poll(() => panel.textContent()).toContain('main: range(10, 20, 1): finally ran after 8 items')
    expect(server.jobs.openJobs()).toEqual([])
    await app.screenshot('coroutines-remote-generator')
    expect(app.problems).toEqual([])
  })

  test('a reload abandons the page’s generators and main closes them', async () => {
    const app = await lab.open()
    const { page, server } = app
    await page.getByRole('tab', { name: 'Coroutines' }).click()
    await page.getByRole('button', { name: 'Create generator' }).click()
    await page.getByTestId('remote-next').click()
    await expect.poll(() => server.jobs.openJobs().length).toBe(1)
    await page.reload()
    await expect.poll(() => server.jobs.openJobs().length).toBe(0)
  })

  test('dark theme follows the OS', async () => {
    const app = await lab.open({ colorScheme: 'dark' })
    const background = await app.page.evaluate('getComputedStyle(document.body).backgroundColor')
    expect(background).toBe('rgb(22, 24, 29)')
    await app.screenshot('shell-dark')
  })
})
