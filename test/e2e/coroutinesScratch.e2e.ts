import { test } from 'vitest'
import { launchBrowser, openApp } from './support/app'
test('sleep', async () => {
  const browser = await launchBrowser()
  const app = await openApp(browser)
  const page = app.page
  await page.getByRole('tab', { name: 'Coroutines' }).click()
  await page.getByTestId('python-status').filter({ hasText: 'ready in' }).waitFor({ timeout: 60_000 })
  const input = page.getByTestId('console-input')
  const tr = async () => (await page.getByTestId('console-transcript').textContent()) ?? ''
  await input.fill('import time\nfor i in range(5):\n    print(i)\n    time.sleep(0.3)\n'); await input.press('Control+Enter')
  for (let k = 0; k < 8; k++) { await page.waitForTimeout(200); console.log('stream', JSON.stringify((await tr()).slice(-12))) }
  await input.fill('time.sleep(30)'); await input.press('Control+Enter')
  await page.getByTestId('console-running').waitFor(); await page.waitForTimeout(300)
  const t = Date.now(); await page.getByTestId('console-interrupt').click()
  while (await page.getByTestId('console-running').count() > 0 && Date.now() - t < 5000) await page.waitForTimeout(20)
  console.log('sleep interrupted after', Date.now() - t, JSON.stringify((await tr()).slice(-200)))
  console.log(app.problems)
  await app.close(); await browser.close()
}, 120000)
