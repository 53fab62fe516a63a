/**
 * The notice that other work keeping a core busy is running (another tab's read, walk or sweep,
 * or a sample being written): it names each job as the status bar does, by the tab that runs it,
 * says the timings are skewed, and goes when those jobs end. The jobs are the jobs store's, their
 * states set as their pulls would set them.
 */
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { LabApi } from '@shared/contract'
import TimingSkewNotice from '@renderer/components/TimingSkewNotice.vue'
import { useJobsStore } from '@renderer/stores/jobs'

const mounted: VueWrapper[] = []

beforeEach(() => {
  let opened = 0
  const lab: LabApi = {
    invoke: (channel, input) => {
      if (channel !== 'job.open') throw new Error(`unexpected ${channel}`)
      const { kind } = input as { kind: string }
      return Promise.resolve({ ok: true, value: { id: `job-${++opened}`, kind, state: 'created' } }) as never
    },
    on: () => () => undefined
  }
  Object.assign(globalThis, { lab })
  setActivePinia(createPinia())
})
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
})

function mountNotice(running: boolean): VueWrapper {
  const wrapper = mount(TimingSkewNotice, { props: { kind: 'process', own: 'A read', running } })
  mounted.push(wrapper)
  return wrapper
}

test('another tab’s sweep running: this tab is told its run would share the CPU, and then that it does', async () => {
  const jobs = useJobsStore()
  const notice = mountNotice(false)
  const range = await jobs.start('range', { start: 0, stop: 10 } as never, 'range(0, 10)')
  range.state = 'running'
  const read = await jobs.start('process', { inputs: [] } as never, 'Lazy per chunk: data.bin')
  read.state = 'running'
  await nextTick()
  expect(notice.find('p').exists()).toBe(false) // a range only steps when asked; a read is this tab's own kind

  const sweep = await jobs.start('sweep', { path: '/d/data.bin' } as never, 'Sweep data.bin')
  await nextTick()
  expect(notice.find('p').exists()).toBe(false) // opened, not yet pulled
  sweep.state = 'running'
  await nextTick()
  expect(notice.find('p').text()).toBe(
    'Timings will be skewed: the Benchmark tab is running Sweep data.bin. A read started now shares the CPU with it, so both measure slower than either would alone.'
  )
  expect(notice.find('p').attributes('role')).toBe('status')

  await notice.setProps({ running: true })
  expect(notice.find('p').text()).toBe(
    'Timings skewed: the Benchmark tab is running Sweep data.bin at the same time. The two share the CPU, so both measure slower than either would alone.'
  )

  sweep.state = 'closed'
  await nextTick()
  expect(notice.find('p').exists()).toBe(false)
})

test('a walk and a sample being written share the CPU too: each is told, by the tab that runs it', async () => {
  const jobs = useJobsStore()
  const notice = mountNotice(false)
  const walk = await jobs.start('walk', { top: '/t' } as never, 'Walk /t')
  walk.state = 'running'
  const sample = await jobs.start('sampleData', { name: 's' } as never, 'Generate s.bin')
  sample.state = 'running'
  await nextTick()
  expect(notice.find('p').text()).toBe(
    'Timings will be skewed: the Browse tab is running Walk /t, and this tab is running Generate s.bin. A read started now shares the CPU with them, so each measures slower than it would alone.'
  )
  await notice.setProps({ running: true })
  expect(notice.find('p').text()).toBe(
    'Timings skewed: the Browse tab is running Walk /t, and this tab is running Generate s.bin at the same time. They all share the CPU, so each measures slower than it would alone.'
  )
  walk.state = 'closed'
  sample.state = 'closed'
  await nextTick()
  expect(notice.find('p').exists()).toBe(false)
})
