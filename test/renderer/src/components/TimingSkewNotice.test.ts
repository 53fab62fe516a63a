/**
 * The notice that another tab's timed job is running (the Read tab's run, the Benchmark tab's
 * sweep): it names that job as the status bar does, says both timings are skewed, and goes when
 * that job ends. The jobs are the jobs store's, their states set as their pulls would set them.
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
  const wrapper = mount(TimingSkewNotice, {
    props: { other: 'sweep', otherTab: 'Benchmark', own: 'A read', running }
  })
  mounted.push(wrapper)
  return wrapper
}

test('another tab’s sweep running: this tab is told its run would share the CPU, and then that it does', async () => {
  const jobs = useJobsStore()
  const notice = mountNotice(false)
  const walk = await jobs.start('walk', { top: '/t' }, 'Walk /t')
  walk.state = 'running'
  await nextTick()
  expect(notice.find('p').exists()).toBe(false) // not a timed job of the other tab

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
