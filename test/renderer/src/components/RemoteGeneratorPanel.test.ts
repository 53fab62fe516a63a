/**
 * The main-process generator panel over the real handlers and job workers (in-process lab): each
 * generator gets a fresh name, and close() echoes nothing, as at the REPL.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { JobHost } from '../../../../src/main/lab/jobs/jobHost'
import RemoteGeneratorPanel from '@renderer/components/RemoteGeneratorPanel.vue'
import { installInProcessLab } from '../../../support/inProcessLab'
import { until } from '../../../support/until'

let jobs: JobHost
let panel: VueWrapper | undefined

beforeEach(() => {
  ;({ jobs } = installInProcessLab())
  setActivePinia(createPinia())
})
afterEach(async () => {
  panel?.unmount()
  await jobs.closeAll()
})

function transcript(): string {
  return panel!.find('[data-testid=remote-transcript]').text()
}

async function click(selector: string): Promise<void> {
  await panel!.find(selector).trigger('click')
  await flushPromises()
}

test('each generator gets a fresh name, and close() echoes no None', { timeout: 30_000 }, async () => {
  panel = mount(RemoteGeneratorPanel, { attachTo: document.body })
  await panel.find('form').trigger('submit')
  await until(() => transcript().includes('living in the main process'), 'g created')
  expect(transcript()).toMatch(/^>>> g = range_in_main\(0, 10, 1\)\n<generator \S+ living in the main process>$/)
  await click('[data-testid=remote-next]')
  await until(() => transcript().endsWith('>>> next(g)\n0'), 'next(g)')

  // A second generator: g2, and g is closed first, as its name is not reused.
  await panel.find('form').trigger('submit')
  await until(() => transcript().includes('>>> g2 = range_in_main(0, 10, 1)'), 'g2 created')
  expect(transcript()).toContain('>>> next(g)\n0\n>>> g.close()\n>>> g2 = range_in_main(0, 10, 1)\n')
  expect(panel.find('[data-testid=remote-next]').text()).toBe('next(g2)')
  expect(panel.find('[data-testid=remote-throw]').text()).toBe('g2.throw')
  expect(panel.find('[data-testid=remote-close]').text()).toBe('g2.close()')
  await click('[data-testid=remote-next]')
  await until(() => transcript().endsWith('>>> next(g2)\n0'), 'next(g2)')

  await click('[data-testid=remote-close]')
  await until(() => panel!.find('[data-testid=remote-state]').text().includes('GEN_CLOSED'), 'g2 closed')
  expect(transcript()).toMatch(/>>> next\(g2\)\n0\n>>> g2\.close\(\)$/)
  expect(transcript()).not.toContain('None')
  expect(panel.find('[data-testid=remote-next]').attributes('disabled')).toBeDefined()

  await panel.find('form').trigger('submit')
  await until(() => transcript().includes('>>> g3 = range_in_main'), 'g3 created')
  // g2 was closed already: nothing more is echoed for it.
  expect(transcript().match(/g2\.close\(\)/g)).toHaveLength(1)
  expect(jobs.openJobs()).toHaveLength(1)
})
