/**
 * ncdu files in the Browse tab, in Chromium against the real handlers: an export written by the
 * real ncdu opens without walking (the tree's counts are ncdu's), and Export for ncdu writes a
 * file the real ncdu reads back with the same entries and sizes; a walk made in the tab exports
 * as ncdu's own scan of the same tree, entry for entry. A file that is not an export
 * fails with an error naming it, the scan on screen stays, and the tab keeps working.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { decodeNcdu, ncduTotals, type NcduEntry } from '../../src/shared/ncdu'
import { entriesByPath, ncdu } from '../support/ncdu'
import { build, Link } from '../support/tree'
import { useLabApp } from './support/app'

const lab = useLabApp()
let base = ''
let top = ''
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'yield-lab-ncdu-e2e-'))
  top = join(base, 'scanned')
  build(top, {
    'a.txt': 'hello',
    src: { 'main.c': 'x'.repeat(1234), lib: { 'util.c': 'y'.repeat(77) } },
    docs: { 'readme.md': 'read me' },
    link: new Link('a.txt')
  })
  writeFileSync(Buffer.concat([Buffer.from(join(top, 'bad-')), Buffer.from([0xff])]), 'bytes')
})
afterAll(() => {
  if (base !== '') rmSync(base, { recursive: true, force: true })
})

const count = async (page: Page, name: string): Promise<number> =>
  Number(await page.getByTestId(`count-${name}`).getAttribute('data-value'))

/** Regular files, the only entries whose apparent size the tab counts (as the walker does). */
function regularBytes(entry: NcduEntry): number {
  if (entry.children === undefined) return entry.notreg === true ? 0 : (entry.asize ?? 0)
  return entry.children.reduce((sum, child) => sum + regularBytes(child), 0)
}

describe.runIf(process.platform === 'linux')('ncdu files in the Browse tab', () => {
  test('opens ncdu’s own export without walking, and exports a scan ncdu reads back', async () => {
    const app = await lab.open()
    const { page, server } = app
    const theirs = join(base, 'by-ncdu.json')
    writeFileSync(theirs, ncdu(['-o', '-', top]))
    const scan = decodeNcdu(readFileSync(theirs), theirs)

    server.dialogAnswers.push(theirs)
    await page.getByTestId('walk-open-ncdu').click()
    await expect.poll(() => page.getByTestId('walk-phase').textContent()).toContain('exhausted')
    expect(await page.getByTestId('walk-path').inputValue()).toBe(top)
    expect(await count(page, 'dirs')).toBe(4)
    expect(await count(page, 'files')).toBe(6)
    expect(await count(page, 'bytes')).toBe(regularBytes(scan.root))
    expect(await page.getByTestId('walk-transcript').textContent()).toContain('read from the file, not walked')
    await app.screenshot('walk-ncdu-opened-light')

    const ours = join(base, 'by-yield-lab.json')
    server.dialogAnswers.push(ours)
    await page.getByTestId('walk-export-ncdu').click()
    await expect.poll(() => page.getByTestId('walk-transcript').textContent()).toContain('saved for ncdu')
    // Opened and saved again, nothing is lost; the real ncdu reads it back with the same totals.
    expect(entriesByPath(decodeNcdu(readFileSync(ours), ours))).toEqual(entriesByPath(scan))
    const reexport = decodeNcdu(ncdu(['-f', ours, '-o', '-']), 'ncdu -f')
    expect(ncduTotals(reexport.root)).toEqual(ncduTotals(scan.root))

    // A walk made in the tab, exported: the scan ncdu makes of the same tree, entry for entry.
    await page.getByTestId('walk-path').press('Enter')
    await expect.poll(() => page.getByTestId('walk-phase').textContent()).toContain('exhausted')
    const walked = join(base, 'walked.json')
    server.dialogAnswers.push(walked)
    await page.getByTestId('walk-export-ncdu').click()
    await expect.poll(() => readdirSync(base)).toContain('walked.json')
    expect(entriesByPath(decodeNcdu(readFileSync(walked), walked))).toEqual(
      entriesByPath(decodeNcdu(ncdu(['-o', '-', top]), 'ncdu -o'))
    )

    // Not an export: the error names the file, and the scan on screen stays; a walk still works after it.
    const notes = join(base, 'notes.txt')
    writeFileSync(notes, 'not json\n')
    server.dialogAnswers.push(notes)
    await page.getByTestId('walk-open-ncdu').click()
    const notice = page.getByTestId('walk-open-failure')
    await expect.poll(() => notice.textContent()).toContain('MALFORMED_DATA')
    expect((await notice.locator('strong').textContent())?.trim()).toBe(`Cannot open ${JSON.stringify(notes)}`)
    expect(await notice.textContent()).toContain('The scan below is the one that was on screen.')
    expect(await count(page, 'dirs')).toBe(4)
    expect(await page.getByTestId('walk-path').inputValue()).toBe(top)
    expect(await page.getByTestId('walk-phase').textContent()).toContain('exhausted')
    await app.screenshot('walk-ncdu-bad-file-light')
    await page.setViewportSize({ width: 900, height: 600 })
    await app.screenshot('walk-ncdu-bad-file-900')
    await page.getByTestId('walk-open-failure-dismiss').click()
    expect(await notice.count()).toBe(0)

    // With nothing on screen, the card says the file could not be opened.
    await page.reload()
    server.dialogAnswers.push(notes)
    await page.getByTestId('walk-open-ncdu').click()
    await expect.poll(() => page.getByTestId('walk-failure').textContent()).toContain('MALFORMED_DATA')
    const title = (await page.getByTestId('walk-failure').locator('h2').textContent()) ?? ''
    expect(title.replace(/\s+/g, ' ').trim()).toBe(`Cannot open ${JSON.stringify(notes)}`)
    await page.getByTestId('walk-path').fill(top)
    await page.getByTestId('walk-path').press('Enter')
    await expect.poll(() => page.getByTestId('walk-phase').textContent()).toContain('exhausted')
    expect(await count(page, 'files')).toBe(6)
    expect(app.problems).toEqual([])
  })
})
