import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import RemoteGeneratorPanel from '../../src/renderer/src/components/RemoteGeneratorPanel.vue'
import { RemoteGenerator } from '../../src/renderer/src/lab/remoteGenerator'
import type { JobHost } from '../../src/main/lab/jobHost'
import { installInProcessLab } from '../support/inProcessLab'

let jobs: JobHost

beforeEach(() => {
  jobs = installInProcessLab().jobs
  setActivePinia(createPinia())
})
afterEach(async () => {
  await jobs.closeAll()
})

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  expect(condition(), what).toBe(true)
}

describe('RemoteGenerator', () => {
  test('follows the generator states of Python and raises LabErrors with codes', async () => {
    const g = await RemoteGenerator.open('range', { start: 0, stop: 3 })
    expect(g.state).toBe('created')
    expect(await g.next()).toEqual({ items: [0], done: false, state: 'suspended' })
    expect(g.state).toBe('suspended')
    await expect(g.throw('boom')).rejects.toMatchObject({ name: 'LabError', code: 'THROWN', message: 'boom' })
    expect(g.state).toBe('closed')
  })

  test('async iteration pulls in batches and leaving early closes the generator in main', async () => {
    const g = await RemoteGenerator.open('range', { start: 0, stop: 1_000_000 })
    const seen: number[] = []
    for await (const item of g.items(4)) {
      seen.push(item)
      if (seen.length === 6) break
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5])
    expect(g.state).toBe('closed')
    expect(jobs.openJobs()).toEqual([])
  })
})

describe('RemoteGeneratorPanel', () => {
  test('echoes each button as the Python line it stands for, and shows finally running on close', async () => {
    const wrapper = mount(RemoteGeneratorPanel)
    await wrapper.find('form').trigger('submit')
    await until(() => wrapper.find('[data-testid=remote-state]').text().includes('GEN_CREATED'), 'created')
    await wrapper.find('[data-testid=remote-next]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-transcript]').text().includes('>>> next(g)\n0'), 'first next')
    await wrapper.find('[data-testid=remote-batch]').trigger('click')
    await until(() => wrapper.find('[data-testid=remote-transcript]').text().includes('[1, 2, 3, 4, 5]'), 'batch')
    await wrapper.find('[data-testid=remote-close]').trigger('click')
    await until(() => wrapper.text().includes('main: range(0, 10, 1): finally ran after 6 items'), 'finally log')
    expect(wrapper.find('[data-testid=remote-state]').text()).toContain('GEN_CLOSED')
    expect(wrapper.find('[data-testid=remote-next]').attributes('disabled')).toBeDefined()
  })
})
